import { once } from "node:events";
import net from "node:net";
import ModbusRTU from "modbus-serial";
import type { BackoffPolicy, ConnectionAction, ConnectionEvent, ConnectionState } from "./connection-state.js";
import { transition } from "./connection-state.js";
import type { FrameWatch } from "./frame-guard.js";
import { expectReply, idleWatch, partialReply, watchChunk } from "./frame-guard.js";
import type { SerialSupport } from "./serial-support.js";

export type Parity = "none" | "even" | "odd";

export type Endpoint =
  | { kind: "tcp"; host: string; port: number }
  | { kind: "rtu"; path: string; baudRate: number; parity: Parity; dataBits: 7 | 8; stopBits: 1 | 2 };

export interface ConnectionOptions {
  endpoint: Endpoint;
  unitId: number;
  /** Per request, and for opening the connection. */
  timeoutMs: number;
  backoff: BackoffPolicy;
  /** Requests allowed to wait; more are refused at once rather than piling up behind a slow device. */
  queueLimit: number;
  /** Whether RTU can run here; required for an RTU endpoint. */
  serial?: SerialSupport;
  random?: () => number;
}

export type ModbusRequest =
  | { fc: 1 | 2 | 3 | 4; address: number; quantity: number }
  | { fc: 5; address: number; value: boolean }
  | { fc: 6; address: number; value: number }
  | { fc: 15; address: number; values: boolean[] }
  | { fc: 16; address: number; values: number[] };

export type ModbusReply = { words: number[] } | { bits: boolean[] } | { written: true };

/** The device answered with a Modbus exception (2: illegal data address, ...): the link is fine, this request is refused. */
export class ModbusExceptionError extends Error {
  constructor(
    message: string,
    readonly exceptionCode: number,
  ) {
    super(message);
    this.name = "ModbusExceptionError";
  }
}

interface Job {
  request: ModbusRequest;
  resolve(reply: ModbusReply): void;
  reject(error: Error): void;
}

export function endpointLabel(endpoint: Endpoint, unitId: number): string {
  return endpoint.kind === "tcp" ? `${endpoint.host}:${endpoint.port} unit ${unitId}` : `${endpoint.path} unit ${unitId}`;
}

