/**
 * Allocation over the register's network, through the services on both
 * databases: a two-separator battery with commingled tanks built with the
 * assets service (equipment and connections), its entries written into the
 * production tables, one run. The arithmetic is the unit test's
 * (test/unit/erp-modules/production/model/network-allocation.test.ts).
 */
import assert from "node:assert/strict";
import type { AssetCreate } from "../../../../erp-modules/assets/schema.js";
import type { Lineage } from "../../../../erp-modules/production/model/network-allocation.js";
import { readRunInputs } from "../../../../erp-modules/production/allocation-service.js";
import type { Fluid } from "../../../../erp-modules/production/entry-schemas.js";
import { newId } from "../../../../runtime/ids.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { skipWithReason } from "../../../helpers/skip-report.js";
import { SITE_ID } from "../erp-fixtures.js";
import { ENGINEER, allocatedSums, createHarness, type Harness } from "./allocation-fixtures.js";

const DAY = "2026-06-01";
const OPERATOR = "oscar-operator";

for (const target of databaseTargets) {
  describe(`allocation over the network on ${target.name}`, function () {
    this.timeout(120_000);
    let database: TestDatabase | undefined;
    let harness: Harness;
    const ids = new Map<string, string>();
    const id = (code: string): string => {
      const found = ids.get(code);
      if (!found) throw new Error(`no ${code} in the fixture`);
      return found;
    };
    const entryIds = new Map<string, string>();

    async function meterReading(meter: string, fluid: Fluid, volumeM3: string): Promise<void> {
      const entryId = newId();
      await harness.db.query(
        `INSERT INTO meter_readings (id, site_id, meter_id, site_asset_id, production_date, fluid, volume_m3, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8)`,
        [entryId, SITE_ID, id(meter), id("NB-BAT"), DAY, fluid, volumeM3, OPERATOR],
      );
      entryIds.set(`reading ${meter}`, entryId);
    }

    async function gauge(tank: string, gaugedAt: string, volumeM3: number): Promise<void> {
      const entryId = newId();
      await harness.db.query(
        `INSERT INTO tank_gauges (id, site_id, tank_id, site_asset_id, gauged_at, level_m, volume_m3, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'manual', $8)`,
        [entryId, SITE_ID, id(tank), id("NB-BAT"), gaugedAt, volumeM3 / 500, volumeM3, OPERATOR],
      );
      entryIds.set(`gauge ${tank} ${gaugedAt}`, entryId);
    }

    before(async function () {
      if (target.unavailable) skipWithReason(this, target.unavailable);
      database = await target.create();
      harness = await createHarness(database.db);
      const strappingTable = [
        { levelM: 0, volumeM3: 0 },
        { levelM: 10, volumeM3: 5000 },
      ];
      const equipment = (code: string, detail: NonNullable<AssetCreate["equipment"]>): [string, AssetCreate] => [
        "NB-BAT",
        { kind: "equipment", code, name: code, equipment: detail },
      ];
      const plan: [string | null, AssetCreate][] = [
        [null, { kind: "field", code: "NB-F", name: "Network field" }],
        ["NB-F", { kind: "site", code: "NB-BAT", name: "Two-separator battery", siteType: "battery" }],
        ...["W1", "W2", "W3", "W4"].map((code): [string, AssetCreate] => ["NB-BAT", { kind: "well", code, name: code, well: { liftType: "esp" } }]),
        equipment("SEP-A", { equipmentType: "separator", separatorService: "production" }),
        equipment("SEP-B", { equipmentType: "separator", separatorService: "production" }),
        equipment("M-A", { equipmentType: "meter", meterService: "fiscal", fluid: "oil" }),
        equipment("M-B", { equipmentType: "meter", meterService: "fiscal", fluid: "oil" }),
        equipment("TK-1", { equipmentType: "tank", fluid: "oil", strappingTable }),
        equipment("TK-2", { equipmentType: "tank", fluid: "oil", strappingTable }),
        equipment("SALES", { equipmentType: "sales_point" }),
        equipment("GM-A", { equipmentType: "meter", meterService: "fiscal", fluid: "gas" }),
        equipment("GM-B", { equipmentType: "meter", meterService: "fiscal", fluid: "gas" }),
        equipment("GAS-SALES", { equipmentType: "sales_point" }),
        equipment("WM", { equipmentType: "meter", meterService: "fiscal", fluid: "water" }),
        equipment("DISPOSAL", { equipmentType: "disposal_point" }),
      ];
      for (const [parent, input] of plan) {
        const asset = await harness.assets.create({ ...input, parentId: parent === null ? null : id(parent) }, ENGINEER);
        ids.set(asset.code, asset.id);
      }
      const connections: [string, string, "production" | "oil" | "gas" | "water"][] = [
        ["W1", "SEP-A", "production"],
        ["W2", "SEP-A", "production"],
        ["W3", "SEP-B", "production"],
        ["W4", "SEP-B", "production"],
        ["SEP-A", "M-A", "oil"],
        ["SEP-B", "M-B", "oil"],
        // Commingled: both separators' oil reaches both tanks.
        ["M-A", "TK-1", "oil"],
        ["M-A", "TK-2", "oil"],
        ["M-B", "TK-1", "oil"],
        ["M-B", "TK-2", "oil"],
        ["TK-1", "SALES", "oil"],
        ["TK-2", "SALES", "oil"],
        ["SEP-A", "GM-A", "gas"],
        ["SEP-B", "GM-B", "gas"],
        ["GM-A", "GAS-SALES", "gas"],
        ["GM-B", "GAS-SALES", "gas"],
        ["SEP-A", "WM", "water"],
        ["SEP-B", "WM", "water"],
        ["WM", "DISPOSAL", "water"],
      ];
      for (const [from, to, stream] of connections) {
        await harness.assets.createConnection({ fromAssetId: id(from), toAssetId: id(to), stream }, ENGINEER);
      }

      const rates: Record<string, [string, string, string]> = { W1: ["30", "3000", "10"], W2: ["10", "1000", "10"], W3: ["20", "100", "0"], W4: ["30", "400", "30"] };
      for (const [well, [oil, gas, water]] of Object.entries(rates)) {
        const testId = newId();
        await harness.db.query(
          `INSERT INTO well_tests (id, site_id, well_id, site_asset_id, started_at, duration_hours, oil_rate_m3_per_day, gas_rate_sm3_per_day,
                                   water_rate_m3_per_day, status, decided_by, decided_at, source, created_by)
           VALUES ($1, $2, $3, $4, '2026-05-01T00:00:00Z', 12, $5, $6, $7, 'approved', $8, '2026-05-01T12:00:00Z', 'manual', $9)`,
          [testId, SITE_ID, id(well), id("NB-BAT"), oil, gas, water, ENGINEER, OPERATOR],
        );
        entryIds.set(`test ${well}`, testId);
      }
      await meterReading("M-A", "oil", "100");
      await meterReading("M-B", "oil", "50");
      await meterReading("GM-A", "gas", "1000");
      await meterReading("GM-B", "gas", "500");
      await meterReading("WM", "water", "40");
      // TK-1: 1000 → 1050 and 30 shipped = 80; TK-2: 2000 → 2064 = 64.
      await gauge("TK-1", `${DAY}T00:00:00Z`, 1000);
      await gauge("TK-1", "2026-06-02T00:00:00Z", 1050);
      await gauge("TK-2", `${DAY}T00:00:00Z`, 2000);
      await gauge("TK-2", "2026-06-02T00:00:00Z", 2064);
      const ticketId = newId();
      await harness.db.query(
        `INSERT INTO run_tickets (id, site_id, site_asset_id, tank_id, ticket_number, shipped_at, fluid, volume_m3, destination, carrier, source, created_by)
         VALUES ($1, $2, $3, $4, 'NB-1', '${DAY}T12:00:00Z', 'oil', 30, 'truck', 'Acme Haulage', 'manual', $5)`,
        [ticketId, SITE_ID, id("NB-BAT"), id("TK-1"), OPERATOR],
      );
      entryIds.set("ticket", ticketId);
    });

    after(async () => {
      await database?.drop();
    });

    it("allocates in stages: separator meters by theoretical volumes, the commingled tanks by the separators' allocations", async () => {
      const run = await harness.allocation.createRun({ siteAssetId: id("NB-BAT"), periodStart: DAY, periodEnd: DAY }, ENGINEER);
      const detail = await harness.allocation.getRun(run.id);
      const byWell = (fluid: Fluid) => Object.fromEntries(detail.results.filter((row) => row.fluid === fluid).map((row) => [row.wellCode, row.allocatedM3]));
      // Oil: M-A 100 → W1 75, W2 25; M-B 50 → W3 20, W4 30; tanks 80 + 64 = 144 by those (sum 150): × 0.96.
      assert.deepEqual(byWell("oil"), { W1: 72, W2: 24, W3: 19.2, W4: 28.8 });
      // Gas: GM-A 1000 by 3000 : 1000 → 750, 250; GM-B 500 by 100 : 400 → 100, 400.
      assert.deepEqual(byWell("gas"), { W1: 750, W2: 250, W3: 100, W4: 400 });
      // Water: WM 40 by 10 : 10 : 0 : 30 (sum 50) → 8, 8, 0, 24.
      assert.deepEqual(byWell("water"), { W1: 8, W2: 8, W3: 0, W4: 24 });
      assert.deepEqual((await allocatedSums(harness.db, run.id)).get(`${DAY} oil`), "144.000000");
      assert.deepEqual(run.totals.oil, { measuredM3: 144, allocatedM3: 144 });
      assert.deepEqual(run.totals.gas, { measuredM3: 1500, allocatedM3: 1500 });

      const stored = await harness.db.query<{ lineage: Lineage }>(
        "SELECT lineage FROM allocation_results WHERE run_id = $1 AND well_id = $2 AND fluid = 'oil'",
        [run.id, id("W3")],
      );
      const tankGauges = [`gauge TK-1 ${DAY}T00:00:00Z`, "gauge TK-1 2026-06-02T00:00:00Z", `gauge TK-2 ${DAY}T00:00:00Z`, "gauge TK-2 2026-06-02T00:00:00Z"]
        .map((key) => entryIds.get(key))
        .sort();
      assert.deepEqual(stored.rows[0]?.lineage, {
        wellTestId: entryIds.get("test W3"),
        stages: [
          { nodeCodes: ["M-B"], measuredM3: "50.000000", allocatedM3: "20.000000", meterReadingIds: [entryIds.get("reading M-B")], tankGaugeIds: [], runTicketIds: [] },
          { nodeCodes: ["TK-1", "TK-2"], measuredM3: "144.000000", allocatedM3: "19.200000", meterReadingIds: [], tankGaugeIds: tankGauges, runTicketIds: [entryIds.get("ticket")] },
        ],
      });

      // The run's detail (GET /production/allocation-runs/:id) gives the lineage with volumes as numbers.
      const w3 = detail.results.find((row) => row.wellCode === "W3" && row.fluid === "oil");
      assert.deepEqual(
        w3?.lineage?.stages.map((stage) => [stage.nodeCodes.join("+"), stage.measuredM3, stage.allocatedM3]),
        [
          ["M-B", 50, 20],
          ["TK-1+TK-2", 144, 19.2],
        ],
      );

      const inputs = await readRunInputs(harness.db, run.id);
      assert.deepEqual(
        inputs.measured.filter((row) => row.fluid === "oil"),
        [{ date: DAY, fluid: "oil", source: "network", volumeM3: "144.000000", allocated: true, stageKeys: ["oil:TK-1+TK-2"] }],
      );
      assert.deepEqual(
        inputs.stages?.filter((stage) => stage.fluid === "oil").map((stage) => [stage.stageKey, stage.measuredM3, stage.upstreamStageKeys]),
        [
          ["oil:M-A", "100.000000", []],
          ["oil:M-B", "50.000000", []],
          ["oil:TK-1+TK-2", "144.000000", ["oil:M-A", "oil:M-B"]],
        ],
      );
    });

    it("keeps site-level allocation for a site whose register has no connections", async () => {
      const bare = await harness.assets.create({ kind: "site", code: "NB-PAD", name: "Pad without connections", siteType: "pad", parentId: id("NB-F") }, ENGINEER);
      const well = await harness.assets.create({ kind: "well", code: "NB-PW1", name: "Pad well", parentId: bare.id, well: { liftType: "esp" } }, ENGINEER);
      const meter = await harness.assets.create(
        { kind: "equipment", code: "NB-PM", name: "Pad meter", parentId: bare.id, equipment: { equipmentType: "meter", meterService: "fiscal", fluid: "oil" } },
        ENGINEER,
      );
      await harness.db.query(
        `INSERT INTO meter_readings (id, site_id, meter_id, site_asset_id, production_date, fluid, volume_m3, source, created_by)
         VALUES ($1, $2, $3, $4, $5, 'oil', '12.5', 'manual', $6)`,
        [newId(), SITE_ID, meter.id, bare.id, DAY, OPERATOR],
      );
      await harness.db.query(
        `INSERT INTO well_tests (id, site_id, well_id, site_asset_id, started_at, duration_hours, oil_rate_m3_per_day, gas_rate_sm3_per_day,
                                 water_rate_m3_per_day, status, decided_by, decided_at, source, created_by)
         VALUES ($1, $2, $3, $4, '2026-05-01T00:00:00Z', 12, '10', '0', '0', 'approved', $5, '2026-05-01T12:00:00Z', 'manual', $6)`,
        [newId(), SITE_ID, well.id, bare.id, ENGINEER, OPERATOR],
      );
      const run = await harness.allocation.createRun({ siteAssetId: bare.id, periodStart: DAY, periodEnd: DAY }, ENGINEER);
      const inputs = await readRunInputs(harness.db, run.id);
      assert.equal(inputs.stages, undefined);
      assert.deepEqual(
        inputs.measured.map((row) => [row.fluid, row.source, row.volumeM3]),
        [["oil", "meters", "12.500000"]],
      );
      const lineage = await harness.db.query<{ lineage: unknown }>("SELECT lineage FROM allocation_results WHERE run_id = $1", [run.id]);
      assert.deepEqual(lineage.rows, [{ lineage: null }]);
      const [result] = (await harness.allocation.getRun(run.id)).results;
      assert.equal(result?.allocatedM3, 12.5);
      assert.equal("lineage" in result, false, "a site-level result has no lineage");
    });
  });
}
