import type { Database, Queryable } from "../db/database.js";
import { PostgresDatabase, type CopyQueryable } from "../db/postgres.js";
import type { TagQuality, TagScalar } from "../tags/tag-types.js";
import { dayStart, dropExpiredHistoryPartitions, ensureHistoryPartitions, partitionDay, QUALITY_CODES } from "./partitions.js";

/** One value for the history table. */
export interface HistoryRow {
  tagId: string;
  /** Source time, epoch ms. */
  t: number;
  v: TagScalar;
  q: TagQuality;
}

/** Where batches of rows go: one transaction each, a row already stored (same tag and time) left as it is. */
export interface HistorySink {
  write(rows: readonly HistoryRow[]): Promise<void>;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const UNIQUE_VIOLATION = "23505";
const COLUMNS = "tag_id, ts, value_num, value_bool, value_text, quality";

/** COPY text format: backslash, tab, newline and carriage return escaped; \N is null. */
function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** The rows as COPY FROM STDIN text input, one line each. */
export function copyInput(rows: readonly HistoryRow[]): string {
  const lines: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const { tagId, t, v, q } = rows[i];
    const num = typeof v === "number" ? String(v) : "\\N";
    const bool = typeof v === "boolean" ? (v ? "t" : "f") : "\\N";
    const text = typeof v === "string" ? copyText(v) : "\\N";
    lines[i] = `${tagId}\t${new Date(t).toISOString()}\t${num}\t${bool}\t${text}\t${QUALITY_CODES[q]}\n`;
  }
  return lines.join("");
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === UNIQUE_VIOLATION;
}

/** The distinct (tag, minute) pairs a batch touches, for the rollup job. */
function dirtyMinutes(rows: readonly HistoryRow[]): { tagIds: string[]; minutes: string[] } {
  const seen = new Set<string>();
  const tagIds: string[] = [];
  const minutes: string[] = [];
  for (const row of rows) {
    const minute = Math.floor(row.t / MINUTE_MS) * MINUTE_MS;
    const key = `${row.tagId}@${minute}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tagIds.push(row.tagId);
    minutes.push(new Date(minute).toISOString());
  }
  return { tagIds, minutes };
}

async function markDirty(tx: Queryable, rows: readonly HistoryRow[]): Promise<void> {
  const { tagIds, minutes } = dirtyMinutes(rows);
  await tx.query(
    `INSERT INTO history_rollup_dirty (tag_id, minute) SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) ON CONFLICT DO NOTHING`,
    [tagIds, minutes],
  );
}

/** INSERT ... SELECT FROM unnest(arrays): one statement, six parameters, any number of rows. */
async function insertUnnest(tx: Queryable, rows: readonly HistoryRow[]): Promise<void> {
  const ids: string[] = [];
  const times: string[] = [];
  const nums: (number | null)[] = [];
  const bools: (boolean | null)[] = [];
  const texts: (string | null)[] = [];
  const qualities: number[] = [];
  for (const row of rows) {
    ids.push(row.tagId);
    times.push(new Date(row.t).toISOString());
    nums.push(typeof row.v === "number" ? row.v : null);
    bools.push(typeof row.v === "boolean" ? row.v : null);
    texts.push(typeof row.v === "string" ? row.v : null);
    qualities.push(QUALITY_CODES[row.q]);
  }
  await tx.query(
    `INSERT INTO history (${COLUMNS})
     SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::boolean[], $5::text[], $6::int2[])
     ON CONFLICT (tag_id, ts) DO NOTHING`,
    [ids, times, nums, bools, texts, qualities],
  );
}

/**
 * COPY straight into history: the fast path. A row already stored (a batch
 * written again after a timeout that committed anyway, or a drain replayed
 * after a crash) fails the COPY as a whole; the batch then goes through a
 * temporary staging table and INSERT ... ON CONFLICT DO NOTHING, so it is
 * stored exactly once either way.
 */
async function copyRows(tx: CopyQueryable, rows: readonly HistoryRow[]): Promise<void> {
  const input = copyInput(rows);
  await tx.exec("SAVEPOINT history_copy");
  try {
    await tx.copyFrom(`COPY history (${COLUMNS}) FROM STDIN`, input);
    await tx.exec("RELEASE SAVEPOINT history_copy");
    return;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await tx.exec("ROLLBACK TO SAVEPOINT history_copy");
  }
  await tx.exec(`CREATE TEMP TABLE IF NOT EXISTS history_stage (LIKE history) ON COMMIT DELETE ROWS`);
  await tx.copyFrom(`COPY history_stage (${COLUMNS}) FROM STDIN`, input);
  await tx.exec(`INSERT INTO history (${COLUMNS}) SELECT ${COLUMNS} FROM history_stage ON CONFLICT (tag_id, ts) DO NOTHING`);
}

export interface DatabaseSinkOptions {
  /** Values older than this many days are not stored (their partition is dropped or about to be). */
  retentionDays: number;
  now?: () => number;
}

/**
 * The history table behind a sink: COPY on PostgreSQL, INSERT from unnest
 * on PGlite; the rollup's dirty minutes in the same transaction; the day
 * partitions a batch needs created first (once per day and process).
 */
export class DatabaseHistorySink implements HistorySink {
  private readonly days = new Set<number>();
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    private readonly options: DatabaseSinkOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Partitions for yesterday through two days ahead; then what retention no longer keeps is dropped. */
  async maintain(): Promise<{ created: string[]; dropped: string[] }> {
    const today = dayStart(this.now());
    const created = await ensureHistoryPartitions(this.db, today - DAY_MS, today + 2 * DAY_MS);
    for (let day = today - DAY_MS; day <= today + 2 * DAY_MS; day += DAY_MS) this.days.add(day);
    const dropped = await dropExpiredHistoryPartitions(this.db, this.options.retentionDays, this.now());
    for (const name of dropped) {
      const day = partitionDay(name);
      if (day !== null) this.days.delete(day);
    }
    return { created, dropped };
  }

  /** The oldest time still kept: rows before it would land in a partition retention drops. */
  retentionCutoff(): number {
    return dayStart(this.now()) - this.options.retentionDays * DAY_MS;
  }

  async write(rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.ensureDays(rows);
    if (this.db instanceof PostgresDatabase) {
      await this.db.copyTransaction(async (tx) => {
        await copyRows(tx, rows);
        await markDirty(tx, rows);
      });
      return;
    }
    await this.db.transaction(async (tx) => {
      await insertUnnest(tx, rows);
      await markDirty(tx, rows);
    });
  }

  /** Late or backfilled values may fall on days without a partition yet: created on demand. */
  private async ensureDays(rows: readonly HistoryRow[]): Promise<void> {
    const missing = new Set<number>();
    for (const row of rows) {
      const day = dayStart(row.t);
      if (!this.days.has(day)) missing.add(day);
    }
    for (const day of missing) {
      await ensureHistoryPartitions(this.db, day, day);
      this.days.add(day);
    }
  }
}
