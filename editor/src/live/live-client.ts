import { fetchSession } from '../api/auth';
import { isWaitingForSignIn, watchSignIn } from '../shell/reauth';
import {
  coalesce,
  mergeUpdates,
  parseServerMessage,
  patternsOf,
  reconnectDelay,
  snapshotValues,
  type ClientMessage,
  type LiveValues,
  type WireTag,
} from './live-protocol';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface LiveStatus {
  state: ConnectionState;
  /** The last `error` message the server sent, until the next successful connect. */
  serverError: string | null;
}

interface Subscription {
  id: string;
  patterns: string[];
  refs: number;
  values: LiveValues;
  listeners: Set<() => void>;
  releaseTimer: ReturnType<typeof setTimeout> | null;
}

/** The server coalesces per client; the screens never need more than this. */
const MAX_RATE_HZ = 2;
/**
 * A screen that unmounts and another that mounts the same patterns (StrictMode,
 * navigating between pages) keep the server subscription instead of churning it.
 */
const RELEASE_DELAY_MS = 1_500;
const EMPTY: LiveValues = new Map();

function liveUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}/api/v1/live`;
}

/**
 * The page's one websocket to /api/v1/live. Subscriptions are shared by
 * pattern set and reference counted; the socket opens with the first and
 * closes after the last, and reconnects with backoff in between.
 */
class LiveClient {
  private socket: WebSocket | null = null;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly byId = new Map<string, Subscription>();
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<string, WireTag>();
  private readonly dirty = new Set<Subscription>();
  private frame: number | null = null;
  private status: LiveStatus = { state: 'idle', serverError: null };
  private readonly statusListeners = new Set<() => void>();
  private checkingSession = false;

  constructor() {
    // Back from signing in again: reconnect now rather than at the end of a long backoff.
    watchSignIn(() => {
      if (isWaitingForSignIn() || this.reconnectTimer === null) return;
      clearTimeout(this.reconnectTimer);
      this.attempt = 0;
      this.connect();
    });
  }

  values(key: string): LiveValues {
    return this.subscriptions.get(key)?.values ?? EMPTY;
  }

  getStatus(): LiveStatus {
    return this.status;
  }

  watchStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Holds the subscription for `key` while the returned function is not called. */
  watch(key: string, listener: () => void): () => void {
    const subscription = this.acquire(key);
    subscription.listeners.add(listener);
    return () => {
      subscription.listeners.delete(listener);
      this.release(key, subscription);
    };
  }

  private acquire(key: string): Subscription {
    const existing = this.subscriptions.get(key);
    if (existing !== undefined) {
      existing.refs += 1;
      if (existing.releaseTimer !== null) clearTimeout(existing.releaseTimer);
      existing.releaseTimer = null;
      return existing;
    }
    const subscription: Subscription = {
      id: `sub-${this.nextId++}`,
      patterns: patternsOf(key),
      refs: 1,
      values: EMPTY,
      listeners: new Set(),
      releaseTimer: null,
    };
    this.subscriptions.set(key, subscription);
    this.byId.set(subscription.id, subscription);
    if (subscription.patterns.length > 0) {
      if (this.socket === null && this.reconnectTimer === null) this.connect();
      else this.sendSubscribe(subscription);
    }
    return subscription;
  }

  private release(key: string, subscription: Subscription): void {
    subscription.refs -= 1;
    if (subscription.refs > 0) return;
    subscription.releaseTimer = setTimeout(() => {
      if (subscription.refs > 0 || this.subscriptions.get(key) !== subscription) return;
      this.subscriptions.delete(key);
      this.byId.delete(subscription.id);
      this.dirty.delete(subscription);
      if (subscription.patterns.length > 0) this.send({ type: 'unsubscribe', id: subscription.id });
      if (this.subscriptions.size === 0) this.disconnect();
    }, RELEASE_DELAY_MS);
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener();
  }

  private connect(): void {
    this.reconnectTimer = null;
    this.setStatus({ ...this.status, state: this.attempt === 0 ? 'connecting' : 'reconnecting' });
    const socket = new WebSocket(liveUrl());
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus({ state: 'open', serverError: null });
      for (const subscription of this.subscriptions.values()) this.sendSubscribe(subscription);
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.subscriptions.size === 0) {
        this.setStatus({ ...this.status, state: 'idle' });
        return;
      }
      this.setStatus({ ...this.status, state: 'reconnecting' });
      this.reconnectTimer = setTimeout(() => this.connect(), reconnectDelay(this.attempt++));
      this.checkSession();
    };
  }

  /**
   * A dropped feed may mean the session ended, and a refused upgrade hides
   * its 401 from the page: ask the API, whose 401 opens the sign-in dialog.
   * Any other failure (the network is down) is the backoff's business.
   */
  private checkSession(): void {
    if (this.checkingSession) return;
    this.checkingSession = true;
    void fetchSession()
      .catch(() => undefined)
      .finally(() => {
        this.checkingSession = false;
      });
  }

  private disconnect(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    this.attempt = 0;
    socket?.close(1000);
    this.setStatus({ state: 'idle', serverError: null });
  }

  private send(message: ClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private sendSubscribe(subscription: Subscription): void {
    if (subscription.patterns.length === 0) return;
    this.send({ type: 'subscribe', id: subscription.id, patterns: subscription.patterns, maxRateHz: MAX_RATE_HZ });
  }

  private receive(data: unknown): void {
    const message = parseServerMessage(data);
    if (message === null) return;
    if (message.type === 'error') {
      this.setStatus({ ...this.status, serverError: message.message });
      return;
    }
    if (message.type === 'snapshot') {
      const subscription = this.byId.get(message.id);
      if (subscription === undefined) return;
      // Updates that arrived before the snapshot are older than it: apply them first.
      this.applyPending();
      subscription.values = snapshotValues(message.tags, subscription.patterns);
      this.dirty.add(subscription);
    } else {
      coalesce(this.pending, message.tags);
    }
    this.scheduleFlush();
  }

  // Values reach React at most once per painted frame, however many messages arrived.
  private scheduleFlush(): void {
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => this.flush());
  }

  private applyPending(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const subscription of this.subscriptions.values()) {
      const next = mergeUpdates(subscription.values, batch, subscription.patterns);
      if (next === subscription.values) continue;
      subscription.values = next;
      this.dirty.add(subscription);
    }
  }

  private flush(): void {
    this.frame = null;
    this.applyPending();
    const dirty = [...this.dirty];
    this.dirty.clear();
    for (const subscription of dirty) {
      for (const listener of subscription.listeners) listener();
    }
  }
}

export const liveClient = new LiveClient();
