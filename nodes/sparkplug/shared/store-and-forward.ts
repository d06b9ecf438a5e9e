/**
 * The store-and-forward buffer: changes kept while nothing may be published
 * (broker down, primary host offline), replayed in order as historical data.
 * Bounded: when full the oldest entry is dropped and counted.
 */
export class StoreAndForwardQueue<T> {
  private items: T[] = [];
  private head = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`store-and-forward capacity must be a positive integer, got ${capacity}`);
  }

  push(item: T): void {
    if (this.size === this.capacity) {
      this.head++;
      this.droppedCount++;
    }
    this.items.push(item);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Every buffered item, oldest first; the queue is empty afterwards. */
  drain(): T[] {
    const drained = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return drained;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  /** How many entries were dropped (oldest first) because the buffer was full, since start. */
  get dropped(): number {
    return this.droppedCount;
  }
}
