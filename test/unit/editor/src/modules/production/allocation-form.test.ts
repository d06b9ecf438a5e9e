import assert from "node:assert/strict";
import type { AllocationRun } from "../../../../../../editor/src/api/production";
import {
  allocationPeriod,
  allocationRequest,
  newestFirst,
  reasonRequired,
  runsOverlapping,
  type AllocationForm,
} from "../../../../../../editor/src/modules/production/allocation-form";

const SITE = "0190a1b2-0000-7000-8000-000000000003";

function run(id: string, periodStart: string, periodEnd: string, version: number, createdAt: string): AllocationRun {
  const zero = { measuredM3: 0, allocatedM3: 0 };
  return {
    id,
    siteAssetId: SITE,
    periodStart,
    periodEnd,
    version,
    restates: null,
    reason: null,
    createdAt,
    createdBy: "eng",
    totals: { oil: zero, gas: zero, water: zero },
    warnings: [],
    priorPeriodAdjustment: false,
  };
}

const march7 = run("a", "2025-03-07", "2025-03-07", 1, "2025-03-08T06:00:00.000Z");
const february = run("b", "2025-02-01", "2025-02-28", 1, "2025-03-01T06:00:00.000Z");
const day: AllocationForm = { mode: "day", date: "2025-03-07", month: "2025-03", reason: "" };
const TODAY = "2025-03-20";

describe("web app: allocation form", () => {
  it("allocates a day or a whole month", () => {
    assert.deepEqual(allocationPeriod(day, TODAY), { periodStart: "2025-03-07", periodEnd: "2025-03-07" });
    assert.deepEqual(allocationPeriod({ ...day, mode: "month", month: "2024-02" }, TODAY), { periodStart: "2024-02-01", periodEnd: "2024-02-29" });
    assert.equal(allocationPeriod({ ...day, date: "2025-02-30" }, TODAY), null);
  });

  it("allocates the current month up to today and nothing still to come", () => {
    assert.deepEqual(allocationPeriod({ ...day, mode: "month" }, TODAY), { periodStart: "2025-03-01", periodEnd: TODAY });
    assert.equal(allocationPeriod({ ...day, mode: "month", month: "2025-04" }, TODAY), null);
    assert.equal(allocationPeriod({ ...day, date: "2025-03-21" }, TODAY), null);
    assert.deepEqual(allocationPeriod({ ...day, date: TODAY }, TODAY), { periodStart: TODAY, periodEnd: TODAY });
  });

  it("finds the runs that share a day with the period", () => {
    assert.deepEqual(runsOverlapping([march7, february], "2025-03-01", "2025-03-31"), [march7]);
    assert.deepEqual(runsOverlapping([march7, february], "2025-02-28", "2025-03-06"), [february]);
    assert.deepEqual(runsOverlapping([march7, february], "2025-03-08", "2025-03-08"), []);
  });

  it("asks for a reason only when the period was already allocated", () => {
    assert.equal(reasonRequired([], day, TODAY), false);
    assert.equal(reasonRequired([february], day, TODAY), false);
    assert.equal(reasonRequired([march7], day, TODAY), true);
    assert.equal(reasonRequired([march7], { ...day, mode: "month" }, TODAY), true);
    assert.equal(reasonRequired([february], { ...day, mode: "month", month: "2025-02" }, TODAY), true);
  });

  it("refuses a restatement without a reason and sends one with it", () => {
    assert.deepEqual(allocationRequest(day, SITE, [march7], TODAY), { error: "reason" });
    assert.deepEqual(allocationRequest({ ...day, reason: "  late fiscal meter ticket " }, SITE, [march7], TODAY), {
      request: { siteAssetId: SITE, periodStart: "2025-03-07", periodEnd: "2025-03-07", reason: "late fiscal meter ticket" },
    });
    assert.deepEqual(allocationRequest(day, SITE, [], TODAY), {
      request: { siteAssetId: SITE, periodStart: "2025-03-07", periodEnd: "2025-03-07" },
    });
    assert.deepEqual(allocationRequest({ ...day, mode: "month", month: "" }, SITE, [], TODAY), { error: "period" });
  });

  it("lists the newest run first", () => {
    const restated = run("c", "2025-03-07", "2025-03-07", 2, "2025-03-09T06:00:00.000Z");
    assert.deepEqual(newestFirst([february, restated, march7]).map((r) => r.id), ["c", "a", "b"]);
  });
});
