import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { requestOf, statusText, wellCodeOf, type IprCurveConfig } from "./ipr-curve-logic.js";

type Config = NodeDefinition & IprCurveConfig;

/**
 * On input, computes a well's inflow performance curve (Vogel, Fetkovich or
 * composite) through the reservoir module (RED.settings.petroflow
 * .inflowPerformance): from the values in msg.payload and the node's
 * settings, or from a stored well test or multi-rate test. Sends the result
 * as msg.payload; a request missing what the method needs is an error that
 * names the field (Catch nodes see it).
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "ipr-curve", function (this: NodeInstance, config: Config) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const fail = (error: unknown): void => {
        node.status({ fill: "red", shape: "ring", text: error instanceof Error ? error.message : String(error) });
        done(error instanceof Error ? error : new Error(String(error)));
      };
      const compute = async () => {
        const services = petroflowServices(RED);
        if (!services.inflowPerformance) throw new Error("reservoir inflow performance is not available in this runtime");
        const code = wellCodeOf(config, msg.payload);
        const wellIdOfCode = code === undefined ? undefined : await services.assets.idByCode(code);
        return services.inflowPerformance.compute(requestOf(config, msg, wellIdOfCode));
      };
      node.status({ fill: "blue", shape: "dot", text: "computing" });
      compute().then((result) => {
        send({ ...msg, payload: result });
        node.status({ fill: "green", shape: "dot", text: statusText(result) });
        done();
      }, fail);
    });
  });
};
