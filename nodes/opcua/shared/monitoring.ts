import {
  AttributeIds,
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  StatusCodes,
  type MonitoringParametersOptions,
  type ReadValueIdOptions,
  type StatusCode,
} from "node-opcua";
import { SESSION_TIMEOUT_MS } from "./connection-options.js";
import { describeStatus } from "./data-value.js";

export type DeadbandKind = "none" | "absolute" | "percent";

export interface MonitoringConfig {
  samplingIntervalMs: number;
  publishingIntervalMs: number;
  deadband: DeadbandKind;
  /** Absolute: engineering units; percent: of the variable's EURange (0–100). */
  deadbandValue: number;
  queueSize: number;
  /** Monitored items per CreateMonitoredItems call. */
  batchSize: number;
}

function positive(name: string, value: unknown, fallback: number): number {
  const number = value === undefined || value === "" ? fallback : Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`${name} must be a number ≥ 0, got ${JSON.stringify(value)}`);
  return number;
}

/** Validated monitoring settings from a node's config (strings from the editor allowed). */
export function monitoringConfig(raw: Record<string, unknown>): MonitoringConfig {
  const deadband = raw.deadband ?? "none";
  if (deadband !== "none" && deadband !== "absolute" && deadband !== "percent") throw new Error(`deadband must be none, absolute or percent, got ${JSON.stringify(deadband)}`);
  const config: MonitoringConfig = {
    samplingIntervalMs: positive("sampling interval", raw.samplingInterval, 1000),
    publishingIntervalMs: positive("publishing interval", raw.publishingInterval, 1000),
    deadband,
    deadbandValue: deadband === "none" ? 0 : positive("deadband value", raw.deadbandValue, 0),
    queueSize: Math.max(1, Math.floor(positive("queue size", raw.queueSize, 1))),
    batchSize: Math.floor(positive("batch size", raw.batchSize, 500)),
  };
  if (config.batchSize < 1) throw new Error("batch size must be at least 1");
  if (deadband === "percent" && config.deadbandValue > 100) throw new Error(`a percent deadband is 0–100, got ${config.deadbandValue}`);
  return config;
}

/** The MonitoringParameters of every item: sampling, queue, and the deadband as a DataChangeFilter. */
export function monitoringParameters(config: MonitoringConfig): MonitoringParametersOptions {
  const parameters: MonitoringParametersOptions = { samplingInterval: config.samplingIntervalMs, queueSize: config.queueSize, discardOldest: true };
  if (config.deadband === "none") return parameters;
  return {
    ...parameters,
    filter: new DataChangeFilter({
      trigger: DataChangeTrigger.StatusValue,
      deadbandType: config.deadband === "absolute" ? DeadbandType.Absolute : DeadbandType.Percent,
      deadbandValue: config.deadbandValue,
    }),
  };
}

/** Why the server refused a monitored item, with what to change when the deadband is the cause. */
export function refusalReason(statusCode: StatusCode, deadband: DeadbandKind): string {
  const reason = `OPC UA monitored item refused: ${describeStatus(statusCode)}`;
  if (deadband === "percent" && statusCode.equals(StatusCodes.BadMonitoredItemFilterUnsupported)) {
    return `${reason}: a percent deadband needs an EURange on the server's variable (an AnalogItem) and this one has none; use an absolute deadband`;
  }
  if (deadband !== "none" && statusCode.equals(StatusCodes.BadDeadbandFilterInvalid)) return `${reason}: the server refuses this deadband value`;
  return reason;
}

/** The Value attribute of each node, to monitor. */
export function itemsToMonitor(nodeIds: readonly string[]): ReadValueIdOptions[] {
  return nodeIds.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value }));
}

/** Splits a list into batches of at most `size` (one CreateMonitoredItems call each). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a whole number ≥ 1, got ${size}`);
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * CreateSubscription parameters: keep-alive about every 10 s; lifetime at
 * least 3 keep-alives (OPC UA's minimum) and at least the session timeout,
 * so a subscription lives through every outage its session lives through.
 */
export function subscriptionParameters(config: MonitoringConfig): {
  requestedPublishingInterval: number;
  requestedMaxKeepAliveCount: number;
  requestedLifetimeCount: number;
  maxNotificationsPerPublish: number;
  publishingEnabled: boolean;
  priority: number;
} {
  const keepAlive = Math.max(2, Math.ceil(10_000 / Math.max(config.publishingIntervalMs, 1)));
  return {
    requestedPublishingInterval: config.publishingIntervalMs,
    requestedMaxKeepAliveCount: keepAlive,
    requestedLifetimeCount: Math.max(keepAlive * 3, Math.ceil(SESSION_TIMEOUT_MS / Math.max(config.publishingIntervalMs, 1))),
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    priority: 10,
  };
}
