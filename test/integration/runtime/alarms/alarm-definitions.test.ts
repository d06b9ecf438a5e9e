import assert from "node:assert/strict";
import type supertest from "supertest";
import { ALARM_DEFINITIONS_CHANGED, AlarmDefinitionService } from "../../../../runtime/alarms/alarm-definitions.js";
import type { AlarmDefinition, AlarmDefinitionInput } from "../../../../runtime/alarms/schema.js";
import { AuditService } from "../../../../runtime/audit/audit-service.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { SITE_ID, startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const THP = "SITE1/WELL-101/THP";
const RUN = "SITE1/WELL-101/RUNNING";
const SP = "SITE1/WELL-101/THP_SP";

function definition(overrides: Partial<AlarmDefinitionInput>): AlarmDefinitionInput {
  return {
    tagPath: THP,
    kind: "hi",
    limit: 5000,
    alarmState: null,
    setpointPath: null,
    priority: "high",
    deadband: 50,
    onDelaySeconds: 0,
    offDelaySeconds: 0,
    area: "WELLS",
    message: "Tubing head pressure high",
    enabled: true,
    ...overrides,
  };
}

function details(response: supertest.Response): { field?: string; reason: string; params?: Record<string, unknown> } | undefined {
  return (response.body as { error?: { details?: { field?: string; reason: string; params?: Record<string, unknown> } } }).error?.details;
}

interface AuditRow {
  actor: string;
  action: string;
  before: { limit?: number } | null;
  after: { limit?: number } | null;
  details: { reason?: string } | null;
}

