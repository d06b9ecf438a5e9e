import type { TSchema, Static } from "@sinclair/typebox";
import { checkInput } from "../../runtime/input/schema-check.js";
import { inputRefused, invalidInput } from "../shared/service-error.js";
import {
  DEFAULT_B_BOUNDS,
  DEFAULT_DAYS_PER_YEAR,
  DEFAULT_OUTLIER_THRESHOLD,
  DcaFitRequestSchema,
  DcaForecastRequestSchema,
  DcaTypeCurveRequestSchema,
  MAX_FORECAST_POINTS,
  MAX_SERIES_POINTS,
  type DcaFitRequest,
  type DcaFitResult,
  type DcaFlag,
  type DcaForecastPoint,
  type DcaForecastRequest,
  type DcaForecastResult,
  type DcaModel,
  type DcaParameters,
  type DcaTypeCurveRequest,
  type DcaTypeCurveResult,
  type DeclineConventions,
} from "./dca-schema.js";
import { cumulativeAt, estimatedUltimateRecovery, rateAt, remainingReserves, switchTimeDays, type ArpsCurve } from "./model/arps.js";
import { nominalPerDay, nominalPerYear, secantEffectiveFromNominal, tangentEffectiveFromNominal } from "./model/decline-conventions.js";
import { assertIncreasingTimes, DcaInputProblem, fitDecline, type DeclineFit } from "./model/decline-fit.js";
import { buildTypeCurve } from "./model/type-curve.js";

/*
 * Decline-curve analysis as a service: stateless calculations over the pure
 * model (model/arps*.ts, model/decline-fit.ts, model/type-curve.ts), for the
 * API (dca-routes.ts), the nodes and other modules (stored forecasts). Every
 * input is checked here against the wire schemas, so a flow's message meets
 * the same rules as an API body. Errors are ServiceError invalid_input naming
 * the field (unprefixed: `points.3.timeDays`).
 */

function parse<T extends TSchema>(schema: T, input: unknown): Static<T> {
  const checked = checkInput(schema, input, "");
  if ("problem" in checked) throw inputRefused(checked.problem);
  return checked.value;
}

/** Runs model code, turning its input problems into ServiceErrors. */
function modelCall<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof DcaInputProblem) throw invalidInput(error.field, error.reason, error.params, error.message);
    throw error;
  }
}

/** The three conventions of a nominal decline per year (b = 0 for an exponential one). */
export function declineConventions(nominal: number, b: number): DeclineConventions {
  return {
    nominalPerYear: nominal,
    tangentEffectivePerYear: tangentEffectiveFromNominal(nominal),
    secantEffectivePerYear: secantEffectiveFromNominal(nominal, b),
  };
}

function modelB(model: DcaModel, given: number | undefined, field: string): number {
  if (model === "exponential") return 0;
  if (model === "harmonic") return 1;
  if (given === undefined) throw invalidInput(field, "required");
  return given;
}

/**
 * Checked internal curve of wire parameters (field names under `root`): b
 * filled in, terminal decline present only for modifiedHyperbolic and below
 * the initial decline.
 */
export function curveFromParameters(parameters: DcaParameters, daysPerYear: number, root = "parameters"): ArpsCurve {
  const b = modelB(parameters.model, parameters.bExponent, `${root}.bExponent`);
  const curve: ArpsCurve = {
    initialRatePerDay: parameters.initialRatePerDay,
    initialDeclinePerDay: nominalPerDay(parameters.initialDeclineNominalPerYear, daysPerYear),
    b,
  };
  const terminal = parameters.terminalDeclineNominalPerYear;
  if (parameters.model === "modifiedHyperbolic") {
    if (terminal === undefined) throw invalidInput(`${root}.terminalDeclineNominalPerYear`, "required");
    if (!(terminal < parameters.initialDeclineNominalPerYear)) {
      throw invalidInput(`${root}.terminalDeclineNominalPerYear`, "not_below", { limit: parameters.initialDeclineNominalPerYear });
    }
    curve.terminalDeclinePerDay = nominalPerDay(terminal, daysPerYear);
  } else if (terminal !== undefined) {
    throw invalidInput(`${root}.terminalDeclineNominalPerYear`, "not_allowed");
  }
  return curve;
}

