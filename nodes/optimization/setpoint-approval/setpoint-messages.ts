import type { SetpointToWrite, WriteReport, WriteResult } from "../../shared/petroflow-services.js";
import type { NodeMessage } from "../../shared/node-red-types.js";

/*
 * The messages of the setpoint-approval node (docs/optimization-closed-loop.md
 * "The flow"). Pure: the node's I/O is in setpoint-approval.ts.
 */

/** What the node reads off a message: a run to write, or the outcome of one setpoint's write coming back. */
export type ApprovalInput = { kind: "run"; runId: string } | { kind: "outcome"; setpoint: SetpointToWrite; report: WriteReport } | { kind: "invalid"; error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isSetpoint(value: unknown): value is SetpointToWrite {
  const candidate = value as Partial<SetpointToWrite> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.runId === "string" &&
    typeof candidate.setpointId === "string" &&
    typeof candidate.tagPath === "string" &&
    typeof candidate.valueSm3PerDay === "number"
  );
}

function isWriteResult(value: unknown): value is WriteResult {
  const candidate = value as Partial<WriteResult> | null;
  return typeof candidate === "object" && candidate !== null && typeof candidate.confirmed === "boolean";
}

function errorText(error: unknown): string {
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
  return String(error);
}

/**
 * A message carrying `setpoint` (one this node sent) is an outcome: with
 * `write` (tag-write's read-back) it was written, with `error` (a Catch node
 * on the device write) it failed. Otherwise the run id is taken from
 * msg.payload.runId (the erp-event node's `optimization.gas_lift_run.approved`)
 * or msg.runId.
 */
export function readApprovalInput(msg: NodeMessage): ApprovalInput {
  if (msg.setpoint !== undefined) {
    if (!isSetpoint(msg.setpoint)) return { kind: "invalid", error: "msg.setpoint is not a setpoint this node sent" };
    if (isWriteResult(msg.write)) {
      const readBack = typeof msg.write.readBack === "number" ? msg.write.readBack : null;
      return {
        kind: "outcome",
        setpoint: msg.setpoint,
        report: msg.write.confirmed ? { outcome: "confirmed", readBackSm3PerDay: readBack } : { outcome: "unconfirmed", readBackSm3PerDay: readBack, detail: msg.write.detail ?? null },
      };
    }
    if (msg.error !== undefined) return { kind: "outcome", setpoint: msg.setpoint, report: { outcome: "failed", detail: errorText(msg.error).slice(0, 2000) } };
    return { kind: "invalid", error: "msg.setpoint came back with neither msg.write (written) nor msg.error (failed): is the tag-write set to write to the device?" };
  }
  const payload = msg.payload as { runId?: unknown } | null | undefined;
  const runId = typeof payload === "object" && payload !== null && payload.runId !== undefined ? payload.runId : msg.runId;
  if (typeof runId !== "string" || !UUID.test(runId)) return { kind: "invalid", error: "no run: send msg.payload.runId (the approved event) or msg.runId as a run id" };
  return { kind: "run", runId };
}

/** One message per setpoint, for a tag-write set to the device: topic the tag, payload the value in Sm3/d. */
export function setpointMessage(setpoint: SetpointToWrite): NodeMessage {
  return { topic: setpoint.tagPath, payload: setpoint.valueSm3PerDay, setpoint };
}
