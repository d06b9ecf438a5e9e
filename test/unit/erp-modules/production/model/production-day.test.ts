import assert from "node:assert/strict";
import { productionDayClock, UTC_CLOCK } from "../../../../../erp-modules/production/model/production-day.js";

const iso = (ms: number) => new Date(ms).toISOString();

describe("production day clock", () => {
  it("UTC at hour 0 (the default) gives UTC calendar days", () => {
    const { startMs, endMs } = UTC_CLOCK.bounds("2026-10-01");
    assert.deepEqual([iso(startMs), iso(endMs)], ["2026-10-01T00:00:00.000Z", "2026-10-02T00:00:00.000Z"]);
    assert.equal(UTC_CLOCK.dayOf(Date.parse("2026-10-01T23:59:59.999Z")), "2026-10-01");
    assert.equal(UTC_CLOCK.dayOf(Date.parse("2026-10-02T00:00:00Z")), "2026-10-02");
  });

  it("06:00 in America/New_York: the day of the spring change lasts 23 h, the autumn one 25 h", () => {
    const clock = productionDayClock({ timeZone: "America/New_York", startHour: 6 });
    // 2026-03-07 06:00 EST (UTC−5) = 11:00Z; clocks go forward on 2026-03-08 at 02:00, so 2026-03-08 06:00 EDT (UTC−4) = 10:00Z.
    const spring = clock.bounds("2026-03-07");
    assert.deepEqual([iso(spring.startMs), iso(spring.endMs)], ["2026-03-07T11:00:00.000Z", "2026-03-08T10:00:00.000Z"]);
    assert.equal(clock.hoursOf("2026-03-07"), 23); // 10:00Z − 11:00Z the day before = 23 h
    assert.equal(clock.hoursOf("2026-03-08"), 24);
    // Clocks go back on 2026-11-01 at 02:00: 2026-10-31 06:00 EDT = 10:00Z to 2026-11-01 06:00 EST = 11:00Z = 25 h.
    assert.equal(clock.hoursOf("2026-10-31"), 25);
    assert.equal(clock.dayOf(Date.parse("2026-03-08T09:59:59Z")), "2026-03-07", "05:59:59 EDT is still the day before");
    assert.equal(clock.dayOf(Date.parse("2026-03-08T10:00:00Z")), "2026-03-08");
    assert.equal(clock.dayOf(Date.parse("2026-03-07T10:59:00Z")), "2026-03-06", "05:59 EST");
  });

  it("Europe/Madrid at 06:00 across 2026-03-29; a start hour inside the gap starts after it", () => {
    const madrid = productionDayClock({ timeZone: "Europe/Madrid", startHour: 6 });
    // 2026-03-28 06:00 CET (UTC+1) = 05:00Z; 2026-03-29 06:00 CEST (UTC+2) = 04:00Z: 23 h.
    assert.deepEqual([iso(madrid.bounds("2026-03-28").startMs), madrid.hoursOf("2026-03-28")], ["2026-03-28T05:00:00.000Z", 23]);
    // New York at 02:00: 2026-03-08 02:00 does not exist (02:00 EST becomes 03:00 EDT = 07:00Z).
    const twoAm = productionDayClock({ timeZone: "America/New_York", startHour: 2 });
    assert.equal(iso(twoAm.bounds("2026-03-08").startMs), "2026-03-08T07:00:00.000Z");
    // 2026-11-01 01:00 happens twice; hour 1 starts at the first one, 01:00 EDT = 05:00Z.
    const oneAm = productionDayClock({ timeZone: "America/New_York", startHour: 1 });
    assert.equal(iso(oneAm.bounds("2026-11-01").startMs), "2026-11-01T05:00:00.000Z");
  });

  it("UTC at 06:00: an instant before 06:00Z belongs to the day before", () => {
    const clock = productionDayClock({ timeZone: "UTC", startHour: 6 });
    assert.equal(clock.dayOf(Date.parse("2026-10-02T05:59:59Z")), "2026-10-01");
    assert.equal(iso(clock.bounds("2026-10-01").endMs), "2026-10-02T06:00:00.000Z");
  });
});
