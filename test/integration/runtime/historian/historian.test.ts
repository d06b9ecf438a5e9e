import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadSettings } from "../../../../settings.js";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { DatabaseHistorySink } from "../../../../runtime/historian/history-sink.js";
import { openHistorian, type HistorianServices } from "../../../../runtime/historian/open-historian.js";
import { ensureHistoryPartitions } from "../../../../runtime/historian/partitions.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { createMetrics } from "../../../../runtime/observability/metrics.js";
import { TagRegistry } from "../../../../runtime/tags/tag-registry.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const DAY_MS = 86_400_000;

interface StoredRow {
  t: number;
  value_num: number | null;
  value_bool: boolean | null;
  value_text: string | null;
  quality: number;
}

for (const target of databaseTargets) {
  describe(`historian write path (${target.name})`, function () {
    let test: TestDatabase | undefined;
    let dataDir: string;
    let registry: TagRegistry;
    let tags: TagStore;
    let history: HistorianServices | undefined;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      test = await target.create();
      await migrate(test.db, ALL_MIGRATIONS);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-historian-"));
      registry = new TagRegistry(test.db, new AuditService(test.db, "SITE1"), "SITE1");
      await registry.load();
      tags = new TagStore({ deadbandOf: (tagPath) => registry.deadbandOf(tagPath) });
      const settings = loadSettings({}, { dataDir, historyFlushMs: 20 });
      history = await openHistorian({ db: test.db, settings, tags, policies: registry, logger: createLogger("silent"), metrics: createMetrics() });
    });

    after(async () => {
      await history?.close();
      await test?.drop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    async function stored(tagId: string): Promise<StoredRow[]> {
      const result = await test!.db.query<{ ts: Date } & Omit<StoredRow, "t">>(
        "SELECT ts, value_num, value_bool, value_text, quality FROM history WHERE tag_id = $1 ORDER BY ts",
        [tagId],
      );
      return result.rows.map(({ ts, ...rest }) => ({ t: ts.getTime(), ...rest }));
    }

    it("keeps the history policy on the tag, in CSV too", async () => {
      const tag = await registry.create({ path: "SITE1/TK-H/LEVEL", dataType: "float", historyEnabled: true, historyDeviation: 0.5, historyMaxIntervalSeconds: 600 }, "tester");
      assert.deepEqual([tag.historyEnabled, tag.historyDeviation, tag.historyMaxIntervalSeconds], [true, 0.5, 600]);
      assert.deepEqual(registry.historyPolicyOf(tag.path), { tagId: tag.id, deviation: 0.5, maxIntervalMs: 600_000 });
      const plain = await registry.create({ path: "SITE1/TK-H/TEMP", dataType: "float" }, "tester");
      assert.equal(plain.historyEnabled, false);
      assert.equal(registry.historyPolicyOf(plain.path), undefined);
      const csv = await registry.exportCsv();
      assert.match(csv, /readRole,historyEnabled,historyDeviation,historyMaxIntervalSeconds/);
      assert.match(csv, /SITE1\/TK-H\/LEVEL,.*,true,0\.5,600/);
      const report = await registry.importCsv("path,dataType,historyEnabled,historyDeviation\nSITE1/TK-H/TEMP,float,true,0.25\n", "tester");
      assert.deepEqual(report, { created: 0, updated: 1, rejected: [] });
      assert.deepEqual(registry.historyPolicyOf(plain.path), { tagId: plain.id, deviation: 0.25, maxIntervalMs: 3_600_000 });
    });

    it("stores live changes of tags with history on, compressed, and nothing of the others", async () => {
      const level = registry.historyPolicyOf("SITE1/TK-H/LEVEL")!;
      const base = Date.now() - 60_000;
      // A straight ramp: compression keeps its ends; then a step, a quality change.
      for (let i = 0; i <= 20; i++) tags.write("SITE1/TK-H/LEVEL", { v: 10 + i, t: base + i * 1000 });
      tags.write("SITE1/TK-H/LEVEL", { v: 50, t: base + 21_000 });
      tags.write("SITE1/TK-H/LEVEL", { v: 50, q: "bad", t: base + 22_000, reason: "timeout" });
      tags.write("SITE1/TK-X/UNREGISTERED", { v: 1, t: base });
      await history!.writer.flush();
      assert.deepEqual(
        (await stored(level.tagId)).map((row) => [row.t - base, row.value_num, row.quality]),
        [
          [0, 10, 0],
          [20_000, 30, 0],
          [21_000, 50, 0],
          [22_000, 50, 2],
        ],
      );
      const dirty = await test!.db.query<{ count: number }>("SELECT count(*)::int AS count FROM history_rollup_dirty WHERE tag_id = $1", [level.tagId]);
      assert.ok(dirty.rows[0].count >= 1, "the rollup's dirty minutes are marked");
    });

    it("records values with their own times once, late and out of order ones included, creating their day's partition", async () => {
      const temp = registry.historyPolicyOf("SITE1/TK-H/TEMP")!;
      const tenDaysAgo = Date.now() - 10 * DAY_MS;
      const values = [
        { path: "SITE1/TK-H/TEMP", value: { v: 21.5, q: "good" as const, t: tenDaysAgo + 2000 } },
        { path: "SITE1/TK-H/TEMP", value: { v: 20.5, q: "good" as const, t: tenDaysAgo } },
        { path: "SITE1/TK-H/TEMP", value: { v: "text", q: "uncertain" as const, t: tenDaysAgo + 1000 } },
      ];
      await history!.historian.record(values);
      await history!.historian.record(values);
      await history!.historian.record([{ path: "SITE1/TK-H/TEMP", value: { v: true, q: "good", t: tenDaysAgo + 3000 } }]);
      assert.deepEqual(
        (await stored(temp.tagId)).map((row) => [row.t - tenDaysAgo, row.value_num, row.value_text, row.value_bool, row.quality]),
        [
          [0, 20.5, null, null, 0],
          [1000, null, "text", null, 1],
          [2000, 21.5, null, null, 0],
          [3000, null, null, true, 0],
        ],
      );
      await assert.rejects(history!.historian.record([{ path: "SITE1/NO/SUCH", value: { v: 1, q: "good", t: tenDaysAgo } }]), /no registered tag SITE1\/NO\/SUCH/);
    });

    it("creates partitions ahead and drops the days past retention", async () => {
      const names = async () =>
        (
          await test!.db.query<{ name: string }>(
            "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'history' ORDER BY 1",
          )
        ).rows.map((row) => row.name);
      const now = Date.parse("2027-03-10T12:00:00Z");
      const sink = new DatabaseHistorySink(test!.db, { retentionDays: 30, now: () => now });
      await ensureHistoryPartitions(test!.db, Date.parse("2027-02-07T00:00:00Z"), Date.parse("2027-02-09T00:00:00Z"));
      const { created, dropped } = await sink.maintain();
      assert.deepEqual(created, ["history_p20270309", "history_p20270310", "history_p20270311", "history_p20270312"]);
      // Kept: from 30 days before today (2027-02-08) on.
      assert.ok(dropped.includes("history_p20270207"));
      assert.ok(!dropped.includes("history_p20270208"));
      const left = await names();
      assert.ok(!left.includes("history_p20270207") && left.includes("history_p20270208") && left.includes("history_p20270312"));
      assert.ok(!left.some((name) => name < "history_p20270208"), "nothing older than the retention is left");
      assert.equal(sink.retentionCutoff(), Date.parse("2027-02-08T00:00:00Z"));
    });
  });
}
