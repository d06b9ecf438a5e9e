import type { Queryable } from "../../runtime/db/database.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import { fromNumeric } from "../shared/numeric.js";
import { readRunInputs } from "./allocation-service.js";
import type { Flag } from "./flag-schema.js";
import { allocationFactorFlags, checkMeterFlags, sortFlags, staleTestFlags, type FlagLimits, type ProductionFlag } from "./model/flags.js";
import type { Fluid } from "./model/measured-totals.js";

/*
 * Reads what the flags (model/flags.ts) decide on: a run's measured and
 * theoretical volumes and the tests it used, and the site's meter readings.
 */

function toFlag(flag: ProductionFlag, wellCodes: ReadonlyMap<string, string>): Flag {
  const none = { fluid: null, wellId: null, wellCode: null, min: null, checkM3: null, fiscalM3: null, testDate: null };
  switch (flag.kind) {
    case "check_meter_deviation":
      return { ...none, kind: flag.kind, date: flag.date, fluid: flag.fluid, value: flag.deviationPercent, max: flag.tolerancePercent, checkM3: flag.checkM3, fiscalM3: flag.fiscalM3 };
    case "allocation_factor":
      return { ...none, kind: flag.kind, date: flag.date, fluid: flag.fluid, value: flag.factor, min: flag.min, max: flag.max };
    case "stale_well_test":
      return {
        ...none,
        kind: flag.kind,
        date: flag.date,
        wellId: flag.wellId,
        wellCode: wellCodes.get(flag.wellId) ?? null,
        value: flag.ageDays,
        max: flag.validityDays,
        testDate: flag.testDate,
      };
  }
}

/**
 * The flags of the given days, each day judged by the run that is current
 * for it (runDays: run id → its days); check meters need no run.
 */
export async function readFlags(
  db: Queryable,
  assets: Pick<AssetLookup, "metersUnder" | "wellsUnder">,
  scope: { siteId: string; siteAssetId: string; days: readonly string[]; runDays: ReadonlyMap<string, readonly string[]> },
  limits: FlagLimits,
): Promise<Flag[]> {
  if (scope.days.length === 0) return [];
  const flags: ProductionFlag[] = [];
  for (const [runId, runDays] of scope.runDays) {
    const wanted = new Set(runDays);
    const inputs = await readRunInputs(db, runId);
    const theoretical = await db.query<{ production_date: string; fluid: Fluid; theoretical: string }>(
      `SELECT production_date::text AS production_date, fluid, sum(theoretical_m3)::text AS theoretical
         FROM allocation_results WHERE run_id = $1 AND production_date = ANY($2::date[]) GROUP BY production_date, fluid`,
      [runId, [...wanted]],
    );
    const theoreticalOf = new Map(theoretical.rows.map((row) => [`${row.production_date}|${row.fluid}`, fromNumeric(row.theoretical)]));
    flags.push(
      ...allocationFactorFlags(
        inputs.measured
          .filter((total) => wanted.has(total.date) && total.allocated)
          .map((total) => ({ date: total.date, fluid: total.fluid, measuredM3: fromNumeric(total.volumeM3), theoreticalM3: theoreticalOf.get(`${total.date}|${total.fluid}`) ?? 0 })),
        limits.allocationFactorMin,
        limits.allocationFactorMax,
      ),
    );
    const tests = await db.query<{ production_date: string; well_id: string; well_test_id: string; started_at: Date }>(
      `SELECT DISTINCT res.production_date::text AS production_date, res.well_id, res.well_test_id, t.started_at
         FROM allocation_results res JOIN well_tests t ON t.id = res.well_test_id
        WHERE res.run_id = $1 AND res.production_date = ANY($2::date[])`,
      [runId, [...wanted]],
    );
    flags.push(
      ...staleTestFlags(
        tests.rows.map((row) => ({ date: row.production_date, wellId: row.well_id, wellTestId: row.well_test_id, testStartedAt: new Date(row.started_at).toISOString() })),
        limits.wellTestValidityDays,
      ),
    );
  }

  const meters = await assets.metersUnder(scope.siteAssetId);
  if (meters.some((meter) => meter.meterService === "check")) {
    const serviceOf = new Map(meters.map((meter) => [meter.id, meter.meterService]));
    const readings = await db.query<{ production_date: string; fluid: Fluid; meter_id: string; volume_m3: string }>(
      `SELECT m.production_date::text AS production_date, m.fluid, m.meter_id, m.volume_m3::text AS volume_m3
         FROM meter_readings m
        WHERE m.site_id = $1 AND m.meter_id = ANY($2::uuid[]) AND m.production_date = ANY($3::date[])
          AND NOT EXISTS (SELECT 1 FROM entry_voids v WHERE v.entry_type = 'meter_reading' AND v.entry_id = m.id)`,
      [scope.siteId, [...serviceOf.keys()], [...scope.days]],
    );
    flags.push(
      ...checkMeterFlags(
        readings.rows.map((row) => ({ date: row.production_date, fluid: row.fluid, service: serviceOf.get(row.meter_id) ?? null, volumeM3: fromNumeric(row.volume_m3) })),
        limits.checkMeterTolerancePercent,
      ),
    );
  }
  const wellCodes = new Map((await assets.wellsUnder(scope.siteAssetId)).map((well) => [well.id, well.code]));
  return sortFlags(flags).map((flag) => toFlag(flag, wellCodes));
}