function send(client: ModbusRTU, request: ModbusRequest): Promise<ModbusReply> {
  switch (request.fc) {
    case 1:
      return client.readCoils(request.address, request.quantity).then((r) => ({ bits: r.data.slice(0, request.quantity) }));
    case 2:
      return client.readDiscreteInputs(request.address, request.quantity).then((r) => ({ bits: r.data.slice(0, request.quantity) }));
    case 3:
      return client.readHoldingRegisters(request.address, request.quantity).then((r) => ({ words: r.data }));
    case 4:
      return client.readInputRegisters(request.address, request.quantity).then((r) => ({ words: r.data }));
    case 5:
      return client.writeCoil(request.address, request.value).then(() => ({ written: true }));
    case 6:
      return client.writeRegister(request.address, request.value).then(() => ({ written: true }));
    case 15:
      return client.writeCoils(request.address, request.values).then(() => ({ written: true }));
    case 16:
      return client.writeRegisters(request.address, request.values).then(() => ({ written: true }));
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/**
 * One Modbus connection (TCP socket or serial port) driven by the pure
 * state machine in connection-state.ts, with a bounded FIFO so only one
 * request is on the wire at a time: many Modbus TCP devices and every RTU
 * bus answer one request at a time. Every request ends — with a reply, a
 * device exception, a protocol error or a timeout — and anything but a
 * reply or an exception drops the connection, because after it the byte
 * stream can no longer be trusted.
 */
export class ModbusConnection {
  readonly label: string;
  private current: ConnectionState = { kind: "closed" };
  private readonly queue: Job[] = [];
  private inFlight: Job | undefined;
  private client: ModbusRTU | undefined;
  private socket: net.Socket | undefined;
  /** Bumped whenever the link is dropped, so events from an old socket are ignored. */
  private generation = 0;
  private watch: FrameWatch;
  private retryTimer: NodeJS.Timeout | undefined;
  private connectTimer: NodeJS.Timeout | undefined;
  /** One timer for the request in flight, re-armed per request with refresh(): no allocation per request. */
  private requestTimer: NodeJS.Timeout | undefined;
  private readonly closings = new Set<Promise<void>>();
  private readonly random: () => number;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly onState: (state: ConnectionState) => void = () => undefined,
  ) {
    this.label = endpointLabel(options.endpoint, options.unitId);
    this.watch = idleWatch(options.unitId);
    this.random = options.random ?? Math.random;
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    this.dispatch({ type: "start" });
  }

  /** Queues a request; the promise ends with the reply or an error naming the device. */
  execute(request: ModbusRequest): Promise<ModbusReply> {
    const state = this.current;
    if (state.kind === "closed") return Promise.reject(new Error(`not connected (device closed): ${this.label}`));
    // While backing off, fail fast with the cause so tags go bad now, not after the retry.
    if (state.kind === "backing-off") return Promise.reject(new Error(state.reason));
    if (this.queue.length >= this.options.queueLimit) {
      return Promise.reject(new Error(`queue full: ${this.options.queueLimit} requests already waiting for ${this.label}`));
    }
    return new Promise<ModbusReply>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  /** Stops for good: ends every request, cancels timers, resolves once the socket or port is closed. */
  async close(): Promise<void> {
    this.dispatch({ type: "stop" });
    await Promise.all([...this.closings]);
  }

  private dispatch(event: ConnectionEvent): void {
    const { state, actions } = transition(this.current, event, this.options.backoff);
    const changed = state !== this.current;
    this.current = state;
    for (const action of actions) this.perform(action);
    if (changed) this.onState(state);
  }

  private perform(action: ConnectionAction): void {
    switch (action.type) {
      case "open":
        this.open();
        break;
      case "destroy":
        this.destroy();
        break;
      case "schedule-retry":
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.dispatch({ type: "retry" });
        }, action.delayMs);
        break;
      case "cancel-retry":
        clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        break;
      case "drain":
        this.pump();
        break;
      case "fail-pending":
        this.failPending(action.reason);
        break;
    }
  }

  private linkLost(generation: number, reason: string): void {
    if (generation !== this.generation) return;
    const type = this.current.kind === "connected" ? "lost" : "open-failed";
    this.dispatch({ type, reason, random: this.random() });
  }

  private opened(generation: number, client: ModbusRTU): void {
    if (generation !== this.generation) {
      client.close(() => undefined);
      return;
    }
    this.client = client;
    client.on("error", (error) => this.linkLost(generation, `${errorText(error)}: ${this.label}`));
    this.dispatch({ type: "opened" });
  }

  private open(): void {
    const generation = ++this.generation;
    const { endpoint, unitId, timeoutMs } = this.options;
    if (endpoint.kind === "rtu") {
      const serial = this.options.serial ?? { available: false, reason: "Modbus RTU support was not checked" };
      if (!serial.available) {
        // Reported on the next turn: the state machine is mid-transition now.
        setImmediate(() => this.linkLost(generation, serial.reason));
        return;
      }
      const client = new ModbusRTU();
      client.setID(unitId);
      const { path, baudRate, parity, dataBits, stopBits } = endpoint;
      client.connectRTUBuffered(path, { baudRate, parity, dataBits, stopBits }).then(
        () => {
          client.on("close", () => this.linkLost(generation, `serial port closed: ${this.label}`));
          this.opened(generation, client);
        },
        (error: unknown) => this.linkLost(generation, `cannot open ${path}: ${errorText(error)}`),
      );
      return;
    }
    const socket = new net.Socket();
    this.socket = socket;
    this.connectTimer = setTimeout(
      () => this.linkLost(generation, `connect timeout after ${timeoutMs} ms: ${this.label}`),
      timeoutMs,
    );
    // Registered before modbus-serial's own listener, so a corrupt header is seen first.
    socket.on("data", (chunk: Buffer) => this.received(generation, chunk));
    socket.on("error", (error) => this.linkLost(generation, `${errorText(error)}: ${this.label}`));
    socket.on("close", () => this.linkLost(generation, `connection closed by the device: ${this.label}`));
    socket.connect({ host: endpoint.host, port: endpoint.port }, () => {
      clearTimeout(this.connectTimer);
      socket.setNoDelay(true);
      const client = new ModbusRTU();
      client.setID(unitId);
      client.linkTCP(socket, { host: endpoint.host, port: endpoint.port }).then(
        () => this.opened(generation, client),
        (error: unknown) => this.linkLost(generation, `${errorText(error)}: ${this.label}`),
      );
    });
  }

  private destroy(): void {
    this.generation++;
    clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    const { socket, client } = this;
    this.socket = undefined;
    this.client = undefined;
    this.watch = idleWatch(this.options.unitId);
    if (socket) {
      if (!socket.closed) this.track(once(socket, "close").then(() => undefined));
      socket.destroy();
    } else if (client) {
      this.track(new Promise<void>((resolve) => client.close(() => resolve())));
    }
  }

  private track(closing: Promise<void>): void {
    this.closings.add(closing);
    void closing.finally(() => this.closings.delete(closing));
  }

  private failPending(reason: string): void {
    const error = new Error(reason);
    const jobs = this.inFlight ? [this.inFlight, ...this.queue.splice(0)] : this.queue.splice(0);
    this.inFlight = undefined;
    for (const job of jobs) job.reject(error);
  }

  private received(generation: number, chunk: Buffer): void {
    if (generation !== this.generation) return;
    const { watch, verdict } = watchChunk(this.watch, chunk);
    this.watch = watch;
    if (verdict.kind !== "corrupt") return;
    const error = new Error(`protocol error: ${verdict.reason}: ${this.label}`);
    if (this.inFlight) this.finish(this.inFlight, error, true);
    else this.linkLost(generation, error.message);
  }

  private pump(): void {
    const client = this.client;
    if (this.current.kind !== "connected" || this.inFlight || !client) return;
    const job = this.queue.shift();
    if (!job) return;
    this.inFlight = job;
    this.watch = expectReply(this.options.unitId);
    if (this.requestTimer) this.requestTimer.refresh();
    else this.requestTimer = setTimeout(() => this.timedOut(), this.options.timeoutMs);
    send(client, job.request).then(
      (reply) => this.finish(job, reply, false),
      (error: unknown) => {
        // A device exception is a valid answer: the link is fine, only this request failed.
        const modbusCode = (error as { modbusCode?: unknown }).modbusCode;
        if (typeof modbusCode === "number") {
          this.finish(job, new ModbusExceptionError(`${errorText(error)} (fc ${job.request.fc} at ${job.request.address}): ${this.label}`, modbusCode), false);
        } else {
          this.finish(job, new Error(`protocol error: ${errorText(error)}: ${this.label}`), true);
        }
      },
    );
  }

  /** The request timer fired; between requests it finds nothing in flight and simply lapses. */
  private timedOut(): void {
    if (!this.inFlight) return;
    const reason = `timeout after ${this.options.timeoutMs} ms: ${this.label}${partialReply(this.watch)}`;
    this.finish(this.inFlight, new Error(reason), true);
  }

  private finish(job: Job, outcome: ModbusReply | Error, dropLink: boolean): void {
    if (this.inFlight !== job) return;
    this.inFlight = undefined;
    this.watch = idleWatch(this.options.unitId);
    if (outcome instanceof Error) {
      job.reject(outcome);
      if (dropLink) this.dispatch({ type: "lost", reason: outcome.message, random: this.random() });
    } else {
      job.resolve(outcome);
      this.dispatch({ type: "replied" });
    }
    this.pump();
  }
}
