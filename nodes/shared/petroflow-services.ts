import type { LiveTags } from "../../runtime/tags/tag-types.js";
import type { DeviceWrites } from "../../runtime/tags/tag-writes.js";
import type { ModuleEventListener } from "../../runtime/events/event-bus.js";
import type { ProductionEntryPort } from "../../erp-modules/production/ports.js";
import type { GasLiftRunPort } from "../../erp-modules/optimization/ports.js";
import type { InventoryFlowPort } from "../../erp-modules/inventory/inventory-port.js";
import type { FlowEntries } from "../../runtime/flow-entries/flow-entry-port.js";
import type { NodeRedRuntime } from "./node-red-types.js";
import type { NodeConfigVersions } from "./versioned-node.js";
import type { HistoryPort } from "../../runtime/historian/history-types.js";
import type { AlarmPort } from "../../runtime/alarms/alarm-types.js";
import type { DcaService } from "../../erp-modules/reservoir/dca-service.js";
import type { IprRequest, IprResult } from "../../erp-modules/reservoir/ipr-schema.js";
import type { WorkOrderService } from "../../erp-modules/maintenance/work-order-service.js";
import type { PlanService } from "../../erp-modules/maintenance/plan-service.js";
import type { AssetService } from "../../erp-modules/assets/service.js";
import type { InventoryService } from "../../erp-modules/inventory/service.js";
import type { PurchaseOrderService } from "../../erp-modules/procurement/purchase-order-service.js";
import type { ReceivingService } from "../../erp-modules/procurement/receiving-service.js";
import type { RequisitionService } from "../../erp-modules/procurement/requisition-service.js";
import type { SupplierService } from "../../erp-modules/procurement/supplier-service.js";
import type { AllocationService } from "../../erp-modules/production/allocation-service.js";
import type { ReportService } from "../../erp-modules/production/report-service.js";
import type { WellSeriesService } from "../../erp-modules/production/well-series-service.js";
import type { ForecastService } from "../../erp-modules/reservoir/forecast-service.js";
import type { GasLiftRunService } from "../../erp-modules/optimization/gas-lift-run-service.js";

export type { FlowEntries, FlowEntryEvent, FlowEntryOperation, FlowEntryOutcome } from "../../runtime/flow-entries/flow-entry-port.js";

export type { ModuleEvent, ModuleEventListener } from "../../runtime/events/event-bus.js";

export type { DeviceWriter, DeviceWrites, WriteResult } from "../../runtime/tags/tag-writes.js";

export type { GasLiftRunPort, SetpointToWrite, SetpointWrite, WriteReport } from "../../erp-modules/optimization/ports.js";

export type { LiveTags, TagQuality, TagScalar, TagUpdate, TagValue, TagWrite } from "../../runtime/tags/tag-types.js";

/** A flow revision as nodes see it. */
export interface RevisionInfo {
  number: number;
  sha256: string;
  author: string | null;
  message: string;
  createdAt: string;
}

/** Which assets an erp node's editor offers for one of its id fields. */
export interface AssetChoiceFilter {
  kind: "well" | "site" | "equipment";
  /** Only with kind "equipment". */
  equipmentType?: "tank" | "meter";
}

/** The most assets `assets.list` answers: one editor select's worth (a site's register holds far fewer of one kind). */
export const ASSET_CHOICE_LIMIT = 500;

/** An asset as the erp nodes' editor selects show it. */
export interface AssetChoice {
  id: string;
  code: string;
  name: string;
}

/**
 * What the runtime offers nodes through RED.settings.petroflow: the same
 * door our own nodes and third-party nodes use. Grows with each service.
 */
