import assert from "node:assert/strict";
import type { Alarm, AlarmJournalEntry, AlarmKpis } from "../../../../runtime/alarms/schema.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { SITE_ID, startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { defineManyAlarms } from "./alarm-fixtures.js";

const FLOOD_TAGS = 100;
const ACTIVATIONS_PER_TAG = 10;
const pathOf = (index: number) => `SITE1/WELL-${String(index).padStart(3, "0")}/THP`;

/**
 * Issue 9 §4 flood: 1,000 alarm activations within 10 seconds (100 alarms
 * chattering 10 times each) through the real site: tags → engine →
 * journal. The KPIs count a flood and the console's list still pages and
 * acknowledges within the request deadline.
 */
for (const target of databaseTargets) {
  describe(`alarm API and a flood (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let viewer: InProcessSession;
    let operator: InProcessSession;
    let engineer: InProcessSession;
    const ids: string[] = [];
    let floodStart = 0;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      [viewer, operator, engineer] = [await site.session("viewer"), await site.session("operator"), await site.session("engineer")];
      ids.push(
        ...(await defineManyAlarms(
          database.db,
          SITE_ID,
          Array.from({ length: FLOOD_TAGS }, (_, index) => ({ tagPath: pathOf(index), limit: 100, priority: index < 10 ? "critical" : "medium", area: index % 2 ? "north" : "south" })),
        )),
      );
      site.services.events.emit("alarms.definitions.changed", { ids });
      await site.services.alarms.reload();
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    it("1,000 activations in 10 seconds: every one journaled and audited, KPIs count a flood and the chattering", async () => {
      // Written synchronously, one after the other: the whole flood takes well under 10 seconds.
      floodStart = Date.now();
      for (let round = 0; round < ACTIVATIONS_PER_TAG; round++) {
        for (let index = 0; index < FLOOD_TAGS; index++) site.services.tags.write(pathOf(index), { v: 150 });
        for (let index = 0; index < FLOOD_TAGS; index++) site.services.tags.write(pathOf(index), { v: 50 });
      }
      for (let index = 0; index < FLOOD_TAGS; index++) site.services.tags.write(pathOf(index), { v: 150 });
      const floodEnd = Date.now();
      await site.services.alarms.flush();
      const activations = await database!.db.query<{ count: number }>("SELECT count(*)::int AS count FROM alarm_journal WHERE transition = 'activate'");
      assert.equal(activations.rows[0].count, FLOOD_TAGS * (ACTIVATIONS_PER_TAG + 1));
      const audited = await database!.db.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_log WHERE action = 'alarm.activate'");
      assert.equal(audited.rows[0].count, FLOOD_TAGS * (ACTIVATIONS_PER_TAG + 1));

      const from = new Date(floodStart - 60_000).toISOString();
      const to = new Date(floodEnd + 60_000).toISOString();
      const kpis = (await viewer.send("get", `/api/v1/alarms/kpis?from=${from}&to=${to}`).expect(200)).body as AlarmKpis;
      assert.equal(kpis.total, 1_100);
      assert.equal(kpis.floods.count, 1);
      assert.ok(kpis.floods.peakPer10Min >= 1_000 / 2, "the flood lands in one or two 10-minute periods");
      assert.equal(kpis.chattering.length, FLOOD_TAGS);
      assert.equal(kpis.badActors.length, 10);
      assert.deepEqual(kpis.prioritySplit, { critical: 110, high: 0, medium: 990, low: 0 });
      assert.deepEqual(
        kpis.perArea.map((area) => [area.area, area.activations]).sort(),
        [
          ["north", 550],
          ["south", 550],
        ],
      );
    });

    it("the console pages the flood by priority and acknowledges a whole page", async () => {
      const first = (await viewer.send("get", "/api/v1/alarms?state=unacked&limit=50").expect(200)).body as { alarms: Alarm[]; total: number };
      assert.equal(first.total, FLOOD_TAGS);
      assert.equal(first.alarms.length, 50);
      assert.deepEqual(
        first.alarms.slice(0, 10).map((alarm) => alarm.priority),
        new Array(10).fill("critical"),
        "critical first",
      );
      const north = (await viewer.send("get", "/api/v1/alarms?state=active&area=north&priority=medium").expect(200)).body as { total: number };
      assert.equal(north.total, 45);
      await viewer.send("post", "/api/v1/alarms/ack").send({ ids: [first.alarms[0].id], comment: "" }).expect(403);
      const acked = (await operator.send("post", "/api/v1/alarms/ack").send({ ids: [...first.alarms.map((alarm) => alarm.id), "no-such-alarm"], comment: "flood: compressor trip" }).expect(200))
        .body as { acknowledged: Alarm[]; skipped: string[] };
      assert.equal(acked.acknowledged.length, 50);
      assert.deepEqual(acked.skipped, ["no-such-alarm"]);
      const rest = (await viewer.send("get", "/api/v1/alarms?state=unacked&limit=50").expect(200)).body as { total: number };
      assert.equal(rest.total, 50);
      const audited = await database!.db.query<{ count: number }>("SELECT count(*)::int AS count FROM audit_log WHERE action = 'alarm.acknowledge' AND actor = $1", [operator.username]);
      assert.equal(audited.rows[0].count, 50);
    });

    it("acknowledges, shelves and takes out of service one alarm, with the roles and error reasons", async () => {
      const [unacked] = ((await viewer.send("get", "/api/v1/alarms?state=unacked&limit=1").expect(200)).body as { alarms: Alarm[] }).alarms;
      const acked = (await operator.send("post", `/api/v1/alarms/${unacked.id}/ack`).send({ comment: "seen" }).expect(200)).body as { alarm: Alarm };
      assert.deepEqual([acked.alarm.state, acked.alarm.ackedBy], ["active_ack", operator.username]);
      const again = await operator.send("post", `/api/v1/alarms/${unacked.id}/ack`).send({ comment: "seen" }).expect(409);
      assert.equal((again.body as { error: { details: { reason: string } } }).error.details.reason, "alarm_not_unacknowledged");
      await operator.send("post", "/api/v1/alarms/not-an-alarm/ack").send({ comment: "" }).expect(404);

      const tooLong = await operator.send("post", `/api/v1/alarms/${unacked.id}/shelve`).send({ reason: "x", minutes: 100_000 }).expect(400);
      assert.equal((tooLong.body as { error: { details: { reason: string } } }).error.details.reason, "alarm_shelve_too_long");
      const shelved = (await operator.send("post", `/api/v1/alarms/${unacked.id}/shelve`).send({ reason: "instrument tech on site", minutes: 30 }).expect(200)).body as { alarm: Alarm };
      assert.equal(shelved.alarm.mode, "shelved");
      const shelvedList = (await viewer.send("get", "/api/v1/alarms?mode=shelved").expect(200)).body as { alarms: Alarm[] };
      assert.deepEqual(
        shelvedList.alarms.map((alarm) => alarm.id),
        [unacked.id],
      );
      const unshelved = (await operator.send("post", `/api/v1/alarms/${unacked.id}/unshelve`).expect(200)).body as { alarm: Alarm };
      assert.deepEqual([unshelved.alarm.mode, unshelved.alarm.state], ["enabled", "active_unack"]);

      await operator.send("post", `/api/v1/alarms/${unacked.id}/out-of-service`).send({ outOfService: true, reason: "calibration" }).expect(403);
      const oos = (await engineer.send("post", `/api/v1/alarms/${unacked.id}/out-of-service`).send({ outOfService: true, reason: "calibration" }).expect(200)).body as { alarm: Alarm };
      assert.deepEqual([oos.alarm.mode, oos.alarm.modeReason], ["out_of_service", "calibration"]);
    });

    it("searches the journal and exports it as CSV", async () => {
      const search = (await viewer.send("get", "/api/v1/alarms/journal?search=compressor%20trip&limit=10").expect(200)).body as { entries: AlarmJournalEntry[]; total: number };
      assert.equal(search.total, 50);
      assert.ok(search.entries.every((entry) => entry.transition === "acknowledge" && entry.comment === "flood: compressor trip"));
      const byTag = (await viewer.send("get", `/api/v1/alarms/journal?tagPath=${encodeURIComponent(pathOf(13))}&priority=medium&area=north&limit=100`).expect(200)).body as {
        entries: AlarmJournalEntry[];
      };
      assert.equal(byTag.entries.filter((entry) => entry.transition === "activate").length, ACTIVATIONS_PER_TAG + 1);
      const csv = await viewer.send("get", `/api/v1/alarms/journal.csv?tagPath=${encodeURIComponent(pathOf(13))}`).expect(200);
      assert.match(String(csv.headers["content-type"]), /text\/csv/);
      const lines = csv.text.trim().split("\n");
      assert.equal(lines[0], "at,alarmId,tagPath,kind,priority,area,message,transition,fromState,toState,mode,value,user,comment");
      assert.equal(lines.length - 1, byTag.entries.length);
    });
  });
}
