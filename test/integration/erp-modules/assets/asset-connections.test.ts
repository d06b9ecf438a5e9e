import assert from "node:assert/strict";
import type { Database } from "../../../../runtime/db/database.js";
import type { Asset, AssetCreate, Connection } from "../../../../erp-modules/assets/schema.js";
import type { AssetService } from "../../../../erp-modules/assets/service.js";
import type { ServiceErrorCode } from "../../../../erp-modules/shared/service-error.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { ENGINEER, countChanges, createErpHarness, isServiceError } from "../erp-fixtures.js";

for (const target of databaseTargets) {
  describe(`AssetService connections on ${target.name}`, function () {
    let database: TestDatabase | undefined;
    let assets: AssetService;
    const db = (): Database => {
      if (!database) throw new Error("database not created");
      return database.db;
    };
    const byCode = new Map<string, Asset>();
    const id = (code: string): string => {
      const asset = byCode.get(code);
      if (!asset) throw new Error(`no ${code} in the fixture`);
      return asset.id;
    };

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      ({ assets } = await createErpHarness(database.db, "assets.*"));
      const plan: [string | null, AssetCreate][] = [
        [null, { kind: "field", code: "F", name: "Field" }],
        ["F", { kind: "site", code: "BAT", name: "Battery", siteType: "battery" }],
        ["BAT", { kind: "well", code: "W-1", name: "Well 1", well: { liftType: "gas_lift" } }],
        ["BAT", { kind: "well", code: "W-2", name: "Well 2", well: { liftType: "esp" } }],
        ["BAT", { kind: "equipment", code: "MAN", name: "Manifold", equipment: { equipmentType: "manifold" } }],
        ["BAT", { kind: "equipment", code: "SEP", name: "Separator", equipment: { equipmentType: "separator", separatorService: "production" } }],
        ["BAT", { kind: "equipment", code: "TK-W", name: "Water tank", equipment: { equipmentType: "tank", fluid: "water" } }],
        ["BAT", { kind: "equipment", code: "COMP", name: "Compressor", equipment: { equipmentType: "compressor" } }],
      ];
      for (const [parent, input] of plan) {
        const asset = await assets.create({ ...input, parentId: parent === null ? null : id(parent) }, ENGINEER);
        byCode.set(asset.code, asset);
      }
    });

    after(async () => {
      await database?.drop();
    });

    const changes = () => countChanges(db(), "assets");

    async function rejected(write: () => Promise<unknown>, code: ServiceErrorCode, field: string, reason: string): Promise<void> {
      const before = await changes();
      await assert.rejects(write(), (error: unknown) => {
        isServiceError(code, field)(error);
        assert.equal((error as { details?: { reason?: string } }).details?.reason, reason);
        return true;
      });
      assert.deepEqual(await changes(), before, "a refused connection writes no audit or outbox row");
    }

    it("keeps a separator's service and refuses one on other equipment", async () => {
      assert.equal(byCode.get("SEP")?.equipment?.separatorService, "production");
      assert.equal(byCode.get("MAN")?.equipment?.separatorService, null);
      await assert.rejects(
        assets.create({ kind: "equipment", code: "TK-X", name: "Tank", parentId: id("BAT"), equipment: { equipmentType: "tank", separatorService: "test" } }, ENGINEER),
        isServiceError("invalid_input", "equipment.separatorService"),
      );
      const separator = byCode.get("SEP");
      assert.ok(separator);
      const changed = await assets.update(separator.id, { rowVersion: separator.rowVersion, equipment: { separatorService: "test" } }, ENGINEER);
      assert.equal(changed.equipment?.separatorService, "test");
      byCode.set("SEP", changed);
    });

    it("creates connections with their codes, each in one audited write with an outbox row", async () => {
      const before = await changes();
      const production = await assets.createConnection({ fromAssetId: id("W-1"), toAssetId: id("MAN"), stream: "production" }, ENGINEER);
      assert.deepEqual(await changes(), { audit: before.audit + 1, outbox: before.outbox + 1 });
      assert.deepEqual([production.fromCode, production.toCode, production.stream, production.createdBy], ["W-1", "MAN", "production", ENGINEER]);
      await assets.createConnection({ fromAssetId: id("MAN"), toAssetId: id("SEP"), stream: "production" }, ENGINEER);
      await assets.createConnection({ fromAssetId: id("SEP"), toAssetId: id("TK-W"), stream: "water" }, ENGINEER);
      await assets.createConnection({ fromAssetId: id("COMP"), toAssetId: id("W-1"), stream: "lift_gas" }, ENGINEER);
      const list: Connection[] = await assets.listConnections();
      assert.deepEqual(
        list.map((connection) => `${connection.fromCode}>${connection.toCode}:${connection.stream}`),
        ["COMP>W-1:lift_gas", "MAN>SEP:production", "SEP>TK-W:water", "W-1>MAN:production"],
      );
      const audit = await db().query<{ action: string; after: Connection }>(
        "SELECT action, after FROM audit_log WHERE entity_id = $1",
        [production.id],
      );
      assert.deepEqual(audit.rows.map((row) => [row.action, row.after.fromCode]), [["assets.connection.create", "W-1"]]);
    });

    it("refuses what the register cannot hold, naming the field, and writes nothing", async () => {
      const connect = (from: string, to: string, stream: Connection["stream"]) => () =>
        assets.createConnection({ fromAssetId: from, toAssetId: to, stream }, ENGINEER);
      await rejected(connect(id("MAN"), id("MAN"), "production"), "invalid_input", "toAssetId", "connection_to_self");
      await rejected(connect("01900000-0000-7000-8000-000000000000", id("MAN"), "production"), "invalid_input", "fromAssetId", "not_an_asset");
      await rejected(connect(id("W-2"), "01900000-0000-7000-8000-000000000000", "production"), "invalid_input", "toAssetId", "not_an_asset");
      await rejected(connect(id("COMP"), id("W-2"), "lift_gas"), "invalid_input", "stream", "stream_not_allowed");
      await rejected(connect(id("SEP"), id("TK-W"), "oil"), "invalid_input", "toAssetId", "stream_fluid_mismatch");
      await rejected(connect(id("BAT"), id("SEP"), "production"), "invalid_input", "fromAssetId", "not_a_process_asset");
      await rejected(connect(id("W-1"), id("MAN"), "production"), "conflict", "stream", "already_exists");
    });

    it("deletes a connection with its before in the audit and a delete in the outbox", async () => {
      const [lift] = (await assets.listConnections()).filter((connection) => connection.stream === "lift_gas");
      assert.ok(lift);
      const before = await changes();
      const removed = await assets.deleteConnection(lift.id, ENGINEER);
      assert.equal(removed.id, lift.id);
      assert.deepEqual(await changes(), { audit: before.audit + 1, outbox: before.outbox + 1 });
      const audit = await db().query<{ action: string; before: Connection; after: unknown }>(
        "SELECT action, before, after FROM audit_log WHERE entity_id = $1 AND action = 'assets.connection.delete'",
        [lift.id],
      );
      assert.equal(audit.rows[0]?.before.toCode, "W-1");
      assert.equal(audit.rows[0]?.after, null);
      const outbox = await db().query<{ operation: string; entity_type: string }>("SELECT operation, entity_type FROM sync_outbox WHERE entity_id = $1 ORDER BY id", [
        lift.id,
      ]);
      assert.deepEqual(outbox.rows.map((row) => [row.entity_type, row.operation]), [
        ["asset_connection", "insert"],
        ["asset_connection", "delete"],
      ]);
      assert.equal((await assets.listConnections()).some((connection) => connection.id === lift.id), false);
      await assert.rejects(assets.deleteConnection(lift.id, ENGINEER), isServiceError("not_found"));
    });
  });
}
