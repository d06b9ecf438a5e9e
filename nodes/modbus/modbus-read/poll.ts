import { ModbusExceptionError } from "../modbus-device/modbus-connection.js";
import type { ModbusReply, ModbusRequest } from "../modbus-device/modbus-connection.js";
import type { ModbusPoint } from "../shared/point.js";
import type { BlockReply, PollResult, ReadBlock } from "./read-plan.js";
import { collectPoll, subBlock } from "./read-plan.js";

/**
 * Exceptions that refuse a request because of what it spans, so a smaller
 * request may succeed: 2 (illegal data address: a register in the span is not
 * mapped) and 3 (illegal data value: some devices answer it for a quantity
 * above their own limit).
 */
const SPLIT_ON = new Set([2, 3]);

/** What a poll learns about the device's map while it splits refused blocks. */
export interface MapLearner {
  /** A point the device refuses even on its own. */
  hole(index: number, reason: string): void;
  /** The device refuses this point together with the ones before it, though it serves each part. */
  cut(index: number): void;
}

function blockReply(reply: ModbusReply): BlockReply | Error {
  return "written" in reply ? new Error("a read got a write reply") : reply;
}

type Execute = (request: ModbusRequest) => Promise<ModbusReply>;

async function read(block: ReadBlock, execute: Execute): Promise<BlockReply | Error> {
  try {
    return blockReply(await execute({ fc: block.fc, address: block.address, quantity: block.quantity }));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Reads a block; when the device refuses it for what it spans, reads each
 * half instead, down to single points, so valid points keep their values and
 * only a point the device refuses on its own fails (its error then names its
 * own address). A refused block whose two halves both succeed was refused
 * for the registers between them: a cut. Returns the blocks read, with
 * their outcomes.
 */
async function readSplitting(block: ReadBlock, points: readonly ModbusPoint[], execute: Execute, learner: MapLearner | undefined): Promise<[ReadBlock, BlockReply | Error][]> {
  const outcome = await read(block, execute);
  if (!(outcome instanceof ModbusExceptionError) || !SPLIT_ON.has(outcome.exceptionCode)) return [[block, outcome]];
  if (block.points.length === 1) {
    learner?.hole(block.points[0].index, outcome.message);
    return [[block, outcome]];
  }
  const middle = Math.floor(block.points.length / 2);
  const right = subBlock(block, block.points.slice(middle), points);
  const leftOutcomes = await readSplitting(subBlock(block, block.points.slice(0, middle), points), points, execute, learner);
  const rightOutcomes = await readSplitting(right, points, execute, learner);
  if (leftOutcomes.length === 1 && rightOutcomes.length === 1 && !(leftOutcomes[0][1] instanceof Error) && !(rightOutcomes[0][1] instanceof Error)) {
    learner?.cut(right.points[0].index);
  }
  return [...leftOutcomes, ...rightOutcomes];
}

/**
 * Runs one poll: the planned blocks one after another through `execute`
 * (the device's queue), then decodes. A failed block fails only its own
 * points; one refused for an unmapped address is split (see readSplitting).
 * After a link failure the rest fail fast, as the device refuses requests
 * while it backs off.
 */
export async function poll(blocks: readonly ReadBlock[], points: readonly ModbusPoint[], execute: Execute, learner?: MapLearner): Promise<PollResult> {
  const parts: ReadBlock[] = [];
  const outcomes: (BlockReply | Error)[] = [];
  for (const block of blocks) {
    for (const [part, outcome] of await readSplitting(block, points, execute, learner)) {
      parts.push(part);
      outcomes.push(outcome);
    }
  }
  return collectPoll(parts, outcomes, points);
}
