/**
 * The broker Sparkplug tests run against: the machine's Mosquitto when
 * TEST_MQTT_URL is set (CI), else an in-process aedes broker on a free port.
 * Also an observer client that decodes every Sparkplug payload it sees.
 */
import net from "node:net";
import { Aedes } from "aedes";
import type { Client } from "aedes";
import mqtt from "mqtt";
import type { MqttClient } from "mqtt";
import type { MqttSession } from "../../../nodes/sparkplug/shared/mqtt-session.js";
import { decodeSparkplug, encodeSparkplug } from "../../../nodes/sparkplug/shared/sparkplug-codec.js";
import type { DecodedPayload, SparkplugPayload } from "../../../nodes/sparkplug/shared/sparkplug-codec.js";
import { freePort } from "../../helpers/free-port.js";

export interface TestBroker {
  kind: "mosquitto" | "aedes";
  url: string;
  /**
   * Breaks the edge client's connection so the broker publishes its Will:
   * aedes drops the client's socket then stops; Mosquitto (not ours to stop)
   * sees the client's socket force-closed.
   */
  interrupt(clientId: string, session: MqttSession): Promise<void>;
  /** aedes: starts again on the same port; Mosquitto: nothing to do. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

let runCounter = 0;
/** A group id no other test run on a shared broker uses. */
export function uniqueGroupId(): string {
  runCounter++;
  return `PF-${process.pid}-${Date.now().toString(36)}-${runCounter}`;
}


class AedesBroker implements TestBroker {
  readonly kind = "aedes";
  private broker: Aedes | null = null;
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly clients = new Map<string, Client>();

  constructor(private readonly port: number) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const broker = new Aedes();
    await broker.listen();
    broker.on("client", (client) => this.clients.set(client.id, client));
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      broker.handle(socket);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.broker = broker;
    this.server = server;
  }

  async interrupt(clientId: string): Promise<void> {
    const client = this.clients.get(clientId);
    if (!client) throw new Error(`client ${clientId} is not connected to the test broker`);
    client.conn.destroy();
    // Let aedes notice and publish the Will to the observers, then stop.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await this.stop();
  }

  async resume(): Promise<void> {
    await this.start();
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private async stop(): Promise<void> {
    const { broker, server } = this;
    this.broker = null;
    this.server = null;
    this.clients.clear();
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.sockets) socket.destroy();
      await closed;
    }
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
  }
}

/** An in-process aedes broker on a free port, whatever TEST_MQTT_URL says (for tests that run against both). */
export async function startAedesBroker(): Promise<TestBroker> {
  const broker = new AedesBroker(await freePort());
  await broker.start();
  return broker;
}

export async function startTestBroker(): Promise<TestBroker> {
  const url = process.env.TEST_MQTT_URL;
  if (url) {
    process.stdout.write(`      (Sparkplug tests use Mosquitto at ${url} from TEST_MQTT_URL)\n`);
    return {
      kind: "mosquitto",
      url,
      interrupt: async (_clientId, session) => session.dropConnection(),
      resume: async () => undefined,
      close: async () => undefined,
    };
  }
  const broker = new AedesBroker(await freePort());
  await broker.start();
  process.stdout.write(`      (Sparkplug tests use an in-process aedes broker at ${broker.url}; set TEST_MQTT_URL for a real one)\n`);
  return broker;
}

export interface ObservedMessage {
  topic: string;
  type: string;
  payload: DecodedPayload | null;
  raw: Buffer;
  retain: boolean;
}

/** A plain MQTT client that records (and decodes) everything under the given filters. */
export class Observer {
  readonly messages: ObservedMessage[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly client: MqttClient) {
    client.on("message", (topic, raw, packet) => {
      const type = topic.split("/")[2] ?? "";
      const payload = topic.split("/")[1] === "STATE" ? null : decodeSparkplug(raw);
      this.messages.push({ topic, type, payload, raw, retain: packet.retain });
      for (const waiter of this.waiters) waiter();
    });
  }

  static async connect(url: string, filters: string[]): Promise<Observer> {
    const client = await mqtt.connectAsync(url, { clientId: `observer-${process.pid}-${++runCounter}`, reconnectPeriod: 100, clean: true });
    await client.subscribeAsync(filters, { qos: 1 });
    return new Observer(client);
  }

  /** The first recorded message (from index `from`) matching, waiting up to timeoutMs. */
  waitFor(predicate: (message: ObservedMessage) => boolean, timeoutMs = 8000, from = 0): Promise<ObservedMessage> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.slice(from).find(predicate);
        if (!found) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms; saw ${this.messages.map((m) => m.topic).join(", ")}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }

  async publish(topic: string, payload: SparkplugPayload): Promise<void> {
    await this.client.publishAsync(topic, encodeSparkplug(payload), { qos: 0 });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until the condition holds (or throws after timeoutMs). */
export async function until(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}
