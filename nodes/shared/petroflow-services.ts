import type { DeviceWrites } from "../../runtime/tags/tag-writes.js";
import type { ProductionEntryPort } from "../../erp-modules/production/ports.js";
import type { GasLiftRunPort } from "../../erp-modules/optimization/ports.js";
import type { NodeRedRuntime } from "./node-red-types.js";
import type { PetroflowServices as SdkServices } from "../../sdk/services.js";
import type { DcaService } from "../../erp-modules/reservoir/dca-service.js";
import type { IprRequest, IprResult } from "../../erp-modules/reservoir/ipr-schema.js";

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

export type { ErpReads, MaintenancePort } from "../../sdk/services.js";

/**
 * What the runtime offers nodes through RED.settings.petroflow: the public
 * node SDK (sdk/services.ts, the same door third-party nodes use) plus what
 * Petroflow's own nodes also reach, which is not promised to anyone else.
 */
export interface PetroflowServices extends SdkServices {
  flows: { latest(): Promise<RevisionInfo | null> };
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
  /** Production accounting as flows may use it: entries and well-test proposals. */
  production: ProductionEntryPort;
  /**
   * The site's asset register, narrowed to what the erp nodes need: `list`
   * for their editor selects (ordered by code, at most ASSET_CHOICE_LIMIT),
   * `idByCode` to turn the codes of shipped flows (TK-01) into this
   * install's ids (null when the register has no such code).
   */
  assets: { list(filter: AssetChoiceFilter): Promise<AssetChoice[]>; idByCode(code: string): Promise<string | null> };
  /** Approved gas-lift runs to write and the record of each write (setpoint-approval node, docs/optimization-closed-loop.md). */
  gasLiftRuns?: GasLiftRunPort;
  /** Reservoir analysis: decline-curve fits, forecasts and type curves (dca-fit, dca-forecast), stateless. */
  reservoir?: { dca: Pick<DcaService, "fit" | "forecast" | "typeCurve"> };
  /** Reservoir inflow performance (ipr-curve node): the same computation as POST /api/v1/reservoir/ipr, validated against its schema. */
  inflowPerformance?: InflowPerformancePort;
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
