/**
 * The /api/v1/live websocket protocol and the pure bookkeeping around it:
 * pattern matching, coalescing bursts of updates and merging them into the
 * values a subscription holds. Kept free of the socket so it can be tested.
 */
export type Quality = 'good' | 'uncertain' | 'bad';
export type LiveScalar = number | boolean | string | null;

export interface LiveValue {
  v: LiveScalar;
  q: Quality;
  /** Source timestamp of the last change, epoch ms. */
  t: number;
  /** Source timestamp of the latest report when the value was re-sent unchanged after `t`; absent means `t`. */
  u?: number;
  /** Why the quality is not good. */
  reason?: string;
}

/** A tag value as it travels on the socket (docs/decisions.md, "Tag values on the wire"). */
export interface WireTag {
  p: string;
  v: LiveScalar;
  q: Quality;
  t: number;
  u?: number;
  r?: string;
}

export type ServerMessage =
  | { type: 'snapshot'; id: string; tags: WireTag[] }
  | { type: 'update'; tags: WireTag[] }
  | { type: 'error'; message: string };

export type ClientMessage =
  | { type: 'subscribe'; id: string; patterns: string[]; maxRateHz: number }
  | { type: 'unsubscribe'; id: string };

export type LiveValues = ReadonlyMap<string, LiveValue>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isQuality(value: unknown): value is Quality {
  return value === 'good' || value === 'uncertain' || value === 'bad';
}

function isScalar(value: unknown): value is LiveScalar {
  return value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string';
}

function toWireTag(value: unknown): WireTag | null {
  if (!isRecord(value)) return null;
  const { p, v, q, t, u, r } = value;
  if (typeof p !== 'string' || !isScalar(v) || !isQuality(q) || typeof t !== 'number') return null;
  const tag: WireTag = { p, v, q, t };
  // An update time that is not a number is not worth losing the value for.
  if (typeof u === 'number') tag.u = u;
  if (typeof r === 'string') tag.r = r;
  return tag;
}

function toWireTags(value: unknown): WireTag[] | null {
  if (!Array.isArray(value)) return null;
  // One malformed entry should not cost the operator every other value in the frame.
  return value.map(toWireTag).filter((tag): tag is WireTag => tag !== null);
}

/** The message, or null for anything that is not part of the protocol. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== 'string') return null;
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isRecord(message)) return null;
  if (message.type === 'error') {
    return typeof message.message === 'string' ? { type: 'error', message: message.message } : null;
  }
  const tags = toWireTags(message.tags);
  if (tags === null) return null;
  if (message.type === 'update') return { type: 'update', tags };
  if (message.type === 'snapshot' && typeof message.id === 'string') return { type: 'snapshot', id: message.id, tags };
  return null;
}

/**
 * MQTT-style matching as the server does it: `+` is one level, a final `#`
 * is the rest (including nothing); anything else must be equal.
 */
export function matchesPattern(pattern: string, path: string): boolean {
  const levels = pattern.split('/');
  const parts = path.split('/');
  for (let index = 0; index < levels.length; index++) {
    const level = levels[index];
    if (level === '#') return index === levels.length - 1;
    if (index >= parts.length) return false;
    if (level !== '+' && level !== parts[index]) return false;
  }
  return parts.length === levels.length;
}

interface CompiledPatterns {
  exact: ReadonlySet<string>;
  wildcards: readonly string[];
}

// A subscription's patterns are one array for its life; compiled once, a
// screen of 200 wells (800 exact paths) matches an update by one set lookup
// instead of 800 comparisons.
const compiledPatterns = new WeakMap<readonly string[], CompiledPatterns>();

function compiled(patterns: readonly string[]): CompiledPatterns {
  let found = compiledPatterns.get(patterns);
  if (found === undefined) {
    const wild = (pattern: string) => pattern.split('/').some((level) => level === '+' || level === '#');
    found = { exact: new Set(patterns.filter((pattern) => !wild(pattern))), wildcards: patterns.filter(wild) };
    compiledPatterns.set(patterns, found);
  }
  return found;
}

export function matchesAny(patterns: readonly string[], path: string): boolean {
  const { exact, wildcards } = compiled(patterns);
  return exact.has(path) || wildcards.some((pattern) => matchesPattern(pattern, path));
}

/**
 * One identity for a set of patterns regardless of order or repeats, so two
 * screens asking for the same tags share one server subscription.
 */
export function patternKey(patterns: readonly string[]): string {
  return [...new Set(patterns)].sort().join('\n');
}

export function patternsOf(key: string): string[] {
  return key === '' ? [] : key.split('\n');
}

export function toLiveValue(tag: WireTag): LiveValue {
  const value: LiveValue = { v: tag.v, q: tag.q, t: tag.t };
  if (tag.u !== undefined) value.u = tag.u;
  if (tag.r !== undefined) value.reason = tag.r;
  return value;
}

/**
 * Folds a message's tags into the pending batch: only the last value per tag
 * survives until the next paint, however many frames arrived in between.
 */
export function coalesce(pending: Map<string, WireTag>, tags: readonly WireTag[]): void {
  for (const tag of tags) pending.set(tag.p, tag);
}

// A refresh (only `u` moved) counts: the screen shows when the value was last reported.
function sameValue(a: LiveValue, b: WireTag): boolean {
  return a.v === b.v && a.q === b.q && a.t === b.t && a.u === b.u && a.reason === b.r;
}

/**
 * The subscription's values after a batch of updates. Returns `current`
 * itself when nothing it holds changed, so React skips the render.
 */
export function mergeUpdates(
  current: LiveValues,
  batch: Iterable<WireTag>,
  patterns: readonly string[],
): LiveValues {
  let next: Map<string, LiveValue> | null = null;
  for (const tag of batch) {
    if (!matchesAny(patterns, tag.p)) continue;
    const previous = current.get(tag.p);
    if (previous !== undefined && sameValue(previous, tag)) continue;
    next ??= new Map(current);
    next.set(tag.p, toLiveValue(tag));
  }
  return next ?? current;
}

/** A snapshot is the whole truth for its subscription: tags it omits are gone. */
export function snapshotValues(tags: readonly WireTag[], patterns: readonly string[]): LiveValues {
  return new Map(tags.filter((tag) => matchesAny(patterns, tag.p)).map((tag) => [tag.p, toLiveValue(tag)]));
}

/**
 * Whichever of two readings of one tag is newer by source time; the second
 * wins a tie because callers pass the fresher channel (the socket) second.
 */
export function newerValue(a: LiveValue | null | undefined, b: LiveValue | null | undefined): LiveValue | null {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return b.t >= a.t ? b : a;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/**
 * Exponential backoff with full jitter, so that a restarted edge server is not
 * hit by every open browser in the same instant.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.round(BASE_DELAY_MS / 2 + random() * (ceiling - BASE_DELAY_MS / 2));
}
