/**
 * Petroflow's node SDK: the one public entry point (`petroflow/sdk`) for
 * nodes written outside this repository (docs/sdk.md). A node package
 * imports types from here; at run time everything comes through
 * `RED.settings.petroflow`, the same door Petroflow's own nodes use, so a
 * package never bundles or requires Petroflow itself.
 */
export { PETROFLOW_SDK_VERSION, sdkSatisfies } from "./version.js";
export type { ErpReads, MaintenancePort, NodeTypeDefinition, PetroflowNodeRed, PetroflowServices } from "./services.js";
export {
  INITIAL_CONFIG_VERSION,
  type NodeConfigMigration,
  type NodeConfigRefusal,
  type NodeConfigRefusalCode,
  type VersionedNodeConfig,
} from "../nodes/shared/node-config-versions.js";
export type { NodeConfigVersions } from "../nodes/shared/versioned-node.js";
export type {
  DoneFunction,
  NodeDefinition,
  NodeInstance,
  NodeMessage,
  NodeRedRuntime,
  NodeStatus,
  NodeTypeOptions,
  SendFunction,
} from "../nodes/shared/node-red-types.js";
export type { LiveTags, TagQuality, TagScalar, TagUpdate, TagValue, TagWrite } from "../runtime/tags/tag-types.js";
export type { HistoryPort } from "../runtime/historian/history-types.js";
export type { AlarmPort } from "../runtime/alarms/alarm-types.js";
export type { ModuleEvent, ModuleEventListener } from "../runtime/events/event-bus.js";
export type { FlowEntries, FlowEntryEvent, FlowEntryOperation, FlowEntryOutcome } from "../runtime/flow-entries/flow-entry-port.js";
export type { InventoryFlowPort } from "../erp-modules/inventory/inventory-port.js";
