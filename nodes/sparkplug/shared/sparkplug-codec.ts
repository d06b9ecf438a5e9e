/**
 * Sparkplug B payload encoding and decoding. The protobuf wire format is
 * sparkplug-payload's generated Eclipse Tahu code; how a metric's value maps
 * onto the wire (which oneof field, signedness, 64-bit widths) is decided
 * here, because sparkplug-payload gets it wrong for other vendors' payloads:
 * its Int64 sign check fails across two copies of `long` (−9876543210 came
 * out as 18446744063833008000), it reads UInt32 only from long_value while
 * Sparkplug 3.0 puts it in int_value, and it turns what it cannot read into
 * a silent null.
 */
import * as tahu from "sparkplug-payload/lib/sparkplugPayloadProto.js";

type ProtoPayload = tahu.org.eclipse.tahu.protobuf.IPayload;
type ProtoMetric = tahu.org.eclipse.tahu.protobuf.Payload.IMetric;
type ProtoPropertySet = tahu.org.eclipse.tahu.protobuf.Payload.IPropertySet;
const { Payload } = tahu.org.eclipse.tahu.protobuf;

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
  /** Decoded only: why the value could not be read (value is then null). */
  invalid?: string;
  /** Decoded only: a 64-bit integer beyond ±2^53, exactly, as a decimal (value is then the nearest double). */
  exact?: string;
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

/** The value of a metric as it travelled: which oneof field carried it (64-bit integers unsigned, as on the wire). */
export type WireValue =
  | { field: "none" }
  | { field: "null" }
  | { field: "int_value" | "long_value"; raw: bigint }
  | { field: "float_value" | "double_value"; raw: number }
  | { field: "boolean_value"; raw: boolean }
  | { field: "string_value"; raw: string }
  | { field: "other"; name: string };

/**
 * A metric sent without datatype, as Sparkplug 3.0 recommends for DATA and
 * CMD messages: its type is the one its birth announced (see withType).
 */
export interface UntypedMetric {
  name?: string;
  alias?: number;
  timestamp?: number;
  isHistorical?: boolean;
  quality?: number;
  wire: WireValue;
  untyped: true;
}

export type DecodedMetric = SparkplugMetric | UnsupportedMetric | UntypedMetric;

export interface DecodedPayload {
  timestamp?: number;
  seq?: number;
  metrics: DecodedMetric[];
}

export const QUALITY_GOOD = 192;
export const QUALITY_UNCERTAIN = 64;
export const QUALITY_BAD = 0;
/** Sparkplug 3.0's third quality code (section 6.4.8): the value is the last known one. */
export const QUALITY_STALE = 500;

const TYPE_CODES: Record<MetricType, number> = {
  Int8: 1,
  Int16: 2,
  Int32: 3,
  Int64: 4,
  UInt8: 5,
  UInt16: 6,
  UInt32: 7,
  UInt64: 8,
  Float: 9,
  Double: 10,
  Boolean: 11,
  String: 12,
  DateTime: 13,
  Text: 14,
};
const OTHER_TYPES: Record<number, string> = {
  15: "UUID",
  16: "DataSet",
  17: "Bytes",
  18: "File",
  19: "Template",
  20: "PropertySet",
  21: "PropertySetList",
  22: "Int8Array",
  23: "Int16Array",
  24: "Int32Array",
  25: "Int64Array",
  26: "UInt8Array",
  27: "UInt16Array",
  28: "UInt32Array",
  29: "UInt64Array",
  30: "FloatArray",
  31: "DoubleArray",
  32: "BooleanArray",
  33: "StringArray",
  34: "DateTimeArray",
};
const TYPE_NAMES = new Map<number, MetricType>(Object.entries(TYPE_CODES).map(([name, code]) => [code, name as MetricType]));
const PROPERTY_INT32 = 3;

/** Integer types: width and signedness (DateTime is unsigned milliseconds since the epoch). */
const INTEGERS: Partial<Record<MetricType, { bits: bigint; signed: boolean }>> = {
  Int8: { bits: 8n, signed: true },
  Int16: { bits: 16n, signed: true },
  Int32: { bits: 32n, signed: true },
  Int64: { bits: 64n, signed: true },
  UInt8: { bits: 8n, signed: false },
  UInt16: { bits: 16n, signed: false },
  UInt32: { bits: 32n, signed: false },
  UInt64: { bits: 64n, signed: false },
  DateTime: { bits: 64n, signed: false },
};
/** The field Sparkplug 3.0 puts each integer type in (section 6.4.16): uint32 up to 32 bits, uint64 beyond. */
const SPEC_INTEGER_FIELD: Partial<Record<MetricType, "intValue" | "longValue">> = {
  Int8: "intValue",
  Int16: "intValue",
  Int32: "intValue",
  UInt8: "intValue",
  UInt16: "intValue",
  UInt32: "intValue",
  Int64: "longValue",
  UInt64: "longValue",
  DateTime: "longValue",
};
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

