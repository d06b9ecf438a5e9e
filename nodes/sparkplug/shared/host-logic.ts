/**
 * A Sparkplug B Host Application without I/O: it follows each edge node's
 * session (bdSeq, seq, aliases from births), turns metrics into tag writes,
 * marks tags bad on deaths and decides when to ask for a rebirth.
 */
import type { TagValue, TagWrite } from "../../shared/petroflow-services.js";
import { HostAliasTable } from "./alias-table.js";
import { BD_SEQ, NODE_REBIRTH, isControlMetric, qualityReason, tagPathFor, tagQuality } from "./metric-mapping.js";
import { nextSeqNumber } from "./sequence.js";
import { encodeHostState, edgeTopic, stateTopic } from "./sparkplug-topic.js";
import type { EdgeTopic } from "./sparkplug-topic.js";
import { isSupportedMetric, isUntypedMetric, withType } from "./sparkplug-codec.js";
import type { DecodedMetric, DecodedPayload, MetricValue, SparkplugPayload } from "./sparkplug-codec.js";

export interface HostMetric {
  name: string;
  path: string;
  value: MetricValue;
  t: number;
  historical: boolean;
  /** Why the value could not be decoded (value is then null and the tag is marked bad with this reason). */
  invalid?: string;
  /** A 64-bit integer beyond ±2^53, exactly (value is the nearest double). */
  exact?: string;
}

export interface RebirthRequest {
  groupId: string;
  edgeNodeId: string;
  reason: string;
  topic: string;
  payload: SparkplugPayload;
}

export interface HostOutcome {
  writes: { path: string; value: TagWrite }[];
  /** Tags of a dead edge node or device, to mark bad with the reason. */
  bad?: { paths: string[]; reason: string };
  /** Metrics whose value could not be decoded: their tags keep the last value, marked bad with the reason. */
  undecodable?: { path: string; reason: string; t: number }[];
  rebirth?: RebirthRequest;
  /** Why the whole message was refused (nothing written); only set when filing by group id. */
  refused?: string;
  /** Historical metrics with their own timestamps, for the historian (only with historicalToHistory). */
  history?: { path: string; value: TagValue }[];
  /** The message's metrics, resolved, for the node's output. */
  metrics: HostMetric[];
}

export interface CommandTarget {
  groupId: string;
  edgeNodeId: string;
  deviceId: string | null;
  name: string;
}

interface EdgeSession {
  bdSeq: number | null;
  seq: number | null;
  aliases: HostAliasTable;
  /** Tag paths seen per device ("" = node level), for death handling. */
  paths: Map<string, Set<string>>;
  /** When the last rebirth was asked for (epoch ms), reset by an NBIRTH. */
  rebirthAskedAt: number | null;
}

export interface HostOptions {
  siteId: string;
  /** A repeated rebirth request for the same edge node waits at least this long (ms), unless an NBIRTH arrived since. */
  rebirthHoldoffMs?: number;
  /** Latest value time per tag path, so historical values older than the live one do not overwrite it. */
  currentTime?: (path: string) => number | undefined;
  /**
   * Historical metrics (is_historical) go to `outcome.history`, to be stored
   * at their own timestamps, and never to the live tags. Without it they are
   * written as live values when newer than the tag's current one.
   */
  historicalToHistory?: boolean;
  /**
   * File metrics under the publishing Sparkplug group id instead of `siteId`
   * (the cloud role: sites publish with group id = site id). A group id that
   * is not a valid site id is refused for that message, never sanitised.
   */
  siteFromGroup?: boolean;
}

/** A Petroflow site id (settings `siteId`): the only group ids a host filing by group accepts. */
export const SITE_ID_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,31}$/;

/** The NCMD asking an edge node to publish its births again. */
export function rebirthCommand(groupId: string, edgeNodeId: string, now: number): { topic: string; payload: SparkplugPayload } {
  return {
    topic: edgeTopic(groupId, "NCMD", edgeNodeId),
    payload: { timestamp: now, metrics: [{ name: NODE_REBIRTH, type: "Boolean", value: true }] },
  };
}

/** The host's STATE message (Sparkplug 3.0: JSON, QoS 1, retained); the Will carries the same timestamp as the online birth. */
export function hostStateMessage(hostId: string, online: boolean, timestamp: number): { topic: string; payload: Buffer; qos: 1; retain: true } {
  return { topic: stateTopic(hostId), payload: encodeHostState({ online, timestamp }), qos: 1, retain: true };
}

