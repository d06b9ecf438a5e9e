/**
 * Petroflow's own runtime pieces for testing a node package with
 * node-red-node-test-helper (`petroflow/sdk/testing`, docs/sdk.md "Testing
 * a node"): the real live tag store, event bus and node config registry
 * the site runs, in memory, with no database. A test hands the result to
 * `helper.settings({ petroflow })`.
 */
import { NodeConfigRegistry } from "../nodes/shared/node-config-versions.js";
import { nodeConfigVersions } from "../nodes/shared/versioned-node.js";
import { ModuleEventBus } from "../runtime/events/event-bus.js";
import { TagStore } from "../runtime/tags/tag-store.js";
import type { FlowEntries } from "../runtime/flow-entries/flow-entry-port.js";
import { defineNodeWith } from "./define-node.js";
import type { PetroflowServices } from "./services.js";
import { PETROFLOW_SDK_VERSION } from "./version.js";

export interface PetroflowTestServicesOptions {
  /** Default `SITE1`. */
  siteId?: string;
  /** Services a test supplies itself (history, alarms, erpReads, …), over the in-memory ones. */
  overrides?: Partial<PetroflowServices>;
}

const noFlowEntries: FlowEntries = {
  record: () => Promise.reject(new Error("production entries are not part of petroflowTestServices; pass overrides.flowEntries")),
  waiting: () => 0,
  watch: () => () => undefined,
};

/** RED.settings.petroflow for a node test: a real TagStore, ModuleEventBus and config registry. */
export function petroflowTestServices(options: PetroflowTestServicesOptions = {}): PetroflowServices {
  const siteId = options.siteId ?? "SITE1";
  const nodeConfigs = nodeConfigVersions(new NodeConfigRegistry());
  const events = new ModuleEventBus(siteId);
  return {
    sdkVersion: PETROFLOW_SDK_VERSION,
    siteId,
    tags: new TagStore(),
    events: { subscribe: (pattern, listener) => events.subscribe(pattern, listener) },
    flowEntries: noFlowEntries,
    nodeConfigs,
    defineNode: defineNodeWith(nodeConfigs),
    ...options.overrides,
  };
}
