import assert from "node:assert/strict";
import { reliability, reliabilityByCode } from "../../../../../erp-modules/maintenance/model/reliability.js";

const H = 3_600_000;

describe("MTBF and MTTR", () => {
  it("hand-computed: 100 h observed, failures repaired in 2 h and 8 h: MTTR 5 h, MTBF (100-10)/2 = 45 h", () => {
    const result = reliability(
      [
        { failedAt: 10 * H, restoredAt: 12 * H, failureCode: "VIB" },
        { failedAt: 50 * H, restoredAt: 58 * H, failureCode: "ELEC" },
      ],
      { from: 0, to: 100 * H },
    );
    assert.deepEqual(result, { failures: 2, mtbfHours: 45, mttrHours: 5 });
  });

  it("is null without failures, and splits per failure code", () => {
    assert.deepEqual(reliability([], { from: 0, to: H }), { failures: 0, mtbfHours: null, mttrHours: null });
    const byCode = reliabilityByCode([{ failedAt: 0, restoredAt: H, failureCode: "VIB" }], { from: 0, to: 10 * H });
    assert.deepEqual(byCode.get("VIB"), { failures: 1, mtbfHours: 9, mttrHours: 1 });
  });
});
