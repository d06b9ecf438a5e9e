import type { ModbusReply, ModbusRequest } from "../modbus-device/modbus-connection.js";
import type { ModbusPoint } from "../shared/point.js";
import type { BlockReply, PollResult, ReadBlock } from "./read-plan.js";
import { collectPoll } from "./read-plan.js";

function blockReply(reply: ModbusReply): BlockReply | Error {
  return "written" in reply ? new Error("a read got a write reply") : reply;
}

/**
 * Runs one poll: the planned blocks one after another through `execute`
 * (the device's queue), then decodes. A failed block fails only its own
 * points; after a link failure the rest fail fast, as the device refuses
 * requests while it backs off.
 */
export async function poll(
  blocks: readonly ReadBlock[],
  points: readonly ModbusPoint[],
  execute: (request: ModbusRequest) => Promise<ModbusReply>,
): Promise<PollResult> {
  const outcomes: (BlockReply | Error)[] = [];
  for (const block of blocks) {
    try {
      outcomes.push(blockReply(await execute({ fc: block.fc, address: block.address, quantity: block.quantity })));
    } catch (error) {
      outcomes.push(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return collectPoll(blocks, outcomes, points);
}
