import type { RecordedEntry } from "../../erp-modules/production/ports.js";

/** The ProductionEntryPort methods a flow entry goes through (erp-modules/production/ports.ts). */
export const FLOW_ENTRY_OPERATIONS = ["recordTankGauge", "recordMeterReading", "recordRunTicket", "recordDowntime", "proposeWellTest"] as const;
export type FlowEntryOperation = (typeof FLOW_ENTRY_OPERATIONS)[number];

/**
 * What became of an entry: written now (`recorded`, the port's answer), or
 * queued in the spool because the database is away (`queued`), to be
 * written, once, when it returns.
 */
export type FlowEntryOutcome =
  | { queued: false; recorded: RecordedEntry }
  | {
      queued: true;
      /** The entry's idempotency key: the drain writes it once, whatever happened before. */
      sourceKey: string;
      /** Entries of this actor (node) waiting, this one included. */
      waiting: number;
    };

/** Told to a node about its own entries: how many wait, and any the drain had to refuse. */
export interface FlowEntryEvent {
  waiting: number;
  /** An entry that waited and was refused when written (a permanent error): it is not retried. */
  refused?: { operation: FlowEntryOperation; input: Record<string, unknown>; error: Error };
}

/**
 * How flows record production entries (RED.settings.petroflow.flowEntries):
 * through the production service while the database answers; into a
 * durable spool while it does not. `actor` is `flow:<node id>`; a node
 * watches its own count with it. Validation and business errors reject at
 * once, as the production port does; a full spool rejects too.
 */
export interface FlowEntries {
  record(operation: FlowEntryOperation, input: Record<string, unknown>, actor: string): Promise<FlowEntryOutcome>;
  /** Entries of this actor waiting in the spool. */
  waiting(actor: string): number;
  /** Calls listener whenever the actor's count changes or one of its entries is refused; returns the unsubscribe function. */
  watch(actor: string, listener: (event: FlowEntryEvent) => void): () => void;
}
