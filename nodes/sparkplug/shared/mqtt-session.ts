/**
 * One mqtt.js connection shared by the Sparkplug nodes of a broker config
 * node (or owned by the simulator's publisher). MQTT 3.1.1, clean session,
 * no automatic resubscribe and no queued QoS 0 publishes: Sparkplug owners
 * subscribe and publish their births again on every new session themselves.
 */
import mqtt from "mqtt";
import type { IClientOptions, MqttClient } from "mqtt";
import { connectionStatus, nextConnectionState } from "./connection-state.js";
import type { ConnectionEvent, ConnectionState } from "./connection-state.js";
import type { NodeStatus } from "../../shared/node-red-types.js";

export interface WillMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
}

export interface SessionOwner {
  /** The Will for the next CONNECT, asked before every attempt (at most one owner per session may have one). */
  will?(): WillMessage;
  /** CONNACK received: a new session (subscribe and publish births here). */
  onConnect?(): void;
  onDisconnect?(): void;
  onMessage?(topic: string, payload: Buffer): void;
  /** Last words before a clean DISCONNECT (which suppresses the Will): an NDEATH, an offline STATE. */
  beforeClose?(): Promise<void>;
}

export interface MqttSessionOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** Use TLS (mqtts:// or wss://) even if the URL says mqtt://. */
  tls?: boolean;
  /** Verify the broker's certificate (default true). */
  rejectUnauthorized?: boolean;
  /** Trusted CA certificates, PEM. */
  ca?: string;
  keepaliveSeconds?: number;
  reconnectPeriodMs?: number;
  connectTimeoutMs?: number;
}

export class MqttSession {
  private client: MqttClient | null = null;
  private readonly owners = new Set<SessionOwner>();
  private readonly stateListeners = new Set<(status: NodeStatus, state: ConnectionState) => void>();
  private state: ConnectionState = "idle";
  private detail = "";
  private startTimer: NodeJS.Immediate | null = null;

  constructor(private readonly options: MqttSessionOptions) {}

  get connectionState(): ConnectionState {
    return this.state;
  }

  get connected(): boolean {
    return this.state === "connected";
  }

  /** Adds an owner; the connection starts on the next tick after the first one, so owners created together share it. */
  attach(owner: SessionOwner): () => void {
    if (this.state === "closed") throw new Error("the broker connection is closed");
    if (owner.will && [...this.owners].some((other) => other.will !== undefined)) {
      throw new Error("this broker connection already carries another Sparkplug node's Will: give each edge node and host its own broker config node");
    }
    if (owner.will && this.client) throw new Error("a Sparkplug node with a Will must attach before the connection starts");
    this.owners.add(owner);
    if (!this.client && !this.startTimer) this.startTimer = setImmediate(() => this.start());
    else if (this.connected) owner.onConnect?.();
    return () => {
      this.owners.delete(owner);
    };
  }

  onStatus(listener: (status: NodeStatus, state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(connectionStatus(this.state, this.detail), this.state);
    return () => {
      this.stateListeners.delete(listener);
    };
  }

  async publish(topic: string, payload: Buffer, options: { qos: 0 | 1; retain: boolean }): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) throw new Error(`not connected to ${this.options.url}`);
    await client.publishAsync(topic, payload, options);
  }

  async subscribe(topics: string[], qos: 0 | 1 = 1): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) throw new Error(`not connected to ${this.options.url}`);
    await client.subscribeAsync(topics, { qos });
  }

  /** Destroys the socket without DISCONNECT, as a network failure would: the broker publishes the Will, the client reconnects. */
  dropConnection(): void {
    this.client?.stream.destroy();
  }

  /** Disconnects cleanly and frees the socket and timers; the session cannot be reused. */
  async close(): Promise<void> {
    if (this.startTimer) clearImmediate(this.startTimer);
    this.startTimer = null;
    const owners = [...this.owners];
    if (this.connected) await Promise.all(owners.map((owner) => owner.beforeClose?.() ?? Promise.resolve()));
    this.transition("close");
    const client = this.client;
    this.client = null;
    this.owners.clear();
    if (client) await client.endAsync(false);
    this.stateListeners.clear();
  }

  private start(): void {
    this.startTimer = null;
    if (this.state === "closed") return;
    const options: IClientOptions = {
      clientId: this.options.clientId,
      protocolVersion: 4,
      clean: true,
      keepalive: this.options.keepaliveSeconds ?? 30,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 5000,
      connectTimeout: this.options.connectTimeoutMs ?? 10000,
      resubscribe: false,
      queueQoSZero: false,
      ...(this.options.username !== undefined && { username: this.options.username }),
      ...(this.options.password !== undefined && { password: this.options.password }),
      ...(this.options.ca !== undefined && { ca: this.options.ca }),
      rejectUnauthorized: this.options.rejectUnauthorized ?? true,
    };
    const will = this.willOwner()?.will?.();
    if (will) options.will = will;
    const url = this.options.tls ? this.options.url.replace(/^mqtt:/, "mqtts:").replace(/^ws:/, "wss:") : this.options.url;
    this.transition("start");
    const client = mqtt.connect(url, options);
    this.client = client;
    client.on("connect", () => {
      this.transition("connack", "");
      for (const owner of this.owners) owner.onConnect?.();
    });
    client.on("close", () => {
      const wasConnected = this.connected;
      this.transition("lost");
      if (wasConnected) for (const owner of this.owners) owner.onDisconnect?.();
    });
    client.on("reconnect", () => {
      const next = this.willOwner()?.will?.();
      if (next) client.options.will = next;
      this.transition("retry");
    });
    client.on("error", (error: Error) => {
      this.detail = error.message;
      this.emitStatus();
    });
    client.on("message", (topic, payload) => {
      for (const owner of this.owners) owner.onMessage?.(topic, payload);
    });
  }

  private willOwner(): SessionOwner | undefined {
    return [...this.owners].find((owner) => owner.will !== undefined);
  }

  private transition(event: ConnectionEvent, detail?: string): void {
    const next = nextConnectionState(this.state, event);
    if (detail !== undefined) this.detail = detail;
    if (next === this.state && detail === undefined) return;
    this.state = next;
    this.emitStatus();
  }

  private emitStatus(): void {
    const status = connectionStatus(this.state, this.detail);
    for (const listener of this.stateListeners) listener(status, this.state);
  }
}
