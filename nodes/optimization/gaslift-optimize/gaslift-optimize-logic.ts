/**
 * What the gaslift-optimize node sends to the optimiser: msg.payload (a
 * gas-lift request, docs/optimization-gas-lift.md) completed by the node's
 * settings for what the message leaves out. Pure.
 */

export interface GasliftOptimizeConfig {
  objective?: string;
  /** Text fields from the editor: "" means "not set here". */
  availableGasSm3PerDay?: string | number;
  compressorCapacitySm3PerDay?: string | number;
  method?: string;
  timeLimitSeconds?: string | number;
  currency?: string;
  oilPricePerM3?: string | number;
  liftGasCostPerSm3?: string | number;
  waterHandlingCostPerM3?: string | number;
}

/** A number typed in the editor, or undefined when the field is empty; anything else is an error naming it. */
function configNumber(config: GasliftOptimizeConfig, key: keyof GasliftOptimizeConfig): number | undefined {
  const raw = config[key];
  if (raw === undefined || raw === "") return undefined;
  const value = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isFinite(value)) throw new Error(`node setting ${key} must be a number, got ${String(raw)}`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * msg.payload must be an object with `wells` (each with its curve). Its own
 * fields win; the node fills objective, gas available, compressor capacity,
 * prices and solver options it does not give. The result is checked by the
 * optimiser's schema, not here.
 */
export function requestOf(config: GasliftOptimizeConfig, payload: unknown): Record<string, unknown> {
  if (!isRecord(payload)) throw new Error("msg.payload must be a gas-lift request object with wells (and their curves)");
  const request: Record<string, unknown> = { ...payload };
  if (request.objective === undefined && config.objective) request.objective = config.objective;
  const available = configNumber(config, "availableGasSm3PerDay");
  if (request.availableGasSm3PerDay === undefined && available !== undefined) request.availableGasSm3PerDay = available;
  const compressor = configNumber(config, "compressorCapacitySm3PerDay");
  if (request.compressorCapacitySm3PerDay === undefined && compressor !== undefined) request.compressorCapacitySm3PerDay = compressor;
  if (request.prices === undefined && (request.objective ?? config.objective) === "net_value") {
    const oilPricePerM3 = configNumber(config, "oilPricePerM3");
    const liftGasCostPerSm3 = configNumber(config, "liftGasCostPerSm3");
    const waterHandlingCostPerM3 = configNumber(config, "waterHandlingCostPerM3");
    if (config.currency && oilPricePerM3 !== undefined) {
      request.prices = { currency: config.currency, oilPricePerM3, liftGasCostPerSm3: liftGasCostPerSm3 ?? 0, waterHandlingCostPerM3: waterHandlingCostPerM3 ?? 0 };
    }
  }
  const solver: Record<string, unknown> = isRecord(request.solver) ? { ...request.solver } : {};
  if (solver.method === undefined && config.method && config.method !== "auto") solver.method = config.method;
  const timeLimit = configNumber(config, "timeLimitSeconds");
  if (solver.timeLimitSeconds === undefined && timeLimit !== undefined) solver.timeLimitSeconds = timeLimit;
  if (Object.keys(solver).length > 0) request.solver = solver;
  return request;
}

/** The node's status after a solve: method, status and the oil gain. */
export function statusText(result: { status: string; method: string; expectedGain: { oilM3PerDay: number }; solveTimeMs: number }): string {
  const gain = result.expectedGain.oilM3PerDay;
  return `${result.method.toUpperCase()} ${result.status}: ${gain >= 0 ? "+" : ""}${gain.toFixed(1)} m3/d oil (${Math.round(result.solveTimeMs)} ms)`;
}
