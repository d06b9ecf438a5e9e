import type { Queryable } from "../../runtime/db/database.js";
import { bucketStart } from "../../runtime/historian/history-math.js";
import { ensureHistoryPartitions } from "../../runtime/historian/partitions.js";
import type { HistoryPoint } from "../../runtime/historian/history-types.js";

/** A row of `history` as a test writes it. */
export type StoredSample = HistoryPoint;

const QUALITY = { good: 0, uncertain: 1, bad: 2 } as const;

/**
 * Stores samples as the historian writer would: rows in `history` (on
 * their daily partitions) and their minutes in history_rollup_dirty, in one
 * transaction-equivalent pair of statements.
 */
export async function storeSamples(db: Queryable, tagId: string, samples: readonly StoredSample[]): Promise<void> {
  if (samples.length === 0) return;
  const times = samples.map((sample) => sample.t);
  await ensureHistoryPartitions(db, Math.min(...times), Math.max(...times));
  await db.query(
    `INSERT INTO history (tag_id, ts, value_num, value_bool, value_text, quality)
     SELECT $1::uuid, * FROM unnest($2::timestamptz[], $3::float8[], $4::boolean[], $5::text[], $6::smallint[])`,
    [
      tagId,
      samples.map((sample) => new Date(sample.t)),
      samples.map((sample) => (typeof sample.v === "number" ? sample.v : null)),
      samples.map((sample) => (typeof sample.v === "boolean" ? sample.v : null)),
      samples.map((sample) => (typeof sample.v === "string" ? sample.v : null)),
      samples.map((sample) => QUALITY[sample.q]),
    ],
  );
  const minutes = [...new Set(samples.map((sample) => bucketStart(sample.t, 60_000)))];
  await db.query(
    `INSERT INTO history_rollup_dirty (tag_id, minute) SELECT $1::uuid, unnest($2::timestamptz[]) ON CONFLICT DO NOTHING`,
    [tagId, minutes.map((minute) => new Date(minute))],
  );
}

/** A tag row (the registry's table), without the registry's audit: the queries only read it. */
export async function insertTag(db: Queryable, id: string, path: string, dataType: "float" | "int" | "bool" | "string", unit = ""): Promise<void> {
  await db.query("INSERT INTO tags (id, site_id, path, data_type, unit, created_by) VALUES ($1, 'SITE1', $2, $3, $4, 'test')", [id, path, dataType, unit]);
}

/**
 * A deterministic irregular signal: samples every 7 to 200 s, some bad, a
 * gap of a few empty minutes every so often, so held values cross minutes
 * and hours.
 */
export function irregularSignal(from: number, to: number, seed = 7): StoredSample[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const samples: StoredSample[] = [];
  for (let t = from; t < to; ) {
    const bad = random() < 0.08;
    samples.push({ t, v: bad ? null : Math.round(random() * 10_000) / 100, q: bad ? "bad" : "good" });
    t += random() < 0.05 ? 240_000 + Math.floor(random() * 600_000) : 7_000 + Math.floor(random() * 193_000);
  }
  return samples;
}
