/**
 * A Sparkplug B Edge Node without I/O: it is told about connections, host
 * STATE, value changes and commands, and answers with what to publish. The
 * sparkplug-edge node and the simulator's publisher drive it.
 */
import { EdgeAliasTable } from "./alias-table.js";
import { BD_SEQ, NODE_REBIRTH, fitsType, metricTypeOf } from "./metric-mapping.js";
import type { BdSeqStore } from "./bdseq-store.js";
import { BdSeqCounter, SeqCounter, nextSeqNumber } from "./sequence.js";
import { isSupportedMetric, isUntypedMetric, withType } from "./sparkplug-codec.js";
import type { DecodedPayload, MetricType, MetricValue, SparkplugMetric, SparkplugPayload } from "./sparkplug-codec.js";
import { StoreAndForwardQueue } from "./store-and-forward.js";
import type { ChangeBuffer } from "./store-and-forward.js";
import { edgeTopic } from "./sparkplug-topic.js";
import type { HostState, MessageType } from "./sparkplug-topic.js";

export interface Publication {
  topic: string;
  payload: SparkplugPayload;
  qos: 0 | 1;
  retain: false;
}

/** A value change of one metric; deviceId null is a node-level metric. */
export interface MetricChange {
  deviceId: string | null;
  name: string;
  value: MetricValue;
  /** Source timestamp, epoch ms. */
  t: number;
  /** Tag quality code (192 good, 64 uncertain, 0 bad); omitted means good. */
  quality?: number;
  /** The announced type; inferred from the value when omitted. */
  type?: MetricType;
}

/** A write a host asked for through NCMD/DCMD. */
export interface MetricWrite {
  deviceId: string | null;
  name: string;
  value: MetricValue;
}

export interface CommandOutcome {
  publications: Publication[];
  writes: MetricWrite[];
  /** Metrics named in the command that this edge node does not publish. */
  rejected: string[];
}

export interface EdgeNodeOptions {
  groupId: string;
  edgeNodeId: string;
  /** With a primary host, nothing but births is published while its STATE is not online. */
  primaryHostId?: string;
  /** Store-and-forward capacity in metric values (of the in-memory buffer, when no `buffer` is given). */
  bufferSize: number;
  /** The store-and-forward buffer; an in-memory one of bufferSize by default (durable-buffer.ts keeps it across restarts). */
  buffer?: ChangeBuffer<MetricChange>;
  /** Metrics per historical DATA message when the buffer is replayed. */
  historicalBatch?: number;
  /** Keeps bdSeq across restarts; without one it starts at 0 in every process. */
  bdSeqStore?: BdSeqStore;
  now?: () => number;
}

interface CurrentMetric {
  type: MetricType;
  value: MetricValue;
  t: number;
  quality?: number;
}

const NODE = "";

function deviceKey(deviceId: string | null): string {
  return deviceId ?? NODE;
}

export class EdgeNodeLogic {
  readonly bdSeq: BdSeqCounter;
  private savedBdSeq: number | undefined;
  private readonly seq = new SeqCounter();
  private readonly aliases = new EdgeAliasTable();
  /** Current value of every metric, by device ("" = node level), in first-seen order. */
  private readonly current = new Map<string, Map<string, CurrentMetric>>([[NODE, new Map()]]);
  private readonly queue: ChangeBuffer<MetricChange>;
  private readonly now: () => number;
  private connected = false;
  private born = false;
  /** History starts with the first birth: values before it are simply part of that birth. */
  private everBorn = false;
  private hostOnline: boolean;
  private lastHostTimestamp = -1;
  /** Metrics (device\0name) announced by the last births, with their types. */
  private announced = new Map<string, MetricType>();

  constructor(private readonly options: EdgeNodeOptions) {
    this.queue = options.buffer ?? new StoreAndForwardQueue(options.bufferSize);
    this.now = options.now ?? Date.now;
    this.savedBdSeq = options.bdSeqStore?.load();
    // A restarted process goes on from the last CONNECT of the previous one, whether or not that CONNECT was accepted.
    this.bdSeq = new BdSeqCounter(this.savedBdSeq === undefined ? 0 : nextSeqNumber(this.savedBdSeq));
    this.hostOnline = options.primaryHostId === undefined;
  }

