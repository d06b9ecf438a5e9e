/**
 * Where a spool's drain loop waits: until something wakes it (an append,
 * the database answering, close) or, with a delay, until the delay passes.
 * One waiter at a time, as a drain loop has; waking with nobody waiting
 * does nothing.
 */
export class DrainPause {
  private waiter: (() => void) | null = null;

  wait(delayMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        if (this.waiter === done) this.waiter = null;
        resolve();
      };
      if (delayMs !== undefined) timer = setTimeout(done, delayMs);
      this.waiter = done;
    });
  }

  wake(): void {
    this.waiter?.();
  }
}
