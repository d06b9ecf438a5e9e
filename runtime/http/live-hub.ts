import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { endsAccessOf, type AccessEndReason, type AccessEvents } from "../auth/access-events.js";
import type { Principal } from "../auth/auth-service.js";
import { isDatabaseUnavailable } from "../db/database-errors.js";
import type { Role } from "../auth/roles.js";
import type { Logger } from "../observability/logger.js";
import { DEFAULT_RETRY_AFTER_SECONDS } from "./errors.js";
import { compilePattern } from "../tags/tag-path.js";
import type { LiveTags, TagUpdate, TagValue } from "../tags/tag-types.js";

export const LIVE_PATH = "/api/v1/live";
/** Close code when the user's access ended (logout, password or role change, disabled, token revoked); the reason names which. Mirrors HTTP 401. */
export const LIVE_CLOSE_ACCESS_ENDED = 4401;

/** A tag on the wire: short keys, because thousands go out every second. */
export interface WireTag {
  p: string;
  v: TagValue["v"];
  q: TagValue["q"];
  /** Last change, epoch ms. */
  t: number;
  /** Latest report when later than `t` (the value was re-sent unchanged), epoch ms. */
  u?: number;
  r?: string;
}

type ClientMessage =
  | { type: "subscribe"; id: string; patterns: string[]; maxRateHz?: number }
  | { type: "unsubscribe"; id: string };

const MAX_PATTERNS = 100;
/** The slowest feed a client may ask for: one message every 10 s. */
export const MIN_RATE_HZ = 0.1;
const HEARTBEAT_MS = 30_000;
const MAX_SUBSCRIPTIONS = 50;
/** Above this much unsent data the client is slow: skip a flush, the latest values wait in pending. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/**
 * A value that is only re-reported, unchanged, reaches a client at most this
 * often: enough for the screen to know it is still alive, without turning a
 * 1 s poll of 10,000 steady tags into 10,000 updates a second.
 */
export const REFRESH_INTERVAL_MS = 5_000;

