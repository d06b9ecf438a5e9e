/**
 * Seven days of history for the demo's own tags, on the first start only:
 * the simulator's model (same seed as the live demo) is run in fast-forward
 * over the week before the start, one sample per tag per minute, and the
 * values are stored at their own timestamps. They go through the same
 * swinging-door compression as live values, with the demo's policy per
 * tag, so the week looks like what the historian would have kept: every
 * 1-minute sample lies within the deviation of the stored curve, at a
 * twentieth of the rows (a raw week is about 2 M rows, 1.5 GB on PGlite). It runs in the background
 * after the site is ready (never delaying /healthz or sign-in), in small
 * batches with a pause between them so live traffic keeps the CPU, and
 * marks itself done (`demo_history_backfill`) after the last batch.
 */
import type { Database, Queryable } from "../db/database.js";
import type { HistoryRecorder } from "../historian/history-types.js";
import { QUALITY_CODES, ensureHistoryPartitions } from "../historian/partitions.js";
import type { Logger } from "../observability/logger.js";
import type { TagValue } from "../tags/tag-types.js";
import { createOilfield } from "../../simulator/model/oilfield.js";
import type { SimPointDefinition } from "../../simulator/model/types.js";
import { DEMO_ACTOR } from "./demo-assets-erp.js";
import { SwingingDoor } from "../historian/swinging-door.js";
import { demoHistoryPolicy } from "./demo-history-policy.js";

export interface DemoBackfillOptions {
  db: Database;
  siteId: string;
  logger: Logger;
  /** The historian's recorder; without one the rows go straight into `history` (and its rollup queue). */
  recorder?: HistoryRecorder;
  /** The live demo's seed, so the week looks like the field that follows it. */
  seed: number;
  /** The end of the week (the first start); default now. */
  now?: number;
  days?: number;
  stepSeconds?: number;
  /** Minutes of samples per batch. */
  batchMinutes?: number;
  /** Pause between batches, ms: the backfill yields the CPU to the live site. */
  pauseMs?: number;
  /** Compress by the demo's history policy (default); false stores every 1-minute sample (tests of the sampling). */
  compress?: boolean;
  /** Only these points (tests); default every point of the model. */
  points?: (point: SimPointDefinition) => boolean;
  signal?: AbortSignal;
}

export type DemoBackfillOutcome =
  | { outcome: "backfilled"; tags: number; values: number; from: string; to: string; via: "recorder" | "direct" }
  | { outcome: "done-before"; at: string }
  | { outcome: "aborted"; values: number };

interface Sample {
  path: string;
  value: TagValue;
}

const MINUTE_MS = 60_000;

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

async function doneBefore(db: Queryable, siteId: string): Promise<string | null> {
  const marker = await db.query<{ created_at: string | Date }>("SELECT created_at FROM demo_history_backfill WHERE site_id = $1", [siteId]);
  const at = marker.rows[0]?.created_at;
  if (at === undefined) return null;
  return at instanceof Date ? at.toISOString() : String(at);
}

