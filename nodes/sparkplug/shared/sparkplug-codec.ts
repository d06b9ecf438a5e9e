/**
 * Sparkplug B payload encoding and decoding over sparkplug-payload (Eclipse
 * Tahu), normalised to plain numbers: the library hands back 64-bit fields
 * (timestamps, aliases, seq, Int64 values) as Long objects.
 */
import { decodePayload, encodePayload } from "sparkplug-payload/lib/sparkplugbpayload.js";
import type { UMetric, UPayload, UPropertyValue } from "sparkplug-payload/lib/sparkplugbpayload.js";

/** The Sparkplug data types Petroflow publishes and understands as tag values. */
export type MetricType = "Int8" | "Int16" | "Int32" | "Int64" | "UInt8" | "UInt16" | "UInt32" | "UInt64" | "Float" | "Double" | "Boolean" | "String" | "Text" | "DateTime";
export type MetricValue = number | boolean | string | null;

export interface SparkplugMetric {
  name?: string;
  alias?: number;
  type: MetricType;
  value: MetricValue;
  timestamp?: number;
  isHistorical?: boolean;
  /** Petroflow's tag quality travels as the Ignition-style `Quality` property (192 good, 64 uncertain, 0 bad); absent means good. */
  quality?: number;
}

export interface SparkplugPayload {
  timestamp?: number;
  seq?: number;
  metrics: SparkplugMetric[];
}

/** A metric of a type we do not map to tags (DataSet, Template, Bytes ...): kept by name/alias only. */
export interface UnsupportedMetric {
  name?: string;
  alias?: number;
  type: string;
  unsupported: true;
}

export interface DecodedPayload {
  timestamp?: number;
  seq?: number;
  metrics: (SparkplugMetric | UnsupportedMetric)[];
}

const SUPPORTED = new Set<string>(["Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float", "Double", "Boolean", "String", "Text", "DateTime"]);

export const QUALITY_GOOD = 192;
export const QUALITY_UNCERTAIN = 64;
export const QUALITY_BAD = 0;

interface LongLike {
  toNumber(): number;
}

function isLongLike(value: unknown): value is LongLike {
  return typeof value === "object" && value !== null && typeof (value as Partial<LongLike>).toNumber === "function";
}

/** A protobuf 64-bit field as a JS number (exact up to 2^53). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (isLongLike(value)) return value.toNumber();
  return undefined;
}

function encodeMetric(metric: SparkplugMetric): UMetric {
  const encoded: UMetric = { type: metric.type, value: metric.value };
  if (metric.name !== undefined) encoded.name = metric.name;
  if (metric.alias !== undefined) encoded.alias = metric.alias;
  if (metric.timestamp !== undefined) encoded.timestamp = metric.timestamp;
  if (metric.isHistorical) encoded.isHistorical = true;
  if (metric.quality !== undefined) {
    const quality: UPropertyValue = { type: "Int32", value: metric.quality };
    encoded.properties = { Quality: quality };
  }
  return encoded;
}

export function encodeSparkplug(payload: SparkplugPayload): Buffer {
  const encoded: UPayload = { metrics: payload.metrics.map(encodeMetric) };
  if (payload.timestamp !== undefined) encoded.timestamp = payload.timestamp;
  if (payload.seq !== undefined) encoded.seq = payload.seq;
  const bytes = encodePayload(encoded);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decodeValue(type: string, value: unknown): MetricValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  if (isLongLike(value)) return value.toNumber();
  throw new Error(`unexpected ${type} metric value`);
}

function decodeMetric(metric: UMetric): SparkplugMetric | UnsupportedMetric {
  const name = metric.name ?? undefined;
  const alias = toNumber(metric.alias);
  if (!SUPPORTED.has(metric.type)) {
    return { ...(name !== undefined && { name }), ...(alias !== undefined && { alias }), type: String(metric.type), unsupported: true };
  }
  const decoded: SparkplugMetric = { type: metric.type as MetricType, value: decodeValue(metric.type, metric.value) };
  if (name !== undefined) decoded.name = name;
  if (alias !== undefined) decoded.alias = alias;
  const timestamp = toNumber(metric.timestamp);
  if (timestamp !== undefined) decoded.timestamp = timestamp;
  if (metric.isHistorical) decoded.isHistorical = true;
  const quality = toNumber(metric.properties?.Quality?.value);
  if (quality !== undefined) decoded.quality = quality;
  return decoded;
}

export function decodeSparkplug(bytes: Uint8Array): DecodedPayload {
  const payload = decodePayload(bytes);
  const decoded: DecodedPayload = { metrics: (payload.metrics ?? []).map(decodeMetric) };
  const timestamp = toNumber(payload.timestamp);
  if (timestamp !== undefined) decoded.timestamp = timestamp;
  const seq = toNumber(payload.seq);
  if (seq !== undefined) decoded.seq = seq;
  return decoded;
}

export function isSupportedMetric(metric: SparkplugMetric | UnsupportedMetric): metric is SparkplugMetric {
  return !("unsupported" in metric);
}
