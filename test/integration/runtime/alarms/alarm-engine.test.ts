import assert from "node:assert/strict";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { AlarmEngine, type SuppressedWell } from "../../../../runtime/alarms/alarm-engine.js";
import type { AlarmJournalEntry } from "../../../../runtime/alarms/schema.js";
import { ALL_MIGRATIONS } from "../../../../runtime/db/migration-sources.js";
import { migrate } from "../../../../runtime/db/migrator.js";
import { ModuleEventBus } from "../../../../runtime/events/event-bus.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { TagRegistry } from "../../../../runtime/tags/tag-registry.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { defineAlarm } from "./alarm-fixtures.js";

const SITE = "SITE1";
const T0 = Date.parse("2026-03-01T08:00:00Z");
const THP = "SITE1/WELL-101/THP";
const LEVEL = "SITE1/TK-01/LEVEL";
const logger = createLogger("silent");

for (const target of databaseTargets) {
  describe(`alarm engine on the database (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let clock = T0;
    let tags: TagStore;
    let audit: AuditService;
    let registry: TagRegistry;
    let events: ModuleEventBus;
    let wells: SuppressedWell[] = [];
    const engines: AlarmEngine[] = [];
    let thpAlarm: string;

    /** An engine on the fake clock; its timers never fire in the test (tick and flush are called). */
    async function startEngine(): Promise<AlarmEngine> {
      if (!database) throw new Error("no database");
      const engine = new AlarmEngine({
        db: database.db,
        audit,
        tags,
        events,
        siteId: SITE,
        logger,
        now: () => clock,
        tickIntervalMs: 3_600_000,
        flushIntervalMs: 3_600_000,
        maxShelveMinutes: 60,
        suppression: { suppressedWells: async () => wells },
      });
      await engine.start();
      engines.push(engine);
      return engine;
    }

    async function journalOf(alarmId: string): Promise<string[]> {
      const { entries } = await engines[0].journal({ alarmId, limit: 100, offset: 0 });
      return entries.reverse().map((entry) => `${entry.transition}:${entry.toState}${entry.user ? `:${entry.user}` : ""}`);
    }

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      await migrate(database.db, ALL_MIGRATIONS);
      audit = new AuditService(database.db, SITE);
      registry = new TagRegistry(database.db, audit, SITE);
      tags = new TagStore({ now: () => clock });
      events = new ModuleEventBus(SITE);
      thpAlarm = await defineAlarm(database.db, registry, SITE, { tagPath: THP, kind: "hi", limit: 100, deadband: 5, priority: "critical", area: "north" });
    });

    after(async () => {
      for (const engine of engines) await engine.stop();
      await database?.drop();
    });

    it("raises from tag writes, acknowledges, and journals and audits every transition", async () => {
      const engine = await startEngine();
      const heard: AlarmJournalEntry[] = [];
      engine.subscribe((entry) => heard.push(entry));
      tags.write(THP, { v: 120 });
      assert.deepEqual(
        engine.list({ state: "unacked" }).map((alarm) => [alarm.id, alarm.state, alarm.value, alarm.priority]),
        [[thpAlarm, "active_unack", 120, "critical"]],
      );
      clock += 1_000;
      const acked = await engine.acknowledge(thpAlarm, "ana", "choke checked");
      assert.deepEqual([acked.state, acked.ackedBy, acked.ackComment], ["active_ack", "ana", "choke checked"]);
      await assert.rejects(engine.acknowledge(thpAlarm, "ana", "again"), { code: "invalid_state", reason: "alarm_not_unacknowledged" });
      assert.deepEqual(await journalOf(thpAlarm), ["activate:active_unack", "acknowledge:active_ack:ana"]);
      assert.deepEqual(
        heard.map((entry) => entry.transition),
        ["activate", "acknowledge"],
      );
      const audited = await audit.list({ entityType: "alarm", entityId: thpAlarm, limit: 10 });
      assert.deepEqual(
        audited.map((row) => [row.action, row.actor]).reverse(),
        [
          ["alarm.activate", "system:alarms"],
          ["alarm.acknowledge", "ana"],
        ],
      );
    });

    it("shelves with a reason, and the shelve expires on time (journaled as shelve_expired)", async () => {
      const engine = engines[0];
      clock += 1_000;
      await assert.rejects(engine.shelve(thpAlarm, "ana", "too long", new Date(clock + 61 * 60_000)), { reason: "alarm_shelve_too_long" });
      const shelved = await engine.shelve(thpAlarm, "ana", "transmitter being replaced", new Date(clock + 60_000));
      assert.deepEqual([shelved.mode, shelved.state, shelved.modeReason, shelved.shelvedBy], ["shelved", "normal", "transmitter being replaced", "ana"]);
      assert.equal(engine.list({ state: "active" }).length, 0, "a shelved alarm leaves the operator's list");
      clock += 59_999;
      engine.tick();
      assert.equal(engine.get(thpAlarm)?.mode, "shelved");
      clock += 1;
      engine.tick();
      const back = engine.get(thpAlarm);
      assert.deepEqual([back?.mode, back?.state], ["enabled", "active_unack"], "still above the limit: annunciated again");
      await engine.flush();
      assert.deepEqual((await journalOf(thpAlarm)).slice(2), ["shelve:normal:ana", "shelve_expired:normal", "activate:active_unack"]);
    });

    it("keeps state over a restart: a new engine on the same database", async () => {
      clock += 1_000;
      await engines[0].acknowledge(thpAlarm, "ana", "");
      await engines[0].shelve(thpAlarm, "ana", "night shift", new Date(clock + 30 * 60_000));
      await engines[0].stop();
      const restarted = await startEngine();
      const alarm = restarted.get(thpAlarm);
      assert.deepEqual([alarm?.state, alarm?.mode, alarm?.shelvedBy, alarm?.shelvedUntil], ["normal", "shelved", "ana", new Date(clock + 30 * 60_000).toISOString()]);
      await restarted.unshelve(thpAlarm, "ana");
      assert.equal(restarted.get(thpAlarm)?.state, "active_unack", "the condition carried over the restart");
    });

    it("reloads definitions on alarms.definitions.changed and drops deleted ones", async () => {
      const engine = engines[engines.length - 1];
      const levelAlarm = await defineAlarm(database!.db, registry, SITE, { tagPath: LEVEL, kind: "lo", limit: 1, priority: "low", area: "tanks" });
      events.emit("alarms.definitions.changed", { ids: [levelAlarm] });
      await engine.reload();
      tags.write(LEVEL, { v: 0.5 });
      assert.equal(engine.get(levelAlarm)?.state, "active_unack");
      await database!.db.query("DELETE FROM alarm_definitions WHERE id = $1", [levelAlarm]);
      await engine.reload();
      assert.equal(engine.get(levelAlarm), undefined);
      await engine.flush();
      assert.deepEqual(await journalOf(levelAlarm), ["activate:active_unack", "reset:normal"]);
      const stored = await database!.db.query("SELECT 1 FROM alarm_states WHERE alarm_id = $1", [levelAlarm]);
      assert.equal(stored.rowCount, 0);
    });

    it("suppresses the alarms of a shut-in well (asset register) and releases them", async () => {
      const engine = engines[engines.length - 1];
      wells = [{ id: "00000000-0000-0000-0000-000000000101", code: "WELL-101", status: "shut_in", tagPaths: [] }];
      await engine.refreshSuppression();
      const suppressed = engine.get(thpAlarm);
      assert.deepEqual([suppressed?.mode, suppressed?.state, suppressed?.modeReason], ["suppressed", "normal", "well WELL-101 is shut in"]);
      wells = [];
      await engine.refreshSuppression();
      assert.deepEqual([engine.get(thpAlarm)?.mode, engine.get(thpAlarm)?.state], ["enabled", "active_unack"]);
    });

    it("out of service by an engineer, and system alarms raised and cleared by key", async () => {
      const engine = engines[engines.length - 1];
      const oos = await engine.setOutOfService(thpAlarm, "eng", true, "transmitter removed");
      assert.deepEqual([oos.mode, oos.modeReason], ["out_of_service", "transmitter removed"]);
      await assert.rejects(engine.shelve(thpAlarm, "ana", "x", new Date(clock + 60_000)), { reason: "alarm_out_of_service" });
      engine.raise("spool:historian:full", { priority: "high", area: "system", message: "historian spool full" });
      engine.raise("spool:historian:full", { priority: "high", area: "system", message: "historian spool full (2 GB)" });
      const system = engine.get("system:spool:historian:full");
      assert.deepEqual([system?.kind, system?.state, system?.message], ["system", "active_unack", "historian spool full (2 GB)"]);
      engine.clear("spool:historian:full");
      assert.equal(engine.get("system:spool:historian:full")?.state, "rtn_unack");
      await engine.flush();
      assert.deepEqual(await journalOf("system:spool:historian:full"), ["activate:active_unack", "return:rtn_unack"]);
    });

    it("device communication lost: every tag of a device marked bad raises one system alarm", async () => {
      const engine = engines[engines.length - 1];
      tags.write("SITE1/RTU-7/P1", { v: 1 });
      tags.write("SITE1/RTU-7/P2", { v: 2 });
      tags.markBad(["SITE1/RTU-7/P1"], "timeout: no reply");
      assert.equal(engine.get("system:comms:SITE1/RTU-7"), undefined, "one bad tag is not a lost device");
      tags.markBad(["SITE1/RTU-7/P2"], "timeout: no reply");
      assert.equal(engine.get("system:comms:SITE1/RTU-7")?.state, "active_unack");
      tags.write("SITE1/RTU-7/P2", { v: 3 });
      assert.equal(engine.get("system:comms:SITE1/RTU-7")?.state, "rtn_unack");
    });

    it("keeps evaluating while writes fail, and journals once the database answers", async () => {
      const engine = engines[engines.length - 1];
      await engine.setOutOfService(thpAlarm, "eng", false, "back");
      await engine.flush();
      const db = database!.db;
      // A database that refuses every statement for a while, as one that is away would.
      const query = db.query.bind(db);
      const transaction = db.transaction.bind(db);
      const refuse = () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
      Object.assign(db, { query: refuse, transaction: refuse });
      try {
        tags.write(THP, { v: 50 });
        tags.write(THP, { v: 130 });
        await assert.rejects(engine.flush());
        assert.equal(engine.get(thpAlarm)?.state, "active_unack");
        assert.ok(engine.queuedEntries >= 2);
      } finally {
        Object.assign(db, { query, transaction });
      }
      await engine.flush();
      assert.equal(engine.queuedEntries, 0);
      const journal = await journalOf(thpAlarm);
      assert.deepEqual(journal.slice(-2), ["return:rtn_unack", "activate:active_unack"]);
    });
  });
}
