import type { FlowEntries, FlowEntryOutcome } from "../../../runtime/flow-entries/flow-entry-port.js";
import type { DoneFunction, NodeInstance, NodeMessage, SendFunction } from "../../shared/node-red-types.js";
import { drainedStatus, recordedStatus, refusedStatus, waitingStatus } from "./recorded-status.js";

/** What a recording node makes of a message: what it records (for the status) and what became of it. */
export interface Recording {
  kind: string;
  recorded: Promise<FlowEntryOutcome>;
}

/**
 * The input handling every recording erp node shares: `record` builds the
 * entry from the message (throwing on a bad one) and hands it to the flow
 * entry service. A recorded entry is sent on as `payload` and shown green;
 * an entry queued while the database is away is sent on as
 * `{ queued: true, sourceKey, waiting }` and shown yellow with the count.
 * Any failure (a bad message, a business rule, a full spool) turns the
 * status red and goes to done(err), where Catch nodes see it.
 */
export function recordOnInput(node: NodeInstance, record: (msg: NodeMessage) => Recording): (msg: NodeMessage, send: SendFunction, done: DoneFunction) => void {
  return (msg, send, done) => {
    const fail = (error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      node.status({ fill: "red", shape: "ring", text: failure.message });
      done(failure);
    };
    try {
      const { kind, recorded } = record(msg);
      recorded.then((outcome) => {
        if (outcome.queued) {
          node.status(waitingStatus(outcome.waiting));
          send({ ...msg, payload: { queued: true, sourceKey: outcome.sourceKey, waiting: outcome.waiting } });
        } else {
          node.status(recordedStatus(kind, outcome.recorded));
          send({ ...msg, payload: outcome.recorded });
        }
        done();
      }, fail);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * Keeps the node's status in step with its entries in the spool: the count
 * while they wait (also right after a restart or redeploy), green once all
 * are written. An entry the drain refuses turns the status red and goes to
 * Catch nodes with the entry as msg.payload: its original message is long
 * gone. Entries are drained by the runtime whether or not the node exists.
 */
export function showWaitingEntries(node: NodeInstance, flowEntries: FlowEntries | undefined, kind: string): void {
  if (!flowEntries) return;
  const actor = `flow:${node.id}`;
  const waiting = flowEntries.waiting(actor);
  if (waiting > 0) node.status(waitingStatus(waiting));
  const stop = flowEntries.watch(actor, (event) => {
    if (event.refused) {
      const message = `a waiting ${kind} entry was refused when written: ${event.refused.error.message}`;
      node.status(refusedStatus(message));
      node.error(message, { payload: event.refused.input, topic: event.refused.operation });
      return;
    }
    node.status(event.waiting > 0 ? waitingStatus(event.waiting) : drainedStatus());
  });
  node.on("close", (_removed, done) => {
    stop();
    done();
  });
}
