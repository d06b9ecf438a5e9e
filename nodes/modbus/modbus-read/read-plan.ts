import type { PointValue } from "../shared/codec.js";
import { decodePoint } from "../shared/codec.js";
import type { ModbusFunction, ModbusPoint } from "../shared/point.js";
import { MAX_READ_BITS, MAX_READ_REGISTERS, MODBUS_FUNCTIONS, READ_FUNCTION_CODE, isBitFunction, pointSpan } from "../shared/point.js";

/** One read request and the points it carries. */
export interface ReadBlock {
  function: ModbusFunction;
  fc: 1 | 2 | 3 | 4;
  address: number;
  /** Registers, or bits for coils and discrete inputs. */
  quantity: number;
  /** Indexes into the planned point list, with their offset inside the block. */
  points: { index: number; offset: number }[];
}

/** What a device's map has taught the planner (see learned-plan.ts). */
export interface MapKnowledge {
  /** Points the device refuses on their own: left out, and no block reaches across them. */
  holes: ReadonlySet<number>;
  /** Points that must start a new block: the device refused them together with the points before. */
  cuts: ReadonlySet<number>;
}

export interface PlanOptions {
  /**
   * Unrequested registers a block may bridge to join two points: reading a few
   * spare registers costs far less than another round trip. For coils and
   * discrete inputs it counts 16 bits per register, the same bytes on the wire.
   */
  maxGap: number;
  maxRegisters?: number;
  maxBits?: number;
}

/**
 * Coalesces points into the fewest read requests: per function, sorted by
 * address, a point joins the open block when the gap to it is at most
 * maxGap and the block stays within the protocol's quantity limit. Greedy
 * left to right is optimal for this interval-cover shape.
 */
export function planReads(points: readonly ModbusPoint[], options: PlanOptions, known?: MapKnowledge): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  for (const fn of MODBUS_FUNCTIONS) {
    const bits = isBitFunction(fn);
    const limit = bits ? (options.maxBits ?? MAX_READ_BITS) : (options.maxRegisters ?? MAX_READ_REGISTERS);
    const gap = bits ? options.maxGap * 16 : options.maxGap;
    const members = points
      .map((point, index) => ({ index, address: point.address, span: pointSpan(point), point }))
      .filter((member) => member.point.function === fn)
      .sort((a, b) => a.address - b.address || b.span - a.span);
    let open: (ReadBlock & { end: number }) | undefined;
    for (const member of members) {
      if (member.span > limit) throw new Error(`${member.point.name}: ${member.span} registers exceed one request (${limit})`);
      if (known?.holes.has(member.index)) {
        open = undefined;
        continue;
      }
      const end = member.address + member.span;
      if (open && !known?.cuts.has(member.index) && member.address - open.end <= gap && Math.max(open.end, end) - open.address <= limit) {
        open.end = Math.max(open.end, end);
        open.quantity = open.end - open.address;
        open.points.push({ index: member.index, offset: member.address - open.address });
        continue;
      }
      open = {
        function: fn,
        fc: READ_FUNCTION_CODE[fn],
        address: member.address,
        quantity: member.span,
        end,
        points: [{ index: member.index, offset: 0 }],
      };
      blocks.push(open);
    }
  }
  return blocks.map(({ function: fn, fc, address, quantity, points: members }) => ({ function: fn, fc, address, quantity, points: members }));
}

/** The smallest block that reads the given members of a block (a part of it, when the device refused the whole). */
export function subBlock(block: ReadBlock, members: ReadBlock["points"], points: readonly ModbusPoint[]): ReadBlock {
  const starts = members.map((member) => block.address + member.offset);
  const address = Math.min(...starts);
  const end = Math.max(...members.map((member, i) => starts[i] + pointSpan(points[member.index])));
  return { function: block.function, fc: block.fc, address, quantity: end - address, points: members.map((member, i) => ({ index: member.index, offset: starts[i] - address })) };
}

/** What a read request returned: registers (FC 3/4) or bits (FC 1/2). */
export type BlockReply = { words: readonly number[] } | { bits: readonly boolean[] };

/** Values of a block's points, by point index. Throws on a reply shorter than the request. */
export function decodeBlock(block: ReadBlock, reply: BlockReply, points: readonly ModbusPoint[]): Map<number, PointValue> {
  const values = new Map<number, PointValue>();
  if ("bits" in reply) {
    if (reply.bits.length < block.quantity) throw new Error(`short reply: asked ${block.quantity} bits at ${block.address}, got ${reply.bits.length}`);
    for (const member of block.points) values.set(member.index, reply.bits[member.offset] === true);
    return values;
  }
  if (reply.words.length < block.quantity) {
    throw new Error(`short reply: asked ${block.quantity} registers at ${block.address}, got ${reply.words.length}`);
  }
  for (const member of block.points) {
    const point = points[member.index];
    values.set(member.index, decodePoint(reply.words, point, member.offset));
  }
  return values;
}

/** The outcome of one poll: each point has a value or the reason it has none. */
export interface PollResult {
  values: Map<number, PointValue>;
  errors: Map<number, string>;
}

/** Joins the blocks' outcomes (a reply, or the error that ended the request) into one poll result. */
export function collectPoll(blocks: readonly ReadBlock[], outcomes: readonly (BlockReply | Error)[], points: readonly ModbusPoint[]): PollResult {
  const result: PollResult = { values: new Map(), errors: new Map() };
  blocks.forEach((block, position) => {
    const outcome = outcomes[position];
    let failure: string | undefined;
    if (outcome instanceof Error) {
      failure = outcome.message;
    } else {
      try {
        for (const [index, value] of decodeBlock(block, outcome, points)) result.values.set(index, value);
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
      }
    }
    if (failure !== undefined) for (const member of block.points) result.errors.set(member.index, failure);
  });
  return result;
}
