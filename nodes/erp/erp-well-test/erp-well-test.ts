import type { NodeDefinition, NodeInstance } from "../../shared/node-red-types.js";
import { petroflowServices, petroflowServicesIfAny } from "../../shared/petroflow-services.js";
import { registerAssetChoicesEndpoint, type NodeRedAdminRuntime } from "../shared/asset-choices-endpoint.js";
import { recordOnInput, showWaitingEntries } from "../shared/record-on-input.js";
import { wellTestCodes, wellTestInput, type WellTestConfig } from "../shared/well-test-input.js";
import { lookUpCodes } from "../shared/asset-codes.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

type WellTestNodeConfig = NodeDefinition & WellTestConfig;

/** Proposes a well test from msg.payload or from the test separator's tags; an engineer approves it later. */
export = function register(RED: NodeRedAdminRuntime): void {
  registerAssetChoicesEndpoint(RED);
  registerPetroflowType(RED, "erp-well-test", function (this: NodeInstance, config: WellTestNodeConfig) {
    RED.nodes.createNode(this, config);
    showWaitingEntries(this, petroflowServicesIfAny(RED)?.flowEntries, "well test");
    this.on(
      "input",
      recordOnInput(this, (msg) => {
        const services = petroflowServices(RED);
        const recorded = lookUpCodes(wellTestCodes(config, msg), (code) => services.assets.idByCode(code)).then((ids) => {
          // Tags are read once the well is known, so the test holds the latest readings.
          const built = wellTestInput(config, msg, services.tags, ids);
          if ("error" in built) throw new Error(built.error);
          // The flow entry service validates the input against WellTestInputSchema.
          return services.flowEntries.record("proposeWellTest", built.value, `flow:${this.id}`);
        });
        return { kind: "well test", recorded };
      }),
    );
  });
};
