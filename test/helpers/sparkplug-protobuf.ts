/**
 * Sparkplug B payloads built and read with an encoder other than the one
 * Petroflow uses: the specification's schema (test/fixtures/sparkplug/
 * sparkplug_b.proto) compiled at run time by protobufjs. Fields are given
 * and returned as they travel on the wire (which oneof field, 64-bit values
 * as decimal strings), with no interpretation by data type, so a test can
 * write what another vendor's stack writes and see exactly what ours wrote.
 */
import path from "node:path";
import * as protobuf from "protobufjs";

const SCHEMA = path.join(__dirname, "..", "fixtures", "sparkplug", "sparkplug_b.proto");
const root = new protobuf.Root().loadSync(SCHEMA);
const Payload = root.lookupType("org.eclipse.tahu.protobuf.Payload");

/** Sparkplug data type codes (specification section 6.4.16). */
export const DATATYPE = {
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
  DataSet: 16,
} as const;

/** A 64-bit field: a JS number when exact, else a decimal string (negative ones are written as two's complement). */
export type Wide = number | string;

export interface RawPropertyValue {
  type: number;
  isNull?: boolean;
  intValue?: number;
  longValue?: Wide;
}

export interface RawMetric {
  name?: string;
  alias?: Wide;
  timestamp?: Wide;
  datatype?: number;
  isHistorical?: boolean;
  isNull?: boolean;
  properties?: { keys: string[]; values: RawPropertyValue[] };
  /** uint32 on the wire. */
  intValue?: number;
  /** uint64 on the wire. */
  longValue?: Wide;
  floatValue?: number;
  doubleValue?: number;
  booleanValue?: boolean;
  stringValue?: string;
}

export interface RawPayload {
  timestamp?: Wide;
  seq?: Wide;
  metrics: RawMetric[];
}

/** A decoded payload: only fields present on the wire, 64-bit values as decimal strings, `value` naming the metric's oneof field. */
export interface WirePayload {
  timestamp?: string;
  seq?: string;
  metrics?: (Omit<RawMetric, "alias" | "timestamp" | "longValue"> & { alias?: string; timestamp?: string; longValue?: string; value?: string })[];
}

export function encodeRaw(payload: RawPayload): Buffer {
  return Buffer.from(Payload.encode(Payload.fromObject(payload)).finish());
}

export function decodeRaw(bytes: Uint8Array): WirePayload {
  return Payload.toObject(Payload.decode(bytes), { longs: String, oneofs: true, defaults: false });
}
