import assert from "node:assert/strict";
import fc from "fast-check";
import { AllocationInputError } from "../../../../../erp-modules/production/model/allocation.js";
import {
  daysBetween,
  downtimeHoursByLabel,
  uptimeHoursOn,
  type DowntimeInterval,
} from "../../../../../erp-modules/production/model/uptime.js";

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;
// 36 ms = 1e-5 h: intervals on this grid have durations exact at the 1e-6 h rounding.
const MS_PER_TICK = 36;
const TICKS_PER_DAY = MS_PER_DAY / MS_PER_TICK;

const DAY = "2024-03-10";
const DAY_START_MS = Date.UTC(2024, 2, 10);

function at(hour: number): string {
  return new Date(DAY_START_MS + hour * MS_PER_HOUR).toISOString();
}

function down(fromHour: number, toHour: number | null): DowntimeInterval {
  return { startedAt: at(fromHour), endedAt: toHour === null ? null : at(toHour) };
}

function expectInputError(run: () => unknown, field: string, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AllocationInputError, `expected an AllocationInputError, got ${String(error)}`);
    assert.equal(error.field, field);
    assert.match(error.message, message);
    return true;
  });
}

/** Any day from 2000 to 2099 as YYYY-MM-DD with its start in epoch ms. */
const dayArb = fc
  .integer({ min: 0, max: 36_500 })
  .map((dayNumber) => Date.UTC(2000, 0, 1) + dayNumber * MS_PER_DAY)
  .map((startMs) => ({ day: new Date(startMs).toISOString().slice(0, 10), startMs }));

/** An interval around a day starting at dayStartMs: may start the day before, end the day after, or be open. */
function intervalArb(dayStartMs: number): fc.Arbitrary<DowntimeInterval> {
  return fc
    .record({
      startOffsetMs: fc.integer({ min: -MS_PER_DAY, max: 2 * MS_PER_DAY }),
      durationMs: fc.option(fc.integer({ min: 0, max: 2 * MS_PER_DAY }), { freq: 5 }),
      asDate: fc.boolean(),
    })
    .map(({ startOffsetMs, durationMs, asDate }) => {
      const start = new Date(dayStartMs + startOffsetMs);
      const end = durationMs === null ? null : new Date(start.getTime() + durationMs);
      return asDate
        ? { startedAt: start, endedAt: end }
        : { startedAt: start.toISOString(), endedAt: end === null ? null : end.toISOString() };
    });
}

const scenarioArb = dayArb.chain(({ day, startMs }) =>
  fc.record({
    day: fc.constant(day),
    downtime: fc.array(intervalArb(startMs), { maxLength: 20 }),
    extra: intervalArb(startMs),
    now: fc.integer({ min: -MS_PER_DAY, max: 3 * MS_PER_DAY }).map((offsetMs) => new Date(startMs + offsetMs)),
  }),
);