for (const target of databaseTargets) {
  describe(`alarm definitions over HTTP (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let engineer: InProcessSession;
    let operator: InProcessSession;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      engineer = await site.session("engineer");
      operator = await site.session("operator");
      await site.tagRegistry.create({ path: THP, dataType: "float", unit: "kPa" }, "test");
      await site.tagRegistry.create({ path: RUN, dataType: "bool" }, "test");
      await site.tagRegistry.create({ path: SP, dataType: "float", unit: "kPa" }, "test");
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    const auditOf = async (id: string) =>
      (await site.db.query<AuditRow>("SELECT actor, action, before, after, details FROM audit_log WHERE entity_id = $1 ORDER BY id", [id])).rows;

    const create = (input: AlarmDefinitionInput, reason = "commissioning") => engineer.send("post", "/api/v1/alarm-definitions").send({ ...input, reason });

    it("creates, lists, reads, changes and deletes a definition, each audited with who, old, new and why", async () => {
      const created = await create(definition({}), "initial limits from the HAZOP").expect(201);
      const hi = (created.body as { definition: AlarmDefinition }).definition;
      assert.equal(hi.limit, 5000);
      assert.equal(hi.rowVersion, 1);

      const listed = await operator.send("get", `/api/v1/alarm-definitions?prefix=${encodeURIComponent("SITE1/WELL-101/")}&area=WELLS`).expect(200);
      assert.deepEqual((listed.body as { definitions: AlarmDefinition[] }).definitions.map((d) => d.id), [hi.id]);
      const elsewhere = await operator.send("get", "/api/v1/alarm-definitions?area=PLANT").expect(200);
      assert.equal((elsewhere.body as { total: number }).total, 0);
      await operator.send("get", `/api/v1/alarm-definitions/${hi.id}`).expect(200);
      // A tag kept from viewers keeps its alarm definitions from them too.
      const secret = "SITE1/WELL-101/SECRET";
      await site.tagRegistry.create({ path: secret, dataType: "float", readRole: "engineer" }, "test");
      const hidden = ((await create(definition({ tagPath: secret, kind: "hi", limit: 1 })).expect(201)).body as { definition: AlarmDefinition }).definition;
      await operator.send("get", `/api/v1/alarm-definitions/${hidden.id}`).expect(404);
      const forOperator = await operator.send("get", `/api/v1/alarm-definitions?prefix=${encodeURIComponent("SITE1/WELL-101/")}`).expect(200);
      assert.deepEqual((forOperator.body as { definitions: AlarmDefinition[] }).definitions.map((d) => d.id), [hi.id]);
      await engineer.send("delete", `/api/v1/alarm-definitions/${hidden.id}?reason=cleanup`).expect(204);

      // Operators read; only engineers change.
      await operator.send("post", "/api/v1/alarm-definitions").send({ ...definition({ kind: "lo", limit: 100 }), reason: "x" }).expect(403);

      const patched = await engineer.send("patch", `/api/v1/alarm-definitions/${hi.id}`).send({ limit: 5200, rowVersion: 1, reason: "new choke, MOC-17" }).expect(200);
      assert.equal((patched.body as { definition: AlarmDefinition }).definition.rowVersion, 2);
      const stale = await engineer.send("patch", `/api/v1/alarm-definitions/${hi.id}`).send({ limit: 5300, rowVersion: 1, reason: "again" }).expect(409);
      assert.equal(details(stale)?.reason, "changed_since_read");

      await engineer.send("delete", `/api/v1/alarm-definitions/${hi.id}?reason=${encodeURIComponent("tag retired")}`).expect(204);
      await operator.send("get", `/api/v1/alarm-definitions/${hi.id}`).expect(404);

      const audit = await auditOf(hi.id);
      assert.deepEqual(
        audit.map((row) => [row.actor, row.action, row.before?.limit ?? null, row.after?.limit ?? null, row.details?.reason]),
        [
          [engineer.username, "alarm.definition.create", null, 5000, "initial limits from the HAZOP"],
          [engineer.username, "alarm.definition.update", 5000, 5200, "new choke, MOC-17"],
          [engineer.username, "alarm.definition.delete", 5200, null, "tag retired"],
        ],
      );
    });

    it("requires a reason for every change", async () => {
      const { reason: _reason, ...withoutReason } = { ...definition({ kind: "lolo", limit: 10 }), reason: "" };
      const missing = await engineer.send("post", "/api/v1/alarm-definitions").send(withoutReason).expect(400);
      assert.equal(details(missing)?.field, "body.reason");
      const blank = await create(definition({ kind: "lolo", limit: 10 }), "   ").expect(400);
      assert.equal(details(blank)?.field, "body.reason");
      const created = (await create(definition({ kind: "lolo", limit: 10 })).expect(201)).body as { definition: AlarmDefinition };
      const noReasonDelete = await engineer.send("delete", `/api/v1/alarm-definitions/${created.definition.id}`).expect(400);
      assert.equal(details(noReasonDelete)?.field, "query.reason");
      await engineer.send("delete", `/api/v1/alarm-definitions/${created.definition.id}?reason=cleanup`).expect(204);
    });

    it("checks the fields each kind needs and the tags they name", async () => {
      const cases: [Partial<AlarmDefinitionInput>, string, string][] = [
        [{ kind: "hi", limit: null }, "limit", "required_for_kind"],
        [{ tagPath: RUN, kind: "discrete", limit: 1, alarmState: "false" }, "limit", "not_for_kind"],
        [{ tagPath: RUN, kind: "discrete", limit: null, alarmState: null }, "alarmState", "required_for_kind"],
        [{ tagPath: RUN, kind: "discrete", limit: null, alarmState: "TRIP" }, "alarmState", "not_json"],
        [{ tagPath: RUN, kind: "hi", limit: 1 }, "kind", "not_for_data_type"],
        [{ kind: "deviation", limit: 100, setpointPath: null }, "setpointPath", "required_for_kind"],
        [{ kind: "deviation", limit: 100, setpointPath: "SITE1/WELL-101/NOPE" }, "setpointPath", "unknown_tag"],
        [{ kind: "roc", limit: 0 }, "limit", "not_above"],
        [{ tagPath: "SITE1/WELL-999/THP" }, "tagPath", "unknown_tag"],
      ];
      for (const [overrides, field, reason] of cases) {
        const response = await create(definition(overrides)).expect(400);
        assert.deepEqual([details(response)?.field, details(response)?.reason], [field, reason], JSON.stringify(overrides));
      }
      await create(definition({ tagPath: RUN, kind: "discrete", limit: null, alarmState: "false", priority: "critical" })).expect(201);
      await create(definition({ kind: "deviation", limit: 300, setpointPath: SP })).expect(201);
      const again = await create(definition({ kind: "deviation", limit: 200, setpointPath: SP })).expect(409);
      assert.equal(details(again)?.reason, "already_exists");
    });

    it("refuses limits that cross: HiHi ≥ Hi > Lo ≥ LoLo", async () => {
      const path = "SITE1/WELL-102/CHP";
      await site.tagRegistry.create({ path, dataType: "float", unit: "kPa" }, "test");
      const hi = ((await create(definition({ tagPath: path, kind: "hi", limit: 3000 })).expect(201)).body as { definition: AlarmDefinition }).definition;
      await create(definition({ tagPath: path, kind: "lo", limit: 500 })).expect(201);
      const hihiBelowHi = await create(definition({ tagPath: path, kind: "hihi", limit: 2900 })).expect(400);
      assert.deepEqual(details(hihiBelowHi), { field: "limit", reason: "limit_below_other", params: { other: "hi", otherLimit: 3000 } });
      // A HiHi may equal its Hi; a Lo may not meet the Hi.
      await create(definition({ tagPath: path, kind: "hihi", limit: 3000 })).expect(201);
      const loloAboveLo = await create(definition({ tagPath: path, kind: "lolo", limit: 600 })).expect(400);
      assert.equal(details(loloAboveLo)?.reason, "limit_above_other");
      const hiOntoLo = await engineer.send("patch", `/api/v1/alarm-definitions/${hi.id}`).send({ limit: 500, rowVersion: 1, reason: "try" }).expect(400);
      assert.deepEqual(details(hiOntoLo), { field: "limit", reason: "limit_not_above_other", params: { other: "lo", otherLimit: 500 } });
    });

    it("exports CSV and imports it back, reporting refused rows by line and reason", async () => {
      await operator.send("get", "/api/v1/alarm-definitions/export.csv").expect(403);
      const exported = await engineer.send("get", "/api/v1/alarm-definitions/export.csv").expect(200);
      assert.match(String(exported.headers["content-type"]), /text\/csv/);
      const lines = exported.text.trim().split("\n");
      assert.equal(lines[0], "tagPath,kind,limit,alarmState,setpointPath,priority,deadband,onDelaySeconds,offDelaySeconds,area,message,enabled");

      // The export imported as is changes nothing.
      const unchanged = await engineer.send("post", "/api/v1/alarm-definitions/import?reason=roundtrip").set("Content-Type", "text/csv").send(exported.text).expect(200);
      assert.deepEqual(unchanged.body, { created: 0, updated: 0, rejected: [] });

      const path = "SITE1/WELL-103/THP";
      await site.tagRegistry.create({ path, dataType: "float", unit: "kPa" }, "test");
      const csv = [
        "tagPath,kind,limit,priority,area,message",
        `${path},hihi,7000,critical,WELLS,THP very high`,
        `${path},hi,6000,high,WELLS,THP high`,
        `${path},hi,6100,high,WELLS,twice`,
        `${path},lo,abc,low,WELLS,not a number`,
        `SITE1/NOWHERE/X,hi,1,low,WELLS,no such tag`,
        `${THP},lolo,,low,WELLS,missing limit`,
      ].join("\n");
      const report = await engineer.send("post", "/api/v1/alarm-definitions/import?reason=bulk%20load").set("Content-Type", "text/csv").send(csv).expect(200);
      const body = report.body as { created: number; updated: number; rejected: { line: number; details: { field?: string; reason: string } }[] };
      assert.equal(body.created, 2);
      assert.deepEqual(
        body.rejected.map((row) => [row.line, row.details.field, row.details.reason]),
        [
          [4, "kind", "duplicate_in_file"],
          [5, "limit", "wrong_type"],
          [6, "tagPath", "unknown_tag"],
          [7, "limit", "required_for_kind"],
        ],
      );

      // A file that would leave a tag's limits crossed changes none of that tag's rows.
      const crossing = [`tagPath,kind,limit,priority,area,message`, `${path},hi,8000,high,WELLS,above hihi`, `${path},lo,100,low,WELLS,fine alone`].join("\n");
      const crossed = await engineer.send("post", "/api/v1/alarm-definitions/import?reason=x").set("Content-Type", "text/csv").send(crossing).expect(200);
      const crossedBody = crossed.body as { created: number; updated: number; rejected: { line: number; details: { reason: string } }[] };
      assert.deepEqual([crossedBody.created, crossedBody.updated], [0, 0]);
      assert.deepEqual(crossedBody.rejected.map((row) => row.line), [2, 3]);

      const noReason = await engineer.send("post", "/api/v1/alarm-definitions/import").set("Content-Type", "text/csv").send(csv).expect(400);
      assert.equal(details(noReason)?.field, "query.reason");
    });
  });

  describe(`alarm definition events (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      await site.tagRegistry.create({ path: THP, dataType: "float", unit: "kPa" }, "test");
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    it("emits alarms.definitions.changed with the ids after each committed change, and nothing for a refused one", async () => {
      const emitted: { type: string; ids: unknown }[] = [];
      const service = new AlarmDefinitionService(site.db, new AuditService(site.db, SITE_ID), { emit: (type, payload) => {
        emitted.push({ type, ids: payload.ids });
        return { type, siteId: SITE_ID, at: new Date().toISOString(), payload };
      } }, SITE_ID);
      const created = await service.create(definition({}), "test", "why");
      await assert.rejects(service.create(definition({ kind: "hihi", limit: 1 }), "test", "why"), /must be at least the hi limit/);
      await service.update(created.id, { rowVersion: 1, priority: "critical" }, "test", "why");
      await service.delete(created.id, "test", "why");
      assert.deepEqual(emitted, [
        { type: ALARM_DEFINITIONS_CHANGED, ids: [created.id] },
        { type: ALARM_DEFINITIONS_CHANGED, ids: [created.id] },
        { type: ALARM_DEFINITIONS_CHANGED, ids: [created.id] },
      ]);
    });
  });
}
