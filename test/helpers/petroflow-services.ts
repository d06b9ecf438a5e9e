import type { ProductionEntryPort } from "../../erp-modules/production/ports.js";
import { ModuleEventBus } from "../../runtime/events/event-bus.js";
import type { PetroflowServices } from "../../nodes/shared/petroflow-services.js";
import { NodeConfigRegistry } from "../../nodes/shared/node-config-versions.js";
import { nodeConfigVersions } from "../../nodes/shared/versioned-node.js";

function notInThisTest(): Promise<never> {
  return Promise.reject(new Error("production is not part of this test"));
}

/** A production port for node tests that do not record entries: every call rejects, visibly. */
export const unusedProductionPort: ProductionEntryPort = {
  recordTankGauge: notInThisTest,
  recordMeterReading: notInThisTest,
  recordRunTicket: notInThisTest,
  recordDowntime: notInThisTest,
  proposeWellTest: notInThisTest,
};

/**
 * RED.settings.petroflow for node tests: the parts a test names, real event
 * bus, a refusing production port, an empty asset register and an empty
 * node config registry (the nodes register their own types) otherwise.
 */
export function testServices(parts: Pick<PetroflowServices, "siteId" | "flows" | "tags"> & Partial<PetroflowServices>): PetroflowServices {
  return {
    events: new ModuleEventBus(parts.siteId),
    production: unusedProductionPort,
    assets: { list: async () => [], idByCode: async () => null },
    nodeConfigs: nodeConfigVersions(new NodeConfigRegistry()),
    ...parts,
  };
}
