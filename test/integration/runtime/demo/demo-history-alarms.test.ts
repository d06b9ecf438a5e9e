import assert from "node:assert/strict";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import type { Database } from "../../../../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { demoAlarmDefinitions } from "../../../../runtime/demo/demo-alarms.js";
import { backfillDemoHistoryOnce } from "../../../../runtime/demo/demo-history-backfill.js";
import { seedDemoOnce } from "../../../../runtime/demo/demo-seed.js";
import { tagDefinitionsFromModel } from "../../../../runtime/demo/demo-tags.js";
import { ModuleEventBus } from "../../../../runtime/events/event-bus.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { TagRegistry } from "../../../../runtime/tags/tag-registry.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openHistorian } from "../../../../runtime/historian/open-historian.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";
import { loadSettings } from "../../../../settings.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const SITE_ID = "SITE1";
const NOW = Date.UTC(2026, 11, 7, 12, 0, 30);
const MINUTE_MS = 60_000;
/** A float, a bool and a tank level: every kind of value the demo stores. */
const SAMPLED = new Set(["SITE1/WELL-101/THP", "SITE1/WELL-101/ESP_TRIPPED", "SITE1/TK-01/LEVEL"]);

for (const target of databaseTargets) {
  describe(`demo history backfill and alarm limits, once per site (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let registry: TagRegistry;
    const model = createOilfield({ siteId: SITE_ID, seed: 1 });
    const logger = createLogger("silent");

    const db = (): Database => {
      if (!database) throw new Error("no database");
      return database.db;
    };

    beforeEach(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      await migrate(database.db, ALL_MIGRATIONS);
      registry = new TagRegistry(database.db, new AuditService(database.db, SITE_ID), SITE_ID);
      await registry.load();
      await registry.ensure(tagDefinitionsFromModel(model), "demo");
    });

    afterEach(async () => {
      await database?.drop();
    });

    it("backfills 7 days × 1-minute values of the demo tags once; a restart adds nothing", async () => {
      const options = { db: db(), siteId: SITE_ID, logger, seed: 1, now: NOW, pauseMs: 0, batchMinutes: 240, compress: false, points: (point: { asset: string; point: string }) => SAMPLED.has(`SITE1/${point.asset}/${point.point}`) };
      const first = await backfillDemoHistoryOnce(options);
      const to = Math.floor(NOW / MINUTE_MS) * MINUTE_MS;
      const from = to - 7 * 86_400_000;
      assert.deepEqual(first, { outcome: "backfilled", tags: 3, values: 3 * 7 * 24 * 60, from: new Date(from).toISOString(), to: new Date(to).toISOString(), via: "direct" });
      const rows = await db().query<{ path: string; n: string | number; first: Date | string; last: Date | string; nums: string | number; bools: string | number }>(
        `SELECT t.path, count(*) AS n, min(h.ts) AS first, max(h.ts) AS last, count(h.value_num) AS nums, count(h.value_bool) AS bools
         FROM history h JOIN tags t ON t.id = h.tag_id GROUP BY t.path ORDER BY t.path`,
      );
      assert.deepEqual(
        rows.rows.map((row) => [row.path, Number(row.n), new Date(row.first).getTime(), new Date(row.last).getTime(), Number(row.nums), Number(row.bools)]),
        [
          ["SITE1/TK-01/LEVEL", 10080, from + MINUTE_MS, to, 10080, 0],
          ["SITE1/WELL-101/ESP_TRIPPED", 10080, from + MINUTE_MS, to, 0, 10080],
          ["SITE1/WELL-101/THP", 10080, from + MINUTE_MS, to, 10080, 0],
        ],
      );
      const spacing = await db().query<{ gaps: string | number }>(
        `SELECT count(*) AS gaps FROM (SELECT ts - lag(ts) OVER (PARTITION BY tag_id ORDER BY ts) AS gap FROM history) g WHERE gap IS NOT NULL AND gap <> interval '1 minute'`,
      );
      assert.equal(Number(spacing.rows[0]?.gaps), 0, "one value a minute, no gaps");
      const level = await db().query<{ lo: number; hi: number }>(
        "SELECT min(value_num) AS lo, max(value_num) AS hi FROM history h JOIN tags t ON t.id = h.tag_id WHERE t.path = 'SITE1/TK-01/LEVEL'",
      );
      assert.ok(Number(level.rows[0]?.lo) < 1.5 && Number(level.rows[0]?.hi) > 4, "the tank fills and is pumped out during the week");
      const dirty = await db().query<{ n: string | number }>("SELECT count(*) AS n FROM history_rollup_dirty");
      assert.equal(Number(dirty.rows[0]?.n), 3 * 10080, "every minute queued for its rollups");

      const again = await backfillDemoHistoryOnce({ ...options, now: NOW + 3_600_000 });
      assert.equal(again.outcome, "done-before");
      const count = await db().query<{ n: string | number }>("SELECT count(*) AS n FROM history");
      assert.equal(Number(count.rows[0]?.n), 3 * 10080);
    });

    it("an interrupted backfill is written again on the next start, with no value twice", async () => {
      const controller = new AbortController();
      // One day is enough to interrupt and resume.
      const options = { db: db(), siteId: SITE_ID, logger, seed: 1, now: NOW, days: 1, pauseMs: 0, batchMinutes: 60, compress: false, points: (point: { asset: string; point: string }) => point.asset === "TK-01" };
      const recorder = {
        calls: 0,
        async record(): Promise<void> {
          if (++recorder.calls === 5) controller.abort();
        },
      };
      const aborted = await backfillDemoHistoryOnce({ ...options, recorder, signal: controller.signal });
      assert.equal(aborted.outcome, "aborted");
      const marker = await db().query("SELECT 1 FROM demo_history_backfill");
      assert.equal(marker.rowCount, 0, "no marker: the next start tries again");
      const done = await backfillDemoHistoryOnce(options);
      assert.equal(done.outcome, "backfilled");
      const count = await db().query<{ n: string | number; distinct_rows: string | number }>("SELECT count(*) AS n, count(DISTINCT (tag_id, ts)) AS distinct_rows FROM history");
      assert.equal(Number(count.rows[0]?.n), 3 * 1440);
      assert.equal(Number(count.rows[0]?.distinct_rows), 3 * 1440);
    });

    it("through the real historian's record(): every minute of the sampled tags stored, at its own timestamp", async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-demo-backfill-"));
      const historian = await openHistorian({ db: db(), settings: loadSettings({}, { dataDir, historyFlushMs: 20 }), tags: new TagStore(), policies: registry, logger });
      try {
        const outcome = await backfillDemoHistoryOnce({
          db: db(),
          siteId: SITE_ID,
          logger,
          seed: 1,
          now: NOW,
          days: 1,
          pauseMs: 0,
          batchMinutes: 120,
          compress: false,
          recorder: historian.historian,
          points: (point) => SAMPLED.has(`SITE1/${point.asset}/${point.point}`),
        });
        assert.equal(outcome.outcome === "backfilled" && outcome.via, "recorder");
      } finally {
        await historian.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      const rows = await db().query<{ n: string | number; first: Date | string }>("SELECT count(*) AS n, min(ts) AS first FROM history");
      const to = Math.floor(NOW / MINUTE_MS) * MINUTE_MS;
      assert.equal(Number(rows.rows[0]?.n), 3 * 1440);
      assert.equal(new Date(rows.rows[0]?.first ?? 0).getTime(), to - 86_400_000 + MINUTE_MS);
    });

    it("compresses the week by the demo's policy: fewer rows, every 1-minute sample within the deviation of the stored curve", async () => {
      const thpOnly = (point: { asset: string; point: string }) => point.asset === "WELL-101" && point.point === "THP";
      const collect = async (compress: boolean) => {
        const kept: { t: number; v: number }[] = [];
        const recorder = {
          async record(values: readonly { path: string; value: { t: number; v: unknown } }[]): Promise<void> {
            for (const { value } of values) kept.push({ t: value.t, v: Number(value.v) });
          },
        };
        await db().query("DELETE FROM demo_history_backfill");
        const outcome = await backfillDemoHistoryOnce({ db: db(), siteId: SITE_ID, logger, seed: 1, now: NOW, days: 2, pauseMs: 0, batchMinutes: 240, compress, recorder, points: thpOnly });
        assert.equal(outcome.outcome, "backfilled");
        return kept;
      };
      const raw = await collect(false);
      const stored = await collect(true);
      assert.equal(raw.length, 2 * 1440);
      assert.ok(stored.length < raw.length, `${stored.length} rows stored for ${raw.length} samples`);
      const deviationKpa = 5;
      let segment = 0;
      for (const sample of raw) {
        while (segment < stored.length - 2 && stored[segment + 1].t < sample.t) segment++;
        const a = stored[segment];
        const b = stored[segment + 1];
        const onCurve = a.v + ((b.v - a.v) * (sample.t - a.t)) / (b.t - a.t);
        assert.ok(Math.abs(sample.v - onCurve) <= deviationKpa + 1e-9, `THP at ${new Date(sample.t).toISOString()}: ${sample.v} is ${Math.abs(sample.v - onCurve)} kPa off the stored curve`);
      }
    });

    it("the demo seed defines the alarm limits once, in its transaction; an engineer's own definition is kept", async () => {
      const definitions = demoAlarmDefinitions(model);
      const thp = await db().query<{ id: string }>("SELECT id FROM tags WHERE path = 'SITE1/WELL-101/THP'");
      await db().query(
        "INSERT INTO alarm_definitions (id, site_id, tag_id, kind, limit_value, priority, area, created_by) VALUES ('0190f5a0-0000-7000-8000-000000000001', $1, $2, 'hi', 2222, 'low', 'MINE', 'engineer')",
        [SITE_ID, thp.rows[0]?.id],
      );
      const deps = { db: db(), siteId: SITE_ID, events: new ModuleEventBus(SITE_ID), logger };
      const changed: unknown[] = [];
      deps.events.subscribe("alarms.definitions.changed", (event) => changed.push(event.payload));
      assert.equal((await seedDemoOnce(deps, model)).outcome, "seeded");
      assert.deepEqual(changed, [{ source: "demo", added: definitions.length - 1 }], "the running engine is told to reload");
      const stored = await db().query<{ n: string | number }>("SELECT count(*) AS n FROM alarm_definitions");
      assert.equal(Number(stored.rows[0]?.n), definitions.length);
      const kept = await db().query<{ limit_value: number; area: string }>("SELECT limit_value, area FROM alarm_definitions WHERE tag_id = $1 AND kind = 'hi'", [thp.rows[0]?.id]);
      assert.deepEqual(kept.rows.map((row) => [Number(row.limit_value), row.area]), [[2222, "MINE"]]);
      const trip = await db().query<{ alarm_state: string; priority: string; area: string }>(
        "SELECT a.alarm_state, a.priority, a.area FROM alarm_definitions a JOIN tags t ON t.id = a.tag_id WHERE t.path = 'SITE1/WELL-102/ESP_TRIPPED'",
      );
      assert.deepEqual(trip.rows, [{ alarm_state: "true", priority: "high", area: "PAD-100" }]);
      assert.equal((await seedDemoOnce(deps, model)).outcome, "done-before");
      const after = await db().query<{ n: string | number }>("SELECT count(*) AS n FROM alarm_definitions");
      assert.equal(Number(after.rows[0]?.n), definitions.length);
    });
  });
}