/** The bdSeq metric of an NBIRTH or NDEATH (Int64, though some stacks send it without datatype). */
function bdSeqOf(payload: DecodedPayload): number | undefined {
  const metric = payload.metrics.find((m) => m.name === BD_SEQ);
  const typed = metric && isUntypedMetric(metric) ? withType(metric, "Int64") : metric;
  return typed && isSupportedMetric(typed) && typeof typed.value === "number" ? typed.value : undefined;
}

export class HostLogic {
  private readonly sessions = new Map<string, EdgeSession>();
  /** The metric behind each tag path seen, kept across sessions: a command goes to where the tag comes from. */
  private readonly targets = new Map<string, CommandTarget>();
  private readonly holdoff: number;

  constructor(private readonly options: HostOptions) {
    this.holdoff = options.rebirthHoldoffMs ?? 5000;
  }

  /** One Sparkplug message from an edge node (never the host's own NCMD/DCMD). */
  handle(topic: EdgeTopic, payload: DecodedPayload, now: number): HostOutcome {
    const key = `${topic.groupId}/${topic.edgeNodeId}`;
    let session = this.sessions.get(key);
    const outcome: HostOutcome = { writes: [], metrics: [] };
    if (this.options.siteFromGroup && !SITE_ID_PATTERN.test(topic.groupId)) {
      outcome.refused = `group id "${topic.groupId}" is not a valid site id (${String(SITE_ID_PATTERN)}): its ${topic.messageType} is not filed`;
      return outcome;
    }
    switch (topic.messageType) {
      case "NBIRTH": {
        session = { bdSeq: bdSeqOf(payload) ?? null, seq: payload.seq ?? 0, aliases: new HostAliasTable(), paths: new Map(), rebirthAskedAt: null };
        this.sessions.set(key, session);
        this.learn(session, null, payload);
        this.values(topic, session, null, payload, now, outcome);
        return outcome;
      }
      case "NDEATH": {
        const deathSeq = bdSeqOf(payload);
        // An NDEATH whose bdSeq is not the current session's is a late Will of an older one.
        if (!session || (session.bdSeq !== null && deathSeq !== undefined && deathSeq !== session.bdSeq)) return outcome;
        this.sessions.delete(key);
        const paths = [...session.paths.values()].flatMap((set) => [...set]);
        if (paths.length > 0) outcome.bad = { paths, reason: `NDEATH: edge node ${key} went offline (bdSeq ${session.bdSeq ?? "?"})` };
        return outcome;
      }
      case "NCMD":
      case "DCMD":
        return outcome;
      default:
        break;
    }
    if (!session) {
      this.askRebirth(key, topic, this.placeholder(key), `${topic.messageType} before any NBIRTH`, now, outcome);
      return outcome;
    }
    if (payload.seq !== undefined && session.seq !== null && payload.seq !== nextSeqNumber(session.seq)) {
      this.askRebirth(key, topic, session, `seq gap: expected ${nextSeqNumber(session.seq)}, got ${payload.seq}`, now, outcome);
    }
    if (payload.seq !== undefined) session.seq = payload.seq;
    const deviceId = topic.deviceId;
    if (topic.messageType === "DBIRTH" && deviceId !== null) {
      session.aliases.forgetDevice(deviceId);
      this.learn(session, deviceId, payload);
    }
    if (topic.messageType === "DDEATH" && deviceId !== null) {
      const paths = [...(session.paths.get(deviceId) ?? [])];
      if (paths.length > 0) outcome.bad = { paths, reason: `DDEATH: device ${deviceId} of ${key} went offline` };
      return outcome;
    }
    this.values(topic, session, deviceId, payload, now, outcome);
    return outcome;
  }

  /** Forgets every session (the host lost its own connection: it will see births again). */
  reset(): void {
    this.sessions.clear();
  }

  /** The type a metric was born with, for building commands by name. */
  /** Where a command for a tag goes: the edge node, device and metric that last reported it (setpoint writes). */
  commandTargetOf(path: string): CommandTarget | undefined {
    return this.targets.get(path);
  }

  metricType(groupId: string, edgeNodeId: string, deviceId: string | null, name: string): string | undefined {
    return this.sessions.get(`${groupId}/${edgeNodeId}`)?.aliases.byMetricName(deviceId, name)?.type;
  }

  private placeholder(key: string): EdgeSession {
    const session: EdgeSession = { bdSeq: null, seq: null, aliases: new HostAliasTable(), paths: new Map(), rebirthAskedAt: null };
    this.sessions.set(key, session);
    return session;
  }

