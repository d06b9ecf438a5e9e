import assert from "node:assert/strict";
import { currentWellDays, monthBounds, monthlyBySiteAndField, type SyncedRun } from "../../../../erp-modules/corporate/model/consolidation.js";

const site = { id: "a0000000-0000-7000-8000-000000000001", code: "BAT-1", name: "Battery 1" };
const field = { id: "a0000000-0000-7000-8000-000000000002", code: "F-NORTE", name: "Norte" };

/** A run of one well W1 (and W2 when given) with oil/gas/water per day. */
function run(id: string, version: number, days: string[], w1: [number, number, number][], w2?: [number, number, number][]): SyncedRun {
  const wells = [{ id: "w1", code: "W1", oilM3: w1.map((v) => v[0]), gasM3: w1.map((v) => v[1]), waterM3: w1.map((v) => v[2]) }];
  if (w2) wells.push({ id: "w2", code: "W2", oilM3: w2.map((v) => v[0]), gasM3: w2.map((v) => v[1]), waterM3: w2.map((v) => v[2]) });
  return { siteId: "SITE1", id, siteAssetId: site.id, periodStart: days[0], periodEnd: days[days.length - 1], version, wellVolumes: { site, field, days, wells } };
}

describe("corporate consolidation: the current run per site and day", () => {
  it("takes each day from the highest version covering it: a restatement replaces only its own days", () => {
    const v1 = run("r1", 1, ["2026-10-01", "2026-10-02", "2026-10-03"], [[10, 100, 1], [11, 110, 2], [12, 120, 3]]);
    // Version 2 restates Oct 2 alone.
    const v2 = run("r2", 2, ["2026-10-02"], [[20, 200, 5]]);
    // Sent in any order: the version decides, not the arrival.
    const { wellDays } = currentWellDays([v2, v1], "2026-10-01", "2026-10-31");
    assert.deepEqual(
      wellDays.map((day) => [day.day, day.runId, day.oilM3, day.gasSm3, day.waterM3]),
      [
        ["2026-10-01", "r1", 10, 100, 1],
        ["2026-10-02", "r2", 20, 200, 5],
        ["2026-10-03", "r1", 12, 120, 3],
      ],
    );
    // By hand: oil 10 + 20 + 12 = 42, gas 100 + 200 + 120 = 420, water 1 + 5 + 3 = 9 (v1's Oct 2 is superseded).
    assert.deepEqual(monthlyBySiteAndField(wellDays), [{ siteId: "SITE1", fieldCode: "F-NORTE", fieldName: "Norte", month: "2026-10", oilM3: 42, gasSm3: 420, waterM3: 9, wells: 1, days: 3 }]);
  });

  it("splits a run across months by day and keeps sites and site assets apart", () => {
    const crossing = run("r3", 1, ["2026-09-30", "2026-10-01"], [[5, 50, 0.5], [6, 60, 0.25]], [[1, 10, 0], [2, 20, 0]]);
    const other: SyncedRun = { ...run("r4", 1, ["2026-10-01"], [[7, 70, 0.125]]), siteId: "SITE2" };
    const months = monthlyBySiteAndField(currentWellDays([crossing, other], "2026-09-01", "2026-10-31").wellDays);
    assert.deepEqual(
      months.map((row) => [row.siteId, row.month, row.oilM3, row.gasSm3, row.waterM3, row.wells, row.days]),
      [
        ["SITE1", "2026-09", 6, 60, 0.5, 2, 1],
        ["SITE1", "2026-10", 8, 80, 0.25, 2, 1],
        ["SITE2", "2026-10", 7, 70, 0.125, 1, 1],
      ],
    );
  });

  it("leaves out days outside the range and counts runs without per-well volumes", () => {
    const old: SyncedRun = { siteId: "SITE1", id: "r0", siteAssetId: site.id, periodStart: "2026-10-01", periodEnd: "2026-10-01", version: 1 };
    const result = currentWellDays([old, run("r5", 2, ["2026-10-31", "2026-11-01"], [[1, 1, 1], [2, 2, 2]])], "2026-11-01", "2026-11-30");
    assert.equal(result.runsWithoutVolumes, 1);
    assert.deepEqual(result.wellDays.map((day) => day.day), ["2026-11-01"]);
  });

  it("bounds a month range by its first and last day, leap years included", () => {
    assert.deepEqual(monthBounds("2028-01", "2028-02"), { fromDay: "2028-01-01", toDay: "2028-02-29" });
    assert.deepEqual(monthBounds("2026-12", "2026-12"), { fromDay: "2026-12-01", toDay: "2026-12-31" });
  });
});
