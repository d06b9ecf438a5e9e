import { parseInput } from "../production/entry-service.js";
import type { WellTest } from "../production/schema.js";
import type { ErpContext } from "../shared/module-context.js";
import { invalidInput } from "../shared/service-error.js";
import { createOilfield } from "../../simulator/model/oilfield.js";
import { fitGasLiftCurve, isConcaveCurve, resampleFittedCurve, type GasLiftTestPoint } from "./model/gas-lift-curve.js";
import { checkGasLiftRequest } from "./model/gas-lift-request-check.js";
import {
  GasLiftCurvesQuerySchema,
  GasLiftOptimizationRequestSchema,
  type GasLiftCurvesQuery,
  type GasLiftOptimizationResult,
  type GasLiftSiteCurves,
  type GasLiftSiteWell,
} from "./gas-lift-schema.js";
import { sharedGasLiftSolver, type GasLiftSolver } from "./gas-lift-solver.js";
import type { OptimizationDependencies } from "./service.js";

/** Resampled curves have this many points unless the query says otherwise. */
export const DEFAULT_CURVE_POINTS = 20;
/** Approved tests read per well: the newest ones describe today's well. */
const TESTS_PER_WELL = 50;

/**
 * Gas-lift allocation (issue 11): the stateless optimiser over curves given in
 * the request, and the curves of a site's gas-lift wells built from their
 * approved well tests (or from the simulator's curve function on a demo site).
 * Stores nothing: stored runs, approval and setpoint writes build on it.
 */
export class GasLiftService {
  constructor(
    private readonly context: ErpContext,
    private readonly dependencies: OptimizationDependencies,
    private readonly solver: GasLiftSolver = sharedGasLiftSolver(),
  ) {}

  /**
   * Validates (TypeBox, then the rules a schema cannot say: increasing
   * injections, min ≤ max, prices for net_value, unique wells; a ServiceError
   * invalid_input naming the field) and solves in the worker. Rejects with
   * GasLiftSolverError on a timeout or a crashed worker. `root` prefixes the
   * field names (the route passes `body`, like its schema check).
   */
  optimize(raw: unknown, root = ""): Promise<GasLiftOptimizationResult> {
    return optimizeGasLift(raw, this.solver, root);
  }

  /**
   * One entry per gas-lift well under the site, ordered by code: a curve of
   * `points` points from 0 to the largest tested injection, fitted to the
   * well's approved tests that carry a lift-gas injection (at least 3 distinct
   * injections, else `problem: too_few_tests`), or read from the simulator.
   */
  async curvesForSite(raw: GasLiftCurvesQuery): Promise<GasLiftSiteCurves> {
    const query = parseInput(GasLiftCurvesQuerySchema, raw);
    const site = await this.dependencies.assets.getAsset(query.siteAssetId);
    if (!site) throw invalidInput("siteAssetId", "not_an_asset");
    if (site.kind !== "site") throw invalidInput("siteAssetId", "not_a_site");
    const wells = (await this.dependencies.assets.wellsUnder(site.id)).filter((well) => well.liftType === "gas_lift");
    const points = query.points ?? DEFAULT_CURVE_POINTS;
    const source = query.source ?? "well_tests";
    const entries: GasLiftSiteWell[] = [];
    if (source === "simulator") {
      const simulated = simulatorCurves(query.simulatorSeed ?? 1, points);
      for (const well of wells) {
        const found = simulated.get(well.code);
        entries.push({
          wellId: well.id,
          code: well.code,
          name: well.name,
          curve: found?.curve ?? null,
          concave: found ? isConcaveCurve(found.curve, (point) => point.oilM3PerDay) : null,
          currentInjectionSm3PerDay: found?.currentInjectionSm3PerDay ?? null,
          testIds: [],
          latestTestAt: null,
          oilFit: null,
          waterFit: null,
          problem: found ? null : "not_in_simulator",
        });
      }
    } else {
      for (const well of wells) entries.push(await this.curveFromTests(site.id, well, points));
    }
    this.context.logger.debug({ siteAssetId: site.id, source, wells: entries.length }, "gas-lift curves built");
    return { siteAssetId: site.id, source, wells: entries };
  }

  private async curveFromTests(siteAssetId: string, well: { id: string; code: string; name: string }, points: number): Promise<GasLiftSiteWell> {
    const page = await this.dependencies.production.entries.listWellTests({ siteAssetId, wellId: well.id, status: "approved", limit: TESTS_PER_WELL });
    const tests = page.items.filter((test): test is WellTest & { liftGasInjectionSm3PerDay: number } => test.liftGasInjectionSm3PerDay !== null);
    const latest = tests[0];
    const base = {
      wellId: well.id,
      code: well.code,
      name: well.name,
      testIds: tests.map((test) => test.id),
      latestTestAt: latest?.startedAt ?? null,
      currentInjectionSm3PerDay: latest?.liftGasInjectionSm3PerDay ?? null,
    };
    const testPoints: GasLiftTestPoint[] = tests.map((test) => ({
      injectionSm3PerDay: test.liftGasInjectionSm3PerDay,
      oilM3PerDay: test.oilRateM3PerDay,
      waterM3PerDay: test.waterRateM3PerDay,
    }));
    const fit = fitGasLiftCurve(testPoints);
    if (!fit) return { ...base, curve: null, concave: null, oilFit: null, waterFit: null, problem: "too_few_tests" };
    const curve = resampleFittedCurve(fit, points);
    return { ...base, curve, concave: isConcaveCurve(curve, (point) => point.oilM3PerDay), oilFit: fit.oil, waterFit: fit.water, problem: null };
  }
}

/**
 * GasLiftService.optimize without a service: validate, then solve. The
 * gaslift-optimize node calls it (it needs no database).
 */
export async function optimizeGasLift(raw: unknown, solver: GasLiftSolver = sharedGasLiftSolver(), root = ""): Promise<GasLiftOptimizationResult> {
  const request = parseInput(GasLiftOptimizationRequestSchema, raw, root);
  const problem = checkGasLiftRequest(request, root);
  if (problem) throw invalidInput(problem.field, problem.reason, problem.params);
  return solver.solve(request);
}

/** The simulator's gas-lift wells' curves (at its start: no decline yet), by well code. */
function simulatorCurves(seed: number, points: number) {
  const oilfield = createOilfield({ seed, eventsPerDay: 0, startTime: 0 });
  const curves = new Map<string, { curve: { injectionSm3PerDay: number; oilM3PerDay: number; waterM3PerDay: number }[]; currentInjectionSm3PerDay: number }>();
  for (const asset of oilfield.assets) {
    if (asset.liftType !== "gas_lift") continue;
    const curve = oilfield.gasLiftCurve(asset.id, points);
    const setpoint = oilfield.read(asset.id, "GL_INJ_SP");
    curves.set(asset.id, { curve, currentInjectionSm3PerDay: typeof setpoint === "number" ? setpoint : 0 });
  }
  return curves;
}