/** Wire parameters of an internal curve. */
export function parametersFromCurve(model: DcaModel, curve: ArpsCurve, daysPerYear: number): DcaParameters {
  const parameters: DcaParameters = {
    model,
    initialRatePerDay: curve.initialRatePerDay,
    initialDeclineNominalPerYear: nominalPerYear(curve.initialDeclinePerDay, daysPerYear),
    bExponent: curve.b,
  };
  if (curve.terminalDeclinePerDay !== undefined) parameters.terminalDeclineNominalPerYear = nominalPerYear(curve.terminalDeclinePerDay, daysPerYear);
  return parameters;
}

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

function checkBounds(bMin: number, bMax: number): void {
  if (bMax < bMin) throw invalidInput("bMax", "before_field", { other: "bMin" }, "bMax must not be below bMin");
}

function fitResult(model: DcaModel, fit: DeclineFit, daysPerYear: number): DcaFitResult {
  const parameters = parametersFromCurve(model, fit.curve, daysPerYear);
  return {
    parameters,
    referenceTimeDays: fit.referenceTimeDays,
    daysPerYear,
    initialDecline: declineConventions(parameters.initialDeclineNominalPerYear, fit.curve.b),
    goodness: fit.goodness,
    excluded: fit.excluded,
    flags: fit.flags,
    iterations: fit.iterations,
  };
}

/** Terminal decline per day of a fit or type-curve request, checked. */
function terminalDeclineOf(model: DcaModel, terminal: number | undefined, daysPerYear: number): number | undefined {
  if (model !== "modifiedHyperbolic") {
    if (terminal !== undefined) throw invalidInput("terminalDeclineNominalPerYear", "not_allowed");
    return undefined;
  }
  if (terminal === undefined) throw invalidInput("terminalDeclineNominalPerYear", "required");
  return nominalPerDay(terminal, daysPerYear);
}

/**
 * Each method takes its request as the wire schema types it, but checks it
 * again (a node passes what a message carries), filling the defaults.
 */
export class DcaService {
  /** Rates, cumulatives, EUR, time to the economic limit and remaining reserves of one curve. */
  forecast(input: DcaForecastRequest): DcaForecastResult {
    const request = parse(DcaForecastRequestSchema, input);
    const daysPerYear = request.daysPerYear ?? DEFAULT_DAYS_PER_YEAR;
    const curve = curveFromParameters(request.parameters, daysPerYear);
    const steps = Math.ceil(request.horizonDays / request.stepDays - 1e-9);
    if (steps + 1 > MAX_FORECAST_POINTS) {
      throw invalidInput(
        "stepDays",
        "too_many_points",
        { count: steps + 1, limit: MAX_FORECAST_POINTS },
        `stepDays would give ${steps + 1} points, more than ${MAX_FORECAST_POINTS}`,
      );
    }
    const points: DcaForecastPoint[] = [];
    for (let k = 0; k <= steps; k++) {
      const t = Math.min(k * request.stepDays, request.horizonDays);
      points.push({ timeDays: t, ratePerDay: rateAt(curve, t), cumulativeVolume: cumulativeAt(curve, t) });
    }
    const limits = { economicLimitRatePerDay: request.economicLimitRatePerDay, timeLimitDays: request.timeLimitDays };
    const eur = estimatedUltimateRecovery(curve, limits);
    const flags: DcaFlag[] = [];
    if (curve.b > 1) flags.push("b_above_one");
    if (!Number.isFinite(eur.volume)) flags.push("eur_unbounded");
    const limitRate = request.economicLimitRatePerDay;
    if (limitRate !== undefined && limitRate >= curve.initialRatePerDay) flags.push("initial_rate_below_economic_limit");
    if (limitRate !== undefined && eur.timeToEconomicLimitDays > request.horizonDays) flags.push("economic_limit_not_reached");
    const eurVolume = finiteOrNull(eur.volume);
    const parameters = parametersFromCurve(request.parameters.model, curve, daysPerYear);
    // Echo what was given, not its round trip through per-day units.
    parameters.initialDeclineNominalPerYear = request.parameters.initialDeclineNominalPerYear;
    if (request.parameters.terminalDeclineNominalPerYear !== undefined) {
      parameters.terminalDeclineNominalPerYear = request.parameters.terminalDeclineNominalPerYear;
    }
    return {
      parameters,
      daysPerYear,
      initialDecline: declineConventions(parameters.initialDeclineNominalPerYear, curve.b),
      terminalDecline: parameters.terminalDeclineNominalPerYear === undefined ? null : declineConventions(parameters.terminalDeclineNominalPerYear, 0),
      switchTimeDays: switchTimeDays(curve),
      timeToEconomicLimitDays: limitRate === undefined ? null : finiteOrNull(eur.timeToEconomicLimitDays),
      eurVolume,
      eurLimitedBy: eur.limitedBy,
      eurTimeDays: finiteOrNull(eur.timeDays),
      remainingVolume: request.asOfDays === undefined || eurVolume === null ? null : remainingReserves(curve, eur, request.asOfDays),
      points,
      flags,
    };
  }

