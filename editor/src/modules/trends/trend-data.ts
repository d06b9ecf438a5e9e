import type { HistorySeries } from '../../api/history';
import type { LiveValue } from '../../live/live-protocol';
import { displayUnitLabel, toDisplay, type UnitSystem } from '../../units/units';
import type { TimeWindow } from './trend-state';

/**
 * History answers turned into what the chart draws and the CSV holds:
 * values in the site's units (or the tag's own display unit), one time
 * column shared by every pen. Pure, so it is unit-tested without a browser.
 */

export interface PenData {
  path: string;
  /** The unit the values are in, as printed ('' for flags and plain numbers). */
  unitLabel: string;
  /** Epoch ms, ascending. */
  times: number[];
  /** The line: time-weighted average of a bucket (or its mean), or the raw value; null is a gap. */
  values: (number | null)[];
  /** Each bucket's minimum and maximum (the band); null for raw values. */
  mins: (number | null)[] | null;
  maxs: (number | null)[] | null;
}

/** How a pen's canonical values become display values. */
export interface PenUnits {
  system: UnitSystem;
  /** The tag's own display unit (tags screen), which wins over the unit system. */
  displayUnit?: string | null;
}

function converter(unit: string, units: PenUnits): (value: number | null) => number | null {
  return (value) => (value === null ? null : toDisplay(value, unit, units.system, units.displayUnit).value);
}

