import type { RecordedEntry } from "../../../erp-modules/production/ports.js";
import type { DoneFunction, NodeInstance, NodeMessage, SendFunction } from "../../shared/node-red-types.js";
import { recordedStatus } from "./recorded-status.js";

/** What a recording node makes of a message: what it records (for the status) and the port's answer. */
export interface Recording {
  kind: string;
  recorded: Promise<RecordedEntry>;
}

/**
 * The input handling every recording erp node shares: `record` builds the
 * entry from the message (throwing on a bad one) and hands it to the port;
 * success sends the RecordedEntry on and shows it, any failure turns the
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
      recorded.then((entry) => {
        node.status(recordedStatus(kind, entry));
        send({ ...msg, payload: entry });
        done();
      }, fail);
    } catch (error) {
      fail(error);
    }
  };
}
