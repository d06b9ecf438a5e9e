/** Sparkplug B 3.0 topic namespace: `spBv1.0/<group>/<type>/<edge node>[/<device>]` and `spBv1.0/STATE/<host id>`. */
export const NAMESPACE = "spBv1.0";

export type MessageType = "NBIRTH" | "NDEATH" | "DBIRTH" | "DDEATH" | "NDATA" | "DDATA" | "NCMD" | "DCMD";

const MESSAGE_TYPES = new Set<string>(["NBIRTH", "NDEATH", "DBIRTH", "DDEATH", "NDATA", "DDATA", "NCMD", "DCMD"]);
const DEVICE_TYPES = new Set<string>(["DBIRTH", "DDEATH", "DDATA", "DCMD"]);

export interface EdgeTopic {
  kind: "edge";
  groupId: string;
  messageType: MessageType;
  edgeNodeId: string;
  deviceId: string | null;
}

export interface StateTopic {
  kind: "state";
  hostId: string;
}

export type SparkplugTopic = EdgeTopic | StateTopic;

/** Group, edge node, device and host ids: no MQTT separators or wildcards. */
export function assertSparkplugId(what: string, id: string): void {
  if (id === "" || /[/+#]/.test(id)) throw new Error(`invalid Sparkplug ${what} ${JSON.stringify(id)}: must be non-empty without / + #`);
}

export function edgeTopic(groupId: string, messageType: MessageType, edgeNodeId: string, deviceId: string | null = null): string {
  return deviceId === null ? `${NAMESPACE}/${groupId}/${messageType}/${edgeNodeId}` : `${NAMESPACE}/${groupId}/${messageType}/${edgeNodeId}/${deviceId}`;
}

export function stateTopic(hostId: string): string {
  return `${NAMESPACE}/STATE/${hostId}`;
}

/** The topic's parts, or null when it is not a Sparkplug B topic we understand. */
export function parseTopic(topic: string): SparkplugTopic | null {
  const parts = topic.split("/");
  if (parts[0] !== NAMESPACE) return null;
  if (parts.length === 3 && parts[1] === "STATE") return { kind: "state", hostId: parts[2] };
  if (parts.length !== 4 && parts.length !== 5) return null;
  const [, groupId, messageType, edgeNodeId, deviceId] = parts;
  if (!MESSAGE_TYPES.has(messageType)) return null;
  if (DEVICE_TYPES.has(messageType) !== (deviceId !== undefined)) return null;
  return { kind: "edge", groupId, messageType: messageType as MessageType, edgeNodeId, deviceId: deviceId ?? null };
}

/** A host application's STATE payload (Sparkplug 3.0: JSON, retained, QoS 1). */
export interface HostState {
  online: boolean;
  timestamp: number;
}

export function encodeHostState(state: HostState): Buffer {
  return Buffer.from(JSON.stringify({ online: state.online, timestamp: state.timestamp }));
}

/** The STATE payload, or null when it is not `{online: boolean, timestamp: number}` (an empty retained clear, a 2.2 "OFFLINE" string). */
export function parseHostState(payload: Uint8Array): HostState | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload).toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return null;
    const { online, timestamp } = parsed as Record<string, unknown>;
    if (typeof online !== "boolean" || typeof timestamp !== "number") return null;
    return { online, timestamp };
  } catch {
    return null;
  }
}
