import assert from "node:assert/strict";
import type supertest from "supertest";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

interface View {
  id: string;
  name: string;
  pens: { path: string; axis: number }[];
  range: { kind: string };
  createdBy: string;
  updatedBy: string;
  rowVersion: number;
}

interface ErrorAnswer {
  code: string;
  details?: { field?: string; reason: string };
}

const viewOf = (response: supertest.Response) => (response.body as { view: View }).view;
const errorOf = (response: supertest.Response) => (response.body as { error: ErrorAnswer }).error;

const PRESSURES = {
  name: "Wellhead pressures",
  pens: [
    { path: "SITE1/WELL-101/THP", axis: 0 },
    { path: "SITE1/WELL-101/OIL_RATE", axis: 1 },
  ],
  range: { kind: "preset", preset: "7d" },
};

/** Saved trend views (issue 9 §3 Trends): shared per site, saved by operators, audited. */
for (const target of databaseTargets) {
  describe(`trend views API (${target.name})`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let site: InProcessSite;
    let viewer: InProcessSession;
    let operator: InProcessSession;

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      site = await startInProcessSite(database.db);
      viewer = await site.session("viewer");
      operator = await site.session("operator");
    });

    after(async () => {
      await site?.close();
      await database?.drop();
    });

    const auditActions = async (id: string) =>
      (await site.db.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE entity_id = $1 ORDER BY occurred_at, id", [id])).rows;

    it("saves a view, lists it for everyone, updates it with its rowVersion and deletes it, each with an audit row", async () => {
      const created = await operator.send("post", "/api/v1/trend-views").send(PRESSURES).expect(201);
      const view = viewOf(created);
      assert.equal(view.name, "Wellhead pressures");
      assert.deepEqual(view.pens, PRESSURES.pens);
      assert.deepEqual(view.range, { kind: "preset", preset: "7d" });
      assert.equal(view.createdBy, operator.username);
      assert.equal(view.rowVersion, 1);

      const listed = await viewer.send("get", "/api/v1/trend-views").expect(200);
      assert.deepEqual((listed.body as { views: View[] }).views.map((each) => each.id), [view.id]);
      assert.equal(viewOf(await viewer.send("get", `/api/v1/trend-views/${view.id}`).expect(200)).name, "Wellhead pressures");

      const range = { kind: "absolute", from: "2026-12-01T00:00:00.000Z", to: "2026-12-01T01:00:00.000Z" };
      const updated = viewOf(await operator.send("patch", `/api/v1/trend-views/${view.id}`).send({ name: "THP last hour", range, rowVersion: 1 }).expect(200));
      assert.equal(updated.name, "THP last hour");
      assert.deepEqual(updated.range, range);
      assert.deepEqual(updated.pens, PRESSURES.pens, "fields left out stay as they were");
      assert.equal(updated.rowVersion, 2);

      // A second save with the version read before the first is refused: it would undo it unseen.
      const stale = await operator.send("patch", `/api/v1/trend-views/${view.id}`).send({ name: "Lost update", rowVersion: 1 }).expect(409);
      assert.equal(errorOf(stale).code, "stale");
      assert.equal(errorOf(stale).details?.reason, "changed_since_read");

      await operator.send("delete", `/api/v1/trend-views/${view.id}`).expect(204);
      await viewer.send("get", `/api/v1/trend-views/${view.id}`).expect(404);
      await operator.send("delete", `/api/v1/trend-views/${view.id}`).expect(404);
      assert.deepEqual(await auditActions(view.id), [
        { action: "trend_view.create", actor: operator.username },
        { action: "trend_view.update", actor: operator.username },
        { action: "trend_view.delete", actor: operator.username },
      ]);
    });

    it("refuses a second view of the same name with 409 naming the field", async () => {
      const first = viewOf(await operator.send("post", "/api/v1/trend-views").send({ ...PRESSURES, name: "Unique" }).expect(201));
      const again = await operator.send("post", "/api/v1/trend-views").send({ ...PRESSURES, name: " Unique " }).expect(409);
      assert.equal(errorOf(again).code, "conflict");
      assert.deepEqual(errorOf(again).details, { field: "body.name", reason: "already_exists" });
      await operator.send("delete", `/api/v1/trend-views/${first.id}`).expect(204);
    });

    it("lets a viewer read but not save, change or delete", async () => {
      const view = viewOf(await operator.send("post", "/api/v1/trend-views").send({ ...PRESSURES, name: "Operator's" }).expect(201));
      assert.equal(errorOf(await viewer.send("post", "/api/v1/trend-views").send({ ...PRESSURES, name: "Viewer's" }).expect(403)).code, "forbidden");
      await viewer.send("patch", `/api/v1/trend-views/${view.id}`).send({ name: "Renamed", rowVersion: 1 }).expect(403);
      await viewer.send("delete", `/api/v1/trend-views/${view.id}`).expect(403);
      await site.anonymous().get("/api/v1/trend-views").expect(401);
      assert.equal(viewOf(await viewer.send("get", `/api/v1/trend-views/${view.id}`).expect(200)).name, "Operator's");
      assert.deepEqual((await auditActions(view.id)).map((row) => row.action), ["trend_view.create"]);
      await operator.send("delete", `/api/v1/trend-views/${view.id}`).expect(204);
    });

    it("answers 400 naming the field for bad input, and stores nothing", async () => {
      const cases: [unknown, string][] = [
        [{ ...PRESSURES, name: "" }, "body.name"],
        [{ ...PRESSURES, pens: [] }, "body.pens"],
        [{ ...PRESSURES, pens: [{ path: "not a path", axis: 0 }] }, "body.pens.0.path"],
        [{ ...PRESSURES, pens: [{ path: "SITE1/WELL-101/THP", axis: -1 }] }, "body.pens.0.axis"],
        [{ ...PRESSURES, range: { kind: "preset", preset: "2d" } }, "body.range"],
        [{ ...PRESSURES, colour: "red" }, "body.colour"],
      ];
      for (const [body, field] of cases) {
        const refused = await operator.send("post", "/api/v1/trend-views").send(body as object).expect(400);
        assert.equal(errorOf(refused).code, "validation_failed", JSON.stringify(body));
        assert.ok(errorOf(refused).details?.field?.startsWith(field), `${errorOf(refused).details?.field} names ${field}`);
      }
      await operator.send("patch", "/api/v1/trend-views/not-a-uuid").send({ name: "x", rowVersion: 1 }).expect(400);
      await operator.send("patch", "/api/v1/trend-views/0190a8d2-0000-7000-8000-000000000000").send({ name: "x" }).expect(400);
      assert.equal((await site.db.query<{ n: number }>("SELECT count(*)::int AS n FROM trend_views")).rows[0]?.n, 0);
    });
  });
}