export interface PetroflowServices {
  siteId: string;
  flows: { latest(): Promise<RevisionInfo | null> };
  /** The live tag store: device nodes write, tag nodes read and subscribe. */
  tags: LiveTags;
  /**
   * The device write path (docs/setpoints.md): device nodes register a
   * writer for the tags they own; tag-write "to the device" and the web
   * app's faceplate write through requestWrite. Optional for services built
   * before it existed.
   */
  tagWrites?: DeviceWrites;
  /** The site's data dir: nodes that keep durable state (the Sparkplug edge's buffer spool) keep it under it. */
  dataDir?: string;
  /** The site's OPC UA client certificate store (PKI folder in the data dir); OPC UA nodes refuse to connect without it. */
  opcuaPkiDir?: string;
  /** Module events (`production.allocation.completed`, ...): the erp-event node listens here. */
  events: { subscribe(pattern: string, listener: ModuleEventListener): () => void };
  /** Production accounting as flows may use it: entries and well-test proposals. */
  production: ProductionEntryPort;
  /**
   * The same entries, kept in a durable spool while the database is
   * unavailable and written once when it returns (docs/spool.md). The erp
   * nodes record through this, not through `production`.
   */
  flowEntries: FlowEntries;
  /**
   * The site's asset register, narrowed to what the erp nodes need: `list`
   * for their editor selects (ordered by code, at most ASSET_CHOICE_LIMIT),
   * `idByCode` to turn the codes of shipped flows (TK-01) into this
   * install's ids (null when the register has no such code).
   */
  assets: { list(filter: AssetChoiceFilter): Promise<AssetChoice[]>; idByCode(code: string): Promise<string | null> };
  /** Versioned node configs: `registerType` for a node whose config may change shape (README "Writing nodes"). */
  nodeConfigs: NodeConfigVersions;
  /** The historian: queries (history-query node) and values with their own timestamps (Sparkplug historical metrics). */
  history?: HistoryPort;
  /** The alarm engine: transitions (alarm-events), acknowledge (alarm-ack), shelve (alarm-shelve), system alarms. */
  alarms?: AlarmPort;
  /** Approved gas-lift runs to write and the record of each write (setpoint-approval node, docs/optimization-closed-loop.md). */
  gasLiftRuns?: GasLiftRunPort;
  /**
   * Inventory as flows may use it (erp-stock-move): the InventoryPort, plus
   * transfers between stores. Optional for services built before it existed.
   */
  inventory?: InventoryFlowPort;
  /** Reservoir analysis: decline-curve fits, forecasts and type curves (dca-fit, dca-forecast), stateless. */
  reservoir?: { dca: Pick<DcaService, "fit" | "forecast" | "typeCurve"> };
  /** Reservoir inflow performance (ipr-curve node): the same computation as POST /api/v1/reservoir/ipr, validated against its schema. */
  inflowPerformance?: InflowPerformancePort;
  /** Maintenance work orders (erp-work-order node, docs/erp-maintenance.md) and how long an alarm must stay active before one opens. */
  maintenance?: MaintenancePort;
  /** Read-only views of every ERP module (erp-query node, docs/nodes-erp.md "erp-query"). Optional for services built before it existed. */
  erpReads?: ErpReads;
}

/**
 * The read methods of each ERP module, and nothing else: the erp-query node
 * reads through these. The runtime hands over bound copies of these methods
 * only (runtime/main.ts), so a flow holding this object cannot reach a write
 * method of the service. Reads take no actor; the flow principal
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

/** An IPR curve from a request (IprRequestSchema); rejects with a ServiceError naming the field when the request lacks what it needs. */
export interface InflowPerformancePort {
  compute(request: IprRequest | Record<string, unknown>): Promise<IprResult>;
}

function isPetroflowServices(value: unknown): value is PetroflowServices {
  const candidate = value as Partial<PetroflowServices> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.siteId === "string" &&
    typeof candidate.flows?.latest === "function" &&
    typeof candidate.tags?.write === "function"
  );
}

/** The services, or a clear error when a node runs outside a Petroflow runtime (e.g. plain Node-RED). */
export function petroflowServices(RED: NodeRedRuntime): PetroflowServices {
  const services = RED.settings.petroflow;
  if (!isPetroflowServices(services)) {
    throw new Error("Petroflow services are not available: this node must run inside the Petroflow runtime");
  }
  return services;
}

/** The services, or undefined outside a Petroflow runtime: for what a node sets up at start, before any message can report the error. */
export function petroflowServicesIfAny(RED: NodeRedRuntime): PetroflowServices | undefined {
  const services = RED.settings.petroflow;
  return isPetroflowServices(services) ? services : undefined;
}
