import assert from "node:assert/strict";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const PATH = "SITE1/WELL-P1/ESP_FREQ_SP";

interface AuditRow {
  actor: string;
  before: unknown;
  after: unknown;
  details: { outcome: string; why?: string; readBack?: unknown; detail?: string; reason?: string };
}

/**
 * POST /tags/:id/write on the site's real services and database, with the
 * test playing the device node that owns the tag (a writer registered on the
 * site's device write path): the write limits set through the API, engineer
 * roles, a stale expectedCurrent, and the device's failures, each audited.
 */
for (const target of databaseTargets) {
  describe(`setpoint write route (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let operator: InProcessSession;
    let engineer: InProcessSession;
    let tagId: string;
    /** What the fake device holds; `fail` makes it refuse every write, `ignore` keep its value. */
    let device: { holds: number; fail?: string; ignore?: boolean };

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      operator = await site.session("operator");
      engineer = await site.session("engineer");
      const created = await engineer
        .send("post", "/api/v1/tags")
        .send({ path: PATH, dataType: "float", unit: "Hz", writable: true, writeMin: 30, writeMax: 65 })
        .expect(201);
      tagId = (created.body as { tag: { id: string } }).tag.id;
      site.tagWrites.registerWriter(PATH, async ({ value }) => {
        if (device.fail) throw new Error(device.fail);
        if (!device.ignore) device.holds = value as number;
        site.tags.write(PATH, { v: device.holds });
        return { readBack: device.holds };
      });
    });

    beforeEach(() => {
      device = { holds: 50 };
      site.tags.write(PATH, { v: 50 });
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    const write = (session: InProcessSession, body: Record<string, unknown>) => session.send("post", `/api/v1/tags/${tagId}/write`).send(body);
    const lastAudit = async (): Promise<AuditRow> => {
      const { rows } = await site.db.query<AuditRow>(
        "SELECT actor, before, after, details FROM audit_log WHERE action = 'tag.write' AND entity_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 1",
        [tagId],
      );
      assert.ok(rows[0], "an audit row");
      return rows[0];
    };

    it("writes within the limits, answers the read-back, audits who, old and new with the reason given", async () => {
      const response = await write(operator, { value: 55.5, expectedCurrent: 50, reason: "more drawdown" }).expect(200);
      assert.deepEqual(response.body, { requested: 55.5, previous: 50, readBack: 55.5, confirmed: true, outcome: "confirmed" });
      const row = await lastAudit();
      assert.deepEqual(
        { actor: row.actor, before: row.before, after: row.after, outcome: row.details.outcome, reason: row.details.reason },
        { actor: operator.username, before: { value: 50 }, after: { value: 55.5 }, outcome: "confirmed", reason: "more drawdown" },
      );
    });

    it("refuses a value the user did not see (409 stale) without writing, and audits the refusal", async () => {
      const response = await write(operator, { value: 40, expectedCurrent: 45 }).expect(409);
      assert.equal((response.body as { error: { details: { reason: string } } }).error.details.reason, "value_changed");
      assert.equal(device.holds, 50);
      const row = await lastAudit();
      assert.deepEqual([row.details.outcome, row.details.why], ["refused", "value_changed"]);
    });

    it("a device that keeps its old value is unconfirmed; a device error is 502 and audited as failed", async () => {
      device.ignore = true;
      const unconfirmed = (await write(operator, { value: 60 }).expect(200)).body as { confirmed: boolean; outcome: string; readBack: unknown };
      assert.deepEqual([unconfirmed.confirmed, unconfirmed.outcome, unconfirmed.readBack], [false, "unconfirmed", 50]);
      assert.equal((await lastAudit()).details.outcome, "unconfirmed");
      device = { holds: 50, fail: "exception 04: slave device failure" };
      const failed = await write(operator, { value: 60 }).expect(502);
      assert.equal((failed.body as { error: { code: string } }).error.code, "device_error");
      const row = await lastAudit();
      assert.deepEqual([row.details.outcome, row.details.why], ["failed", "device_write_failed"]);
    });

    it("honours the tag's writeRole and a changed limit at once; a wrong type is 400", async () => {
      const tag = (await engineer.send("get", `/api/v1/tags/${tagId}`).expect(200)).body as { tag: { rowVersion: number } };
      await engineer.send("patch", `/api/v1/tags/${tagId}`).send({ rowVersion: tag.tag.rowVersion, writeRole: "engineer", writeMax: 58 }).expect(200);
      const denied = await write(operator, { value: 55 }).expect(403);
      assert.equal((denied.body as { error: { details: { reason: string } } }).error.details.reason, "write_role_required");
      const tooHigh = await write(engineer, { value: 60 }).expect(400);
      assert.deepEqual((tooHigh.body as { error: { details: unknown } }).error.details, {
        field: "value",
        reason: "outside_write_limits",
        params: { min: 30, max: 58, unit: "Hz" },
      });
      await write(engineer, { value: true }).expect(400);
      await write(engineer, { value: 57 }).expect(200);
    });
  });
}