  /** Fits a model to a rate history: parameters, goodness of fit, every excluded point with its reason. */
  fit(input: DcaFitRequest): DcaFitResult {
    const request = parse(DcaFitRequestSchema, input);
    const daysPerYear = request.daysPerYear ?? DEFAULT_DAYS_PER_YEAR;
    const model = request.model ?? "hyperbolic";
    const bMin = request.bMin ?? DEFAULT_B_BOUNDS.min;
    const bMax = request.bMax ?? DEFAULT_B_BOUNDS.max;
    checkBounds(bMin, bMax);
    const terminalDeclinePerDay = terminalDeclineOf(model, request.terminalDeclineNominalPerYear, daysPerYear);
    return modelCall(() => {
      assertIncreasingTimes(request.points, "points");
      const fit = fitDecline(request.points, {
        model,
        bMin,
        bMax,
        terminalDeclinePerDay,
        windowStartDays: request.windowStartDays,
        rejectOutliers: request.rejectOutliers ?? true,
        outlierThreshold: request.outlierThreshold ?? DEFAULT_OUTLIER_THRESHOLD,
      });
      return fitResult(model, fit, daysPerYear);
    });
  }

  /** P10/P50/P90 of several wells' normalised rates, and an Arps curve fitted to the P50. */
  typeCurve(input: DcaTypeCurveRequest): DcaTypeCurveResult {
    const request = parse(DcaTypeCurveRequestSchema, input);
    const daysPerYear = request.daysPerYear ?? DEFAULT_DAYS_PER_YEAR;
    const model = request.model ?? "hyperbolic";
    const bMin = request.bMin ?? DEFAULT_B_BOUNDS.min;
    const bMax = request.bMax ?? DEFAULT_B_BOUNDS.max;
    const binDays = request.binDays ?? 30.4375;
    checkBounds(bMin, bMax);
    const terminalDeclinePerDay = terminalDeclineOf(model, request.terminalDeclineNominalPerYear, daysPerYear);
    const total = request.wells.reduce((sum, well) => sum + well.points.length, 0);
    if (total > MAX_SERIES_POINTS) {
      throw invalidInput("wells", "too_many_points", { count: total, limit: MAX_SERIES_POINTS }, `wells have ${total} points, more than ${MAX_SERIES_POINTS}`);
    }
    return modelCall(() => {
      request.wells.forEach((well, i) => {
        assertIncreasingTimes(well.points, `wells.${i}.points`);
        if (!well.points.some((point) => point.flag === undefined && point.ratePerDay > 0)) {
          throw new DcaInputProblem(`wells.${i}.points`, "too_few_items", { limit: 1 }, `wells.${i}.points has no usable point (all flagged or zero)`);
        }
      });
      const curve = buildTypeCurve(request.wells, { binDays, maxTimeSincePeakDays: request.maxTimeSincePeakDays, minWellsPerBin: request.minWellsPerBin ?? 3 });
      const p50Points = curve.bins.flatMap((bin) => (bin.p50NormalisedRate !== null && bin.p50NormalisedRate > 0 ? [{ timeDays: bin.timeSincePeakDays, ratePerDay: bin.p50NormalisedRate }] : []));
      const p50Fit =
        p50Points.length >= 3
          ? fitResult(
              model,
              // Percentile curves are already smooth: no outlier rejection, the window is every bin.
              fitDecline(p50Points, { model, bMin, bMax, terminalDeclinePerDay, windowStartDays: p50Points[0]?.timeDays, rejectOutliers: false, outlierThreshold: DEFAULT_OUTLIER_THRESHOLD }),
              daysPerYear,
            )
          : null;
      return { binDays, bins: curve.bins, wells: curve.wells, p50Fit };
    });
  }
}
