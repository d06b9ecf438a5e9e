import type { ModbusReply, ModbusRequest } from "../modbus-device/modbus-connection.js";
import { encodePoint } from "../shared/codec.js";
import type { ModbusPoint } from "../shared/point.js";
import { MAX_READ_REGISTERS } from "../shared/point.js";

/** Coils (FC 15) and registers (FC 16) one write request may carry, by the Modbus specification. */
const MAX_WRITE_BITS = 1968;
const MAX_WRITE_REGISTERS = 123;

export interface WritePlan {
  request: ModbusRequest;
  /** The read that shows what the device now holds, for the optional read-back check. */
  readBack: ModbusRequest & { fc: 1 | 3 };
  expected: { bits: boolean[] } | { words: number[] };
}

function toBool(value: unknown, point: ModbusPoint): boolean {
  if (typeof value === "boolean") return value;
  if (value === 0 || value === 1) return value === 1;
  throw new Error(`${point.name}: a coil needs true/false or 0/1 (got ${JSON.stringify(value)})`);
}

/**
 * The request that writes `payload` to a point (pure). One value uses FC 5
 * (coil) or FC 6 (one register); several registers or an array payload use
 * FC 15/16. `forceMultiple` uses FC 15/16 always, for devices that only
 * implement those.
 */
export function planWrite(point: ModbusPoint, payload: unknown, forceMultiple = false): WritePlan {
  const values = Array.isArray(payload) ? payload : [payload];
  if (values.length === 0) throw new Error(`${point.name}: nothing to write (empty array)`);
  const { address } = point;
  if (point.function === "coil") {
    const bits = values.map((value) => toBool(value, point));
    if (bits.length > MAX_WRITE_BITS) throw new Error(`${point.name}: at most ${MAX_WRITE_BITS} coils per write`);
    if (address + bits.length > 65536) throw new Error(`${point.name}: write runs past address 65535`);
    const request: ModbusRequest =
      bits.length === 1 && !forceMultiple ? { fc: 5, address, value: bits[0] } : { fc: 15, address, values: bits };
    return { request, readBack: { fc: 1, address, quantity: bits.length }, expected: { bits } };
  }
  if (point.function !== "holding-register") throw new Error(`${point.name}: only coils and holding registers can be written`);
  const words = values.flatMap((value) => encodePoint(value, point));
  if (words.length > MAX_WRITE_REGISTERS) throw new Error(`${point.name}: at most ${MAX_WRITE_REGISTERS} registers per write`);
  if (address + words.length > 65536) throw new Error(`${point.name}: write runs past address 65535`);
  const request: ModbusRequest =
    words.length === 1 && !forceMultiple ? { fc: 6, address, value: words[0] } : { fc: 16, address, values: words };
  return { request, readBack: { fc: 3, address, quantity: Math.min(words.length, MAX_READ_REGISTERS) }, expected: { words } };
}

/**
 * Compares what the device holds with what was written, on the raw bits and
 * registers so a float's rounding never makes a good write look bad.
 */
export function checkReadBack(plan: WritePlan, reply: ModbusReply): void {
  const wanted = "bits" in plan.expected ? plan.expected.bits : plan.expected.words;
  const got = "bits" in reply ? reply.bits : "words" in reply ? reply.words : [];
  const same = wanted.length === got.length && wanted.every((value, index) => value === got[index]);
  if (!same) {
    throw new Error(`read-back mismatch at address ${plan.request.address}: wrote [${wanted.join(", ")}], device holds [${got.join(", ")}]`);
  }
}

/** Coils or registers the plan writes, for the status ("wrote 2 registers"). */
export function writtenSpan(plan: WritePlan): number {
  return "bits" in plan.expected ? plan.expected.bits.length : plan.expected.words.length;
}
