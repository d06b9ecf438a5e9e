import assert from "node:assert/strict";
import { newId } from "../../../../runtime/ids.js";
import type { SyncPushRequest, SyncRecord } from "../../../../runtime/sync/sync-schema.js";
import { TagWriteError } from "../../../../runtime/tags/tag-writes.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSite } from "../../../helpers/in-process-site.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const HEALTH = { outboxPending: 0, spoolBytes: 0, appVersion: "test" };

function record(sequence: number, entityId: string, payload: unknown, options: Partial<SyncRecord> = {}): SyncRecord {
  return {
    sequence,
    id: newId(),
    module: "assets",
    entityType: "asset",
    entityId,
    operation: "insert",
    rowVersion: 1,
    payload,
    committedAt: new Date().toISOString(),
    ...options,
  };
}

for (const target of databaseTargets) {
  describe(`Sync receiver (cloud role) on ${target.name}`, function () {
    this.timeout(60_000);
    let database: TestDatabase | undefined;
    let cloud: InProcessSite | undefined;
    const site = () => {
      if (!cloud) throw new Error("cloud not started");
      return cloud;
    };
    const tokens: Record<string, { id: string; token: string }> = {};

    const push = (token: string | undefined, body: SyncPushRequest) => {
      const request = site().anonymous().post("/api/v1/sync/push");
      return (token ? request.set("Authorization", `Bearer ${token}`) : request).send(body);
    };
    const count = async (sql: string, params: string[] = []) => Number((await site().db.query<{ n: string }>(sql, params)).rows[0]?.n);

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      cloud = await startInProcessSite(database.db, { role: "cloud" });
      const admin = await cloud.session("admin");
      for (const siteId of ["NORTH", "SOUTH"]) {
        await admin.send("post", "/api/v1/sync/sites").send({ siteId, name: `${siteId} field` }).expect(201);
        const issued = await admin.send("post", `/api/v1/sync/sites/${siteId}/credentials`).send({}).expect(201);
        const body = issued.body as { credentialId: string; token: string };
        tokens[siteId] = { id: body.credentialId, token: body.token };
      }
    });

    after(async () => {
      await cloud?.close();
      await database?.drop();
    });

    it("refuses a push without a credential, with an unknown one, or for another site", async () => {
      const body: SyncPushRequest = { siteId: "NORTH", records: [], health: HEALTH };
      assert.equal((await push(undefined, body)).status, 401);
      assert.equal((await push("pfsync_not-a-real-token-at-all", body)).status, 401);
      const other = await push(tokens.SOUTH.token, body);
      assert.equal(other.status, 403);
      assert.equal((other.body as { error: { details: { reason: string } } }).error.details.reason, "site_mismatch");
      // A user's session is not a site credential.
      const admin = await site().session("admin");
      assert.equal((await admin.send("post", "/api/v1/sync/push").send(body)).status, 401);
    });

    it("stores a batch once, acknowledges a resent one, and refuses a gap and a renumbered record", async () => {
      const well = newId();
      const batch = [record(1, well, { name: "N-1" }), record(2, newId(), { name: "N-2" }), record(3, well, { name: "N-1b" }, { operation: "update", rowVersion: 2 })];
      const first = await push(tokens.NORTH.token, { siteId: "NORTH", records: batch, health: { ...HEALTH, outboxPending: 3 } });
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(first.body, { acknowledgedThrough: 3, conflicts: [] });
      // The answer was lost: the agent sends the same batch again.
      const again = await push(tokens.NORTH.token, { siteId: "NORTH", records: batch, health: HEALTH });
      assert.deepEqual(again.body, { acknowledgedThrough: 3, conflicts: [] });
      assert.equal(await count("SELECT count(*) AS n FROM sync_received WHERE site_id = 'NORTH'"), 3);
      const entity = await site().db.query<{ payload: { name: string }; owner: string; row_version: number }>(
        "SELECT payload, owner, row_version FROM sync_entities WHERE entity_type = 'asset' AND entity_id = $1",
        [well],
      );
      assert.deepEqual(entity.rows[0], { payload: { name: "N-1b" }, owner: "NORTH", row_version: 2 });

      const gap = await push(tokens.NORTH.token, { siteId: "NORTH", records: [record(5, newId(), {})], health: HEALTH });
      assert.equal(gap.status, 409);
      assert.equal((gap.body as { error: { code: string; details: { params: { expected: number } } } }).error.code, "sync_gap");
      assert.equal((gap.body as { error: { details: { params: { expected: number } } } }).error.details.params.expected, 4);

      const renumbered = await push(tokens.NORTH.token, { siteId: "NORTH", records: [record(3, newId(), {}), record(4, newId(), {})], health: HEALTH });
      assert.equal(renumbered.status, 409);
      assert.equal(await count("SELECT count(*) AS n FROM sync_received WHERE site_id = 'NORTH'"), 3, "nothing of a refused batch is stored");

      const holes = await push(tokens.NORTH.token, { siteId: "NORTH", records: [record(4, newId(), {}), record(6, newId(), {})], health: HEALTH });
      assert.equal(holes.status, 400);
    });

    it("refuses a non-owner's change and surfaces an edit made by the old owner after an ownership move", async () => {
      const admin = await site().session("admin");
      const well = newId();
      const created = await push(tokens.NORTH.token, { siteId: "NORTH", records: [record(4, well, { name: "W-7", status: "producing" })], health: HEALTH });
      assert.deepEqual(created.body, { acknowledgedThrough: 4, conflicts: [] });

      const foreign = await push(tokens.SOUTH.token, {
        siteId: "SOUTH",
        records: [record(1, well, { name: "W-7", status: "shut_in" }, { operation: "update", rowVersion: 2 })],
        health: HEALTH,
      });
      assert.equal(foreign.status, 200);
      assert.deepEqual(foreign.body, { acknowledgedThrough: 1, conflicts: [{ sequence: 1, entityType: "asset", entityId: well, reason: "not_owner", currentOwner: "NORTH" }] });

      await admin.send("post", "/api/v1/sync/ownership-transfers").send({ entityType: "asset", entityId: well, toOwner: "SOUTH", reason: "field sold to the south team" }).expect(201);
      const late = await push(tokens.NORTH.token, {
        siteId: "NORTH",
        records: [record(5, well, { name: "W-7", status: "workover" }, { operation: "update", rowVersion: 2, committedAt: new Date(Date.now() + 1000).toISOString() })],
        health: HEALTH,
      });
      assert.deepEqual((late.body as { conflicts: { reason: string }[] }).conflicts.map((conflict) => conflict.reason), ["ownership_moved"]);
      const owned = await push(tokens.SOUTH.token, {
        siteId: "SOUTH",
        records: [record(2, well, { name: "W-7", status: "injecting" }, { operation: "update", rowVersion: 3 })],
        health: HEALTH,
      });
      assert.deepEqual(owned.body, { acknowledgedThrough: 2, conflicts: [] });

      const listed = await admin.send("get", "/api/v1/sync/conflicts?open=true").expect(200);
      const conflicts = (listed.body as { conflicts: { id: string; reason: string; incoming: { status: string }; current: { status: string } }[] }).conflicts;
      const moved = conflicts.find((conflict) => conflict.reason === "ownership_moved");
      assert.ok(moved, JSON.stringify(conflicts));
      assert.equal(moved.incoming.status, "workover", "the old owner's version is kept");
      assert.equal(moved.current.status, "producing", "beside the version the cloud held");
      const state = await site().db.query<{ owner: string; payload: { status: string } }>("SELECT owner, payload FROM sync_entities WHERE entity_id = $1", [well]);
      assert.deepEqual(state.rows[0], { owner: "SOUTH", payload: { name: "W-7", status: "injecting" } });

      await admin.send("post", `/api/v1/sync/conflicts/${moved.id}/resolve`).send({ choice: "keep_current", reason: "south team's state is right" }).expect(200);
      assert.equal(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'sync.conflict.resolve' AND entity_id = $1", [moved.id]), 1);
      assert.equal((await admin.send("post", `/api/v1/sync/conflicts/${moved.id}/resolve`).send({ choice: "keep_current", reason: "again" })).status, 404);
    });

    it("serves the cloud-owned records a site pulls down, after the sequence it applied", async () => {
      const admin = await site().session("admin");
      const item = { name: "Gate valve 2in", category: "other", baseUnit: "ea", tracking: "none", currency: "USD" };
      await admin.send("post", "/api/v1/inventory/items").send({ ...item, code: "CAT-VALVE-2", owner: "corporate" }).expect(201);
      await admin.send("post", "/api/v1/inventory/items").send({ ...item, code: "CLOUD-OWN-1", owner: "site" }).expect(201);
      const pull = (after: number, token = tokens.NORTH.token) => {
        const request = site().anonymous().get(`/api/v1/sync/pull?after=${after}`);
        return token ? request.set("Authorization", `Bearer ${token}`) : request;
      };
      const first = await pull(0).expect(200);
      const body = first.body as { records: { entityType: string; sequence: number; payload: { code: string; owner: string } }[]; through: number };
      assert.deepEqual(
        body.records.map((record) => [record.entityType, record.payload.code, record.payload.owner]),
        [["inventory_item", "CAT-VALVE-2", "corporate"]],
      );
      assert.equal(body.through, body.records[0].sequence);
      assert.deepEqual((await pull(body.through).expect(200)).body, { records: [], through: body.through });
      assert.equal((await pull(0, "")).status, 401);
      assert.equal((await pull(-1)).status, 400);
    });

    it("keeps the old credential valid through a rotation and refuses it once revoked", async () => {
      const admin = await site().session("admin");
      const rotated = (await admin.send("post", "/api/v1/sync/sites/SOUTH/credentials").send({}).expect(201)).body as { credentialId: string; token: string };
      const body: SyncPushRequest = { siteId: "SOUTH", records: [], health: HEALTH };
      assert.equal((await push(tokens.SOUTH.token, body)).status, 200);
      assert.equal((await push(rotated.token, body)).status, 200);
      await admin.send("post", `/api/v1/sync/credentials/${tokens.SOUTH.id}/revoke`).expect(204);
      const refused = await push(tokens.SOUTH.token, body);
      assert.equal(refused.status, 401);
      assert.equal((await push(rotated.token, body)).status, 200);
      assert.equal(await count("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'sync.credential.%'"), 4);
      // A viewer administers nothing.
      const viewer = await site().session("viewer");
      assert.equal((await viewer.send("post", "/api/v1/sync/sites/SOUTH/credentials").send({})).status, 403);

      assert.equal((await viewer.send("patch", "/api/v1/sync/sites/SOUTH").send({ disabled: true })).status, 403);
      await admin.send("patch", "/api/v1/sync/sites/SOUTH").send({ disabled: true }).expect(204);
      assert.equal((await push(rotated.token, body)).status, 403);
      await admin.send("patch", "/api/v1/sync/sites/SOUTH").send({ disabled: false }).expect(204);
      assert.equal((await push(rotated.token, body)).status, 200);
      await admin.send("patch", "/api/v1/sync/sites/NOWHERE").send({ disabled: true }).expect(404);
      await admin.send("patch", "/api/v1/sync/sites/SOUTH").send({ disabled: "yes" }).expect(400);
      assert.equal(await count("SELECT count(*) AS n FROM audit_log WHERE action IN ('sync.site.disable', 'sync.site.enable')"), 2);
    });

    it("never writes to a device in the cloud role", async () => {
      await assert.rejects(
        site().tagWrites.requestWrite("NORTH/W-7/gas_lift_sp", 1200, { actor: "remote-user", role: "admin" }),
        (error: unknown) => error instanceof TagWriteError && error.status === 403 && error.reason === "edge_role_only",
      );
    });
  });
}