describe("production uptime", () => {
  describe("uptimeHoursOn properties", () => {
    it("stays within 0..24 on the 1e-6 h grid, and never rises when a downtime interval is added", () => {
      fc.assert(
        fc.property(scenarioArb, ({ day, downtime, extra, now }) => {
          const uptime = uptimeHoursOn(day, downtime, now);
          assert.ok(uptime >= 0 && uptime <= 24, `uptime ${uptime}`);
          assert.equal(uptime, Math.round(uptime * 1e6) / 1e6);
          assert.ok(uptimeHoursOn(day, [...downtime, extra], now) <= uptime);
          assert.ok(uptimeHoursOn(day, [extra, ...downtime], now) <= uptime);
        }),
      );
    });

    it("subtracts disjoint intervals inside the day exactly", () => {
      // Strictly increasing tick numbers taken in pairs are disjoint intervals inside the day.
      const boundaries = fc
        .uniqueArray(fc.integer({ min: 0, max: TICKS_PER_DAY }), { maxLength: 40 })
        .map((ticks) => ticks.sort((a, b) => a - b).slice(0, ticks.length - (ticks.length % 2)));
      fc.assert(
        fc.property(dayArb, boundaries, fc.boolean(), ({ day, startMs }, ticks, reversed) => {
          const intervals: DowntimeInterval[] = [];
          let downTicks = 0;
          for (let index = 0; index < ticks.length; index += 2) {
            const [fromTick, toTick] = [ticks[index], ticks[index + 1]];
            downTicks += toTick - fromTick;
            intervals.push({
              startedAt: new Date(startMs + fromTick * MS_PER_TICK).toISOString(),
              endedAt: new Date(startMs + toTick * MS_PER_TICK),
            });
          }
          if (reversed) intervals.reverse();
          // In micro-hours: 24 h = 24e6, one tick = 10.
          assert.equal(uptimeHoursOn(day, intervals), (24_000_000 - 10 * downTicks) / 1e6);
        }),
      );
    });

    it("subtracts disjoint intervals of any length within the 1e-6 h rounding", () => {
      const boundaries = fc
        .uniqueArray(fc.integer({ min: 0, max: MS_PER_DAY }), { maxLength: 40 })
        .map((offsets) => offsets.sort((a, b) => a - b).slice(0, offsets.length - (offsets.length % 2)));
      fc.assert(
        fc.property(boundaries, (offsets) => {
          const intervals: DowntimeInterval[] = [];
          let downMs = 0;
          for (let index = 0; index < offsets.length; index += 2) {
            const [fromMs, toMs] = [offsets[index], offsets[index + 1]];
            downMs += toMs - fromMs;
            intervals.push({ startedAt: new Date(DAY_START_MS + fromMs), endedAt: new Date(DAY_START_MS + toMs) });
          }
          const exactHours = (MS_PER_DAY - downMs) / MS_PER_HOUR;
          assert.ok(Math.abs(uptimeHoursOn(DAY, intervals) - exactHours) <= 5e-7 + 1e-12);
        }),
      );
    });

    it("with a single label, puts all downtime of the day under that label", () => {
      fc.assert(
        fc.property(scenarioArb, ({ day, downtime, now }) => {
          const byLabel = downtimeHoursByLabel(
            day,
            downtime.map((interval) => ({ ...interval, label: "trip" })),
            now,
          );
          const downHours = byLabel.get("trip") ?? 0;
          // Each side is rounded on its own: they may differ by one micro-hour on an exact half.
          assert.ok(Math.abs(downHours + uptimeHoursOn(day, downtime, now) - 24) <= 1e-6 + 1e-9);
          assert.ok([...byLabel.keys()].every((label) => label === "trip"));
        }),
      );
    });
  });

  describe("uptimeHoursOn examples", () => {
    const now = new Date("2024-04-01T00:00:00Z");

    it("is 24 without downtime and subtracts a closed interval", () => {
      assert.equal(uptimeHoursOn(DAY, [], now), 24);
      assert.equal(uptimeHoursOn(DAY, [down(6, 8.5)], now), 21.5);
    });

    it("counts overlapping intervals once", () => {
      assert.equal(uptimeHoursOn(DAY, [down(6, 8), down(7, 9), down(7.5, 7.75)], now), 21);
    });

    it("clips intervals to the day", () => {
      assert.equal(uptimeHoursOn(DAY, [down(-2, 2)], now), 22);
      assert.equal(uptimeHoursOn(DAY, [down(22, 30)], now), 22);
      assert.equal(uptimeHoursOn(DAY, [down(-10, 40)], now), 0);
      assert.equal(uptimeHoursOn(DAY, [down(-10, -1), down(25, 26)], now), 24);
    });

    it("runs an open interval to now", () => {
      assert.equal(uptimeHoursOn(DAY, [down(20, null)], new Date(at(22))), 22);
      assert.equal(uptimeHoursOn(DAY, [down(20, null)], new Date(at(30))), 20);
      assert.equal(uptimeHoursOn(DAY, [down(-5, null)], new Date(at(3))), 21);
      // Started after now: has not happened yet.
      assert.equal(uptimeHoursOn(DAY, [down(20, null)], new Date(at(19))), 24);
    });

    it("reads offsets and Date objects", () => {
      const interval = { startedAt: "2024-03-10T08:00:00+02:00", endedAt: new Date("2024-03-10T07:00:00.000Z") };
      assert.equal(uptimeHoursOn(DAY, [interval], now), 23);
      assert.equal(uptimeHoursOn(DAY, [{ startedAt: "2024-03-09T23:30z", endedAt: "2024-03-10T00:30Z" }], now), 23.5);
    });

    it("rounds to the micro-hour, half up", () => {
      const downFor = (durationMs: number): DowntimeInterval[] => [
        { startedAt: new Date(DAY_START_MS), endedAt: new Date(DAY_START_MS + durationMs) },
      ];
      assert.equal(uptimeHoursOn(DAY, downFor(1), now), 24); // 0.28 µh
      assert.equal(uptimeHoursOn(DAY, downFor(2), now), 23.999999); // 0.56 µh
      assert.equal(uptimeHoursOn(DAY, downFor(MS_PER_HOUR / 3), now), 23.666667);
    });

    it("rejects days and timestamps it cannot read, naming the field", () => {
      expectInputError(() => uptimeHoursOn("2024-02-30", []), "day", /^day must be a calendar day YYYY-MM-DD, got "2024-02-30"$/);
      expectInputError(() => uptimeHoursOn("2024-3-1", []), "day", /calendar day/);
      expectInputError(
        () => uptimeHoursOn(DAY, [down(1, 2), { startedAt: "2024-03-10T06:00:00", endedAt: null }], now),
        "downtime[1].startedAt",
        /^downtime\[1\]\.startedAt must be an ISO 8601 timestamp with an offset/,
      );
      expectInputError(
        () => uptimeHoursOn(DAY, [{ startedAt: at(1), endedAt: "2024-02-30T00:00:00Z" }], now),
        "downtime[0].endedAt",
        /ISO 8601/,
      );
      expectInputError(
        () => uptimeHoursOn(DAY, [{ startedAt: new Date(Number.NaN), endedAt: null }], now),
        "downtime[0].startedAt",
        /ISO 8601/,
      );
      expectInputError(() => uptimeHoursOn(DAY, [down(1, 2), down(5, 4)], now), "downtime[1].endedAt", /must not be before startedAt/);
      expectInputError(() => uptimeHoursOn(DAY, [], new Date(Number.NaN)), "now", /^now must be/);
    });
  });

  describe("downtimeHoursByLabel", () => {
    it("merges overlaps within a label but counts them under each label, in label order", () => {
      const byLabel = downtimeHoursByLabel(
        DAY,
        [
          { ...down(7, 10), label: "pump" },
          { ...down(6, 8), label: "power" },
          { ...down(7, 9), label: "power" },
          { ...down(30, 31), label: "gas" },
        ],
        new Date(at(48)),
      );
      assert.deepEqual([...byLabel], [
        ["power", 3],
        ["pump", 3],
      ]);
      // 6..10 is four hours of downtime, but six hours by label: the overlap counts under both labels.
      assert.equal(uptimeHoursOn(DAY, [down(7, 10), down(6, 8), down(7, 9)], new Date(at(48))), 20);
    });

    it("clips to the day and runs open intervals to now", () => {
      const byLabel = downtimeHoursByLabel(DAY, [{ ...down(-3, 1.25), label: "a" }, { ...down(23, null), label: "b" }], new Date(at(23.5)));
      assert.deepEqual([...byLabel], [
        ["a", 1.25],
        ["b", 0.5],
      ]);
    });

    it("names the bad field", () => {
      expectInputError(
        () => downtimeHoursByLabel(DAY, [{ startedAt: "yesterday", endedAt: null, label: "x" }]),
        "downtime[0].startedAt",
        /ISO 8601/,
      );
      expectInputError(() => downtimeHoursByLabel("10/03/2024", []), "day", /calendar day/);
    });
  });

  describe("daysBetween", () => {
    it("lists UTC days inclusive, across month, leap day and year ends", () => {
      assert.deepEqual(daysBetween("2024-02-27", "2024-03-01"), ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01"]);
      assert.deepEqual(daysBetween("2023-12-31", "2024-01-01"), ["2023-12-31", "2024-01-01"]);
      assert.deepEqual(daysBetween(DAY, DAY), [DAY]);
      assert.equal(daysBetween("2024-01-01", "2024-12-31").length, 366);
    });

    it("rejects an end before the start and days that do not exist", () => {
      expectInputError(() => daysBetween("2024-03-02", "2024-03-01"), "end", /^end \(2024-03-01\) must not be before start \(2024-03-02\)$/);
      expectInputError(() => daysBetween("2023-02-29", "2023-03-01"), "start", /calendar day/);
      expectInputError(() => daysBetween("2023-03-01", "2023-03-01T00:00:00Z"), "end", /calendar day/);
    });
  });
});
