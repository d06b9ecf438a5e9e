import { randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

/** Row ids: UUIDv7, made in the app, time-ordered and unique across sites. */
export function newId(): string {
  return uuidv7();
}

/**
 * Many ids at once, for bulk inserts (an allocation run writes tens of
 * thousands of result rows): one randomBytes call serves them all, where
 * newId() asks the system for random bytes once per id (~0.15 s per 46,500).
 * Same format and uniqueness: 74 random bits under the millisecond time.
 */
export function newIds(count: number): string[] {
  const random = randomBytes(count * 16);
  const msecs = Date.now();
  return Array.from({ length: count }, (_, index) => uuidv7({ random: random.subarray(index * 16, index * 16 + 16), msecs }));
}
