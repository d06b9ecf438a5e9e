import assert from "node:assert/strict";
import { historySearchParams } from "../../../../../editor/src/api/history";

describe("web app: history API client", () => {
  it("sends the contract's query, leaving out the numbers not given", () => {
    const params = historySearchParams({ paths: "SITE1/A/P,SITE1/A/Q", from: "2026-12-01T00:00:00.000Z", to: "2026-12-08T00:00:00.000Z", mode: "buckets", points: 1000 });
    assert.deepEqual(Object.fromEntries(params), {
      paths: "SITE1/A/P,SITE1/A/Q",
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-08T00:00:00.000Z",
      mode: "buckets",
      points: "1000",
    });
  });
});
