import assert from "node:assert/strict";
import { dailyPoints, monthlyPoints, periodPoints } from "../../../../../erp-modules/reservoir/model/rate-series.js";

describe("rate series model", () => {
  it("gives producing-day rates from volume and uptime, flagging shut-in and test days", () => {
    const points = dailyPoints([
      { date: "2026-01-01", volume: 40, uptimeHours: 12 },
      { date: "2026-01-02", volume: 0, uptimeHours: 0 },
      { date: "2026-01-03", volume: 75, uptimeHours: 24, wellTest: true },
      { date: "2026-01-04", volume: null, uptimeHours: null },
    ]);
    assert.deepEqual(
      points.map((point) => [point.rate, point.flags, point.excluded]),
      [
        [80, [], false],
        [null, ["shutIn"], true],
        [75, ["test"], true],
        [null, ["noVolume"], true],
      ],
    );
  });

  it("uses the day's real length across a clock change (25 h day, 25 h up: one whole day)", () => {
    assert.equal(dailyPoints([{ date: "2026-11-01", volume: 50, uptimeHours: 25, dayHours: 25 }])[0].rate, 50);
  });

  it("sums days into months: volume over producing days; a month never producing is shut in", () => {
    const daily = dailyPoints([
      { date: "2026-01-30", volume: 10, uptimeHours: 24 },
      { date: "2026-01-31", volume: 5, uptimeHours: 12 },
      { date: "2026-02-01", volume: 0, uptimeHours: 0 },
    ]);
    const months = monthlyPoints(daily);
    assert.deepEqual(
      months.map((month) => [month.date, month.periodDays, month.volume, month.daysOn, month.rate, month.flags]),
      [
        ["2026-01-01", 31, 15, 1.5, 10, []],
        ["2026-02-01", 28, 0, 0, null, ["shutIn"]],
      ],
    );
  });

  it("uses calendar days when a period does not say how many days it produced", () => {
    const [point] = periodPoints([{ date: "2024-02-01", periodDays: 29, volume: 290, daysOn: null }]);
    assert.equal(point.rate, 10);
  });
});
