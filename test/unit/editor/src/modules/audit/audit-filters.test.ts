import assert from "node:assert/strict";
import { auditSearchParams } from "../../../../../../editor/src/api/audit";
import { auditQueryOf, EMPTY_FILTERS, filtersFromParams, filtersToParams } from "../../../../../../editor/src/modules/audit/audit-filters";

const local = (text: string) => new Date(text).toISOString();

describe("web app: audit log filters", () => {
  it("puts the filters in the URL with times as ISO instants, and reads them back for the inputs", () => {
    const result = filtersToParams({ ...EMPTY_FILTERS, actor: " ana ", action: "user.", from: "2026-03-02T08:30", to: "2026-03-02T18:00" });
    assert.ok("params" in result);
    assert.deepEqual(Object.fromEntries(result.params), {
      actor: "ana",
      action: "user.",
      from: local("2026-03-02T08:30"),
      to: local("2026-03-02T18:00"),
    });
    assert.deepEqual(filtersFromParams(result.params), { ...EMPTY_FILTERS, actor: "ana", action: "user.", from: "2026-03-02T08:30", to: "2026-03-02T18:00" });
  });

  it("says which time is wrong, and refuses an end that is not after the start", () => {
    assert.deepEqual(filtersToParams({ ...EMPTY_FILTERS, from: "yesterday" }), { errors: { from: "notATime" } });
    assert.deepEqual(filtersToParams({ ...EMPTY_FILTERS, from: "2026-03-02T08:30", to: "2026-03-02T08:30" }), { errors: { to: "toBeforeFrom" } });
  });

  it("asks the API for one page of what the URL names, leaving out empty filters and broken times", () => {
    const params = new URLSearchParams({ entityType: "user", entityId: "u-1", from: "not a time", to: "2026-03-03T00:00:00.000Z" });
    const query = auditQueryOf(params, "0190-cursor", 50);
    assert.deepEqual(query, {
      actor: "",
      actionPrefix: "",
      entityType: "user",
      entityId: "u-1",
      from: null,
      to: "2026-03-03T00:00:00.000Z",
      before: "0190-cursor",
      limit: 50,
    });
    assert.deepEqual(Object.fromEntries(auditSearchParams(query)), {
      limit: "50",
      entityType: "user",
      entityId: "u-1",
      to: "2026-03-03T00:00:00.000Z",
      before: "0190-cursor",
    });
  });
});