/** Parses and checks one client message (pure). */
export function parseClientMessage(text: string): ClientMessage | { error: string } {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { error: "messages must be JSON" };
  }
  const candidate = message as Partial<Record<string, unknown>>;
  if (typeof candidate !== "object" || candidate === null) return { error: "messages must be JSON objects" };
  if (typeof candidate.id !== "string" || candidate.id.length === 0 || candidate.id.length > 64) {
    return { error: "id must be a string of 1 to 64 characters" };
  }
  if (candidate.type === "unsubscribe") return { type: "unsubscribe", id: candidate.id };
  if (candidate.type !== "subscribe") return { error: 'type must be "subscribe" or "unsubscribe"' };
  const patterns = candidate.patterns;
  if (!Array.isArray(patterns) || patterns.length === 0 || patterns.length > MAX_PATTERNS || !patterns.every((p) => typeof p === "string")) {
    return { error: `patterns must be an array of 1 to ${MAX_PATTERNS} strings` };
  }
  for (const pattern of patterns) {
    try {
      compilePattern(pattern);
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  const maxRateHz = candidate.maxRateHz;
  if (maxRateHz !== undefined && (typeof maxRateHz !== "number" || !(maxRateHz > 0))) return { error: "maxRateHz must be a positive number" };
  return { type: "subscribe", id: candidate.id, patterns, ...(maxRateHz === undefined ? {} : { maxRateHz }) };
}

/**
 * The rate a client gets: what it asked for, within [MIN_RATE_HZ, the site's
 * maximum]. Unbounded below, a tiny rate made a timer of Infinity ms, which
 * Node runs after 1 ms: the slowest request gave the fastest feed.
 */
export function effectiveRateHz(requested: number | undefined, siteMaxHz: number): number {
  const ceiling = Math.max(MIN_RATE_HZ, siteMaxHz);
  if (requested === undefined || !Number.isFinite(requested)) return ceiling;
  return Math.min(ceiling, Math.max(MIN_RATE_HZ, requested));
}

export function toWire(update: TagUpdate): WireTag {
  const { v, q, t, u, reason } = update.value;
  const wire: WireTag = { p: update.path, v, q, t };
  if (u !== undefined && u > t) wire.u = u;
  if (reason !== undefined) wire.r = reason;
  return wire;
}

export interface LiveHubOptions {
  tags: LiveTags;
  authenticate: (req: http.IncomingMessage) => Promise<Principal | null>;
  mayRead: (path: string, role: Role) => boolean;
  /** The site-wide ceiling on updates per second per client; a client may ask for less. */
  maxRateHz: number;
  logger: Logger;
  /** When a user's access ends, their feeds close at once. */
  access: AccessEvents;
}

class LiveClient {
  private readonly subscriptions = new Map<string, () => void>();
  private readonly pending = new Map<string, TagUpdate>();
  private timer: NodeJS.Timeout | undefined;
  /** Paths re-reported unchanged since the last refresh; their current value goes out then. */
  private readonly refreshed = new Set<string>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private rateHz: number;

  constructor(
    private readonly socket: WebSocket,
    readonly principal: Principal,
    private readonly options: LiveHubOptions,
  ) {
    this.rateHz = effectiveRateHz(undefined, options.maxRateHz);
    // ws hands a Buffer with the default binaryType ("nodebuffer").
    socket.on("message", (data) => this.onMessage((data as Buffer).toString()));
    socket.on("close", () => this.close());
    socket.on("error", () => this.close());
  }

  private send(message: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private onMessage(text: string): void {
    const message = parseClientMessage(text);
    if ("error" in message) {
      this.send({ type: "error", message: message.error });
      return;
    }
    if (message.type === "unsubscribe") {
      this.subscriptions.get(message.id)?.();
      this.subscriptions.delete(message.id);
      return;
    }
    if (!this.subscriptions.has(message.id) && this.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      this.send({ type: "error", message: `at most ${MAX_SUBSCRIPTIONS} subscriptions per connection` });
      return;
    }
    this.subscriptions.get(message.id)?.();
    if (message.maxRateHz !== undefined) this.rateHz = effectiveRateHz(message.maxRateHz, this.options.maxRateHz);
    const role = this.principal.user.role;
    const readable = (path: string) => this.options.mayRead(path, role);
    const snapshot = new Map<string, WireTag>();
    for (const pattern of message.patterns) {
      for (const update of this.options.tags.match(pattern)) if (readable(update.path)) snapshot.set(update.path, toWire(update));
    }
    const unsubscribers = message.patterns.map((pattern) =>
      this.options.tags.subscribe(
        pattern,
        (update) => {
          if (readable(update.path)) this.queue(update);
        },
        {
          onRefresh: (update) => {
            if (readable(update.path)) this.queueRefresh(update.path);
          },
        },
      ),
    );
    this.subscriptions.set(message.id, () => unsubscribers.forEach((unsubscribe) => unsubscribe()));
    this.send({ type: "snapshot", id: message.id, tags: [...snapshot.values()], maxRateHz: this.rateHz });
  }

  private queue(update: TagUpdate): void {
    this.pending.set(update.path, update);
    this.timer ??= setTimeout(() => this.flush(), 1000 / this.rateHz);
  }

  private queueRefresh(path: string): void {
    this.refreshed.add(path);
    this.refreshTimer ??= setTimeout(() => this.flushRefreshes(), REFRESH_INTERVAL_MS);
  }

  private flushRefreshes(): void {
    this.refreshTimer = undefined;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.refreshTimer = setTimeout(() => this.flushRefreshes(), REFRESH_INTERVAL_MS);
      return;
    }
    const tags: WireTag[] = [];
    for (const path of this.refreshed) {
      // A change already waiting carries the newer truth; it goes out on its own.
      if (this.pending.has(path)) continue;
      const value = this.options.tags.read(path);
      if (value !== undefined) tags.push(toWire({ path, value }));
    }
    this.refreshed.clear();
    if (tags.length > 0) this.send({ type: "update", tags });
  }

  private flush(): void {
    this.timer = undefined;
    if (this.pending.size === 0) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.timer = setTimeout(() => this.flush(), 1000 / this.rateHz);
      return;
    }
    const tags = [...this.pending.values()].map(toWire);
    this.pending.clear();
    this.send({ type: "update", tags });
  }

  /** The user's access ended: stop at once and tell the client why. */
  end(reason: AccessEndReason): void {
    this.close();
    this.socket.close(LIVE_CLOSE_ACCESS_ENDED, reason);
  }

  close(): void {
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.pending.clear();
    this.refreshed.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const retry = status === 503 ? `Retry-After: ${DEFAULT_RETRY_AFTER_SECONDS}\r\n` : "";
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${retry}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * Live tag values over a websocket at /api/v1/live, for logged-in users
 * only (the site's upgrade gate has checked the login and the origin before
 * the hub sees the upgrade), filtered by what each role may read, coalesced to at most maxRateHz
 * messages per second per client (latest value per tag).
 */
export function attachLiveHub(server: http.Server, options: LiveHubOptions): { close(): void; clientCount(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<LiveClient>();
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname !== LIVE_PATH) return;
    const authenticatedAt = options.access.sequence;
    options
      .authenticate(req)
      .then((principal) => {
        if (!principal) return refuse(socket, 401, "Unauthorized");
        wss.handleUpgrade(req, socket, head, (ws) => {
          wss.emit("connection", ws, req);
          const client = new LiveClient(ws, principal, options);
          clients.add(client);
          ws.on("close", () => clients.delete(client));
          const ended = options.access.endedSince(authenticatedAt, principal);
          if (ended) client.end(ended.reason);
        });
      })
      .catch((error: unknown) => {
        if (isDatabaseUnavailable(error)) {
          options.logger.warn({ err: error }, "live websocket refused: the database is unavailable");
          refuse(socket, 503, "Service Unavailable");
          return;
        }
        options.logger.error({ err: error }, "live websocket upgrade failed");
        refuse(socket, 500, "Internal Server Error");
      });
  };
  server.on("upgrade", onUpgrade);
  const stopListening = options.access.on((event) => {
    for (const client of clients) if (endsAccessOf(event, client.principal)) client.end(event.reason);
  });
  // A client that vanished without a close frame (a dropped radio link) is
  // found by a missed pong and terminated, freeing its subscriptions.
  const alive = new WeakSet<WebSocket>();
  wss.on("connection", (ws) => {
    alive.add(ws);
    ws.on("pong", () => alive.add(ws));
  });
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    close() {
      clearInterval(heartbeat);
      stopListening();
      server.off("upgrade", onUpgrade);
      for (const client of clients) client.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
    clientCount: () => wss.clients.size,
  };
}
