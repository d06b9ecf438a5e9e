import assert from "node:assert/strict";
import fc from "fast-check";
import { fromUnits, theoreticalVolume, toUnits } from "../../../../erp-modules/production/model/allocation.js";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { ENGINEER, allocatedSums, createHarness, createSite, resultRowsText, runRowText, type Harness } from "./allocation-fixtures.js";

const FLUIDS = ["oil", "gas", "water"] as const;
const DAYS = ["2026-06-01", "2026-06-02", "2026-06-03"];

/** A volume or rate as an exact decimal with 6 places, from integer micro-units. */
const decimal = (maxUnits: number) => fc.integer({ min: 0, max: maxUnits }).map((units) => fromUnits(BigInt(units)));

const wellArbitrary = fc.record({
  // null: the well has no approved test.
  rates: fc.option(fc.record({ oil: decimal(800e6), gas: decimal(90_000e6), water: decimal(800e6) }), { nil: null }),
  // Downtime per day in quarter hours from 00:00 (96 = down all day).
  downQuarterHours: fc.array(fc.integer({ min: 0, max: 96 }), { minLength: DAYS.length, maxLength: DAYS.length }),
});

// Per day and fluid: a measured volume, or null for no meter reading.
const measuredArbitrary = fc.array(fc.array(fc.option(decimal(20_000e6), { nil: null }), { minLength: 3, maxLength: 3 }), {
  minLength: DAYS.length,
  maxLength: DAYS.length,
});

const scenario = fc.record({
  wells: fc.array(wellArbitrary, { minLength: 1, maxLength: 5 }),
  measured: measuredArbitrary,
  // The restatement re-reads one day's oil.
  correctedOil: decimal(20_000e6),
  correctedDay: fc.integer({ min: 0, max: DAYS.length - 1 }),
});

const pglite = databaseTargets.find((target) => target.name === "pglite");

describe("allocation through the database, property-based (PGlite)", function () {
  this.timeout(300_000);
  let database: TestDatabase | undefined;
  let harness: Harness;

  before(async () => {
    if (!pglite) throw new Error("no PGlite target");
    database = await pglite.create();
    harness = await createHarness(database.db);
  });

  after(async () => {
    await database?.drop();
  });

  it("stores allocations that sum exactly to the measured totals, never negative; a restatement leaves the earlier run unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ wells, measured, correctedOil, correctedDay }) => {
        const site = await createSite(harness, wells.length);
        const theoreticalByDay = DAYS.map(() => ({ oil: false, gas: false, water: false }));
        for (const [index, well] of wells.entries()) {
          const wellId = site.wells[index].id;
          if (well.rates) await site.approvedTest(wellId, "2026-05-01T00:00:00Z", well.rates);
          for (const [dayIndex, quarters] of well.downQuarterHours.entries()) {
            if (quarters > 0) {
              const start = Date.parse(`${DAYS[dayIndex]}T00:00:00Z`);
              await site.downtime(wellId, new Date(start).toISOString(), new Date(start + quarters * 900_000).toISOString());
            }
            for (const fluid of FLUIDS) {
              const rate = well.rates?.[fluid] ?? "0";
              if (toUnits(theoreticalVolume(rate, 24 - quarters / 4)) > 0n) theoreticalByDay[dayIndex][fluid] = true;
            }
          }
        }
        for (const [dayIndex, volumes] of measured.entries()) {
          for (const [fluidIndex, volume] of volumes.entries()) {
            if (volume !== null) await site.meterReading(DAYS[dayIndex], FLUIDS[fluidIndex], volume);
          }
        }

        const run = await harness.allocation.createRun({ siteAssetId: site.siteId, periodStart: DAYS[0], periodEnd: DAYS[DAYS.length - 1] }, ENGINEER);
        const sums = await allocatedSums(harness.db, run.id);
        for (const [dayIndex, volumes] of measured.entries()) {
          for (const [fluidIndex, volume] of volumes.entries()) {
            const key = `${DAYS[dayIndex]} ${FLUIDS[fluidIndex]}`;
            const hasBasis = theoreticalByDay[dayIndex][FLUIDS[fluidIndex]];
            if (volume === null || (!hasBasis && toUnits(volume) > 0n)) {
              assert.equal(sums.get(key), undefined, `${key}: nothing to allocate or no basis, no results`);
            } else {
              assert.equal(sums.get(key), volume, `${key}: allocated sum equals the measured total exactly`);
            }
          }
        }
        const negative = await harness.db.query("SELECT 1 FROM allocation_results WHERE run_id = $1 AND (allocated_m3 < 0 OR theoretical_m3 < 0)", [run.id]);
        assert.equal(negative.rows.length, 0);

        const runBefore = await runRowText(harness.db, run.id);
        const rowsBefore = await resultRowsText(harness.db, run.id);
        await site.meterReading(DAYS[correctedDay], "oil", correctedOil);
        const restated = await harness.allocation.createRun(
          { siteAssetId: site.siteId, periodStart: DAYS[correctedDay], periodEnd: DAYS[correctedDay], reason: "oil re-read" },
          ENGINEER,
        );
        assert.equal(restated.version, 2);
        assert.equal(restated.restates, run.id);
        assert.equal(await runRowText(harness.db, run.id), runBefore);
        assert.deepEqual(await resultRowsText(harness.db, run.id), rowsBefore);
        const restatedOil = (await allocatedSums(harness.db, restated.id)).get(`${DAYS[correctedDay]} oil`);
        const oilHasBasis = theoreticalByDay[correctedDay].oil;
        assert.equal(restatedOil, oilHasBasis || toUnits(correctedOil) === 0n ? correctedOil : undefined);
      }),
      { numRuns: 15 },
    );
  });
});
