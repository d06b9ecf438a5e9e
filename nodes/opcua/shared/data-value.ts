import { DataType, type DataValue, type StatusCode, type Variant } from "node-opcua";
import type { TagQuality, TagScalar, TagWrite } from "../../shared/petroflow-services.js";

/** OPC UA severity (the top two bits of a StatusCode): 00 good, 01 uncertain, 10/11 bad. */
export function qualityOf(statusCode: StatusCode): TagQuality {
  const severity = statusCode.value >>> 30;
  if (severity === 0) return "good";
  if (severity === 1) return "uncertain";
  return "bad";
}

/** `BadNodeIdUnknown (0x80340000)`: name and code, what an operator can look up. */
export function describeStatus(statusCode: StatusCode): string {
  return `${statusCode.name} (0x${statusCode.value.toString(16).padStart(8, "0")})`;
}

/** A Variant's value as a tag scalar: numbers, booleans and strings as they are; 64-bit integers as numbers; other types as text. */
export function scalarOf(variant: Variant): TagScalar {
  const value: unknown = variant.value;
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "string") return value;
  if ((variant.dataType === DataType.Int64 || variant.dataType === DataType.UInt64) && Array.isArray(value) && value.length === 2) {
    const [high, low] = value as [number, number];
    return high * 2 ** 32 + (variant.dataType === DataType.Int64 ? low >>> 0 : low);
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "object" && "text" in value && typeof value.text === "string") return value.text;
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));
}

/**
 * A DataValue as `{ v, q, t }` (+ reason when not good): quality from the
 * status code's severity, source timestamp (else server timestamp, else now).
 */
export function tagValueOf(dataValue: DataValue, now: number = Date.now()): Required<Pick<TagWrite, "v" | "q" | "t">> & Pick<TagWrite, "reason"> {
  const q = qualityOf(dataValue.statusCode);
  const t = dataValue.sourceTimestamp?.getTime() ?? dataValue.serverTimestamp?.getTime() ?? now;
  const mapped = { v: scalarOf(dataValue.value), q, t };
  return q === "good" ? mapped : { ...mapped, reason: `OPC UA status ${describeStatus(dataValue.statusCode)}` };
}
