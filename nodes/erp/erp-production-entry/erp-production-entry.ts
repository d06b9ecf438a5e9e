import type { NodeDefinition, NodeInstance } from "../../shared/node-red-types.js";
import { petroflowServices, petroflowServicesIfAny, type FlowEntryOperation } from "../../shared/petroflow-services.js";
import { productionEntryCodes, productionEntryInput, type EntryType, type ProductionEntryConfig } from "../shared/production-entry-input.js";
import { lookUpCodes } from "../shared/asset-codes.js";
import { registerAssetChoicesEndpoint, type NodeRedAdminRuntime } from "../shared/asset-choices-endpoint.js";
import { recordOnInput, showWaitingEntries } from "../shared/record-on-input.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

type ProductionEntryNodeConfig = NodeDefinition & ProductionEntryConfig;

/*
 * The ProductionEntryPort method per entry type. The flow entry service
 * (and the port behind it) validates every input against its entry schema
 * and rejects a bad one with a ServiceError naming the field, so the
 * message's fields are handed over as they are instead of being checked twice.
 */
const OPERATIONS: Readonly<Record<EntryType, FlowEntryOperation>> = {
  "tank-gauge": "recordTankGauge",
  "meter-reading": "recordMeterReading",
  "run-ticket": "recordRunTicket",
  downtime: "recordDowntime",
};

/** Records msg.payload as a production entry (tank gauge, meter reading, run ticket, downtime). */
export = function register(RED: NodeRedAdminRuntime): void {
  registerAssetChoicesEndpoint(RED);
  registerPetroflowType(RED, "erp-production-entry", function (this: NodeInstance, config: ProductionEntryNodeConfig) {
    RED.nodes.createNode(this, config);
    showWaitingEntries(this, petroflowServicesIfAny(RED)?.flowEntries, String(config.entryType));
    this.on(
      "input",
      recordOnInput(this, (msg) => {
        const services = petroflowServices(RED);
        const recorded = lookUpCodes(productionEntryCodes(config, msg), (code) => services.assets.idByCode(code)).then((ids) => {
          const built = productionEntryInput(config, msg, ids);
          if ("error" in built) throw new Error(built.error);
          const { entryType, input } = built.value;
          return services.flowEntries.record(OPERATIONS[entryType], input, `flow:${this.id}`);
        });
        return { kind: String(config.entryType), recorded };
      }),
    );
  });
};
