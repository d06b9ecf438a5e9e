import assert from "node:assert/strict";
import type { Database } from "../../../../runtime/db/database.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { aggregateSamples, combineBuckets, type BucketAggregate } from "../../../../runtime/historian/history-math.js";
import { HistoryQueries, type HistoryTag } from "../../../../runtime/historian/history-queries.js";
import { aggregateFromRow, HOUR_MS, MINUTE_MS, ROLLUP_COLUMNS, RollupJob } from "../../../../runtime/historian/rollups.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { insertTag, irregularSignal, storeSamples, type StoredSample } from "../../../helpers/history-samples.js";

const SIGNAL: HistoryTag = { id: "0193a3c0-0000-7000-8000-0000000000a1", path: "SITE1/WELL-101/THP", dataType: "float", unit: "kPa" };
const LATE: HistoryTag = { id: "0193a3c0-0000-7000-8000-0000000000a2", path: "SITE1/WELL-101/FLOW", dataType: "float", unit: "m3/d" };
// Across a UTC midnight, so the rows sit on two daily partitions.
const FROM = Date.parse("2026-12-06T22:00:00Z");
const TO = Date.parse("2026-12-07T01:00:00Z");
const TEN = Date.parse("2026-12-07T10:00:00Z");

function near(actual: number | null, expected: number | null, what: string): void {
  if (actual === null || expected === null) return assert.equal(actual, expected, what);
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≉ ${expected}`);
}

function sameAggregates(actual: readonly BucketAggregate[], expected: readonly BucketAggregate[], what: string): void {
  assert.deepEqual(
    actual.map((row) => row.start),
    expected.map((row) => row.start),
    `${what}: buckets`,
  );
  actual.forEach((row, index) => {
    const want = expected[index];
    const at = `${what} ${new Date(row.start).toISOString()}`;
    assert.deepEqual(
      [row.count, row.min, row.max, row.firstT, row.first, row.lastT, row.last, row.endValue],
      [want.count, want.min, want.max, want.firstT, want.first, want.lastT, want.last, want.endValue],
      at,
    );
    near(row.sum, want.sum, `${at} sum`);
    near(row.integral, want.integral, `${at} integral`);
    near(row.coveredMs, want.coveredMs, `${at} covered`);
  });
}

async function rollupRows(db: Database, table: "history_rollup_1m" | "history_rollup_1h", tagId: string): Promise<BucketAggregate[]> {
  const rows = await db.query<Parameters<typeof aggregateFromRow>[0]>(`SELECT ${ROLLUP_COLUMNS} FROM ${table} WHERE tag_id = $1 ORDER BY bucket`, [tagId]);
  return rows.rows.map(aggregateFromRow);
}

/** The rollups computed straight from the samples, in memory: what the job must have stored. */
function expectedRollups(samples: readonly StoredSample[], bucketMs: number, from: number, to: number): BucketAggregate[] {
  const numeric = samples.map((sample) => ({ t: sample.t, v: sample.q === "good" && typeof sample.v === "number" ? sample.v : null }));
  const parts = aggregateSamples(numeric, null, from, to, bucketMs);
  // A bucket of the rollup table exists where the samples are; its columns are the same as the combined ones.
  return bucketMs === MINUTE_MS ? parts : combineBuckets(aggregateSamples(numeric, null, from, to, MINUTE_MS), null, from, to, MINUTE_MS, bucketMs).filter((bucket) => parts.some((part) => part.start === bucket.start));
}

for (const target of databaseTargets) {
  describe(`history rollups and bucket queries (${target.name})`, function () {
    // Opening and migrating PGlite alone can take most of the default 30 s on a busy box.
    this.timeout(60_000);
    let test: TestDatabase | undefined;
    let job: RollupJob;
    let queries: HistoryQueries;
    const signal = irregularSignal(FROM, TO);

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      test = await target.create();
      await migrate(test.db, ALL_MIGRATIONS);
      await insertTag(test.db, SIGNAL.id, SIGNAL.path, "float", "kPa");
      await insertTag(test.db, LATE.id, LATE.path, "float", "m3/d");
      // Small batches: the job must carry held values across its own passes.
      job = new RollupJob({ db: test.db, logger: createLogger("silent"), intervalMs: 1000, batchMinutes: 25, timeoutMs: 20_000 });
      queries = new HistoryQueries(test.db, { timeoutMs: 20_000, rawMaxSpanMs: HOUR_MS });
    });

    after(async () => {
      await test?.drop();
    });

    it("stores minute and hour rollups equal to a direct computation from the raw rows, and consumes the dirty minutes", async () => {
      const db = test!.db;
      await storeSamples(db, SIGNAL.id, signal);
      const done = await job.catchUp();
      assert.ok(done.dirty > 25, "several passes");
      sameAggregates(await rollupRows(db, "history_rollup_1m", SIGNAL.id), expectedRollups(signal, MINUTE_MS, FROM, TO), "1 min");
      sameAggregates(await rollupRows(db, "history_rollup_1h", SIGNAL.id), expectedRollups(signal, HOUR_MS, FROM, TO), "1 h");
      assert.equal((await db.query("SELECT 1 FROM history_rollup_dirty")).rowCount, 0);
    });

    it("a late value changes its minute and the next minute with a sample (held value), and its hour", async () => {
      const db = test!.db;
      await storeSamples(db, LATE.id, [
        { t: TEN + 10_000, v: 10, q: "good" },
        { t: TEN + 5 * MINUTE_MS + 30_000, v: 30, q: "good" },
      ]);
      await job.catchUp();
      const minute5 = () => rollupRows(db, "history_rollup_1m", LATE.id).then((rows) => rows.find((row) => row.start === TEN + 5 * MINUTE_MS)!);
      // 10 held for 30 s, then 30 for 30 s.
      assert.equal((await minute5()).integral, 10 * 30_000 + 30 * 30_000);

      // Late: 50 at 10:03:00, only its own minute marked dirty (as the writer does).
      await storeSamples(db, LATE.id, [{ t: TEN + 3 * MINUTE_MS, v: 50, q: "good" }]);
      await job.catchUp();
      assert.equal((await minute5()).integral, 50 * 30_000 + 30 * 30_000);
      const all = [
        { t: TEN + 10_000, v: 10, q: "good" },
        { t: TEN + 3 * MINUTE_MS, v: 50, q: "good" },
        { t: TEN + 5 * MINUTE_MS + 30_000, v: 30, q: "good" },
      ] satisfies StoredSample[];
      sameAggregates(await rollupRows(db, "history_rollup_1m", LATE.id), expectedRollups(all, MINUTE_MS, TEN, TEN + HOUR_MS), "1 min after the late value");
      const [hour] = await queries.bucketsFrom("rollup_1h", LATE, { from: TEN, to: TEN + HOUR_MS }, HOUR_MS);
      // Unknown for 10 s; 10 for 170 s, 50 for 150 s, 30 for 3270 s.
      near(hour.twa, (10 * 170 + 50 * 150 + 30 * 3270) / 3590, "hour TWA");
      assert.deepEqual([hour.count, hour.min, hour.max, hour.first, hour.last, hour.avg], [3, 10, 50, 10, 30, 30]);
    });

    it("answers the same buckets from raw rows, minute rollups and hour rollups", async () => {
      const range = { from: FROM, to: TO };
      const fromRaw = await queries.bucketsFrom("raw", SIGNAL, range, HOUR_MS);
      const fromMinutes = await queries.bucketsFrom("rollup_1m", SIGNAL, range, HOUR_MS);
      const fromHours = await queries.bucketsFrom("rollup_1h", SIGNAL, range, HOUR_MS);
      assert.equal(fromRaw.length, 3);
      for (const [name, other] of [["1 min", fromMinutes], ["1 h", fromHours]] as const) {
        other.forEach((bucket, index) => {
          const raw = fromRaw[index];
          assert.deepEqual([bucket.t, bucket.count, bucket.min, bucket.max, bucket.first, bucket.last], [raw.t, raw.count, raw.min, raw.max, raw.first, raw.last], name);
          near(bucket.avg, raw.avg, `${name} avg`);
          near(bucket.twa, raw.twa, `${name} twa`);
        });
      }
      const tenMinutesRaw = await queries.bucketsFrom("raw", SIGNAL, range, 10 * MINUTE_MS);
      const tenMinutesRolled = await queries.bucketsFrom("rollup_1m", SIGNAL, range, 10 * MINUTE_MS);
      assert.equal(tenMinutesRolled.length, 18);
      tenMinutesRolled.forEach((bucket, index) => {
        assert.equal(bucket.count, tenMinutesRaw[index].count);
        near(bucket.twa, tenMinutesRaw[index].twa, `10 min twa ${index}`);
      });
    });

    it("chooses the source by range and bucket: raw when short, rollups when long", async () => {
      const short = await queries.bucketsOf(SIGNAL, { from: FROM, to: FROM + HOUR_MS }, 30_000);
      assert.equal(short.source, "raw");
      assert.equal(short.buckets.length, 120);
      assert.equal((await queries.bucketsOf(SIGNAL, { from: FROM, to: TO }, 5 * MINUTE_MS)).source, "rollup_1m");
      assert.equal((await queries.bucketsOf(SIGNAL, { from: FROM, to: TO }, HOUR_MS)).source, "rollup_1h");
      await assert.rejects(queries.bucketsOf(SIGNAL, { from: FROM, to: TO }, 30_000), /raw rows, which serve at most 1 h/);
    });

    it("answers raw values in order with a limit, and interpolated values between them", async () => {
      const raw = await queries.raw(SIGNAL.path, { from: FROM, to: TO }, { limit: 5 });
      assert.deepEqual(raw, signal.slice(0, 5));
      const truncated = await queries.rawOf(SIGNAL, { from: FROM, to: TO }, 5);
      assert.equal(truncated.truncated, true);
      const [a, b] = [signal[0], signal[1]];
      const mid = (a.t + b.t) / 2;
      const points = await queries.interpolated(SIGNAL.path, [FROM - 1000, a.t, mid]);
      assert.deepEqual(points[0], { t: FROM - 1000, v: null, q: "bad" });
      assert.deepEqual(points[1], { t: a.t, v: a.v, q: a.q });
      if (a.q === "good" && b.q === "good") assert.equal(points[2].v, ((a.v as number) + (b.v as number)) / 2);
      else assert.deepEqual(points[2], { t: mid, v: a.v, q: a.q });
    });

    it("refuses an unknown path naming it", async () => {
      await assert.rejects(queries.buckets("SITE1/NOPE/X", { from: FROM, to: TO }, HOUR_MS), { name: "HistoryQueryError", message: "no tag SITE1/NOPE/X" });
    });
  });
}