  private learn(session: EdgeSession, deviceId: string | null, payload: DecodedPayload): void {
    for (const metric of payload.metrics) {
      // A birth metric without datatype breaks the specification; it is learnt without a type and its values are refused with the reason.
      const type = isUntypedMetric(metric) ? "" : metric.type;
      if (metric.name !== undefined) session.aliases.learn(deviceId, { name: metric.name, type, ...(metric.alias !== undefined && { alias: metric.alias }) });
    }
  }

  private values(topic: EdgeTopic, session: EdgeSession, deviceId: string | null, payload: DecodedPayload, now: number, outcome: HostOutcome): void {
    const key = `${topic.groupId}/${topic.edgeNodeId}`;
    for (const received of payload.metrics) {
      const born = received.alias !== undefined ? session.aliases.resolve(deviceId, received.alias) : undefined;
      const name = received.name ?? born?.name;
      if (name === undefined) {
        this.askRebirth(key, topic, session, `unknown alias ${received.alias ?? "(none)"} in ${topic.messageType}${deviceId === null ? "" : ` of ${deviceId}`}`, now, outcome);
        continue;
      }
      if (isControlMetric(name)) continue;
      const metric = this.typed(received, born?.type ?? session.aliases.byMetricName(deviceId, name)?.type);
      if (!isSupportedMetric(metric)) continue;
      const path = tagPathFor(this.options.siteFromGroup ? topic.groupId : this.options.siteId, topic.edgeNodeId, deviceId, name);
      const t = metric.timestamp ?? payload.timestamp ?? now;
      const historical = metric.isHistorical === true;
      const invalid = metric.invalid === undefined ? undefined : `cannot decode Sparkplug metric ${name}: ${metric.invalid}`;
      outcome.metrics.push({ name, path, value: metric.value, t, historical, ...(invalid !== undefined && { invalid }), ...(metric.exact !== undefined && { exact: metric.exact }) });
      let paths = session.paths.get(deviceId ?? "");
      if (!paths) {
        paths = new Set();
        session.paths.set(deviceId ?? "", paths);
      }
      paths.add(path);
      this.targets.set(path, { groupId: topic.groupId, edgeNodeId: topic.edgeNodeId, deviceId, name });
      // An undecodable historical value has nothing to store; the live tag is not its business.
      if (historical && this.options.historicalToHistory && invalid !== undefined) continue;
      if (historical && !this.options.historicalToHistory && (this.options.currentTime?.(path) ?? Number.NEGATIVE_INFINITY) > t) continue;
      if (invalid !== undefined) {
        (outcome.undecodable ??= []).push({ path, reason: invalid, t });
        continue;
      }
      const reasons: string[] = [];
      let q = tagQuality(metric.quality);
      if (q !== "good") reasons.push(qualityReason(metric.quality));
      if (metric.exact !== undefined) {
        if (q === "good") q = "uncertain";
        reasons.push(`${metric.type} value ${metric.exact} is beyond ±2^53 and was rounded to ${String(metric.value)}`);
      }
      const reason = reasons.length > 0 ? { reason: reasons.join("; ") } : {};
      if (historical && this.options.historicalToHistory) (outcome.history ??= []).push({ path, value: { v: metric.value, q, t, ...reason } });
      else outcome.writes.push({ path, value: { v: metric.value, q, t, ...reason } });
    }
  }

  /** A metric with its type: DATA metrics without datatype get the one their birth announced. */
  private typed(metric: DecodedMetric, bornType: string | undefined): DecodedMetric {
    if (!isUntypedMetric(metric)) return metric;
    if (bornType) return withType(metric, bornType);
    const { wire: _wire, untyped: _untyped, ...fields } = metric;
    // The type is moot: the value is refused with the reason.
    return { ...fields, type: "Double", value: null, invalid: "no datatype, neither in the message nor in its birth" };
  }

  private askRebirth(key: string, topic: EdgeTopic, session: EdgeSession, reason: string, now: number, outcome: HostOutcome): void {
    if (outcome.rebirth) return;
    if (session.rebirthAskedAt !== null && now - session.rebirthAskedAt < this.holdoff) return;
    session.rebirthAskedAt = now;
    const command = rebirthCommand(topic.groupId, topic.edgeNodeId, now);
    outcome.rebirth = { groupId: topic.groupId, edgeNodeId: topic.edgeNodeId, reason: `${key}: ${reason}`, ...command };
  }
}
