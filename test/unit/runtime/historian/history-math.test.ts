import assert from "node:assert/strict";
import {
  aggregateSamples,
  alignRange,
  combineBuckets,
  interpolateAt,
  niceBucketMs,
  summarizeDiscrete,
  toHistoryBucket,
  type NumericSample,
} from "../../../../runtime/historian/history-math.js";
import type { HistoryPoint } from "../../../../runtime/historian/history-types.js";

const MIN = 60_000;
const HOUR = 3_600_000;

/** Equal within floating-point noise: sums in a different order differ in the last bits. */
function near(actual: number | null, expected: number | null, message?: string): void {
  if (actual === null || expected === null) return assert.equal(actual, expected, message);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${message ?? ""} ${actual} ≉ ${expected}`);
}

describe("history math: buckets from samples", () => {
  // Held 10 from before the range; 20 at 15 s; a bad sample at 45 s; 40 at 75 s.
  const samples: NumericSample[] = [
    { t: 15_000, v: 20 },
    { t: 45_000, v: null },
    { t: 75_000, v: 40 },
  ];

  it("holds each value to the next sample, leaves bad time out and starts a bucket with the held value", () => {
    const [first, second] = aggregateSamples(samples, 10, 0, 2 * MIN, MIN);
    // 10 × 15 s + 20 × 30 s, bad for the last 15 s.
    assert.deepEqual(first, { start: 0, count: 1, min: 20, max: 20, sum: 20, firstT: 15_000, first: 20, lastT: 15_000, last: 20, integral: 750_000, coveredMs: 45_000, endValue: null });
    // Unknown until 75 s, then 40 for 45 s.
    assert.deepEqual(second, { start: MIN, count: 1, min: 40, max: 40, sum: 40, firstT: 75_000, first: 40, lastT: 75_000, last: 40, integral: 1_800_000, coveredMs: 45_000, endValue: 40 });
    assert.deepEqual(toHistoryBucket(first), { t: 0, count: 1, min: 20, max: 20, avg: 20, twa: 750_000 / 45_000, first: 20, last: 20 });
  });

  it("combines minutes into a longer bucket: counts add, TWA over the known time", () => {
    const minutes = aggregateSamples(samples, 10, 0, 2 * MIN, MIN);
    const [both] = combineBuckets(minutes, 10, 0, 2 * MIN, MIN, 2 * MIN).map(toHistoryBucket);
    assert.deepEqual(both, { t: 0, count: 2, min: 20, max: 40, avg: 30, twa: 2_550_000 / 90_000, first: 20, last: 40 });
  });

  const gapCases: { name: string; parts: NumericSample[]; held: number | null; twa: number | null; count: number }[] = [
    { name: "a value held across minutes with no sample", parts: [{ t: 0, v: 5 }], held: null, twa: 5, count: 1 },
    { name: "a held value from before the range, no sample in it", parts: [], held: 7, twa: 7, count: 0 },
    { name: "nothing known", parts: [], held: null, twa: null, count: 0 },
    { name: "a bad value held across the gap", parts: [{ t: 0, v: 5 }, { t: 30_000, v: null }], held: null, twa: 5, count: 1 },
  ];
  for (const { name, parts, held, twa, count } of gapCases) {
    it(`fills buckets without rows: ${name}`, () => {
      const minutes = aggregateSamples(parts, held, 0, 3 * MIN, MIN);
      const [bucket] = combineBuckets(minutes, held, 0, 3 * MIN, MIN, 3 * MIN).map(toHistoryBucket);
      assert.equal(bucket.count, count);
      near(bucket.twa, twa, name);
    });
  }

  it("gives every bucket of the range, empty ones with only their held value", () => {
    const buckets = combineBuckets(aggregateSamples([{ t: MIN + 1, v: 3 }], null, 0, 3 * MIN, MIN), null, 0, 3 * MIN, MIN, MIN).map(toHistoryBucket);
    assert.deepEqual(
      buckets.map((bucket) => [bucket.t, bucket.count, bucket.twa]),
      [
        [0, 0, null],
        [MIN, 1, 3],
        [2 * MIN, 0, 3],
      ],
    );
  });

  it("hours from minute buckets equal hours straight from the samples (seeded random signal with gaps and bad values)", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const signal: NumericSample[] = [];
    for (let t = 0; t < 5 * HOUR; t += Math.floor(random() * 600_000)) signal.push({ t, v: random() < 0.1 ? null : Math.round(random() * 1000) / 10 });
    const direct = combineBuckets(aggregateSamples(signal, 1, 0, 5 * HOUR, HOUR), 1, 0, 5 * HOUR, HOUR, HOUR).map(toHistoryBucket);
    const minutes = aggregateSamples(signal, 1, 0, 5 * HOUR, MIN);
    const viaMinutes = combineBuckets(minutes, 1, 0, 5 * HOUR, MIN, HOUR).map(toHistoryBucket);
    assert.equal(viaMinutes.length, 5);
    viaMinutes.forEach((bucket, index) => {
      const expected = direct[index];
      assert.equal(bucket.count, expected.count);
      assert.deepEqual([bucket.min, bucket.max, bucket.first, bucket.last], [expected.min, expected.max, expected.first, expected.last]);
      near(bucket.avg, expected.avg, "avg");
      near(bucket.twa, expected.twa, "twa");
    });
  });
});

describe("history math: bucket lengths", () => {
  const cases: { span: [number, number]; points: number; bucketMs: number }[] = [
    { span: [0, 30 * 24 * HOUR], points: 1000, bucketMs: HOUR },
    { span: [0, HOUR], points: 1000, bucketMs: 5_000 },
    { span: [0, HOUR], points: 60, bucketMs: MIN },
    { span: [0, HOUR], points: 59, bucketMs: 2 * MIN },
    { span: [0, 365 * 24 * HOUR], points: 100, bucketMs: 4 * 24 * HOUR },
  ];
  for (const { span, points, bucketMs } of cases) {
    it(`${(span[1] - span[0]) / HOUR} h in at most ${points} points: buckets of ${bucketMs / 1000} s`, () => {
      assert.equal(niceBucketMs(span[0], span[1], points), bucketMs);
    });
  }

  it("widens a range to whole buckets", () => {
    assert.deepEqual(alignRange(90_000, 150_001, MIN), { from: MIN, to: 3 * MIN });
  });
});

describe("history math: interpolation", () => {
  const at = (t: number, v: HistoryPoint["v"], q: HistoryPoint["q"] = "good"): HistoryPoint => ({ t, v, q });
  const cases: { name: string; before: HistoryPoint | null; after: HistoryPoint | null; linear: boolean; expected: Pick<HistoryPoint, "v" | "q"> }[] = [
    { name: "linear between two good numbers", before: at(0, 10), after: at(100, 20), linear: true, expected: { v: 12.5, q: "good" } },
    { name: "linear takes the worse quality", before: at(0, 10), after: at(100, 20, "uncertain"), linear: true, expected: { v: 12.5, q: "uncertain" } },
    { name: "a discrete tag keeps the previous value", before: at(0, 10), after: at(100, 20), linear: false, expected: { v: 10, q: "good" } },
    { name: "a bad neighbour: the value in force", before: at(0, 10), after: at(100, null, "bad"), linear: true, expected: { v: 10, q: "good" } },
    { name: "after the last sample: held", before: at(0, 10), after: null, linear: true, expected: { v: 10, q: "good" } },
    { name: "before the first sample: nothing", before: null, after: at(100, 20), linear: true, expected: { v: null, q: "bad" } },
    { name: "a state keeps its text", before: at(0, "RUN"), after: at(100, "STOP"), linear: false, expected: { v: "RUN", q: "good" } },
  ];
  for (const { name, before, after, linear, expected } of cases) {
    it(name, () => {
      assert.deepEqual(interpolateAt(25, before, after, linear), { t: 25, ...expected });
    });
  }
});

describe("history math: discrete summary", () => {
  // Off before the range; on at 2 s, off at 5 s, bad at 6 s, on at 7 s; range [0, 10 s).
  const samples: HistoryPoint[] = [
    { t: 2_000, v: true, q: "good" },
    { t: 5_000, v: false, q: "good" },
    { t: 6_000, v: null, q: "bad" },
    { t: 7_000, v: true, q: "good" },
  ];
  const atFrom: HistoryPoint = { t: -1_000, v: false, q: "good" };

  it("counts time in each state, transitions (also across a bad stretch) and known time", () => {
    assert.deepEqual(summarizeDiscrete(samples, atFrom, 0, 10_000, 1e12), {
      from: 0,
      to: 10_000,
      durationMsByState: { false: 3_000, true: 6_000 },
      transitions: 3,
      transitionsIntoState: { true: 2, false: 1 },
      knownDurationMs: 9_000,
    });
  });

  it("counts no time after the present", () => {
    const summary = summarizeDiscrete(samples, atFrom, 0, 10_000, 8_000);
    assert.deepEqual(summary.durationMsByState, { false: 3_000, true: 4_000 });
    assert.equal(summary.knownDurationMs, 7_000);
  });

  it("knows nothing before the first sample and counts no transition into the first known state", () => {
    const summary = summarizeDiscrete(samples, null, 0, 10_000, 1e12);
    assert.deepEqual(summary.durationMsByState, { true: 6_000, false: 1_000 });
    assert.equal(summary.transitions, 2);
  });
});
