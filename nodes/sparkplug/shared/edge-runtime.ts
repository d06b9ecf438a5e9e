/**
 * Binds an EdgeNodeLogic to an MqttSession: subscribes to its commands and
 * the primary host's STATE on every session, publishes what the logic
 * answers, batches value changes per tick. Used by the sparkplug-edge node
 * and by the simulator's publisher.
 */
import { EdgeNodeLogic } from "./edge-node-logic.js";
import type { EdgeNodeOptions, MetricChange, MetricWrite, Publication } from "./edge-node-logic.js";
import type { MqttSession, SessionOwner, WillMessage } from "./mqtt-session.js";
import { decodeSparkplug, encodeSparkplug } from "./sparkplug-codec.js";
import { edgeTopic, parseHostState, parseTopic, stateTopic } from "./sparkplug-topic.js";

export interface EdgeRuntimeEvents {
  /** A host asked to write metrics (NCMD/DCMD). */
  onWrites(writes: MetricWrite[]): void;
  onRejected?(what: string[]): void;
  onError(error: Error): void;
  /** Buffered changes that were just handed to the connection as historical metrics (a durable buffer lets them go). */
  onReplayed?(count: number): void;
  /** After every publish batch, buffer change or session change: for status displays. */
  onActivity?(): void;
}

export class SparkplugEdgeRuntime {
  readonly logic: EdgeNodeLogic;
  private pending: MetricChange[] = [];
  private flushTimer: NodeJS.Immediate | null = null;
  private detach: (() => void) | null = null;
  /** Publications go out one after another, in order, even across ticks. */
  private chain: Promise<void> = Promise.resolve();
  private farewell: Promise<void> | null = null;

  constructor(
    private readonly session: MqttSession,
    private readonly options: EdgeNodeOptions,
    private readonly events: EdgeRuntimeEvents,
  ) {
    this.logic = new EdgeNodeLogic(options);
  }

  /** Seeds current values (published in the first births) and attaches to the session. */
  start(initial: readonly MetricChange[]): void {
    this.logic.update(initial);
    this.logic.continueHistory();
    const owner: SessionOwner = {
      will: (): WillMessage => {
        const death = this.logic.will();
        return { topic: death.topic, payload: encodeSparkplug(death.payload), qos: 1, retain: false };
      },
      onConnect: () => {
        this.onConnect().catch((error: unknown) => this.events.onError(error instanceof Error ? error : new Error(String(error))));
      },
      onDisconnect: () => {
        this.logic.sessionLost();
        this.events.onActivity?.();
      },
      onMessage: (topic, payload) => this.onMessage(topic, payload),
      beforeClose: () => this.sayGoodbye(),
    };
    this.detach = this.session.attach(owner);
  }

  /** Value changes; they are handled together at the end of the tick. */
  change(changes: readonly MetricChange[]): void {
    this.pending.push(...changes);
    if (!this.flushTimer) {
      this.flushTimer = setImmediate(() => {
        this.flushTimer = null;
        const batch = this.pending;
        this.pending = [];
        this.publishAll(this.logic.update(batch));
      });
    }
  }

  /** Publishes NDEATH (a clean disconnect suppresses the Will) and leaves the session. */
  async stop(): Promise<void> {
    await this.sayGoodbye();
    this.detach?.();
    this.detach = null;
  }

  /** Once per runtime: pending publishes, then NDEATH while still connected. */
  private sayGoodbye(): Promise<void> {
    this.farewell ??= (async () => {
      if (this.flushTimer) clearImmediate(this.flushTimer);
      this.flushTimer = null;
      await this.chain;
      if (!this.session.connected) return;
      const death = this.logic.deathForClose();
      await this.session.publish(death.topic, encodeSparkplug(death.payload), { qos: 1, retain: false }).catch(() => undefined);
    })();
    return this.farewell;
  }

  private async onConnect(): Promise<void> {
    const { groupId, edgeNodeId, primaryHostId } = this.options;
    const topics = [edgeTopic(groupId, "NCMD", edgeNodeId), edgeTopic(groupId, "DCMD", edgeNodeId, "+")];
    if (primaryHostId !== undefined) topics.push(stateTopic(primaryHostId));
    await this.session.subscribe(topics, 1);
    this.publishAll(this.logic.sessionEstablished());
  }

  private onMessage(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (!parsed) return;
    try {
      if (parsed.kind === "state") {
        const state = parsed.hostId === this.options.primaryHostId ? parseHostState(payload) : null;
        if (state) this.publishAll(this.logic.hostState(state));
        return;
      }
      if (parsed.groupId !== this.options.groupId || parsed.edgeNodeId !== this.options.edgeNodeId) return;
      if (parsed.messageType !== "NCMD" && parsed.messageType !== "DCMD") return;
      const outcome = this.logic.command(parsed.messageType, parsed.deviceId, decodeSparkplug(payload));
      this.publishAll(outcome.publications);
      if (outcome.writes.length > 0) this.events.onWrites(outcome.writes);
      if (outcome.rejected.length > 0) this.events.onRejected?.(outcome.rejected);
    } catch (error) {
      this.events.onError(new Error(`bad Sparkplug message on ${topic}: ${(error as Error).message}`));
    }
  }

  private publishAll(publications: Publication[]): void {
    this.events.onActivity?.();
    if (publications.length === 0) return;
    this.chain = this.chain.then(async () => {
      for (const publication of publications) {
        try {
          await this.session.publish(publication.topic, encodeSparkplug(publication.payload), { qos: publication.qos, retain: publication.retain });
          const replayed = publication.payload.metrics.filter((metric) => metric.isHistorical === true).length;
          if (replayed > 0) this.events.onReplayed?.(replayed);
        } catch (error) {
          this.events.onError(error instanceof Error ? error : new Error(String(error)));
          return;
        }
      }
    });
  }
}
