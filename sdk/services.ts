import type { LiveTags } from "../runtime/tags/tag-types.js";
import type { ModuleEventListener } from "../runtime/events/event-bus.js";
import type { HistoryPort } from "../runtime/historian/history-types.js";
import type { AlarmPort } from "../runtime/alarms/alarm-types.js";
import type { FlowEntries } from "../runtime/flow-entries/flow-entry-port.js";
import type { InventoryFlowPort } from "../erp-modules/inventory/inventory-port.js";
import type { WorkOrderService } from "../erp-modules/maintenance/work-order-service.js";
import type { PlanService } from "../erp-modules/maintenance/plan-service.js";
import type { AssetService } from "../erp-modules/assets/service.js";
import type { InventoryService } from "../erp-modules/inventory/service.js";
import type { PurchaseOrderService } from "../erp-modules/procurement/purchase-order-service.js";
import type { ReceivingService } from "../erp-modules/procurement/receiving-service.js";
import type { RequisitionService } from "../erp-modules/procurement/requisition-service.js";
import type { SupplierService } from "../erp-modules/procurement/supplier-service.js";
import type { AllocationService } from "../erp-modules/production/allocation-service.js";
import type { ReportService } from "../erp-modules/production/report-service.js";
import type { WellSeriesService } from "../erp-modules/production/well-series-service.js";
import type { ForecastService } from "../erp-modules/reservoir/forecast-service.js";
import type { GasLiftRunService } from "../erp-modules/optimization/gas-lift-run-service.js";
import type { NodeConfigVersions } from "../nodes/shared/versioned-node.js";
import type { NodeDefinition, NodeInstance, NodeRedRuntime, NodeTypeOptions } from "../nodes/shared/node-red-types.js";
import type { NodeConfigMigration } from "../nodes/shared/node-config-versions.js";

/**
 * The read methods of each ERP module, and nothing else: the erp-query node
 * reads through these. The runtime hands over bound copies of these methods
 * only (runtime/erp-reads.ts), so a flow holding this object cannot reach a
 * write method of the service. Reads take no actor; the flow principal
 * (`flow:<node id>`) may read every module, as an engineer may.
 * A module adds its member here and its queries to the erp-query catalogue.
 */
export interface ErpReads {
  assets: Pick<AssetService, "list" | "get" | "findByCode" | "findByTag">;
  production: {
    allocation: Pick<AllocationService, "listRuns" | "getRun">;
    reports: Pick<ReportService, "daily">;
    wellSeries: Pick<WellSeriesService, "allocatedDays">;
  };
  inventory: Pick<InventoryService, "getItem" | "onHand" | "availability" | "listReorderPoints">;
  maintenance: {
    workOrders: Pick<WorkOrderService, "list" | "get">;
    plans: Pick<PlanService, "list">;
  };
  reservoir: { forecasts: Pick<ForecastService, "current" | "list"> };
  optimization: { gasLiftRuns: Pick<GasLiftRunService, "listRuns" | "getRun"> };
  procurement: {
    suppliers: Pick<SupplierService, "list">;
    requisitions: Pick<RequisitionService, "listLines">;
    purchaseOrders: Pick<PurchaseOrderService, "list" | "detail">;
    receiving: Pick<ReceivingService, "listInvoices">;
  };
}

/** Work orders as flows open and move them; inputs are validated against the API's schemas (a ServiceError names the field). */
export interface MaintenancePort {
  workOrders: Pick<WorkOrderService, "create" | "get" | "update" | "transition">;
  /** settings.maintenanceAlarmDelayMinutes: the default hold of an alarm-opened work order. */
  alarmDelayMinutes: number;
}

/**
 * One node type for defineNode: its config versions and its constructor.
 * `configVersion` repeats the last step's `to` on purpose: bumping it
 * without writing the step (or the reverse) fails when the package loads,
 * not in a site's deployed flow.
 */
export interface NodeTypeDefinition<Config extends NodeDefinition> {
  type: string;
  /** The version new configs of this type carry: the `to` of the last migration. */
  configVersion: number;
  /** Steps to 1, 2, …, configVersion; `[INITIAL_CONFIG_VERSION]` for a new type. */
  migrations: readonly NodeConfigMigration[];
  /** The node's constructor; `config` is always at `configVersion`. */
  create: (this: NodeInstance, config: Config) => void;
  credentials?: NodeTypeOptions["credentials"];
  settings?: NodeTypeOptions["settings"];
}

/**
 * What a node reaches through `RED.settings.petroflow`: the public node
 * SDK (docs/sdk.md). Stable across the SDK's minor versions: members are
 * only added (as optional ones when an older runtime may lack them), never
 * removed or changed; test/unit/sdk/sdk-surface.test.ts holds the line.
 */
export interface PetroflowServices {
  /** The SDK version this runtime provides (PETROFLOW_SDK_VERSION), not the app's version. */
  readonly sdkVersion: string;
  /** The site this runtime serves, e.g. `SITE1`. */
  readonly siteId: string;
  /** The live tag store: read, write (`{ v, q?, t? }`) and subscribe by `<site>/<asset>/<point>` pattern. */
  readonly tags: LiveTags;
  /** The historian: raw and aggregated queries, and values with their own timestamps. */
  readonly history?: HistoryPort;
  /** The alarm engine: list, subscribe to transitions, acknowledge, shelve, system alarms. */
  readonly alarms?: AlarmPort;
  /** Module events (`production.allocation.completed`, …) by pattern; returns the unsubscribe function. */
  readonly events: { subscribe(pattern: string, listener: ModuleEventListener): () => void };
  /** Read-only views of every ERP module (what the erp-query node reads). */
  readonly erpReads?: ErpReads;
  /** Production entries (tank gauges, meter readings, run tickets, downtime, well tests), spooled while the database is away. */
  readonly flowEntries: FlowEntries;
  /** Stock moves and transfers between stores (what erp-stock-move writes). */
  readonly inventory?: InventoryFlowPort;
  /** Work orders as flows open and move them (what erp-work-order writes). */
  readonly maintenance?: MaintenancePort;
  /** Versioned node configs: the registry and the low-level registerType defineNode is built on. */
  readonly nodeConfigs: NodeConfigVersions;
  /** Registers a node type with versioned configs (RED.nodes.registerType plus migrations). */
  defineNode<Config extends NodeDefinition>(RED: NodeRedRuntime, definition: NodeTypeDefinition<Config>): void;
}

/** Node-RED's `RED` as a node module gets it, with the Petroflow services typed. */
export interface PetroflowNodeRed extends NodeRedRuntime {
  settings: Record<string, unknown> & { readonly petroflow?: PetroflowServices };
}
