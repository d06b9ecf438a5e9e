import assert from "node:assert/strict";
import {
  defaultTimeInput,
  formatDay,
  instantFromInput,
  isDate,
  isMonth,
  localDate,
  localDateTimeInput,
  monthPeriod,
  previousProductionDay,
  productionDay,
  siteDayClock,
} from "../../../../../../editor/src/modules/production/dates";

describe("web app: production days and times", () => {
  it("names the local calendar day", () => {
    assert.equal(localDate(new Date(2025, 2, 7, 23, 59)), "2025-03-07");
    assert.equal(localDate(new Date(2025, 11, 31, 0, 0)), "2025-12-31");
  });

  it("takes the production day as the UTC calendar day", () => {
    assert.equal(productionDay(new Date("2025-03-07T23:59:59Z")), "2025-03-07");
    assert.equal(productionDay(new Date("2025-03-08T00:00:00Z")), "2025-03-08");
  });

  it("names the last closed production day (yesterday, UTC), across month and year ends", () => {
    assert.equal(previousProductionDay(new Date("2025-03-08T00:00:00Z")), "2025-03-07");
    assert.equal(previousProductionDay(new Date("2025-03-01T23:59:59Z")), "2025-02-28");
    assert.equal(previousProductionDay(new Date("2024-03-01T06:00:00Z")), "2024-02-29");
    assert.equal(previousProductionDay(new Date("2026-01-01T00:30:00Z")), "2025-12-31");
  });

  it("reads a datetime-local input as local time and sends it as UTC", () => {
    assert.equal(instantFromInput("2025-03-07T08:30"), new Date(2025, 2, 7, 8, 30).toISOString());
    assert.equal(instantFromInput(""), null);
    assert.equal(instantFromInput("07/03/2025 08:30"), null);
    assert.equal(localDateTimeInput(new Date(2025, 2, 7, 8, 5)), "2025-03-07T08:05");
    assert.equal(localDateTimeInput(new Date(2025, 2, 7, 8, 5, 9), "seconds"), "2025-03-07T08:05:09");
    assert.equal(instantFromInput("2025-03-07T08:05:09"), new Date(2025, 2, 7, 8, 5, 9).toISOString());
  });

  it("starts a form's time at now on today's production day, at the day's UTC midday on another", () => {
    const now = new Date("2025-03-07T14:42:10Z");
    assert.equal(defaultTimeInput("2025-03-07", now), localDateTimeInput(now));
    const midday = defaultTimeInput("2025-03-05", now);
    assert.equal(midday, localDateTimeInput(new Date("2025-03-05T12:00:00Z")));
    // Untouched, that time stays on the picked day in any zone within ±12 h.
    assert.equal(productionDay(new Date(instantFromInput(midday) ?? "")), "2025-03-05");
  });

  it("follows the site's production day: 06:00 in America/New_York, across the spring clock change", () => {
    const clock = siteDayClock({ timeZone: "America/New_York", productionDayStartHour: 6 });
    // 2026-03-08 09:30Z = 05:30 EDT: still the day that started 2026-03-07 06:00 EST.
    assert.equal(productionDay(new Date("2026-03-08T09:30:00Z"), clock), "2026-03-07");
    assert.equal(productionDay(new Date("2026-03-08T10:00:00Z"), clock), "2026-03-08");
    assert.equal(previousProductionDay(new Date("2026-03-08T10:00:00Z"), clock), "2026-03-07");
    // Another day's form starts at its middle: 2026-03-07 runs 11:00Z to 10:00Z (23 h), middle 22:30Z.
    const midday = defaultTimeInput("2026-03-07", new Date("2026-03-09T12:00:00Z"), clock);
    assert.equal(midday, localDateTimeInput(new Date("2026-03-07T22:30:00Z")));
    assert.equal(productionDay(new Date(instantFromInput(midday) ?? ""), clock), "2026-03-07");
  });

  it("takes UTC days when the site gives no zone, or one the browser does not know", () => {
    assert.equal(productionDay(new Date("2026-03-08T01:00:00Z"), siteDayClock(undefined)), "2026-03-08");
    assert.equal(productionDay(new Date("2026-03-08T01:00:00Z"), siteDayClock({ timeZone: "Mars/Olympus", productionDayStartHour: 6 })), "2026-03-08");
  });

  it("knows real days and months only", () => {
    assert.ok(isDate("2024-02-29"));
    assert.ok(!isDate("2025-02-29"));
    assert.ok(!isDate("2025-13-01"));
    assert.ok(!isDate("2025-3-1"));
    assert.ok(isMonth("2025-12"));
    assert.ok(!isMonth("2025-00"));
  });

  it("spans a whole month, leap years included", () => {
    assert.deepEqual(monthPeriod("2024-02"), { periodStart: "2024-02-01", periodEnd: "2024-02-29" });
    assert.deepEqual(monthPeriod("2025-02"), { periodStart: "2025-02-01", periodEnd: "2025-02-28" });
    assert.deepEqual(monthPeriod("2025-12"), { periodStart: "2025-12-01", periodEnd: "2025-12-31" });
  });

  it("prints a production day in the locale's order without shifting it", () => {
    assert.equal(formatDay("2025-03-07", "es"), "07/03/2025");
    assert.equal(formatDay("2025-03-07", "en"), "03/07/2025");
  });
});