/** A stored or live value as a number to plot: flags as 0/1, text and bad values as gaps. */
export function plottable(value: number | boolean | string | null, quality: LiveValue['q']): number | null {
  if (quality === 'bad' || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function penDataOf(series: HistorySeries, units: PenUnits): PenData {
  const convert = converter(series.unit, units);
  const unitLabel = displayUnitLabel(series.unit, units.system, units.displayUnit);
  if (series.buckets !== undefined) {
    // Empty buckets are gaps, not zeros: the tag reported nothing then.
    const buckets = series.buckets;
    return {
      path: series.path,
      unitLabel,
      times: buckets.map((bucket) => bucket.t),
      values: buckets.map((bucket) => (bucket.count === 0 ? null : convert(bucket.twa ?? bucket.avg))),
      mins: buckets.map((bucket) => (bucket.count === 0 ? null : convert(bucket.min))),
      maxs: buckets.map((bucket) => (bucket.count === 0 ? null : convert(bucket.max))),
    };
  }
  const points = series.points ?? [];
  return {
    path: series.path,
    unitLabel,
    times: points.map((point) => point.t),
    values: points.map((point) => convert(plottable(point.v, point.q))),
    mins: null,
    maxs: null,
  };
}

export interface LivePoint {
  t: number;
  v: number | boolean | string | null;
  q: LiveValue['q'];
}

/**
 * The live tail: values from the live feed after the last stored one,
 * converted like the history. The band stops where the live values begin.
 */
export function withLivePoints(pen: PenData, live: readonly LivePoint[], unit: string, units: PenUnits): PenData {
  const last = pen.times.length > 0 ? pen.times[pen.times.length - 1] : -Infinity;
  const newer = live.filter((point) => point.t > last).sort((a, b) => a.t - b.t);
  if (newer.length === 0) return pen;
  const convert = converter(unit, units);
  const gaps = newer.map(() => null);
  return {
    ...pen,
    times: [...pen.times, ...newer.map((point) => point.t)],
    values: [...pen.values, ...newer.map((point) => convert(plottable(point.v, point.q)))],
    mins: pen.mins === null ? null : [...pen.mins, ...gaps],
    maxs: pen.maxs === null ? null : [...pen.maxs, ...gaps],
  };
}

export interface AlignedPen {
  values: (number | null)[];
  mins: (number | null)[] | null;
  maxs: (number | null)[] | null;
}

/** Every pen on one time column (the union of their times); a pen without a value at a time has null there. */
export interface AlignedData {
  times: number[];
  pens: AlignedPen[];
}

export function alignPens(pens: readonly PenData[]): AlignedData {
  const times = [...new Set(pens.flatMap((pen) => pen.times))].sort((a, b) => a - b);
  const indexOf = new Map(times.map((time, index) => [time, index]));
  const column = (pen: PenData, source: (number | null)[]) => {
    const aligned: (number | null)[] = new Array<number | null>(times.length).fill(null);
    pen.times.forEach((time, at) => {
      aligned[indexOf.get(time) ?? 0] = source[at] ?? null;
    });
    return aligned;
  };
  return {
    times,
    pens: pens.map((pen) => ({
      values: column(pen, pen.values),
      mins: pen.mins === null ? null : column(pen, pen.mins),
      maxs: pen.maxs === null ? null : column(pen, pen.maxs),
    })),
  };
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Plain digits with a dot, as a spreadsheet or script reads them in any locale; float noise trimmed. */
function csvNumber(value: number | null): string {
  return value === null ? '' : String(Number(value.toPrecision(12)));
}

/**
 * The CSV of what the chart shows: ISO UTC times, one column per pen (and
 * min and max columns where it draws a band), values in display units with
 * the unit in the header. Rows outside the window or without any value are left out.
 */
export function trendCsv(data: AlignedData, pens: readonly Pick<PenData, 'path' | 'unitLabel'>[], window: TimeWindow): string {
  const withUnit = (name: string, unitLabel: string) => (unitLabel === '' ? name : `${name} (${unitLabel})`);
  const header = ['time'];
  pens.forEach((pen, index) => {
    header.push(withUnit(pen.path, pen.unitLabel));
    if (data.pens[index]?.mins) header.push(withUnit(`${pen.path} min`, pen.unitLabel), withUnit(`${pen.path} max`, pen.unitLabel));
  });
  const lines = [header.map(csvCell).join(',')];
  data.times.forEach((time, row) => {
    if (time < window.fromMs || time > window.toMs) return;
    const cells: (number | null)[] = [];
    for (const pen of data.pens) {
      cells.push(pen.values[row] ?? null);
      if (pen.mins && pen.maxs) cells.push(pen.mins[row] ?? null, pen.maxs[row] ?? null);
    }
    if (cells.every((cell) => cell === null)) return;
    lines.push([new Date(time).toISOString(), ...cells.map(csvNumber)].join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name for the export: trend-<from>-<to>.csv in UTC minutes. */
export function csvFileName(window: TimeWindow): string {
  const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '');
  return `trend-${stamp(window.fromMs)}-${stamp(window.toMs)}.csv`;
}

/** Live values kept per tag for the live tail, oldest first. */
export type LiveBuffer = ReadonlyMap<string, readonly LivePoint[]>;

/**
 * Adds the live feed's current values to the buffer: a value joins its tag's
 * list when it is newer than the last one kept; values older than `sinceMs`
 * (slid out of the window) are dropped. Returns the same buffer when nothing changed.
 */
export function appendLiveValues(buffer: LiveBuffer, values: ReadonlyMap<string, LiveValue>, paths: readonly string[], sinceMs: number): LiveBuffer {
  let changed = false;
  const next = new Map<string, readonly LivePoint[]>();
  for (const path of paths) {
    const kept = buffer.get(path) ?? [];
    let points = kept.filter((point) => point.t >= sinceMs);
    const value = values.get(path);
    const time = value === undefined ? undefined : (value.u ?? value.t);
    const last = points.length > 0 ? points[points.length - 1].t : -Infinity;
    if (value !== undefined && time !== undefined && time > last && time >= sinceMs) points = [...points, { t: time, v: value.v, q: value.q }];
    if (points.length !== kept.length || points.some((point, index) => point !== kept[index])) changed = true;
    next.set(path, points);
  }
  if (buffer.size !== next.size) changed = true;
  return changed ? next : buffer;
}
