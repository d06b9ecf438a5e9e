import type { SetpointWrite } from "./gas-lift-run-schema.js";
import type { SetpointToWrite, WriteReport } from "./gas-lift-run-service.js";

export type { SetpointToWrite, WriteReport } from "./gas-lift-run-service.js";
export type { SetpointWrite } from "./gas-lift-run-schema.js";

/**
 * What the setpoint-approval node may do with gas-lift runs
 * (docs/optimization-closed-loop.md): take an approved run to write, the
 * service re-checking its approval, age and limits, and report each write.
 */
export interface GasLiftRunPort {
  startWrites(runId: string, actor: string): Promise<SetpointToWrite[]>;
  recordWrite(runId: string, setpointId: string, report: WriteReport, actor: string): Promise<SetpointWrite>;
}
