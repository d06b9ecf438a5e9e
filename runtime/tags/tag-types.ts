/**
 * Live tag values, as the design says: `{ v, q, t }` — value, quality,
 * source timestamp (epoch milliseconds, UTC). Shared by the runtime, the
 * nodes (through RED.settings.petroflow.tags) and the websocket protocol.
 */
export type TagQuality = "good" | "uncertain" | "bad";
export type TagScalar = number | boolean | string | null;

export interface TagValue {
  v: TagScalar;
  q: TagQuality;
  /** Source timestamp of the last change, epoch ms. */
  t: number;
  /**
   * Source timestamp of the latest report, epoch ms, when the value was
   * reported again unchanged after `t` (absent means `t`). A steady value
   * that the device keeps sending has an old `t` and a fresh `u`.
   */
  u?: number;
  /** Why the quality is not good (e.g. "timeout: no reply from 10.0.0.5:502 unit 1"). */
  reason?: string;
}

export interface TagWrite {
  v: TagScalar;
  q?: TagQuality;
  t?: number;
  reason?: string;
}

export interface TagUpdate {
  path: string;
  value: TagValue;
}

export interface SubscribeOptions {
  /**
   * Called when a value is reported again unchanged (only its `u` moves).
   * Changes go to the listener; most subscribers (historian, alarms) want
   * changes only and leave this out.
   */
  onRefresh?: (update: TagUpdate) => void;
}

/** The live tag store as nodes and services use it. */
export interface LiveTags {
  /** Writes one value; throws on a path that is not `<site>/<asset>/<point>`. */
  write(path: string, value: TagWrite, source?: string): void;
  writeMany(updates: readonly { path: string; value: TagWrite }[], source?: string): void;
  read(path: string): TagValue | undefined;
  /** Current values whose path matches an MQTT-style pattern (`+` one level, `#` the rest). */
  match(pattern: string): TagUpdate[];
  /** Calls listener on every change matching pattern; returns the unsubscribe function. */
  subscribe(pattern: string, listener: (update: TagUpdate) => void, options?: SubscribeOptions): () => void;
  /** Keeps the last values but marks them bad with a reason (a device that stopped answering). */
  markBad(paths: Iterable<string>, reason: string, t?: number): void;
}
