import assert from "node:assert/strict";
import { freePort } from "../../../helpers/free-port.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { createRestartableSite, type RestartableSite, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, skipUnlessAvailable } from "../../support.js";

/** Rows the demo's history seed writes: entries keyed `demo:…`, and its allocation runs and their results. */
const SEED_ROWS = {
  wellTests: "SELECT count(*) AS n FROM well_tests WHERE source_key LIKE 'demo:%'",
  tankGauges: "SELECT count(*) AS n FROM tank_gauges WHERE source_key LIKE 'demo:%'",
  meterReadings: "SELECT count(*) AS n FROM meter_readings WHERE source_key LIKE 'demo:%'",
  runTickets: "SELECT count(*) AS n FROM run_tickets WHERE source_key LIKE 'demo:%'",
  downtime: "SELECT count(*) AS n FROM downtime_events WHERE source_key LIKE 'demo:%'",
  allocationRuns: "SELECT count(*) AS n FROM allocation_runs WHERE created_by = 'system:demo'",
  allocationResults: "SELECT count(*) AS n FROM allocation_results WHERE created_by = 'system:demo'",
  demoAssets: "SELECT count(*) AS n FROM assets WHERE created_by = 'system:demo'",
} as const;

/** Everything that may name a user's well or tank. */
const TOUCHING_USER_ASSETS = {
  wellTests: "SELECT count(*) AS n FROM well_tests WHERE well_id = $1 OR well_id = $2",
  downtime: "SELECT count(*) AS n FROM downtime_events WHERE well_id = $1 OR well_id = $2",
  allocationResults: "SELECT count(*) AS n FROM allocation_results WHERE well_id = $1 OR well_id = $2",
  tankGauges: "SELECT count(*) AS n FROM tank_gauges WHERE tank_id = $1 OR tank_id = $2",
  runTickets: "SELECT count(*) AS n FROM run_tickets WHERE tank_id = $1 OR tank_id = $2",
} as const;

type Counts<Queries> = Record<keyof Queries, number>;

interface Asset {
  id: string;
  code: string;
}

/**
 * The demo seeds its history once, on the data dir's first start, and only
 * for the assets it created: a real site process, a well and a tank a user
 * adds under the demo battery, a restart on the same data dir (PGlite) or
 * database (PostgreSQL), and row counts before and after.
 */
for (const backend of ["pglite", "postgres"] as const) {
  describe(`the demo never invents data: history seeded once, never for users' assets (${backend})`, function () {
    this.timeout(240_000);
    let home: RestartableSite | undefined;
    let site: SiteProcess | undefined;
    let admin!: SiteClient;
    const userAssets: Asset[] = [];
    let seeded!: Counts<typeof SEED_ROWS>;

    const start = async () => {
      assert.ok(home);
      site = await home.start({
        env: {
          PETROFLOW_DEMO: "true",
          PETROFLOW_SIM_MODBUS_PORT: "0",
          PETROFLOW_SIM_OPCUA_PORT: String(await freePort()),
          PETROFLOW_EMBEDDED_MQTT_PORT: "0",
          PETROFLOW_DEMO_BACKFILL_DAYS: "0",
        },
        readyTimeoutMs: 120_000,
      });
      admin = await adminClient(site.url);
    };
    const stop = async () => {
      assert.ok(site);
      assert.equal(await site.stop(), 0, site.output());
    };
    /** Counts with the site stopped (PGlite admits one process per data dir). */
    const count = async <Queries extends Record<string, string>>(queries: Queries, params: string[] = []): Promise<Counts<Queries>> => {
      assert.ok(home);
      return home.withDatabase(async (db) => {
        const counts: Partial<Record<keyof Queries, number>> = {};
        for (const [name, sql] of Object.entries(queries) as [keyof Queries, string][]) {
          const result = await db.query<{ n: number | string }>(sql, params);
          counts[name] = Number(result.rows[0]?.n ?? Number.NaN);
        }
        return counts as Counts<Queries>;
      });
    };

    before(async function () {
      skipUnlessAvailable(this, backend);
      home = await createRestartableSite(backend, "petroflow-demo-seed-");
      await start();
    });

    after(async function () {
      this.timeout(60_000);
      await site?.dispose();
      await home?.dispose();
    });

    it("the first start seeds the demo field and a week of its history", async () => {
      await stop();
      seeded = await count(SEED_ROWS);
      for (const [name, rows] of Object.entries(seeded)) assert.ok(rows > 0, `the first start seeded ${name}`);
      await start();
    });

    it("a user adds a producing well and a gauged tank under the demo battery", async () => {
      const page = await admin.json<{ assets: Asset[] }>("GET", "/api/v1/assets?kind=site&search=BAT-1");
      const battery = page.assets.find((asset) => asset.code === "BAT-1");
      assert.ok(battery, "the demo battery exists");
      userAssets.push(
        await admin.json<Asset>(
          "POST",
          "/api/v1/assets",
          { kind: "well", code: "WELL-USER-1", name: "A user's new well", parentId: battery.id, well: { liftType: "esp", status: "producing" } },
          201,
        ),
        await admin.json<Asset>(
          "POST",
          "/api/v1/assets",
          {
            kind: "equipment",
            code: "TK-USER-1",
            name: "A user's new tank",
            parentId: battery.id,
            equipment: { equipmentType: "tank", fluid: "oil", strappingTable: [{ levelM: 0, volumeM3: 0 }, { levelM: 6, volumeM3: 300 }] },
          },
          201,
        ),
      );
    });

    it("a restart adds no seed history and nothing about the user's assets", async () => {
      await stop();
      const ids = userAssets.map((asset) => asset.id);
      assert.deepEqual(await count(SEED_ROWS), seeded, "before the restart");
      await start();
      // The restart's own work is done by "ready"; stop so the counts are final (and PGlite can be opened).
      await stop();
      assert.deepEqual(await count(SEED_ROWS), seeded, "no seed history was added");
      assert.deepEqual(await count(TOUCHING_USER_ASSETS, ids), { wellTests: 0, downtime: 0, allocationResults: 0, tankGauges: 0, runTickets: 0 });
      await start();
    });
  });
}
