/** What the edge logic needs of a store-and-forward buffer: synchronous, bounded, oldest dropped first. */
export interface ChangeBuffer<T> {
  push(item: T): void;
  /** Every buffered item, oldest first; the buffer is empty afterwards. */
  drain(): T[];
  readonly size: number;
  /** How many entries were dropped (oldest first) because the buffer was full, since start. */
  readonly dropped: number;
}

/**
 * The store-and-forward buffer: changes kept while nothing may be published
 * (broker down, primary host offline), replayed in order as historical data.
 * Bounded: when full the oldest entry is dropped and counted. In memory;
 * durable-buffer.ts keeps the same queue in a spool across restarts.
 */
export class StoreAndForwardQueue<T> implements ChangeBuffer<T> {
  private items: T[] = [];
  private head = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`store-and-forward capacity must be a positive integer, got ${capacity}`);
  }

  /** Adds an item; returns true when the oldest had to be dropped to make room. */
  push(item: T): boolean {
    let droppedOne = false;
    if (this.size === this.capacity) {
      this.head++;
      this.droppedCount++;
      droppedOne = true;
    }
    this.items.push(item);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return droppedOne;
  }

  drain(): T[] {
    const drained = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return drained;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get dropped(): number {
    return this.droppedCount;
  }
}
