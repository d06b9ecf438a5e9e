import type { EntryInput, ProductionEntryPort, RecordedEntry } from "../../../erp-modules/production/ports.js";
import type { DowntimeInput, MeterReadingInput, RunTicketInput, TankGaugeInput } from "../../../erp-modules/production/entry-schemas.js";
import type { NodeDefinition, NodeInstance } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import type { EntryFields } from "../shared/entry-fields.js";
import { productionEntryCodes, productionEntryInput, type EntryType, type ProductionEntryConfig } from "../shared/production-entry-input.js";
import { lookUpCodes } from "../shared/asset-codes.js";
import { registerAssetChoicesEndpoint, type NodeRedAdminRuntime } from "../shared/asset-choices-endpoint.js";
import { recordOnInput } from "../shared/record-on-input.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

type ProductionEntryNodeConfig = NodeDefinition & ProductionEntryConfig;

/*
 * The port validates every input against its entry schema and rejects a bad
 * one with a ServiceError naming the field (ports.ts), so the message's
 * fields are handed over as they are instead of being checked twice.
 */
const RECORDERS: Readonly<Record<EntryType, (port: ProductionEntryPort, input: EntryFields, actor: string) => Promise<RecordedEntry>>> = {
  "tank-gauge": (port, input, actor) => port.recordTankGauge(input as EntryInput<TankGaugeInput>, actor),
  "meter-reading": (port, input, actor) => port.recordMeterReading(input as EntryInput<MeterReadingInput>, actor),
  "run-ticket": (port, input, actor) => port.recordRunTicket(input as EntryInput<RunTicketInput>, actor),
  downtime: (port, input, actor) => port.recordDowntime(input as EntryInput<DowntimeInput>, actor),
};

/** Records msg.payload as a production entry (tank gauge, meter reading, run ticket, downtime). */
export = function register(RED: NodeRedAdminRuntime): void {
  registerAssetChoicesEndpoint(RED);
  registerPetroflowType(RED, "erp-production-entry", function (this: NodeInstance, config: ProductionEntryNodeConfig) {
    RED.nodes.createNode(this, config);
    this.on(
      "input",
      recordOnInput(this, (msg) => {
        const services = petroflowServices(RED);
        const recorded = lookUpCodes(productionEntryCodes(config, msg), (code) => services.assets.idByCode(code)).then((ids) => {
          const built = productionEntryInput(config, msg, ids);
          if ("error" in built) throw new Error(built.error);
          const { entryType, input } = built.value;
          return RECORDERS[entryType](services.production, input, `flow:${this.id}`);
        });
        return { kind: String(config.entryType), recorded };
      }),
    );
  });
};
