import type { Queryable } from "../db/database.js";
import type { TagQuality } from "../tags/tag-types.js";

/** Quality as stored in history.quality. */
export const QUALITY_CODES: Readonly<Record<TagQuality, number>> = { good: 0, uncertain: 1, bad: 2 };
export const QUALITY_BY_CODE: readonly TagQuality[] = ["good", "uncertain", "bad"];

const DAY_MS = 86_400_000;

/** The UTC day a time falls in, as its start (epoch ms). */
export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** history_pYYYYMMDD: one partition per UTC day. */
export function partitionName(dayStartMs: number): string {
  return `history_p${new Date(dayStartMs).toISOString().slice(0, 10).replace(/-/g, "")}`;
}

/**
 * Creates the daily partitions that cover [fromMs, toMs] and do not exist
 * yet. Names come from dates, never from input; bounds are ISO literals
 * because DDL takes no bind parameters.
 */
export async function ensureHistoryPartitions(db: Queryable, fromMs: number, toMs: number): Promise<string[]> {
  const existing = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'history'`,
  );
  const have = new Set(existing.rows.map((row) => row.name));
  const created: string[] = [];
  for (let day = dayStart(fromMs); day <= toMs; day += DAY_MS) {
    const name = partitionName(day);
    if (have.has(name)) continue;
    const lower = new Date(day).toISOString();
    const upper = new Date(day + DAY_MS).toISOString();
    await db.exec(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF history FOR VALUES FROM ('${lower}') TO ('${upper}')`);
    created.push(name);
  }
  return created;
}

/** The day a partition holds, from its name (history_pYYYYMMDD), or null for another table. */
export function partitionDay(name: string): number | null {
  const match = /^history_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return null;
  const day = Date.parse(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`);
  return Number.isNaN(day) ? null : day;
}

/**
 * Drops the daily partitions wholly older than `retentionDays` before
 * `nowMs`: a whole day goes at once (one DROP, no dead rows to vacuum).
 * Returns the partitions dropped. Retention is site-wide: per-tag
 * retention would need batched deletes (docs/decisions.md).
 */
export async function dropExpiredHistoryPartitions(db: Queryable, retentionDays: number, nowMs: number): Promise<string[]> {
  const cutoff = dayStart(nowMs) - retentionDays * DAY_MS;
  const existing = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'history' ORDER BY c.relname`,
  );
  const dropped: string[] = [];
  for (const { name } of existing.rows) {
    const day = partitionDay(name);
    // The name was matched against history_pYYYYMMDD above, so it is safe in DDL.
    if (day === null || day + DAY_MS > cutoff) continue;
    await db.exec(`DROP TABLE IF EXISTS ${name}`);
    dropped.push(name);
  }
  return dropped;
}
