import { assertTagPath, compilePattern } from "./tag-path.js";
import type { LiveTags, SubscribeOptions, TagUpdate, TagValue, TagWrite } from "./tag-types.js";

interface Subscription {
  matches: (path: string) => boolean;
  listener: (update: TagUpdate) => void;
  onRefresh: ((update: TagUpdate) => void) | undefined;
}

export interface TagStoreOptions {
  /** Deadband of a registered tag: a numeric change smaller than this (same quality) is not a change. */
  deadbandOf?: (path: string) => number | undefined;
  /** Listener failures are reported here rather than breaking the writer. */
  onListenerError?: (error: unknown, path: string) => void;
  now?: () => number;
}

function sameValue(previous: TagValue, next: TagValue, deadband: number | undefined): boolean {
  if (previous.q !== next.q || previous.reason !== next.reason) return false;
  if (typeof previous.v === "number" && typeof next.v === "number" && deadband !== undefined && deadband > 0) {
    return Math.abs(previous.v - next.v) < deadband;
  }
  return Object.is(previous.v, next.v);
}

/**
 * The current value of every tag, in memory, with subscriptions by pattern.
 * A write that does not change the value (or stays inside the deadband)
 * notifies no change listener, so subscribers see changes, not polls; it
 * moves the value's update time `u`, which refresh listeners hear about.
 */
export class TagStore implements LiveTags {
  private readonly values = new Map<string, TagValue>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly now: () => number;

  constructor(private readonly options: TagStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  write(path: string, value: TagWrite, _source?: string): void {
    assertTagPath(path);
    const next: TagValue = { v: value.v, q: value.q ?? "good", t: value.t ?? this.now() };
    if (value.reason !== undefined && next.q !== "good") next.reason = value.reason;
    const previous = this.values.get(path);
    if (previous && sameValue(previous, next, this.options.deadbandOf?.(path))) {
      this.refresh(path, previous, next.t);
      return;
    }
    this.values.set(path, next);
    this.notify({ path, value: next }, false);
  }

  /** The same value reported again at `reportedAt`: only its update time moves (never back). */
  private refresh(path: string, previous: TagValue, reportedAt: number): void {
    if (reportedAt <= (previous.u ?? previous.t)) return;
    const refreshed: TagValue = { ...previous, u: reportedAt };
    this.values.set(path, refreshed);
    this.notify({ path, value: refreshed }, true);
  }

  writeMany(updates: readonly { path: string; value: TagWrite }[], source?: string): void {
    for (const update of updates) this.write(update.path, update.value, source);
  }

  read(path: string): TagValue | undefined {
    return this.values.get(path);
  }

  match(pattern: string): TagUpdate[] {
    const matches = compilePattern(pattern);
    const found: TagUpdate[] = [];
    for (const [path, value] of this.values) if (matches(path)) found.push({ path, value });
    return found;
  }

  subscribe(pattern: string, listener: (update: TagUpdate) => void, options: SubscribeOptions = {}): () => void {
    const subscription: Subscription = { matches: compilePattern(pattern), listener, onRefresh: options.onRefresh };
    this.subscriptions.add(subscription);
    return () => {
      this.subscriptions.delete(subscription);
    };
  }

  markBad(paths: Iterable<string>, reason: string, t: number = this.now()): void {
    for (const path of paths) {
      const previous = this.values.get(path);
      this.write(path, { v: previous?.v ?? null, q: "bad", t, reason });
    }
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  get size(): number {
    return this.values.size;
  }

  private notify(update: TagUpdate, refresh: boolean): void {
    for (const subscription of this.subscriptions) {
      const listener = refresh ? subscription.onRefresh : subscription.listener;
      if (listener === undefined || !subscription.matches(update.path)) continue;
      try {
        listener(update);
      } catch (error) {
        this.options.onListenerError?.(error, update.path);
      }
    }
  }
}
