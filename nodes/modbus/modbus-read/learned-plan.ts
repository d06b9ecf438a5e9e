import type { ModbusReply, ModbusRequest } from "../modbus-device/modbus-connection.js";
import type { ModbusPoint } from "../shared/point.js";
import { poll } from "./poll.js";
import type { MapLearner } from "./poll.js";
import { planReads } from "./read-plan.js";
import type { PlanOptions, PollResult, ReadBlock } from "./read-plan.js";

export interface LearnedPlanOptions {
  /**
   * How long what was learnt holds before the whole plan is tried again
   * (a device's map changes with its configuration or firmware). A probe
   * costs one poll a few extra requests; valid points are read as always.
   */
  reprobeMs: number;
}

/** Ten minutes: registers mapped since (new firmware, a reconfigured PLC) are found within minutes, and a static map costs a handful of extra requests per probe. */
export const DEFAULT_REPROBE_MS = 600_000;

/**
 * A read plan that adapts to holes in a device's map. Polls split blocks
 * the device refuses (exception 2 or 3); what the splitting shows — points
 * refused on their own (holes) and neighbours refused together (cuts) — is
 * planned around from the next poll on, so the device is no longer asked
 * for what it does not serve. Holes keep their tags bad with the device's
 * own answer. Everything learnt is forgotten after reprobeMs and the full
 * plan tried again.
 */
export class LearnedReadPlan implements MapLearner {
  private readonly holes = new Map<number, string>();
  private readonly cuts = new Set<number>();
  private blocks: ReadBlock[];
  private stale = false;
  /** When the oldest thing still known was learnt (epoch ms), undefined while nothing is. */
  private learntAt: number | undefined;
  private now = 0;

  constructor(
    private readonly points: readonly ModbusPoint[],
    private readonly planOptions: PlanOptions,
    private readonly options: LearnedPlanOptions,
  ) {
    this.blocks = planReads(points, planOptions);
  }

  hole(index: number, reason: string): void {
    this.holes.set(index, reason);
    this.learnt();
  }

  cut(index: number): void {
    this.cuts.add(index);
    this.learnt();
  }

  /** One poll at time `now` (epoch ms): the current plan, split where refused, holes reported with their reason. */
  async poll(execute: (request: ModbusRequest) => Promise<ModbusReply>, now: number): Promise<PollResult> {
    this.now = now;
    if (this.learntAt !== undefined && now - this.learntAt >= this.options.reprobeMs) {
      this.holes.clear();
      this.cuts.clear();
      this.learntAt = undefined;
      this.stale = true;
    }
    if (this.stale) {
      this.blocks = planReads(this.points, this.planOptions, { holes: new Set(this.holes.keys()), cuts: this.cuts });
      this.stale = false;
    }
    const result = await poll(this.blocks, this.points, execute, this);
    for (const [index, reason] of this.holes) if (!result.values.has(index) && !result.errors.has(index)) result.errors.set(index, reason);
    return result;
  }

  private learnt(): void {
    this.learntAt ??= this.now;
    this.stale = true;
  }
}
