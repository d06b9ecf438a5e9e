/*
 * What an ipr-curve node asks the reservoir module for, from its config and
 * a message (pure; the service validates the request against
 * IprRequestSchema and answers 400-style errors naming the field).
 */

export interface IprCurveConfig {
  method?: unknown;
  /** A well id, or `code:WELL-101` (looked up in this install's register). */
  wellId?: unknown;
  reservoirPressureKpa?: unknown;
  bubblePointKpa?: unknown;
  curveSteps?: unknown;
}

const METHODS = ["vogel", "fetkovich", "composite"];

/** A number from a config field: the editor stores what was typed as text; blank is "not set". */
function configNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return undefined;
  const parsed = typeof value === "string" ? Number(value) : value;
  if (typeof parsed !== "number" || !Number.isFinite(parsed)) throw new Error(`${field} in the node's settings is not a number: ${JSON.stringify(value)}`);
  return parsed;
}

/** The well code a config's wellId (`code:WELL-101`) or a payload's wellCode names, to be looked up before requestOf. */
export function wellCodeOf(config: IprCurveConfig, payload: unknown): string | undefined {
  if (typeof payload === "object" && payload !== null && typeof (payload as { wellCode?: unknown }).wellCode === "string") {
    return (payload as { wellCode: string }).wellCode;
  }
  if (typeof config.wellId === "string" && config.wellId.startsWith("code:")) return config.wellId.slice("code:".length).trim();
  return undefined;
}

/**
 * The request: the node's settings as defaults, msg.payload's fields over
 * them (a payload that is not an object only triggers the node). A wellCode
 * is replaced by `wellIdOfCode`, the id looked up for it.
 */
export function requestOf(config: IprCurveConfig, msg: { payload?: unknown }, wellIdOfCode?: string | null): Record<string, unknown> {
  const request: Record<string, unknown> = {};
  if (typeof config.method === "string" && METHODS.includes(config.method)) request.method = config.method;
  if (typeof config.wellId === "string" && config.wellId.trim() !== "" && !config.wellId.startsWith("code:")) request.wellId = config.wellId.trim();
  const reservoirPressureKpa = configNumber(config.reservoirPressureKpa, "reservoirPressureKpa");
  if (reservoirPressureKpa !== undefined) request.reservoirPressureKpa = reservoirPressureKpa;
  const bubblePointKpa = configNumber(config.bubblePointKpa, "bubblePointKpa");
  if (bubblePointKpa !== undefined) request.bubblePointKpa = bubblePointKpa;
  const curveSteps = configNumber(config.curveSteps, "curveSteps");
  if (curveSteps !== undefined) request.curveSteps = curveSteps;
  const payload = typeof msg.payload === "object" && msg.payload !== null && !Array.isArray(msg.payload) ? (msg.payload as Record<string, unknown>) : {};
  const { wellCode, ...fields } = payload;
  Object.assign(request, fields);
  const code = wellCodeOf(config, msg.payload);
  if (code !== undefined) {
    if (!wellIdOfCode) throw new Error(`no well with code ${code} in this site's asset register`);
    // A payload's wellCode names the well; the config's code: is a default like its other settings.
    if (wellCode !== undefined || request.wellId === undefined) request.wellId = wellIdOfCode;
  }
  return request;
}

/** The node's status after a curve: the method and the AOF, in the canonical unit. */
export function statusText(result: { method: string; aofM3PerDay: number }): string {
  return `${result.method}: AOF ${result.aofM3PerDay.toFixed(1)} m3/d`;
}
