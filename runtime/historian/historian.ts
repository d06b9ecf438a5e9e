import type { Logger } from "../observability/logger.js";
import type { LiveTags, TagUpdate, TagValue } from "../tags/tag-types.js";
import type { TagHistoryPolicy } from "../tags/tag-registry.js";
import type { HistoryRecorder } from "./history-types.js";
import type { HistoryRow } from "./history-sink.js";
import type { HistoryWriter } from "./history-writer.js";
import { SwingingDoor, type HistorySample } from "./swinging-door.js";

/** What the historian needs of the tag registry: ids and history policies, from memory. */
export interface HistoryPolicies {
  idOf(path: string): string | undefined;
  historyPolicyOf(path: string): TagHistoryPolicy | undefined;
}

export interface HistorianOptions {
  tags: LiveTags;
  policies: HistoryPolicies;
  writer: HistoryWriter;
  logger: Logger;
  /** How often held values are checked against their max interval. */
  sweepMs?: number;
  now?: () => number;
}

interface TagCompressor {
  tagId: string;
  door: SwingingDoor;
}

const DEFAULT_SWEEP_MS = 1000;

/** Tags whose policy changed: a new door, the old one's held value stored first. */
function samePolicy(door: SwingingDoor, policy: TagHistoryPolicy): boolean {
  return door.policy.deviation === policy.deviation && door.policy.maxIntervalMs === policy.maxIntervalMs;
}

/**
 * The historian's write side: hears every change of the live tag store,
 * keeps those of tags with history enabled, compresses each tag with a
 * swinging door and hands what is to be stored to the writer. `record`
 * takes values with their own timestamps (late, backfilled, Sparkplug
 * historical metrics) and stores them as they are.
 */
export class Historian implements HistoryRecorder {
  private readonly compressors = new Map<string, TagCompressor>();
  private unsubscribe: (() => void) | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: HistorianOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.options.tags.subscribe("#", (update) => this.onChange(update));
    this.sweeper = setInterval(() => this.sweep(), this.options.sweepMs ?? DEFAULT_SWEEP_MS);
    this.sweeper.unref();
  }

  async record(values: readonly { path: string; value: TagValue }[]): Promise<void> {
    const rows: HistoryRow[] = [];
    const unknown: string[] = [];
    for (const { path, value } of values) {
      const tagId = this.options.policies.idOf(path);
      if (tagId === undefined) unknown.push(path);
      else rows.push({ tagId, t: value.t, v: value.v, q: value.q });
    }
    if (unknown.length > 0) {
      throw new Error(`history not recorded: no registered tag ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}`);
    }
    await this.options.writer.add(rows);
  }

  /** Stops listening, stores every held value and writes what is queued (to the database, or the spool). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    const rows: HistoryRow[] = [];
    for (const { tagId, door } of this.compressors.values()) rows.push(...door.flush().map((sample) => rowOf(tagId, sample)));
    this.compressors.clear();
    this.store(rows);
    await this.options.writer.close();
  }

  private onChange({ path, value }: TagUpdate): void {
    const policy = this.options.policies.historyPolicyOf(path);
    let compressor = this.compressors.get(path);
    if (!policy) {
      if (compressor) {
        // History was just turned off: what was held back is still a value the tag had while it was on.
        this.store(compressor.door.flush().map((sample) => rowOf(compressor!.tagId, sample)));
        this.compressors.delete(path);
      }
      return;
    }
    if (compressor && (compressor.tagId !== policy.tagId || !samePolicy(compressor.door, policy))) {
      this.store(compressor.door.flush().map((sample) => rowOf(compressor!.tagId, sample)));
      compressor = undefined;
    }
    if (!compressor) {
      compressor = { tagId: policy.tagId, door: new SwingingDoor({ deviation: policy.deviation, maxIntervalMs: policy.maxIntervalMs }) };
      this.compressors.set(path, compressor);
    }
    const { tagId } = compressor;
    this.store(compressor.door.offer({ t: value.t, v: value.v, q: value.q }).map((sample) => rowOf(tagId, sample)));
  }

  private sweep(): void {
    const nowMs = this.now();
    const rows: HistoryRow[] = [];
    for (const { tagId, door } of this.compressors.values()) {
      for (const sample of door.due(nowMs)) rows.push(rowOf(tagId, sample));
    }
    this.store(rows);
  }

  /** Live values: nobody waits on them; a failure is counted and logged by the writer. */
  private store(rows: HistoryRow[]): void {
    if (rows.length === 0) return;
    this.options.writer.add(rows).catch(() => undefined);
  }
}

function rowOf(tagId: string, sample: HistorySample): HistoryRow {
  return { tagId, t: sample.t, v: sample.v, q: sample.q };
}
