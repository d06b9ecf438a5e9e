import { EventEmitter } from "node:events";
import { afterCommit } from "../db/unit-of-work.js";

/**
 * A module event, emitted after the transaction that caused it committed
 * (never for a rolled-back change). `type` is `<module>.<what>`, for example
 * `production.allocation.completed`.
 */
export interface ModuleEvent {
  type: string;
  siteId: string;
  /** ISO time the event was emitted. */
  at: string;
  payload: Record<string, unknown>;
}

export type ModuleEventListener = (event: ModuleEvent) => void;

/** `production.*` matches every production event; `*` matches all; otherwise exact. */
export function eventTypeMatches(pattern: string, type: string): boolean {
  if (pattern === "*" || pattern === "") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/**
 * In-process module events: services emit, flows (the erp-event node) and
 * other modules listen. A failing listener is reported, never breaks the
 * emitter or the other listeners.
 */
export class ModuleEventBus {
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly siteId: string,
    private readonly onListenerError: (error: unknown, event: ModuleEvent) => void = () => undefined,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /**
   * Services emit after their transaction returns; inside a unit of work
   * (a keyed API request) that transaction is only a savepoint, so the
   * event waits for the unit's commit and is dropped if it rolls back.
   */
  emit(type: string, payload: Record<string, unknown>): ModuleEvent {
    const event: ModuleEvent = { type, siteId: this.siteId, at: new Date().toISOString(), payload };
    afterCommit(() => this.emitter.emit("event", event));
    return event;
  }

  /** Returns the unsubscribe function. */
  subscribe(pattern: string, listener: ModuleEventListener): () => void {
    const wrapped = (event: ModuleEvent) => {
      if (!eventTypeMatches(pattern, event.type)) return;
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, event);
      }
    };
    this.emitter.on("event", wrapped);
    return () => {
      this.emitter.off("event", wrapped);
    };
  }
}
