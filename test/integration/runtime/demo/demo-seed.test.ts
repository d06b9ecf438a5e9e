import assert from "node:assert/strict";
import { AssetService } from "../../../../erp-modules/assets/service.js";
import { seedDemoOnce, type DemoSeedDeps } from "../../../../runtime/demo/demo-seed.js";
import { DEMO_ACTOR, DEMO_FIELD_CODE, demoAssetPlan, demoConnectionPlan } from "../../../../runtime/demo/demo-assets-erp.js";
import { ModuleEventBus, type ModuleEvent } from "../../../../runtime/events/event-bus.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { createErpHarness, ENGINEER, SITE_ID } from "../../erp-modules/erp-fixtures.js";

const model = createOilfield({ seed: 1 });

/** Every table the seed writes to, and the marker. */
const TABLES = ["assets", "asset_connections", "well_tests", "tank_gauges", "meter_readings", "run_tickets", "downtime_events", "allocation_runs", "allocation_results", "audit_log", "sync_outbox", "demo_seed"] as const;

for (const target of databaseTargets) {
  describe(`seedDemoOnce: the demo field and its history, once per site, in one transaction (${target.name})`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let deps: DemoSeedDeps;
    let delivered: ModuleEvent[];
    let assets: AssetService;

    const db = () => {
      if (!database) throw new Error("no database");
      return database.db;
    };
    const counts = async () => {
      const result: Record<string, number> = {};
      for (const table of TABLES) result[table] = Number((await db().query<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
      return result;
    };

    beforeEach(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      const harness = await createErpHarness(database.db, "*");
      assets = harness.assets;
      const events = new ModuleEventBus(SITE_ID);
      delivered = [];
      events.subscribe("*", (event) => delivered.push(event));
      deps = { db: database.db, siteId: SITE_ID, events, logger: createLogger("silent") };
    });

    afterEach(async () => {
      await database?.drop();
    });

    it("seeds an empty register once; a second start adds nothing", async () => {
      const seeded = await seedDemoOnce(deps, model);
      assert.equal(seeded.outcome, "seeded");
      assert.ok(seeded.outcome === "seeded" && seeded.assetsCreated === demoAssetPlan(model, new Date()).length && seeded.recorded > 0 && seeded.allocationRun);
      assert.ok(
        delivered.some((event) => event.type === "production.allocation.completed"),
        "the seed's module events reach the site's bus after it commits",
      );
      const after = await counts();
      assert.equal(after.demo_seed, 1);
      assert.equal(after.asset_connections, demoConnectionPlan(model).length, "the plant's connections are in the register");

      const again = await seedDemoOnce(deps, model);
      assert.equal(again.outcome, "done-before");
      assert.ok(again.outcome === "done-before");
      assert.deepEqual(again.plantAdded, { assets: 0, connections: 0 });
      assert.deepEqual(await counts(), after);
    });

    it("completes the plant of a register an earlier demo seeded, once, leaving what an engineer edited", async () => {
      assert.equal((await seedDemoOnce(deps, model)).outcome, "seeded");
      // What an earlier demo left: no connections, no sales or disposal point, the manifold as "other", separators without a service.
      await db().exec(`
        DELETE FROM asset_connections;
        DELETE FROM equipment WHERE asset_id IN (SELECT id FROM assets WHERE code IN ('SALES-01', 'SWD-01'));
        DELETE FROM assets WHERE code IN ('SALES-01', 'SWD-01');
        UPDATE equipment SET equipment_type = 'other' WHERE asset_id = (SELECT id FROM assets WHERE code = 'MAN-01');
        UPDATE equipment SET separator_service = NULL WHERE asset_id IN (SELECT id FROM assets WHERE code IN ('SEP-TEST', 'SEP-PROD'));
      `);
      const edited = await assets.findByCode("SEP-PROD");
      assert.ok(edited);
      await assets.update(edited.id, { rowVersion: edited.rowVersion, name: "Production separator (renamed)" }, ENGINEER);

      const restart = await seedDemoOnce(deps, model);
      assert.ok(restart.outcome === "done-before");
      assert.deepEqual(restart.plantAdded, { assets: 2, connections: demoConnectionPlan(model).length });
      assert.equal((await assets.findByCode("MAN-01"))?.equipment?.equipmentType, "manifold");
      assert.equal((await assets.findByCode("SEP-TEST"))?.equipment?.separatorService, "test");
      assert.equal((await assets.findByCode("SEP-PROD"))?.equipment?.separatorService, null, "an engineer's asset is not changed by the demo");
      assert.equal((await assets.findByCode("SALES-01"))?.createdBy, DEMO_ACTOR);
      const after = await counts();

      const again = await seedDemoOnce(deps, model);
      assert.ok(again.outcome === "done-before");
      assert.deepEqual(again.plantAdded, { assets: 0, connections: 0 });
      assert.deepEqual(await counts(), after, "a third start adds nothing");
    });

    it("leaves a register it did not create alone: no demo field, no history", async () => {
      await assets.create({ kind: "field", code: "FIELD-REAL", name: "A real field" }, ENGINEER);
      const before = await counts();
      const outcome = await seedDemoOnce(deps, model);
      assert.deepEqual(outcome, { outcome: "skipped", assetsInRegister: 1 });
      assert.deepEqual(await counts(), { ...before, demo_seed: 1 });
      assert.equal(await assets.findByCode(DEMO_FIELD_CODE), null);
    });

    it("adopts a field an earlier Petroflow seeded before the marker existed, adding nothing", async () => {
      await assets.create({ kind: "field", code: DEMO_FIELD_CODE, name: "Demo oilfield" }, DEMO_ACTOR);
      const before = await counts();
      assert.deepEqual(await seedDemoOnce(deps, model), { outcome: "adopted" });
      assert.deepEqual(await counts(), { ...before, demo_seed: 1 });
    });

    it("a seed that fails midway leaves nothing, not even the marker, and the next start seeds", async () => {
      // The last step (the allocation run) is refused by the database.
      await db().exec(`
        CREATE FUNCTION refuse_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
        CREATE TRIGGER refuse_allocation_runs BEFORE INSERT ON allocation_runs FOR EACH ROW EXECUTE FUNCTION refuse_for_test();
      `);
      const before = await counts();
      await assert.rejects(seedDemoOnce(deps, model), /refused for the test/);
      assert.deepEqual(await counts(), before, "nothing of the seed was kept");
      assert.deepEqual(delivered, [], "no event for a seed that rolled back");

      await db().exec("DROP TRIGGER refuse_allocation_runs ON allocation_runs");
      assert.equal((await seedDemoOnce(deps, model)).outcome, "seeded");
    });
  });
}