  /** The NDEATH to register as the Will of the next CONNECT. */
  will(): Publication {
    const bdSeq = this.bdSeq.forConnect();
    if (this.options.bdSeqStore && bdSeq !== this.savedBdSeq) {
      this.options.bdSeqStore.save(bdSeq);
      this.savedBdSeq = bdSeq;
    }
    return this.death(bdSeq);
  }

  /** The NDEATH to publish when closing on purpose (a clean DISCONNECT suppresses the Will). */
  deathForClose(): Publication {
    return this.death(this.bdSeq.current);
  }

  /** CONNACK received: a new session. Returns the births when publishing is allowed (no primary host, or it is online). */
  sessionEstablished(): Publication[] {
    this.bdSeq.sessionEstablished();
    this.connected = true;
    this.born = false;
    return this.hostOnline ? this.rebirthAndFlush() : [];
  }

  sessionLost(): void {
    this.connected = false;
    this.born = false;
  }

  /** A STATE message of the primary host; stale (older timestamp) ones are ignored. */
  hostState(state: HostState): Publication[] {
    if (this.options.primaryHostId === undefined || state.timestamp < this.lastHostTimestamp) return [];
    this.lastHostTimestamp = state.timestamp;
    const wasOnline = this.hostOnline;
    this.hostOnline = state.online;
    if (!state.online) {
      this.born = false;
      return [];
    }
    return !wasOnline && this.connected ? this.rebirthAndFlush() : [];
  }

  /**
   * A durable buffer that still holds changes of a previous life continues
   * that history: from now on changes are buffered even before this
   * process's first birth (they follow the older ones, in order), instead of
   * being folded into that birth. Call after seeding the current values.
   */
  continueHistory(): void {
    if (this.queue.size > 0) this.everBorn = true;
  }

  /** Whether DATA messages are published now (rather than buffered). */
  get publishing(): boolean {
    return this.connected && this.born && this.hostOnline;
  }

  get buffered(): number {
    return this.queue.size;
  }

  get dropped(): number {
    return this.queue.dropped;
  }

  /**
   * Value changes: unchanged values are ignored (report by exception); the
   * rest go out as NDATA/DDATA, or into the store-and-forward buffer while
   * publishing is not allowed. A new metric or a type change forces a rebirth.
   */
  update(changes: readonly MetricChange[]): Publication[] {
    const changed: MetricChange[] = [];
    let needsRebirth = false;
    for (const change of changes) {
      const device = this.deviceMetrics(change.deviceId);
      const previous = device.get(change.name);
      const type = change.type ?? (previous && fitsType(previous.type, change.value) ? previous.type : metricTypeOf(change.value));
      if (previous && previous.type === type && Object.is(previous.value, change.value) && previous.quality === change.quality) continue;
      device.set(change.name, { type, value: change.value, t: change.t, ...(change.quality !== undefined && { quality: change.quality }) });
      const typed = { ...change, type };
      changed.push(typed);
      if (this.announced.get(`${deviceKey(change.deviceId)}\u0000${change.name}`) !== type) needsRebirth = true;
    }
    if (changed.length === 0) return [];
    if (!this.publishing) {
      if (this.everBorn) for (const change of changed) this.queue.push(change);
      return [];
    }
    if (needsRebirth) return this.births();
    return this.dataMessages(changed, false);
  }

  /** NCMD/DCMD: a rebirth request, or metric writes (by name or by the aliases this node assigned). */
  command(messageType: MessageType, deviceId: string | null, payload: DecodedPayload): CommandOutcome {
    const outcome: CommandOutcome = { publications: [], writes: [], rejected: [] };
    const expected = deviceId === null ? "NCMD" : "DCMD";
    if (messageType !== expected) return outcome;
    for (const metric of payload.metrics) {
      const name = metric.name ?? (metric.alias !== undefined ? this.aliases.resolve(deviceId, metric.alias) : undefined);
      if (name === undefined) {
        outcome.rejected.push(`alias ${metric.alias ?? "?"}`);
        continue;
      }
      if (deviceId === null && name === NODE_REBIRTH) {
        const request = isUntypedMetric(metric) ? withType(metric, "Boolean") : metric;
        if (isSupportedMetric(request) && request.value === true && this.connected && this.hostOnline) outcome.publications = this.births();
        continue;
      }
      const current = this.current.get(deviceKey(deviceId))?.get(name);
      // Hosts should send commands without datatype (Sparkplug 3.0): the value is read as the type this node announced.
      const typed = isUntypedMetric(metric) && current ? withType(metric, current.type) : metric;
      if (!current || !isSupportedMetric(typed) || name === BD_SEQ) {
        outcome.rejected.push(name);
        continue;
      }
      if (typed.invalid !== undefined) {
        outcome.rejected.push(`${name}: ${typed.invalid}`);
        continue;
      }
      outcome.writes.push({ deviceId, name, value: typed.value });
    }
    return outcome;
  }

