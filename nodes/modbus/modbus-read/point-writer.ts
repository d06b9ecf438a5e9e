import type { TagScalar } from "../../../runtime/tags/tag-types.js";
import type { ModbusReply, ModbusRequest } from "../modbus-device/modbus-connection.js";
import { decodePoint } from "../shared/codec.js";
import type { ModbusPoint } from "../shared/point.js";
import { planWrite } from "../modbus-write/write-plan.js";

/** Points whose tag a poller owns and the device lets write: coils and holding registers with a tag path. */
export function writablePoints(points: readonly ModbusPoint[], paths: readonly (string | undefined)[]): { point: ModbusPoint; path: string }[] {
  return points.flatMap((point, index) => {
    const path = paths[index];
    return path !== undefined && (point.function === "coil" || point.function === "holding-register") ? [{ point, path }] : [];
  });
}

/** The engineering value a read-back reply holds for a point (pure). */
export function readBackValue(point: ModbusPoint, reply: ModbusReply): TagScalar {
  if ("bits" in reply) return reply.bits[0] ?? null;
  if ("words" in reply) return decodePoint(reply.words, point);
  return null;
}

/**
 * Writes one value to a point the way modbus-write does (the same plan:
 * FC 5/6, or 15/16 for a multi-register value), then reads it back: what the
 * device holds, decoded with the point's type, scale and offset.
 */
export async function writePoint(point: ModbusPoint, value: number | boolean, execute: (request: ModbusRequest) => Promise<ModbusReply>): Promise<TagScalar> {
  const plan = planWrite(point, value);
  await execute(plan.request);
  return readBackValue(point, await execute(plan.readBack));
}
