/** How tags and Sparkplug metrics map onto each other. */
import type { TagQuality, TagScalar } from "../../shared/petroflow-services.js";
import { QUALITY_BAD, QUALITY_GOOD, QUALITY_STALE, QUALITY_UNCERTAIN } from "./sparkplug-codec.js";
import type { MetricType, MetricValue } from "./sparkplug-codec.js";

/** Metrics that are Sparkplug session machinery, not process values. */
export const BD_SEQ = "bdSeq";
export const NODE_REBIRTH = "Node Control/Rebirth";

export function isControlMetric(name: string): boolean {
  return name === BD_SEQ || name.startsWith("Node Control/") || name.startsWith("Device Control/");
}

/**
 * A Sparkplug name as one tag path level (`[A-Za-z0-9][A-Za-z0-9_.-]{0,63}`):
 * other characters (the `/` of folders, spaces) become `_`, a leading
 * non-alphanumeric gets an `M` in front, the result is cut to 64 characters.
 */
export function sanitiseLevel(name: string): string {
  let level = name.replace(/[^A-Za-z0-9_.-]/g, "_");
  if (!/^[A-Za-z0-9]/.test(level)) level = `M${level}`;
  return level.slice(0, 64);
}

export function tagPathFor(siteId: string, edgeNodeId: string, deviceId: string | null, metricName: string): string {
  return `${siteId}/${sanitiseLevel(deviceId ?? edgeNodeId)}/${sanitiseLevel(metricName)}`;
}

/** The Sparkplug type a tag value is published as (numbers as Double: a tag may hold 3 now and 3.5 later). */
export function metricTypeOf(value: TagScalar): MetricType {
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "string") return "String";
  return "Double";
}

/** Whether a value can travel as a metric of the type announced in the birth (null always can). */
export function fitsType(type: MetricType, value: MetricValue): boolean {
  if (value === null) return true;
  switch (type) {
    case "Boolean":
      return typeof value === "boolean";
    case "String":
    case "Text":
      return typeof value === "string";
    case "Float":
    case "Double":
      return typeof value === "number";
    default:
      return typeof value === "number" && Number.isInteger(value);
  }
}

export function qualityCode(quality: TagQuality): number {
  return quality === "good" ? QUALITY_GOOD : quality === "uncertain" ? QUALITY_UNCERTAIN : QUALITY_BAD;
}

/** Sparkplug 3.0 names 0 bad, 192 good and 500 stale (a last known value: uncertain, not good); others read as OPC-style ranges. */
export function tagQuality(code: number | undefined): TagQuality {
  if (code === QUALITY_STALE) return "uncertain";
  if (code === undefined || code >= QUALITY_GOOD) return "good";
  return code >= QUALITY_UNCERTAIN ? "uncertain" : "bad";
}

/** Why a tag written from a metric with this quality code is not good. */
export function qualityReason(code: number | undefined): string {
  return `Sparkplug quality ${code ?? "?"}${code === QUALITY_STALE ? " (stale)" : ""}`;
}

/** The range each integer type holds (64-bit ones as far as a JS number is exact). */
const INTEGER_RANGES: Record<string, [number, number]> = {
  Int8: [-128, 127],
  Int16: [-32768, 32767],
  Int32: [-2147483648, 2147483647],
  Int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UInt8: [0, 255],
  UInt16: [0, 65535],
  UInt32: [0, 4294967295],
  UInt64: [0, Number.MAX_SAFE_INTEGER],
  DateTime: [0, Number.MAX_SAFE_INTEGER],
};

/** Coerces a command value to the metric's announced type; throws when it cannot. */
export function coerceToType(type: string, value: unknown): MetricValue {
  if (value === null) return null;
  if (type === "Boolean") {
    if (typeof value === "boolean") return value;
    if (value === 0 || value === 1) return value === 1;
  } else if (type === "String" || type === "Text") {
    if (typeof value === "string") return value;
  } else if (typeof value === "number" && Number.isFinite(value)) {
    if (type === "Float" || type === "Double") return value;
    const range = INTEGER_RANGES[type];
    if (range && Number.isInteger(value) && value >= range[0] && value <= range[1]) return value;
  }
  throw new Error(`value ${JSON.stringify(value)} does not fit metric type ${type}`);
}
