/**
 * What the history-query node does, pure: the request from its config and
 * the message, and the chart messages from the answer.
 */
import { niceBucketMs } from "../../../runtime/historian/history-math.js";
import type { DiscreteSummary, HistoryBucket, HistoryPoint, HistorySource } from "../../../runtime/historian/history-types.js";

export type HistoryQueryMode = "raw" | "buckets" | "interpolated" | "discrete";
/** Which bucket statistic a chart draws. */
export type ChartValue = "twa" | "avg" | "min" | "max" | "first" | "last";

export interface HistoryQueryConfig {
  paths?: string;
  mode?: string;
  /** Last N hours when the message names no range. */
  hours?: string | number;
  /** Buckets or interpolated values in the range (the bucket length is rounded to a nice one). */
  points?: string | number;
  /** "series" (msg.payload = one series per path) or "chart" (one Dashboard 2.0 ui-chart message per path). */
  output?: string;
  chartValue?: string;
}

export interface HistoryRequest {
  paths: string[];
  mode: HistoryQueryMode;
  from: number;
  to: number;
  points: number;
  output: "series" | "chart";
  chartValue: ChartValue;
}

/** One tag's answer as the node sends it. */
export interface NodeSeries {
  path: string;
  mode: HistoryQueryMode;
  from: number;
  to: number;
  source?: HistorySource;
  bucketMs?: number;
  points?: HistoryPoint[];
  buckets?: HistoryBucket[];
  discrete?: DiscreteSummary;
}

const MODES: readonly HistoryQueryMode[] = ["raw", "buckets", "interpolated", "discrete"];
const CHART_VALUES: readonly ChartValue[] = ["twa", "avg", "min", "max", "first", "last"];
const MAX_POINTS = 10_000;

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number, not ${JSON.stringify(value)}`);
  return number;
}

/** A time given as epoch ms or as an ISO 8601 text with its offset. */
function timeOf(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const ms = typeof value === "number" ? value : typeof value === "string" ? Date.parse(value) : value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new Error(`${name} must be epoch milliseconds or an ISO 8601 time, not ${JSON.stringify(value)}`);
  return ms;
}

/**
 * The request: paths from the node (comma-separated) or msg.topic; range
 * msg.from..msg.to, or the last `hours` up to msg.to or now; msg.mode and
 * msg.points override the node's.
 */
export function requestOf(config: HistoryQueryConfig, msg: Record<string, unknown>, now: number): HistoryRequest {
  const pathText = config.paths || (typeof msg.topic === "string" ? msg.topic : "");
  const paths = [...new Set(pathText.split(",").map((path) => path.trim()).filter((path) => path.length > 0))];
  if (paths.length === 0) throw new Error("no tag path: set one or more on the node (comma-separated) or send one as msg.topic");
  const mode = (typeof msg.mode === "string" && msg.mode) || config.mode || "buckets";
  if (!MODES.includes(mode as HistoryQueryMode)) throw new Error(`mode must be one of ${MODES.join(", ")}, not ${JSON.stringify(mode)}`);
  const to = timeOf(msg.to, "msg.to") ?? now;
  const from = timeOf(msg.from, "msg.from") ?? to - positive(config.hours, "hours", 24) * 3_600_000;
  if (to <= from) throw new Error("msg.to must be after msg.from");
  const points = Math.min(MAX_POINTS, Math.floor(positive(msg.points ?? config.points, "points", 500)));
  const output = config.output === "chart" ? "chart" : "series";
  const chartValue = (config.chartValue ?? "twa") as ChartValue;
  if (!CHART_VALUES.includes(chartValue)) throw new Error(`chart value must be one of ${CHART_VALUES.join(", ")}`);
  if (output === "chart" && mode === "discrete") throw new Error("a discrete summary is not a chart series: choose raw, buckets or interpolated");
  return { paths, mode: mode as HistoryQueryMode, from, to, points, output, chartValue };
}

/** The bucket length for buckets mode: nice, at most `points` buckets. */
export function bucketMsOf(request: Pick<HistoryRequest, "from" | "to" | "points">): number {
  return Math.max(1000, niceBucketMs(request.from, request.to, request.points));
}

/** The times of interpolated mode: `points` evenly spaced from `from` to `to`, whole milliseconds. */
export function timesOf(request: Pick<HistoryRequest, "from" | "to" | "points">): number[] {
  if (request.points === 1) return [request.from];
  const step = (request.to - request.from) / (request.points - 1);
  return Array.from({ length: request.points }, (_unused, index) => Math.round(request.from + index * step));
}

function chartY(value: HistoryPoint["v"]): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/**
 * Dashboard 2.0 ui-chart messages that replace what the chart shows: one
 * per series, msg.topic the series (the tag path), msg.payload an array of
 * {x: epoch ms, y} (y null leaves a gap). The first replaces the chart's
 * data, the others append, so several paths fill one chart; a series with
 * no point after the first is left out (an empty array clears the chart).
 * The chart's x and y properties must be the keys `x` and `y`.
 */
export function chartMessages(series: readonly NodeSeries[], value: ChartValue): { topic: string; payload: { x: number; y: number | null }[]; action: "replace" | "append" }[] {
  const messages = series.map((one) => ({
    topic: one.path,
    payload: one.buckets ? one.buckets.map((bucket) => ({ x: bucket.t, y: bucket[value] })) : (one.points ?? []).map((point) => ({ x: point.t, y: chartY(point.v) })),
  }));
  return messages
    .filter((message, index) => index === 0 || message.payload.length > 0)
    .map((message, index) => ({ ...message, action: index === 0 ? ("replace" as const) : ("append" as const) }));
}
