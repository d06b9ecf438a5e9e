/**
 * What the DCA nodes send to the reservoir service, pure: the request from
 * the node's config and the message. The message wins over the node where
 * both say something; the service checks the result against the same
 * schemas as the API (erp-modules/reservoir/dca-schema.ts).
 */
import type { DcaFitRequest, DcaForecastRequest, DcaParameters } from "../../../erp-modules/reservoir/dca-schema.js";

/** The dca-fit node's settings, as the editor stores them (numbers may arrive as text). */
export interface DcaFitConfig {
  model?: string;
  bMin?: string | number;
  bMax?: string | number;
  terminalDeclineNominalPerYear?: string | number;
  rejectOutliers?: boolean;
  outlierThreshold?: string | number;
}

/** The dca-forecast node's settings. */
export interface DcaForecastConfig {
  horizonDays?: string | number;
  stepDays?: string | number;
  economicLimitRatePerDay?: string | number;
  timeLimitDays?: string | number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** A number from the editor: blank is "not set"; anything else must be a finite number. */
function configNumber(value: string | number | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) throw new Error(`${name} must be a number, not ${JSON.stringify(value)}`);
  return number;
}

/** Keeps only the keys whose value is set, so the service's defaults apply to the rest. */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * msg.payload is the rate history, an array of {timeDays, ratePerDay,
 * flag?}, or a whole fit request ({points, ...}); the node's settings fill
 * what the message leaves out.
 */
export function fitRequestOf(config: DcaFitConfig, msg: Record<string, unknown>): DcaFitRequest {
  const payload = msg.payload;
  const fromMessage: Record<string, unknown> = Array.isArray(payload) ? { points: payload } : isRecord(payload) ? payload : {};
  if (!("points" in fromMessage)) throw new Error("msg.payload must be the rate history (an array of {timeDays, ratePerDay, flag?}) or a fit request with points");
  const fromNode = defined({
    model: config.model || undefined,
    bMin: configNumber(config.bMin, "bMin"),
    bMax: configNumber(config.bMax, "bMax"),
    terminalDeclineNominalPerYear: config.model === "modifiedHyperbolic" ? configNumber(config.terminalDeclineNominalPerYear, "terminalDeclineNominalPerYear") : undefined,
    rejectOutliers: config.rejectOutliers,
    outlierThreshold: configNumber(config.outlierThreshold, "outlierThreshold"),
  });
  // The service validates the shape (points, flags, bounds) and names the field it refuses.
  return { ...fromNode, ...fromMessage } as DcaFitRequest;
}

/**
 * msg.payload is a curve's parameters ({model, initialRatePerDay, ...}), a
 * fit result (its parameters are used: wire dca-fit into dca-forecast), or a
 * whole forecast request ({parameters, horizonDays, ...}).
 */
export function forecastRequestOf(config: DcaForecastConfig, msg: Record<string, unknown>): DcaForecastRequest {
  const payload = msg.payload;
  if (!isRecord(payload)) throw new Error("msg.payload must be the curve's parameters, a dca-fit result or a forecast request");
  const fromNode = defined({
    horizonDays: configNumber(config.horizonDays, "horizonDays"),
    stepDays: configNumber(config.stepDays, "stepDays"),
    economicLimitRatePerDay: configNumber(config.economicLimitRatePerDay, "economicLimitRatePerDay"),
    timeLimitDays: configNumber(config.timeLimitDays, "timeLimitDays"),
  });
  if ("horizonDays" in payload || "stepDays" in payload) return { ...fromNode, ...payload } as DcaForecastRequest;
  const parameters = "parameters" in payload ? payload.parameters : payload;
  // A fit result carries its daysPerYear: the forecast reads its declines with the same year.
  const daysPerYear = typeof payload.daysPerYear === "number" ? { daysPerYear: payload.daysPerYear } : {};
  return { ...fromNode, ...daysPerYear, parameters: parameters as DcaParameters } as DcaForecastRequest;
}
