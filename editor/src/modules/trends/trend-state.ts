import type { TrendPen, TrendPreset, TrendRange } from '../../api/trend-views';

/**
 * What a Trends screen shows, as the URL holds it (so a trend can be
 * bookmarked, shared and opened from elsewhere, e.g. a well's faceplate):
 * `?pen=<path>~<axis>&pen=...&range=7d` or `&from=<ISO>&to=<ISO>`, `&live=1`,
 * `&view=<saved view id>`. Pure, so it is unit-tested without a browser.
 */

/** The same list as runtime/trend-views/schema.ts (the web app does not bundle the server's schema code). */
export const TREND_PRESETS = ['1h', '8h', '24h', '7d', '30d'] as const satisfies readonly TrendPreset[];
export const MAX_TREND_PENS = 8;

const HOUR_MS = 3_600_000;
export const PRESET_MS: Record<TrendPreset, number> = {
  '1h': HOUR_MS,
  '8h': 8 * HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
  '30d': 30 * 24 * HOUR_MS,
};

/** The narrowest window a zoom may reach: below it the chart shows single samples spread over the whole width. */
export const MIN_WINDOW_MS = 60_000;

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface TrendState {
  pens: TrendPen[];
  range: TrendRange;
  live: boolean;
  viewId: string | null;
}

export const DEFAULT_RANGE: TrendRange = { kind: 'preset', preset: '24h' };

export function isPreset(value: unknown): value is TrendPreset {
  return TREND_PRESETS.some((preset) => preset === value);
}

/** The window a range covers: a preset ends now. */
export function windowOf(range: TrendRange, nowMs: number): TimeWindow {
  if (range.kind === 'preset') return { fromMs: nowMs - PRESET_MS[range.preset], toMs: nowMs };
  return { fromMs: Date.parse(range.from), toMs: Date.parse(range.to) };
}

export function absoluteRange(window: TimeWindow): TrendRange {
  return { kind: 'absolute', from: new Date(Math.round(window.fromMs)).toISOString(), to: new Date(Math.round(window.toMs)).toISOString() };
}

/**
 * How many points to ask the server for: about one per CSS pixel of plot,
 * so the server serves long ranges from its rollups and a short one raw.
 * Rounded to 50 so a scrollbar coming and going does not refetch; bounded
 * by the API's limits (1..10000) and by a floor that keeps a narrow chart
 * (a phone, a faceplate) readable.
 */
export function pointsForWidth(widthPx: number): number {
  if (!Number.isFinite(widthPx) || widthPx <= 0) return 200;
  return Math.min(10_000, Math.max(100, Math.round(widthPx / 50) * 50));
}

/** The bucket length the server will choose for `points` over a window, rounded up to whole seconds (its minimum is 1 s). */
export function bucketMsFor(window: TimeWindow, points: number): number {
  return Math.max(1000, Math.ceil((window.toMs - window.fromMs) / Math.max(1, points) / 1000) * 1000);
}

/** The window moved by a fraction of its width (negative: back in time), for the pan buttons. */
export function panWindow(window: TimeWindow, fraction: number): TimeWindow {
  const shift = (window.toMs - window.fromMs) * fraction;
  return { fromMs: window.fromMs + shift, toMs: window.toMs + shift };
}

/** The window scaled around its centre (factor 2: twice as long), never narrower than MIN_WINDOW_MS. */
export function zoomWindow(window: TimeWindow, factor: number): TimeWindow {
  const centre = (window.fromMs + window.toMs) / 2;
  const half = Math.max(MIN_WINDOW_MS, (window.toMs - window.fromMs) * factor) / 2;
  return { fromMs: centre - half, toMs: centre + half };
}

/** A drag-selected window, widened to MIN_WINDOW_MS around its centre when the drag was tiny. */
export function selectedWindow(fromMs: number, toMs: number): TimeWindow {
  const [low, high] = fromMs <= toMs ? [fromMs, toMs] : [toMs, fromMs];
  return high - low >= MIN_WINDOW_MS ? { fromMs: low, toMs: high } : zoomWindow({ fromMs: low, toMs: high }, 1);
}

const PEN_SEPARATOR = '~';

/** The URL query of a trend: what the Trends screen reads back with trendStateFromParams. */
export function trendStateToParams(state: TrendState): URLSearchParams {
  const params = new URLSearchParams();
  for (const pen of state.pens) params.append('pen', `${pen.path}${PEN_SEPARATOR}${pen.axis}`);
  if (state.range.kind === 'preset') params.set('range', state.range.preset);
  else {
    params.set('from', state.range.from);
    params.set('to', state.range.to);
  }
  if (state.live) params.set('live', '1');
  if (state.viewId !== null) params.set('view', state.viewId);
  return params;
}

function penOf(text: string): TrendPen | null {
  const at = text.lastIndexOf(PEN_SEPARATOR);
  const path = (at < 0 ? text : text.slice(0, at)).trim();
  const axis = at < 0 ? 0 : Number(text.slice(at + 1));
  if (path === '' || !Number.isInteger(axis) || axis < 0 || axis >= MAX_TREND_PENS) return null;
  return { path, axis };
}

function rangeOf(params: URLSearchParams): TrendRange {
  const preset = params.get('range');
  if (isPreset(preset)) return { kind: 'preset', preset };
  const from = Date.parse(params.get('from') ?? '');
  const to = Date.parse(params.get('to') ?? '');
  if (Number.isFinite(from) && Number.isFinite(to) && to > from) return absoluteRange({ fromMs: from, toMs: to });
  return DEFAULT_RANGE;
}

/**
 * The trend a URL names. Whatever a hand-edited URL gets wrong falls back
 * to something showable: malformed pens are dropped (and repeats), a broken
 * range is the default one, live needs a preset (it slides a window ending now).
 */
export function trendStateFromParams(params: URLSearchParams): TrendState {
  const pens: TrendPen[] = [];
  for (const text of params.getAll('pen')) {
    const pen = penOf(text);
    if (pen !== null && !pens.some((other) => other.path === pen.path) && pens.length < MAX_TREND_PENS) pens.push(pen);
  }
  const range = rangeOf(params);
  const viewId = params.get('view');
  return { pens, range, live: params.get('live') === '1' && range.kind === 'preset', viewId: viewId === null || viewId === '' ? null : viewId };
}

/** Pens on separate axes (one each) or all on the first one. */
export function withAxes(pens: readonly TrendPen[], separate: boolean): TrendPen[] {
  return pens.map((pen, index) => ({ ...pen, axis: separate ? index : 0 }));
}
