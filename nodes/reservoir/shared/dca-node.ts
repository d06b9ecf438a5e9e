import type { NodeDefinition, NodeInstance, NodeMessage, NodeRedRuntime, NodeStatus } from "../../shared/node-red-types.js";
import { petroflowServices, type PetroflowServices } from "../../shared/petroflow-services.js";

type Dca = NonNullable<PetroflowServices["reservoir"]>["dca"];

/**
 * The body both DCA nodes share: on each message, compute (synchronously,
 * through RED.settings.petroflow.reservoir.dca), send msg.payload = the
 * result, show a short status; any error goes to done(err) and a red
 * status, so Catch nodes see it.
 */
export function onDcaInput<Result>(
  RED: NodeRedRuntime,
  node: NodeInstance,
  config: NodeDefinition,
  compute: (dca: Dca, msg: NodeMessage) => Result,
  statusOf: (result: Result) => NodeStatus,
): void {
  RED.nodes.createNode(node, config);
  node.on("input", (msg, send, done) => {
    let result: Result;
    try {
      const dca = petroflowServices(RED).reservoir?.dca;
      if (!dca) throw new Error("the reservoir module is not available in this runtime");
      result = compute(dca, msg);
    } catch (error) {
      node.status({ fill: "red", shape: "ring", text: error instanceof Error ? error.message.slice(0, 80) : String(error) });
      done(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    node.status(statusOf(result));
    send({ ...msg, payload: result });
    done();
  });
}

/** A number for a status line: 3 significant digits. */
export const short = (value: number | null | undefined): string => (value === null || value === undefined ? "–" : Number(value.toPrecision(3)).toString());
