import assert from "node:assert/strict";
import { createPrng } from "../../../../simulator/model/prng.js";
import { SwingingDoor, type HistorySample } from "../../../../runtime/historian/swinging-door.js";

const HOUR_MS = 3_600_000;

/** The stored curve's value at t: straight lines between stored points. */
function reconstruct(stored: readonly HistorySample[], t: number): number {
  const after = stored.findIndex((point) => point.t >= t);
  assert.ok(after >= 0, `a stored point at or after ${t}`);
  const right = stored[after];
  if (right.t === t || after === 0) return right.v as number;
  const left = stored[after - 1];
  return (left.v as number) + (((right.v as number) - (left.v as number)) * (t - left.t)) / (right.t - left.t);
}

function compressAll(door: SwingingDoor, raw: readonly HistorySample[]): HistorySample[] {
  const stored = raw.flatMap((sample) => door.offer(sample));
  return [...stored, ...door.flush()];
}

/** A simulator-like signal: a level, noise, ramps up and down, a step. One sample a second. */
function noisyRamps(count: number, seed: number): HistorySample[] {
  const prng = createPrng(seed);
  const samples: HistorySample[] = [];
  let level = 1500;
  for (let i = 0; i < count; i++) {
    if (i % 600 < 200) level += 0.8;
    else if (i % 600 < 300) level -= 1.5;
    if (i === Math.floor(count / 2)) level += 250;
    samples.push({ t: 1_765_000_000_000 + i * 1000, v: level + (prng.next() - 0.5) * 4, q: "good" });
  }
  return samples;
}

describe("swinging-door compression", () => {
  it("keeps every raw sample of a noisy signal with ramps within the deviation of the stored curve", () => {
    for (const [seed, deviation] of [[1, 2.5], [2, 5], [3, 1.5]] as const) {
      const raw = noisyRamps(5000, seed);
      const stored = compressAll(new SwingingDoor({ deviation, maxIntervalMs: HOUR_MS }), raw);
      assert.ok(stored.length < raw.length / 2, `compressed (${stored.length} of ${raw.length} at deviation ${deviation})`);
      assert.deepEqual(stored[0], raw[0]);
      assert.deepEqual(stored.at(-1), raw.at(-1));
      for (const sample of raw) {
        const error = Math.abs(reconstruct(stored, sample.t) - (sample.v as number));
        assert.ok(error <= deviation * (1 + 1e-9), `sample at ${sample.t} is ${error} from the stored curve (deviation ${deviation})`);
      }
      for (let i = 1; i < stored.length; i++) assert.ok(stored[i].t > stored[i - 1].t, "stored in time order");
    }
  });

  it("stores a straight line as its two endpoints", () => {
    const raw = Array.from({ length: 1000 }, (_, i): HistorySample => ({ t: i * 1000, v: 20 + 0.37 * i, q: "good" }));
    const stored = compressAll(new SwingingDoor({ deviation: 0.01, maxIntervalMs: HOUR_MS }), raw);
    assert.deepEqual(stored, [raw[0], raw.at(-1)]);
  });

  it("stores every change at deviation 0", () => {
    const raw = noisyRamps(200, 4);
    assert.deepEqual(compressAll(new SwingingDoor({ deviation: 0, maxIntervalMs: HOUR_MS }), raw), raw);
  });

  it("stores a value at least every max interval, and a steady value again when its interval is up", () => {
    const door = new SwingingDoor({ deviation: 1, maxIntervalMs: 10_000 });
    const raw = Array.from({ length: 30 }, (_, i): HistorySample => ({ t: i * 1000, v: 5, q: "good" }));
    const stored = raw.flatMap((sample) => door.offer(sample));
    for (let i = 1; i < stored.length; i++) assert.ok(stored[i].t - stored[i - 1].t <= 10_000, "no gap over the max interval");
    assert.deepEqual(door.due(29_500), []);
    const steady = new SwingingDoor({ deviation: 1, maxIntervalMs: 10_000 });
    steady.offer({ t: 0, v: 5, q: "good" });
    assert.deepEqual(steady.due(9_999), []);
    assert.deepEqual(steady.due(10_000), [{ t: 10_000, v: 5, q: "good" }]);
  });

  it("always stores a quality change and non-numeric changes, with the value before them", () => {
    const door = new SwingingDoor({ deviation: 100, maxIntervalMs: HOUR_MS });
    assert.equal(door.offer({ t: 0, v: 1, q: "good" }).length, 1);
    assert.deepEqual(door.offer({ t: 1000, v: 2, q: "good" }), []);
    assert.deepEqual(door.offer({ t: 2000, v: 2, q: "bad" }), [
      { t: 1000, v: 2, q: "good" },
      { t: 2000, v: 2, q: "bad" },
    ]);
    const flags = new SwingingDoor({ deviation: 100, maxIntervalMs: HOUR_MS });
    const states = [true, false, true, false].map((v, i): HistorySample => ({ t: i * 1000, v, q: "good" }));
    assert.deepEqual(states.flatMap((sample) => flags.offer(sample)), states);
  });

  it("stores late and out-of-order values as they are, leaving the door alone", () => {
    const door = new SwingingDoor({ deviation: 1, maxIntervalMs: HOUR_MS });
    door.offer({ t: 10_000, v: 1, q: "good" });
    door.offer({ t: 11_000, v: 1.1, q: "good" });
    assert.deepEqual(door.offer({ t: 5_000, v: 99, q: "uncertain" }), [{ t: 5_000, v: 99, q: "uncertain" }]);
    assert.deepEqual(door.offer({ t: 12_000, v: 1.2, q: "good" }), []);
    assert.deepEqual(door.flush(), [{ t: 12_000, v: 1.2, q: "good" }]);
  });
});
