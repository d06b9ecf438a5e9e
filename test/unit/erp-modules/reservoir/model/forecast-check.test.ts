import assert from "node:assert/strict";
import { goodnessOver, pointTimeDays, shortfallOver } from "../../../../../erp-modules/reservoir/model/forecast-check.js";
import { dailyPoints } from "../../../../../erp-modules/reservoir/model/rate-series.js";

describe("forecast check model", () => {
  const flat = () => 100;

  it("places a month at its middle and a day at its start", () => {
    assert.equal(pointTimeDays({ date: "2024-02-01", periodDays: 29 }, "2024-01-01"), 31 + 14.5);
    assert.equal(pointTimeDays({ date: "2024-01-05", periodDays: 1 }, "2024-01-01"), 4);
  });

  it("gives R² 1 and RMSE 0 for a curve through every point", () => {
    const points = dailyPoints([1, 2, 3].map((day) => ({ date: `2024-01-0${day}`, volume: 100 * Math.exp(-0.01 * (day - 1)), uptimeHours: 24 })));
    const goodness = goodnessOver(points, "2024-01-01", (t) => 100 * Math.exp(-0.01 * t));
    assert.ok(goodness);
    assert.equal(goodness.pointsUsed, 3);
    assert.ok(Math.abs(goodness.rSquaredLog - 1) < 1e-12 && goodness.rmseRatePerDay < 1e-9);
  });

  it("measures the shortfall over producing days only; a shut-in day is not a shortfall", () => {
    const points = dailyPoints([
      { date: "2024-01-01", volume: 70, uptimeHours: 24 },
      { date: "2024-01-02", volume: 0, uptimeHours: 0 },
      { date: "2024-01-03", volume: 90, uptimeHours: 24 },
    ]);
    const result = shortfallOver(points, "2024-01-01", flat, 20);
    assert.deepEqual(result, { pointsUsed: 2, actualRatePerDay: 80, forecastRatePerDay: 100, shortfallPercent: 20, alert: true });
    assert.equal(shortfallOver(points, "2024-01-01", flat, 20.5)?.alert, false);
    assert.equal(shortfallOver(points, "2024-02-01", flat, 20), null);
  });
});
