/** A host node input message turned into an NCMD/DCMD (metric writes by name). */
import { coerceToType } from "./metric-mapping.js";
import type { MetricValue, SparkplugMetric, SparkplugPayload } from "./sparkplug-codec.js";
import { assertSparkplugId, edgeTopic } from "./sparkplug-topic.js";

export interface HostCommandRequest {
  groupId: string;
  edgeNodeId: string;
  deviceId?: string;
  metrics: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseHostCommand(payload: unknown): HostCommandRequest {
  if (!isRecord(payload)) throw new Error("payload must be {groupId, edgeNodeId, deviceId?, metrics: {name: value}}");
  const { groupId, edgeNodeId, deviceId, metrics } = payload;
  if (typeof groupId !== "string" || typeof edgeNodeId !== "string") throw new Error("payload.groupId and payload.edgeNodeId must be strings");
  assertSparkplugId("group id", groupId);
  assertSparkplugId("edge node id", edgeNodeId);
  if (deviceId !== undefined && typeof deviceId !== "string") throw new Error("payload.deviceId must be a string");
  if (deviceId !== undefined) assertSparkplugId("device id", deviceId);
  if (!isRecord(metrics) || Object.keys(metrics).length === 0) throw new Error("payload.metrics must name at least one metric");
  return { groupId, edgeNodeId, ...(deviceId !== undefined && { deviceId }), metrics };
}

/** NCMD/DCMD writing metrics by name, typed as their births announced them. */
export function hostCommand(
  request: HostCommandRequest,
  typeOf: (name: string) => string | undefined,
  now: number,
): { topic: string; payload: SparkplugPayload } {
  const metrics: SparkplugMetric[] = Object.entries(request.metrics).map(([name, value]) => {
    const type = typeOf(name);
    if (type === undefined) throw new Error(`metric ${JSON.stringify(name)} is not in the birth of ${request.groupId}/${request.edgeNodeId}${request.deviceId ? `/${request.deviceId}` : ""}`);
    const coerced: MetricValue = coerceToType(type, value);
    return { name, type: type as SparkplugMetric["type"], value: coerced, timestamp: now };
  });
  const deviceId = request.deviceId ?? null;
  return { topic: edgeTopic(request.groupId, deviceId === null ? "NCMD" : "DCMD", request.edgeNodeId, deviceId), payload: { timestamp: now, metrics } };
}
