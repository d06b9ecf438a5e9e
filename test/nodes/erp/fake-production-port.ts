import type { ProductionEntryPort, RecordedEntry } from "../../../erp-modules/production/ports.js";

export interface PortCall {
  method: keyof ProductionEntryPort;
  input: Record<string, unknown>;
  actor: string;
}

/**
 * Records what the nodes ask for and answers like the real service: the
 * first call with a sourceKey records, a repeat replays the first entry.
 * `failWith` makes every call reject (a ServiceError, or the database
 * being away); `hang` makes calls never answer (a partition).
 */
export class FakeProductionPort implements ProductionEntryPort {
  readonly calls: PortCall[] = [];
  failWith: Error | undefined;
  hang = false;
  private readonly byKey = new Map<string, RecordedEntry>();

  /** Entries actually recorded (not replayed), in the order they were. */
  readonly recorded: PortCall[] = [];

  private record(method: keyof ProductionEntryPort, input: Record<string, unknown>, actor: string): Promise<RecordedEntry> {
    this.calls.push({ method, input, actor });
    if (this.hang) return new Promise<never>(() => undefined);
    if (this.failWith) return Promise.reject(this.failWith);
    const key = `${method}/${String(input.sourceKey)}`;
    const earlier = this.byKey.get(key);
    if (earlier) return Promise.resolve({ ...earlier, replayed: true });
    const recorded = { id: `0190a3c2-0000-7000-8000-${String(this.calls.length).padStart(12, "0")}`, replayed: false, entry: { ...input } };
    this.byKey.set(key, recorded);
    this.recorded.push({ method, input, actor });
    return Promise.resolve(recorded);
  }

  recordTankGauge: ProductionEntryPort["recordTankGauge"] = (input, actor) => this.record("recordTankGauge", { ...input }, actor);
  recordMeterReading: ProductionEntryPort["recordMeterReading"] = (input, actor) => this.record("recordMeterReading", { ...input }, actor);
  recordRunTicket: ProductionEntryPort["recordRunTicket"] = (input, actor) => this.record("recordRunTicket", { ...input }, actor);
  recordDowntime: ProductionEntryPort["recordDowntime"] = (input, actor) => this.record("recordDowntime", { ...input }, actor);
  proposeWellTest: ProductionEntryPort["proposeWellTest"] = (input, actor) => this.record("proposeWellTest", { ...input }, actor);
}