  /** NBIRTH (seq 0, bdSeq of this session, every node metric) and one DBIRTH per device, all with aliases. */
  births(): Publication[] {
    const timestamp = this.now();
    this.announced = new Map();
    const nodeMetrics: SparkplugMetric[] = [
      { name: BD_SEQ, alias: this.aliases.aliasOf(null, BD_SEQ), type: "Int64", value: this.bdSeq.current, timestamp },
      // No alias (Sparkplug 3.0): any host can ask for a rebirth by name, even one that missed this birth.
      { name: NODE_REBIRTH, type: "Boolean", value: false, timestamp },
      ...this.birthMetrics(null),
    ];
    const publications: Publication[] = [
      this.publication("NBIRTH", null, { timestamp, seq: this.seq.birth(), metrics: nodeMetrics }),
    ];
    for (const deviceId of this.current.keys()) {
      if (deviceId === NODE) continue;
      publications.push(this.publication("DBIRTH", deviceId, { timestamp, seq: this.seq.next(), metrics: this.birthMetrics(deviceId) }));
    }
    this.born = true;
    this.everBorn = true;
    return publications;
  }

  private rebirthAndFlush(): Publication[] {
    const births = this.births();
    return [...births, ...this.dataMessages(this.queue.drain(), true)];
  }

  private birthMetrics(deviceId: string | null): SparkplugMetric[] {
    const metrics: SparkplugMetric[] = [];
    for (const [name, metric] of this.current.get(deviceKey(deviceId)) ?? []) {
      this.announced.set(`${deviceKey(deviceId)}\u0000${name}`, metric.type);
      metrics.push({
        name,
        alias: this.aliases.aliasOf(deviceId, name),
        type: metric.type,
        value: metric.value,
        timestamp: metric.t,
        ...(metric.quality !== undefined && { quality: metric.quality }),
      });
    }
    return metrics;
  }

  /** NDATA/DDATA for changes in order: consecutive changes of one device share a message. */
  private dataMessages(changes: readonly MetricChange[], historical: boolean): Publication[] {
    const batch = historical ? (this.options.historicalBatch ?? 100) : Number.POSITIVE_INFINITY;
    const publications: Publication[] = [];
    let run: SparkplugMetric[] = [];
    let runDevice: string | null = null;
    const close = () => {
      if (run.length === 0) return;
      publications.push(this.publication(runDevice === null ? "NDATA" : "DDATA", runDevice, { timestamp: this.now(), seq: this.seq.next(), metrics: run }));
      run = [];
    };
    for (const change of changes) {
      if (change.deviceId !== runDevice || run.length >= batch) close();
      runDevice = change.deviceId;
      // A replayed metric the births did not announce (a tag gone since a restart) goes by name too: no host knows its alias.
      const announced = this.announced.has(`${deviceKey(change.deviceId)}\u0000${change.name}`);
      run.push({
        ...(!announced && { name: change.name }),
        alias: this.aliases.aliasOf(change.deviceId, change.name),
        type: change.type ?? metricTypeOf(change.value),
        value: change.value,
        timestamp: change.t,
        ...(historical && { isHistorical: true }),
        ...(change.quality !== undefined && { quality: change.quality }),
      });
    }
    close();
    return publications;
  }

  private death(bdSeq: number): Publication {
    return this.publication("NDEATH", null, { timestamp: this.now(), metrics: [{ name: BD_SEQ, type: "Int64", value: bdSeq }] }, 1);
  }

  private deviceMetrics(deviceId: string | null): Map<string, CurrentMetric> {
    const k = deviceKey(deviceId);
    let metrics = this.current.get(k);
    if (!metrics) {
      metrics = new Map();
      this.current.set(k, metrics);
    }
    return metrics;
  }

  private publication(messageType: MessageType, deviceId: string | null, payload: SparkplugPayload, qos: 0 | 1 = 0): Publication {
    return { topic: edgeTopic(this.options.groupId, messageType, this.options.edgeNodeId, deviceId), payload, qos, retain: false };
  }
}