/** Writes samples straight into history, as the historian's writer does: rows and their rollup minutes in one transaction. */
async function insertDirect(db: Database, tagIds: ReadonlyMap<string, { id: string }>, samples: readonly Sample[]): Promise<void> {
  const rows = samples.flatMap((sample) => {
    const tag = tagIds.get(sample.path);
    return tag ? [{ id: tag.id, ...sample.value }] : [];
  });
  if (rows.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO history (tag_id, ts, value_num, value_bool, value_text, quality)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::boolean[], $5::text[], $6::smallint[])
       ON CONFLICT (tag_id, ts) DO NOTHING`,
      [
        rows.map((row) => row.id),
        rows.map((row) => new Date(row.t).toISOString()),
        rows.map((row) => (typeof row.v === "number" ? row.v : null)),
        rows.map((row) => (typeof row.v === "boolean" ? row.v : null)),
        rows.map((row) => (typeof row.v === "string" ? row.v : null)),
        rows.map((row) => QUALITY_CODES[row.q]),
      ],
    );
    await tx.query(
      `INSERT INTO history_rollup_dirty (tag_id, minute)
       SELECT DISTINCT tag_id, date_trunc('minute', ts) FROM unnest($1::uuid[], $2::timestamptz[]) AS d(tag_id, ts)
       ON CONFLICT DO NOTHING`,
      [rows.map((row) => row.id), rows.map((row) => new Date(row.t).toISOString())],
    );
  });
}

/**
 * The week before `now`, once per site. Idempotent: a finished backfill is
 * never repeated (marker row), an interrupted one is written again from
 * the start and the stored rows are kept ((tag_id, ts) is unique; the
 * historian's recorder is at-least-once by contract).
 */
export async function backfillDemoHistoryOnce(options: DemoBackfillOptions): Promise<DemoBackfillOutcome> {
  const { db, siteId, logger, signal } = options;
  const at = await doneBefore(db, siteId);
  if (at !== null) return { outcome: "done-before", at };
  const days = options.days ?? 7;
  const stepSeconds = options.stepSeconds ?? 60;
  // Small batches and a real pause: on PGlite every write runs on this thread, and device polling must keep its deadlines.
  const batchMinutes = options.batchMinutes ?? 5;
  const pauseMs = options.pauseMs ?? 100;
  // Whole minutes, so the samples sit on the minute like a 1-minute historian's.
  const to = Math.floor((options.now ?? Date.now()) / MINUTE_MS) * MINUTE_MS;
  const from = to - days * 86_400_000;
  const settleSeconds = 3600;
  // Decline at the real pace: a week of it is a small, honest drift.
  const model = createOilfield({ siteId, seed: options.seed, startTime: from - settleSeconds * 1000, declineTimeFactor: 1 });
  for (let elapsed = 0; elapsed < settleSeconds; elapsed += stepSeconds) model.step(stepSeconds);
  const points = model.points.filter(options.points ?? (() => true));
  const paths = points.map((point) => `${siteId}/${point.asset}/${point.point}`);
  const known = await db.query<{ id: string; path: string }>("SELECT id, path FROM tags WHERE path = ANY($1::text[])", [paths]);
  const tagIds = new Map(known.rows.map((row) => [row.path, { id: row.id }]));
  const recorder = options.recorder;
  const via = recorder ? "recorder" : "direct";
  if (!recorder) await ensureHistoryPartitions(db, from, to);
  logger.info({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), tags: tagIds.size, via }, "demo history backfill started");
  let values = 0;
  let batch: Sample[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const samples = batch;
    batch = [];
    if (recorder) await recorder.record(samples);
    else await insertDirect(db, tagIds, samples);
    values += samples.length;
    await pause(pauseMs, signal);
  };
  const compress = options.compress ?? true;
  const doors = points.map((point) => {
    const policy = demoHistoryPolicy(point);
    return new SwingingDoor({ deviation: policy.historyDeviation, maxIntervalMs: policy.historyMaxIntervalSeconds * 1000 });
  });
  let minutesInBatch = 0;
  for (let t = from + stepSeconds * 1000; t <= to; t += stepSeconds * 1000) {
    if (signal?.aborted) return { outcome: "aborted", values };
    model.step(stepSeconds);
    for (let index = 0; index < points.length; index++) {
      const point = points[index];
      const path = paths[index];
      if (!tagIds.has(path)) continue;
      const sample = { v: model.read(point.asset, point.point), q: "good" as const, t };
      const kept = compress ? doors[index].offer(sample) : [sample];
      for (const value of kept) batch.push({ path, value });
    }
    // A day of samples at a time, so a long backfill shows it is moving.
    if ((t - from) % 86_400_000 === 0) logger.info({ day: (t - from) / 86_400_000, of: days, values: values + batch.length }, "demo history backfill progress");
    if (++minutesInBatch >= batchMinutes) {
      minutesInBatch = 0;
      await flush();
    }
  }
  if (compress) {
    points.forEach((_point, index) => {
      if (tagIds.has(paths[index])) for (const value of doors[index].flush()) batch.push({ path: paths[index], value });
    });
  }
  await flush();
  if (signal?.aborted) return { outcome: "aborted", values };
  await db.query(
    "INSERT INTO demo_history_backfill (site_id, from_ts, to_ts, tags, stored_values, via, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (site_id) DO NOTHING",
    [siteId, new Date(from).toISOString(), new Date(to).toISOString(), tagIds.size, values, via, DEMO_ACTOR],
  );
  const outcome = { outcome: "backfilled", tags: tagIds.size, values, from: new Date(from).toISOString(), to: new Date(to).toISOString(), via } as const;
  logger.info(outcome, "demo history backfill done");
  return outcome;
}
