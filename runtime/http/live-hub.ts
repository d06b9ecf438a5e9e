import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Principal } from "../auth/auth-service.js";
import type { Role } from "../auth/roles.js";
import type { Logger } from "../observability/logger.js";
import { compilePattern } from "../tags/tag-path.js";
import type { LiveTags, TagUpdate, TagValue } from "../tags/tag-types.js";

export const LIVE_PATH = "/api/v1/live";

/** A tag on the wire: short keys, because thousands go out every second. */
export interface WireTag {
  p: string;
  v: TagValue["v"];
  q: TagValue["q"];
  t: number;
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
  for (const pattern of patterns as string[]) {
    try {
      compilePattern(pattern);
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  const maxRateHz = candidate.maxRateHz;
  if (maxRateHz !== undefined && (typeof maxRateHz !== "number" || !(maxRateHz > 0))) return { error: "maxRateHz must be a positive number" };
  return { type: "subscribe", id: candidate.id, patterns: patterns as string[], ...(maxRateHz === undefined ? {} : { maxRateHz }) };
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
  const { v, q, t, reason } = update.value;
  return reason === undefined ? { p: update.path, v, q, t } : { p: update.path, v, q, t, r: reason };
}

export interface LiveHubOptions {
  tags: LiveTags;
  authenticate: (req: http.IncomingMessage) => Promise<Principal | null>;
  mayRead: (path: string, role: Role) => boolean;
  /** The site-wide ceiling on updates per second per client; a client may ask for less. */
  maxRateHz: number;
  logger: Logger;
}

class LiveClient {
  private readonly subscriptions = new Map<string, () => void>();
  private readonly pending = new Map<string, TagUpdate>();
  private timer: NodeJS.Timeout | undefined;
  private rateHz: number;

  constructor(
    private readonly socket: WebSocket,
    private readonly principal: Principal,
    private readonly options: LiveHubOptions,
  ) {
    this.rateHz = effectiveRateHz(undefined, options.maxRateHz);
    socket.on("message", (data) => this.onMessage(data.toString()));
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
      this.options.tags.subscribe(pattern, (update) => {
        if (readable(update.path)) this.queue(update);
      }),
    );
    this.subscriptions.set(message.id, () => unsubscribers.forEach((unsubscribe) => unsubscribe()));
    this.send({ type: "snapshot", id: message.id, tags: [...snapshot.values()], maxRateHz: this.rateHz });
  }

  private queue(update: TagUpdate): void {
    this.pending.set(update.path, update);
    this.timer ??= setTimeout(() => this.flush(), 1000 / this.rateHz);
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

  close(): void {
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The same site, judged by the Origin header: a cookie must not let another site's page open the feed. */
function sameOrigin(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Live tag values over a websocket at /api/v1/live, for logged-in users
 * only, filtered by what each role may read, coalesced to at most maxRateHz
 * messages per second per client (latest value per tag).
 */
export function attachLiveHub(server: http.Server, options: LiveHubOptions): { close(): void; clientCount(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<LiveClient>();
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname !== LIVE_PATH) return;
    options
      .authenticate(req)
      .then((principal) => {
        if (!principal) return refuse(socket, 401, "Unauthorized");
        if (principal.via === "session" && !sameOrigin(req)) return refuse(socket, 403, "Forbidden");
        wss.handleUpgrade(req, socket, head, (ws) => {
          wss.emit("connection", ws, req);
          const client = new LiveClient(ws, principal, options);
          clients.add(client);
          ws.on("close", () => clients.delete(client));
        });
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, "live websocket upgrade failed");
        refuse(socket, 500, "Internal Server Error");
      });
  };
  server.on("upgrade", onUpgrade);
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
      server.off("upgrade", onUpgrade);
      for (const client of clients) client.close();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
    clientCount: () => wss.clients.size,
  };
}
