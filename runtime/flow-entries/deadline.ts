import { DatabaseUnavailableError } from "../db/database-errors.js";

/**
 * The database call's answer, or DatabaseUnavailableError when it has not
 * answered within `ms`: during a network partition nothing else ends the
 * wait. The call itself is abandoned, not cancelled; callers use this only
 * where a late answer is harmless (an idempotent write, a read).
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError(`the database did not answer within ${ms} ms`)), ms);
  });
  // The late answer (or error) of an abandoned call is no one's to handle.
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
