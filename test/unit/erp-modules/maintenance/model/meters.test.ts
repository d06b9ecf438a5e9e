import assert from "node:assert/strict";
import fc from "fast-check";
import { forecastDue, runHours, starts, throughput, usagePerDay, type MeterSample } from "../../../../../erp-modules/maintenance/model/meters.js";

const H = 3_600_000;
const DAY = 86_400_000;
const good = (t: number, v: MeterSample["v"]): MeterSample => ({ t, v, q: "good" });

describe("maintenance meters from tag history", () => {
  describe("runHours", () => {
    it("counts the time a running tag held true (hand-computed: on 0-2 h, off 2-3 h, on 3-4 h = 3 h)", () => {
      const samples = [good(0, true), good(2 * H, false), good(3 * H, true)];
      assert.equal(runHours(samples, { from: 0, to: 4 * H, maxHoldMs: 10 * H }), 3);
    });

    it("counts a gap only up to the hold limit (on at 0, next sample at 5 h, hold 1 h: 1 h)", () => {
      const samples = [good(0, true), good(5 * H, false)];
      assert.equal(runHours(samples, { from: 0, to: 6 * H, maxHoldMs: H }), 1);
    });

    it("counts nothing while the quality is bad, and the bad sample ends the hold before it (on 0-1 h, bad 1-2 h, on 2-3 h = 2 h)", () => {
      const samples: MeterSample[] = [good(0, true), { t: H, v: true, q: "bad" }, good(2 * H, 1)];
      assert.equal(runHours(samples, { from: 0, to: 3 * H, maxHoldMs: 10 * H }), 2);
    });

    it("clips to the window, holding a sample from before it (on from -1 h, window 0-2 h = 2 h)", () => {
      assert.equal(runHours([good(-H, true)], { from: 0, to: 2 * H, maxHoldMs: 10 * H }), 2);
    });

    it("never exceeds the window length and never goes negative (property)", () => {
      fc.assert(
        fc.property(
          fc.array(fc.record({ t: fc.integer({ min: 0, max: 100 * H }), v: fc.boolean(), q: fc.constantFrom("good" as const, "bad" as const, "uncertain" as const) })),
          fc.integer({ min: 1, max: 100 * H }),
          (samples, hold) => {
            const hours = runHours(samples, { from: 0, to: 100 * H, maxHoldMs: hold });
            assert.ok(hours >= 0 && hours <= 100 + 1e-9, String(hours));
          },
        ),
      );
    });

    it("adds up over adjacent windows (property: [a,b) + [b,c) = [a,c))", () => {
      fc.assert(
        fc.property(fc.array(fc.record({ t: fc.integer({ min: 0, max: 50 * H }), v: fc.boolean(), q: fc.constant("good" as const) })), fc.integer({ min: 0, max: 50 * H }), (samples, split) => {
          const whole = runHours(samples, { from: 0, to: 50 * H, maxHoldMs: 3 * H });
          const parts = runHours(samples, { from: 0, to: split, maxHoldMs: 3 * H }) + runHours(samples, { from: split, to: 50 * H, maxHoldMs: 3 * H });
          assert.ok(Math.abs(whole - parts) < 1e-9, `${whole} vs ${parts}`);
        }),
      );
    });
  });

  describe("starts", () => {
    it("counts rising edges, not the first known state (on, off, on, on, off, on = 2 starts)", () => {
      const samples = [good(0, true), good(1, false), good(2, true), good(3, true), good(4, false), good(5, true)];
      assert.equal(starts(samples, { from: 0, to: 10 }), 2);
    });

    it("skips bad samples and counts only edges inside the window", () => {
      const samples: MeterSample[] = [good(0, false), { t: 1, v: true, q: "bad" }, good(2, true), good(3, false), good(20, true)];
      assert.equal(starts(samples, { from: 0, to: 10 }), 1);
    });

    it("never counts more starts than on-samples (property)", () => {
      fc.assert(
        fc.property(fc.array(fc.record({ t: fc.integer({ min: 0, max: 1000 }), v: fc.boolean(), q: fc.constant("good" as const) })), (samples) => {
          assert.ok(starts(samples, { from: 0, to: 1001 }) <= samples.filter((sample) => sample.v).length);
        }),
      );
    });
  });

  describe("throughput", () => {
    it("integrates a rate per day as steps (hand-computed: 100 m3/d for 12 h, then 50 m3/d for 12 h = 75 m3)", () => {
      const samples = [good(0, 100), good(12 * H, 50)];
      assert.equal(throughput(samples, { from: 0, to: DAY, maxHoldMs: DAY }), 75);
    });

    it("counts negative rates as zero", () => {
      assert.equal(throughput([good(0, -10)], { from: 0, to: DAY, maxHoldMs: DAY }), 0);
    });

    it("a constant rate gives rate x days within the hold (property)", () => {
      fc.assert(
        fc.property(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.integer({ min: 1, max: 10 }), (rate, days) => {
          const total = throughput([good(0, rate)], { from: 0, to: days * DAY, maxHoldMs: days * DAY });
          assert.ok(Math.abs(total - rate * days) <= 1e-9 * Math.max(1, rate * days));
        }),
      );
    });
  });

  describe("forecastDue", () => {
    it("projects the remaining amount at the usage rate (hand-computed: 900 of 1000 h at 20 h/d = 5 days)", () => {
      assert.equal(forecastDue(900, 1000, 20, 0), 5 * DAY);
    });

    it("is now once reached and null without usage", () => {
      assert.equal(forecastDue(1000, 1000, 20, 7), 7);
      assert.equal(forecastDue(10, 1000, 0, 7), null);
    });

    it("usage per day is the amount over the window's days (48 h over 2 days = 24/d)", () => {
      assert.equal(usagePerDay(48, { from: 0, to: 2 * DAY }), 24);
    });
  });
});
