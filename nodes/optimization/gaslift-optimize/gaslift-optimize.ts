import { optimizeGasLift } from "../../../erp-modules/optimization/gas-lift-service.js";
import { sharedGasLiftSolver } from "../../../erp-modules/optimization/gas-lift-solver.js";
import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { requestOf, statusText, type GasliftOptimizeConfig } from "./gaslift-optimize-logic.js";

type Config = NodeDefinition & GasliftOptimizeConfig;

/**
 * On input, shares the lift gas among the gas-lift wells of msg.payload
 * (their curves, current injection, bounds) and sends the recommended
 * allocation as msg.payload. Solves in the site's one HiGHS worker thread
 * (shared with the API), so a flow never stalls the runtime. Computes only:
 * writing setpoints is for a tag-write downstream, after whatever approval
 * the site wants.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "gaslift-optimize", function (this: NodeInstance, config: Config) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const fail = (error: unknown): void => {
        node.status({ fill: "red", shape: "ring", text: error instanceof Error ? error.message : String(error) });
        done(error instanceof Error ? error : new Error(String(error)));
      };
      let request: Record<string, unknown>;
      try {
        request = requestOf(config, msg.payload);
      } catch (error) {
        fail(error);
        return;
      }
      node.status({ fill: "blue", shape: "dot", text: "solving" });
      optimizeGasLift(request, sharedGasLiftSolver(), "msg.payload").then((result) => {
        node.status({ fill: result.status === "infeasible" ? "yellow" : "green", shape: "dot", text: statusText(result) });
        send({ ...msg, payload: result });
        done();
      }, fail);
    });
  });
};
