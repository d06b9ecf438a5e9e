import assert from "node:assert/strict";
import {
  canChangeStatus,
  isoToLocalInput,
  localInputToIso,
  statusChangeFrom,
} from "../../../../../../editor/src/modules/assets/status-change";

const well = { status: "producing" as const, statusSince: "2025-03-01T08:00:00.000Z" };
const NOW = new Date("2025-03-10T12:00:00.000Z");

describe("web app: well status change", () => {
  it("sends the new status and the trimmed reason, effective now unless a time is given", () => {
    assert.deepEqual(statusChangeFrom({ status: "shut_in", reason: "  ESP tripped on underload ", effectiveAt: "" }, well, NOW), {
      body: { status: "shut_in", reason: "ESP tripped on underload" },
    });
    const local = isoToLocalInput("2025-03-05T06:30:00.000Z");
    assert.deepEqual(statusChangeFrom({ status: "suspended", reason: "Waiting on workover", effectiveAt: local }, well, NOW), {
      body: { status: "suspended", reason: "Waiting on workover", effectiveAt: "2025-03-05T06:30:00.000Z" },
    });
  });

  it("wants a reason and a status other than the current one", () => {
    assert.deepEqual(statusChangeFrom({ status: "", reason: " ", effectiveAt: "" }, well, NOW), {
      errors: { status: "required", reason: "required" },
    });
    assert.deepEqual(statusChangeFrom({ status: "producing", reason: "x", effectiveAt: "" }, well, NOW), {
      errors: { status: "sameStatus" },
    });
  });

  it("refuses a time in the future or before the current status began, as the server does", () => {
    const change = (iso: string) => statusChangeFrom({ status: "shut_in", reason: "x", effectiveAt: isoToLocalInput(iso) }, well, NOW);
    assert.deepEqual(change("2025-03-11T12:00:00.000Z"), { errors: { effectiveAt: "inFuture" } });
    // A browser clock a little ahead of the server's is allowed for, as the server does (5 minutes).
    assert.ok("body" in change("2025-03-10T12:03:00.000Z"));
    assert.deepEqual(change("2025-02-28T12:00:00.000Z"), { errors: { effectiveAt: "beforeCurrent" } });
    assert.deepEqual(statusChangeFrom({ status: "shut_in", reason: "x", effectiveAt: "yesterday" }, well, NOW), {
      errors: { effectiveAt: "notADate" },
    });
  });

  it("reads the datetime input as local time and writes it back to the minute", () => {
    const local = new Date(2025, 2, 5, 6, 30);
    assert.equal(localInputToIso("2025-03-05T06:30"), local.toISOString());
    assert.equal(isoToLocalInput(local.toISOString()), "2025-03-05T06:30");
    assert.equal(localInputToIso("2025-13-45T99:00"), null);
  });

  it("lets an abandoned well be, as the server does", () => {
    assert.equal(canChangeStatus({ status: "abandoned" }), false);
    assert.equal(canChangeStatus({ status: "shut_in" }), true);
  });
});
