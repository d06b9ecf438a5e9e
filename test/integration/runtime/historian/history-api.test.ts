import assert from "node:assert/strict";
import type supertest from "supertest";
import { HistoryQueries } from "../../../../runtime/historian/history-queries.js";
import type { HistoryResponse } from "../../../../runtime/historian/schema.js";
import { HOUR_MS, MINUTE_MS, RollupJob } from "../../../../runtime/historian/rollups.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { irregularSignal, storeSamples } from "../../../helpers/history-samples.js";

interface ErrorAnswer {
  code: string;
  message: string;
  details?: { field?: string; reason: string; params?: Record<string, unknown> };
}

function errorOf(response: supertest.Response): ErrorAnswer {
  return (response.body as { error: ErrorAnswer }).error;
}

const THP = "SITE1/WELL-101/THP";
const RUN = "SITE1/WELL-101/RUNNING";
const SECRET = "SITE1/WELL-101/CHOKE";
const FROM = Date.parse("2026-12-01T06:00:00Z");
const TO = FROM + 6 * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

for (const target of databaseTargets) {
  describe(`GET /api/v1/history (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let viewer: InProcessSession;
    let engineer: InProcessSession;
    const signal = irregularSignal(FROM, TO, 11);

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      viewer = await site.session("viewer");
      engineer = await site.session("engineer");
      const thp = await site.tagRegistry.create({ path: THP, dataType: "float", unit: "kPa" }, "test");
      const running = await site.tagRegistry.create({ path: RUN, dataType: "bool" }, "test");
      const secret = await site.tagRegistry.create({ path: SECRET, dataType: "float", unit: "%", readRole: "engineer" }, "test");
      await storeSamples(site.db, thp.id, signal);
      await storeSamples(site.db, running.id, [
        { t: FROM, v: false, q: "good" },
        { t: FROM + HOUR_MS, v: true, q: "good" },
        { t: FROM + 3 * HOUR_MS, v: false, q: "good" },
        { t: FROM + 4 * HOUR_MS, v: true, q: "good" },
      ]);
      await storeSamples(site.db, secret.id, [{ t: FROM, v: 40, q: "good" }]);
      await new RollupJob({ db: site.db, logger: createLogger("silent"), intervalMs: 1000, batchMinutes: 5000, timeoutMs: 20_000 }).catchUp();
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    const history = (session: InProcessSession, query: Record<string, string | number>) =>
      session.send("get", `/api/v1/history?${new URLSearchParams(Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]))).toString()}`);

    it("answers buckets of a long range from rollups, as many as `points` allows in nice lengths, equal to buckets from raw rows", async () => {
      const response = await history(viewer, { paths: THP, from: iso(FROM), to: iso(TO), mode: "buckets", points: 100 }).expect(200);
      const [series] = (response.body as HistoryResponse).series;
      // 6 h in at most 100 buckets: 5 min (72 buckets), from the minute rollups.
      assert.deepEqual([series.path, series.unit, series.dataType, series.source, series.bucketMs, series.buckets?.length], [THP, "kPa", "float", "rollup_1m", 5 * MINUTE_MS, 72]);
      const queries = new HistoryQueries(site.db, { timeoutMs: 20_000 });
      const [tag] = await queries.resolve([THP]);
      const fromRaw = await queries.bucketsFrom("raw", tag, { from: FROM, to: TO }, 5 * MINUTE_MS);
      series.buckets!.forEach((bucket, index) => {
        const raw = fromRaw[index];
        assert.deepEqual([bucket.t, bucket.count, bucket.min, bucket.max, bucket.first, bucket.last], [raw.t, raw.count, raw.min, raw.max, raw.first, raw.last]);
        assert.ok(bucket.twa === raw.twa || Math.abs(bucket.twa! - raw.twa!) < 1e-9 * Math.abs(raw.twa!), `twa ${index}`);
      });
    });

    it("answers several comma-separated paths in order: raw values and a discrete summary", async () => {
      const raw = await history(viewer, { paths: `${THP}, ${RUN}`, from: iso(FROM), to: iso(FROM + HOUR_MS), mode: "raw", limit: 3 }).expect(200);
      const [thp, running] = (raw.body as HistoryResponse).series;
      assert.deepEqual(thp.points, signal.slice(0, 3));
      assert.equal(thp.truncated, true);
      assert.deepEqual(running.points, [{ t: FROM, v: false, q: "good" }]);
      const discrete = await history(viewer, { paths: RUN, from: iso(FROM), to: iso(TO), mode: "discrete" }).expect(200);
      assert.deepEqual((discrete.body as HistoryResponse).series[0].discrete, {
        from: FROM,
        to: TO,
        durationMsByState: { false: 2 * HOUR_MS, true: 4 * HOUR_MS },
        transitions: 3,
        transitionsIntoState: { true: 2, false: 1 },
        knownDurationMs: 6 * HOUR_MS,
      });
    });

    it("answers interpolated values at each step", async () => {
      const response = await history(viewer, { paths: RUN, from: iso(FROM), to: iso(FROM + 2 * HOUR_MS), mode: "interpolated", stepMs: HOUR_MS }).expect(200);
      assert.deepEqual((response.body as HistoryResponse).series[0].points, [
        { t: FROM, v: false, q: "good" },
        { t: FROM + HOUR_MS, v: true, q: "good" },
        { t: FROM + 2 * HOUR_MS, v: true, q: "good" },
      ]);
    });

    it("refuses with 400 naming the field: `to` before `from`, sub-minute buckets over a long range, too many buckets", async () => {
      const backwards = await history(viewer, { paths: THP, from: iso(TO), to: iso(FROM), mode: "raw" }).expect(400);
      assert.deepEqual(errorOf(backwards).details, { field: "query.to", reason: "not_after", params: { other: "from" } });
      const tooLong = await history(viewer, { paths: THP, from: iso(FROM), to: iso(TO), mode: "buckets", bucketMs: 5000 }).expect(400);
      assert.equal(errorOf(tooLong).details?.reason, "range_too_long_for_raw");
      const tooMany = await history(viewer, { paths: THP, from: iso(FROM - 30 * 24 * HOUR_MS), to: iso(TO), mode: "buckets", bucketMs: 60_000 }).expect(400);
      assert.equal(errorOf(tooMany).details?.reason, "too_many_points");
    });

    it("answers 404 naming an unknown path, and a tag above the caller's readRole as if it did not exist", async () => {
      const unknown = await history(viewer, { paths: `${THP},SITE1/NOPE/X`, from: iso(FROM), to: iso(TO), mode: "raw" }).expect(404);
      assert.deepEqual(errorOf(unknown).details, { field: "query.paths", reason: "unknown_tag", params: { path: "SITE1/NOPE/X" } });
      const hidden = await history(viewer, { paths: SECRET, from: iso(FROM), to: iso(TO), mode: "raw" }).expect(404);
      assert.equal(errorOf(hidden).message, `no tag ${SECRET}`);
      const allowed = await history(engineer, { paths: SECRET, from: iso(FROM), to: iso(TO), mode: "raw" }).expect(200);
      assert.deepEqual((allowed.body as HistoryResponse).series[0].points, [{ t: FROM, v: 40, q: "good" }]);
    });
  });
}