interface LongBits {
  low: number;
  high: number;
}

function isLongBits(value: unknown): value is LongBits {
  return typeof value === "object" && value !== null && typeof (value as Partial<LongBits>).low === "number" && typeof (value as Partial<LongBits>).high === "number";
}

/**
 * A protobuf uint64 as an unsigned bigint. protobufjs hands back a Long
 * (from whichever copy of `long` it found, so no instanceof) or, without
 * one, a number.
 */
function unsigned64(value: unknown): bigint | undefined {
  if (isLongBits(value)) return (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  if (typeof value === "number" && Number.isInteger(value)) return BigInt.asUintN(64, BigInt(value));
  return undefined;
}

/** A protobuf 64-bit field (timestamp, alias, seq) as a JS number (exact up to 2^53). */
function toNumber(value: unknown): number | undefined {
  const big = unsigned64(value);
  return big === undefined ? undefined : Number(big);
}

/** Whether a decoded message carries the field: set fields are own properties, defaults live on the prototype. */
function has(message: object, key: string): boolean {
  const value: unknown = Object.getOwnPropertyDescriptor(message, key)?.value;
  return value !== null && value !== undefined;
}

function wireValue(metric: ProtoMetric): WireValue {
  if (metric.isNull === true) return { field: "null" };
  if (has(metric, "intValue")) return { field: "int_value", raw: BigInt((metric.intValue ?? 0) >>> 0) };
  if (has(metric, "longValue")) return { field: "long_value", raw: unsigned64(metric.longValue) ?? 0n };
  if (has(metric, "floatValue")) return { field: "float_value", raw: metric.floatValue ?? 0 };
  if (has(metric, "doubleValue")) return { field: "double_value", raw: metric.doubleValue ?? 0 };
  if (has(metric, "booleanValue")) return { field: "boolean_value", raw: metric.booleanValue === true };
  if (has(metric, "stringValue")) return { field: "string_value", raw: metric.stringValue ?? "" };
  for (const other of ["bytesValue", "datasetValue", "templateValue", "extensionValue"] as const) {
    if (has(metric, other)) return { field: "other", name: other.replace(/Value$/, "_value").toLowerCase() };
  }
  return { field: "none" };
}

/** Where a type's value is expected, for error messages. */
function expectedField(type: MetricType): string {
  if (INTEGERS[type]) return "int_value or long_value";
  switch (type) {
    case "Float":
      return "float_value";
    case "Double":
      return "double_value";
    case "Boolean":
      return "boolean_value";
    default:
      return "string_value";
  }
}

type Interpreted = { value: MetricValue; invalid?: string; exact?: string };

function integerValue(type: MetricType, { bits, signed }: { bits: bigint; signed: boolean }, field: "int_value" | "long_value", raw: bigint): Interpreted {
  const width = field === "int_value" ? 32n : 64n;
  const span = 1n << bits;
  let value: bigint | undefined;
  if (raw < span) value = signed && raw >= span / 2n ? raw - span : raw;
  // A signed value the encoder sign-extended to the field's width (Java's setIntValue(byte) does).
  else if (signed && raw >= (1n << width) - span / 2n) value = raw - (1n << width);
  if (value === undefined) return { value: null, invalid: `${type} cannot hold ${raw} (from ${field})` };
  const number = Number(value);
  if (value > MAX_EXACT || value < -MAX_EXACT) return { value: number, exact: value.toString() };
  return { value: number };
}

/** A value as the given type reads it from the wire; what does not fit comes back as null with the reason. */
function interpret(type: MetricType, wire: WireValue): Interpreted {
  switch (wire.field) {
    case "null":
      return { value: null };
    case "none":
      return { value: null, invalid: `${type} metric carries no value (and is_null is not set)` };
    case "int_value":
    case "long_value": {
      const integer = INTEGERS[type];
      if (integer) return integerValue(type, integer, wire.field, wire.raw);
      break;
    }
    case "float_value":
      if (type === "Float") return { value: wire.raw };
      break;
    case "double_value":
      if (type === "Double") return { value: wire.raw };
      break;
    case "boolean_value":
      if (type === "Boolean") return { value: wire.raw };
      break;
    case "string_value":
      if (type === "String" || type === "Text") return { value: wire.raw };
      break;
    default:
      break;
  }
  const field = wire.field === "other" ? wire.name : wire.field;
  return { value: null, invalid: `${type} metric carries its value in ${field} (expected ${expectedField(type)})` };
}

function qualityOf(properties: ProtoPropertySet | null | undefined): number | undefined {
  const index = properties?.keys?.indexOf("Quality") ?? -1;
  const property = index >= 0 ? properties?.values?.[index] : undefined;
  if (!property) return undefined;
  if (has(property, "intValue")) return property.intValue ?? undefined;
  if (has(property, "longValue")) return toNumber(property.longValue);
  return undefined;
}

export function isMetricType(type: string): type is MetricType {
  return Object.prototype.hasOwnProperty.call(TYPE_CODES, type);
}

/** Gives a metric sent without datatype the type its birth announced. */
export function withType(metric: UntypedMetric, type: string): SparkplugMetric | UnsupportedMetric {
  const { wire: _wire, untyped: _untyped, ...fields } = metric;
  if (!isMetricType(type)) return { ...(fields.name !== undefined && { name: fields.name }), ...(fields.alias !== undefined && { alias: fields.alias }), type, unsupported: true };
  const { value, invalid, exact } = interpret(type, metric.wire);
  return { ...fields, type, value, ...(invalid !== undefined && { invalid }), ...(exact !== undefined && { exact }) };
}

function decodeMetric(metric: ProtoMetric): DecodedMetric {
  const name = has(metric, "name") ? (metric.name ?? undefined) : undefined;
  const alias = has(metric, "alias") ? toNumber(metric.alias) : undefined;
  const timestamp = has(metric, "timestamp") ? toNumber(metric.timestamp) : undefined;
  const quality = qualityOf(metric.properties);
  const common = {
    ...(name !== undefined && { name }),
    ...(alias !== undefined && { alias }),
    ...(timestamp !== undefined && { timestamp }),
    ...(metric.isHistorical === true && { isHistorical: true }),
    ...(quality !== undefined && { quality }),
  };
  const code = has(metric, "datatype") ? (metric.datatype ?? 0) : 0;
  if (code === 0) return { ...common, wire: wireValue(metric), untyped: true };
  const type = TYPE_NAMES.get(code);
  if (type === undefined) {
    return { ...(name !== undefined && { name }), ...(alias !== undefined && { alias }), type: OTHER_TYPES[code] ?? `datatype ${code}`, unsupported: true };
  }
  const { value, invalid, exact } = interpret(type, wireValue(metric));
  return { ...common, type, value, ...(invalid !== undefined && { invalid }), ...(exact !== undefined && { exact }) };
}

export function decodeSparkplug(bytes: Uint8Array): DecodedPayload {
  const payload = Payload.decode(bytes);
  const decoded: DecodedPayload = { metrics: (payload.metrics ?? []).map(decodeMetric) };
  if (has(payload, "timestamp")) decoded.timestamp = toNumber(payload.timestamp);
  if (has(payload, "seq")) decoded.seq = toNumber(payload.seq);
  return decoded;
}

function encodeMetric(metric: SparkplugMetric): ProtoMetric {
  const encoded: ProtoMetric = { datatype: TYPE_CODES[metric.type] };
  if (metric.name !== undefined) encoded.name = metric.name;
  if (metric.alias !== undefined) encoded.alias = metric.alias;
  if (metric.timestamp !== undefined) encoded.timestamp = metric.timestamp;
  if (metric.isHistorical) encoded.isHistorical = true;
  if (metric.quality !== undefined) encoded.properties = { keys: ["Quality"], values: [{ type: PROPERTY_INT32, intValue: metric.quality }] };
  const { value, type } = metric;
  if (value === null) {
    encoded.isNull = true;
    return encoded;
  }
  const integerField = SPEC_INTEGER_FIELD[type];
  if (integerField !== undefined && typeof value === "number" && Number.isInteger(value)) {
    // Negative values go out as two's complement of the field's width, as Tahu's encoders write them.
    if (integerField === "intValue") encoded.intValue = value >>> 0;
    else encoded.longValue = value;
  } else if ((type === "Float" || type === "Double") && typeof value === "number") {
    if (type === "Float") encoded.floatValue = value;
    else encoded.doubleValue = value;
  } else if (type === "Boolean" && typeof value === "boolean") encoded.booleanValue = value;
  else if ((type === "String" || type === "Text") && typeof value === "string") encoded.stringValue = value;
  else throw new Error(`${type} metric ${metric.name ?? `alias ${metric.alias ?? "?"}`} cannot carry ${JSON.stringify(value)}`);
  return encoded;
}

export function encodeSparkplug(payload: SparkplugPayload): Buffer {
  const encoded: ProtoPayload = { metrics: payload.metrics.map(encodeMetric) };
  if (payload.timestamp !== undefined) encoded.timestamp = payload.timestamp;
  if (payload.seq !== undefined) encoded.seq = payload.seq;
  const bytes = Payload.encode(Payload.create(encoded)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function isSupportedMetric(metric: DecodedMetric): metric is SparkplugMetric {
  return !("unsupported" in metric) && !("untyped" in metric);
}

export function isUntypedMetric(metric: DecodedMetric): metric is UntypedMetric {
  return "untyped" in metric;
}
