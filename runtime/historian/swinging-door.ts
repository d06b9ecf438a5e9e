import type { TagQuality, TagScalar } from "../tags/tag-types.js";

/** One value as the historian stores it: source time (epoch ms), value, quality. */
export interface HistorySample {
  t: number;
  v: TagScalar;
  q: TagQuality;
}

export interface CompressionPolicy {
  /** Largest distance, in the tag's unit, between a raw value and the stored curve; 0 stores every change. */
  deviation: number;
  /** Longest time between two stored values. */
  maxIntervalMs: number;
}

/**
 * Swinging-door compression of one tag's changes (pure; one per tag).
 *
 * The stored curve is the stored points joined by straight lines. A value
 * is left out only when the line from the last stored point to a later
 * value passes within `deviation` of it (and of every other value left out
 * since): the door is the set of slopes that still do, narrowed by each
 * value held back. Checking the candidate line against every held value,
 * rather than the classic "slopes crossed" test, makes the bound exact: no
 * raw value is ever further than `deviation` from the stored curve.
 *
 * Always stored: a quality change, a value that is not a finite number
 * (bool, string, null), the first value, and one at least every
 * `maxIntervalMs`. A value older than the compressor's last one (late,
 * out of order) is stored as it is and leaves the door alone.
 */
export class SwingingDoor {
  /** The last stored point: the door's hinge. */
  private archived: HistorySample | null = null;
  /** The latest value received and not stored yet: the end of the current line. */
  private held: HistorySample | null = null;
  /** Slopes (units per ms) from the hinge that keep every value held back since within the deviation. */
  private lowSlope = -Infinity;
  private highSlope = Infinity;

  constructor(readonly policy: CompressionPolicy) {}

  /** The values to store now, oldest first (none, one or two). */
  offer(sample: HistorySample): HistorySample[] {
    const last = this.held ?? this.archived;
    if (last && sample.t <= last.t) return sample.t === last.t && sameSample(sample, last) ? [] : [sample];
    if (!this.archived || !compressible(sample) || !compressible(this.archived) || sample.q !== this.archived.q || this.policy.deviation <= 0) {
      return this.storeWithHeld(sample);
    }
    if (sample.t - this.archived.t >= this.policy.maxIntervalMs) return this.storeWithHeld(sample);
    if (this.held && !this.fits(sample)) {
      // The line to this value would leave a held-back value outside the deviation: the held value becomes the new hinge.
      const stored = this.held;
      this.archive(stored);
      this.hold(sample);
      return [stored];
    }
    this.hold(sample);
    return [];
  }

  /**
   * For a timer: when the last stored value is `maxIntervalMs` old, the held
   * value is stored, or, when nothing is held (the value has not changed),
   * the current value again at `nowMs`, so a steady tag still shows.
   */
  due(nowMs: number): HistorySample[] {
    if (!this.archived || nowMs - this.archived.t < this.policy.maxIntervalMs) return [];
    if (this.held) {
      const stored = this.held;
      this.archive(stored);
      return [stored];
    }
    const repeated = { ...this.archived, t: nowMs };
    this.archive(repeated);
    return [repeated];
  }

  /** The held value, stored (shutdown): the stored curve then ends at the last value received. */
  flush(): HistorySample[] {
    if (!this.held) return [];
    const stored = this.held;
    this.archive(stored);
    return [stored];
  }

  private storeWithHeld(sample: HistorySample): HistorySample[] {
    const stored = this.held ? [this.held, sample] : [sample];
    this.archive(sample);
    return stored;
  }

  private archive(sample: HistorySample): void {
    this.archived = sample;
    this.held = null;
    this.lowSlope = -Infinity;
    this.highSlope = Infinity;
  }

  /** Whether the line from the hinge to `sample` passes within the deviation of every held-back value. */
  private fits(sample: HistorySample): boolean {
    const hinge = this.archived!;
    const slope = ((sample.v as number) - (hinge.v as number)) / (sample.t - hinge.t);
    const [low, high] = this.narrowed();
    return slope >= low && slope <= high;
  }

  /** The door once the held value is held back too (it is when a later value ends the line). */
  private narrowed(): [number, number] {
    const hinge = this.archived!;
    if (!this.held) return [this.lowSlope, this.highSlope];
    const dt = this.held.t - hinge.t;
    const dv = (this.held.v as number) - (hinge.v as number);
    return [Math.max(this.lowSlope, (dv - this.policy.deviation) / dt), Math.min(this.highSlope, (dv + this.policy.deviation) / dt)];
  }

  /** `sample` becomes the end of the line; the previous end (if any) is now held back and narrows the door. */
  private hold(sample: HistorySample): void {
    [this.lowSlope, this.highSlope] = this.narrowed();
    this.held = sample;
  }
}

function compressible(sample: HistorySample): boolean {
  return typeof sample.v === "number" && Number.isFinite(sample.v);
}

function sameSample(a: HistorySample, b: HistorySample): boolean {
  return Object.is(a.v, b.v) && a.q === b.q;
}
