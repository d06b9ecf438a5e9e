import type { DowntimeInput, MeterReadingInput, RunTicketInput, TankGaugeInput, WellTestInput } from "./entry-schemas.js";

/** Fields the entry schemas give a default. */
type DefaultedField = "source" | "notes" | "carrier";

/** An input as a caller may send it: fields with schema defaults are optional. */
export type EntryInput<T extends { source: unknown; notes: unknown }> = Omit<T, DefaultedField> & Partial<Pick<T, Extract<keyof T, DefaultedField>>>;

/** A recorded entry as callers (nodes, API) get it back. */
export interface RecordedEntry {
  id: string;
  /** True when this call found an earlier entry with the same sourceKey and recorded nothing. */
  replayed: boolean;
  /** The entry as stored (numbers in canonical SI units). */
  entry: Record<string, unknown>;
}

/**
 * What flows may do to production accounting (RED.settings.petroflow.production).
 * Inputs are validated against the entry schemas; a bad input or a broken
 * business rule rejects with a ServiceError naming the field. `actor` is
 * who the audit log names (`flow:<node id>` for nodes).
 */
export interface ProductionEntryPort {
  recordTankGauge(input: EntryInput<TankGaugeInput>, actor: string): Promise<RecordedEntry>;
  recordMeterReading(input: EntryInput<MeterReadingInput>, actor: string): Promise<RecordedEntry>;
  recordRunTicket(input: EntryInput<RunTicketInput>, actor: string): Promise<RecordedEntry>;
  recordDowntime(input: EntryInput<DowntimeInput>, actor: string): Promise<RecordedEntry>;
  proposeWellTest(input: EntryInput<WellTestInput>, actor: string): Promise<RecordedEntry>;
}
