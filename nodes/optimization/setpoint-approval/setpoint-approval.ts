import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices, type GasLiftRunPort } from "../../shared/petroflow-services.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { readApprovalInput, setpointMessage } from "./setpoint-messages.js";

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The gas-lift closed loop's gate to the devices (docs/optimization-closed-loop.md):
 * a run id in (the approved event) sends one message per setpoint on output 1,
 * only when the service confirms the run is approved, recent and within
 * limits; each setpoint coming back from the device write (tag-write's
 * output, or a Catch node on it) is recorded against its run, then sent on
 * output 2.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "setpoint-approval", function (this: NodeInstance, config: NodeDefinition) {
    RED.nodes.createNode(this, config);
    const node = this;
    const actor = `flow:${node.id}`;
    const runs = (): GasLiftRunPort => {
      const port = petroflowServices(RED).gasLiftRuns;
      if (!port) throw new Error("this runtime has no gas-lift runs service");
      return port;
    };
    node.status({});
    node.on("input", (msg, send, done) => {
      const fail = (error: unknown) => {
        node.status({ fill: "red", shape: "ring", text: asError(error).message.slice(0, 80) });
        done(asError(error));
      };
      const input = readApprovalInput(msg);
      if (input.kind === "invalid") return fail(new Error(input.error));
      let port: GasLiftRunPort;
      try {
        port = runs();
      } catch (error) {
        return fail(error);
      }
      if (input.kind === "run") {
        port.startWrites(input.runId, actor).then((setpoints) => {
          node.status({ fill: "blue", shape: "dot", text: `run ${input.runId.slice(-8)}: writing ${setpoints.length}` });
          // One message per setpoint, so each device write succeeds or fails on its own.
          for (const setpoint of setpoints) send([setpointMessage(setpoint), null]);
          done();
        }, fail);
        return;
      }
      const { setpoint, report } = input;
      port.recordWrite(setpoint.runId, setpoint.setpointId, report, actor).then((write) => {
        node.status({ fill: write.outcome === "confirmed" ? "green" : "yellow", shape: "dot", text: `${setpoint.tagPath} ${write.outcome}` });
        send([null, { topic: setpoint.tagPath, payload: write, setpoint }]);
        done();
      }, fail);
    });
  });
};
