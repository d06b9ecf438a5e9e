/**
 * EURange of the simulator's analog points: the span an instrument on such a
 * point would typically be ranged for, in the point's canonical unit. OPC UA
 * clients scale bar graphs with it and servers compute percent deadbands from
 * it (deadband = percent × (high − low) / 100).
 *
 * Only float points get one: counts, well numbers and booleans are not analog
 * values. A setpoint's range is the one the model accepts; a percentage is
 * 0–100; other measurements come from the tables below, keyed by asset id
 * (tanks have their own height) or asset kind. A point in none of them (the
 * bench's synthetic points) stays a plain variable.
 */
import type { AssetKind, SimAsset, SimPointDefinition } from "./model/types.js";

export interface EngineeringRange {
  low: number;
  high: number;
}

/** Oil tanks 8 m × Ø10 m (628 m3), produced-water tank 6 m × Ø8 m (302 m3): the model's geometry. */
const BY_ASSET: Readonly<Record<string, Readonly<Record<string, EngineeringRange>>>> = {
  "TK-01": { LEVEL: { low: 0, high: 8 }, VOLUME: { low: 0, high: 630 } },
  "TK-02": { LEVEL: { low: 0, high: 8 }, VOLUME: { low: 0, high: 630 } },
  "TK-W1": { LEVEL: { low: 0, high: 6 }, VOLUME: { low: 0, high: 310 } },
};

/** Spans with headroom over what the seeded field produces (e.g. THP 1–5 MPa, shut-in included; PIP 6.5–19 MPa). */
const BY_KIND: Readonly<Partial<Record<AssetKind, Readonly<Record<string, EngineeringRange>>>>> = {
  well: {
    THP: { low: 0, high: 10_000 },
    CHP: { low: 0, high: 10_000 },
    PIP: { low: 0, high: 25_000 },
    FLT: { low: 0, high: 150 },
    OIL_RATE: { low: 0, high: 500 },
    WATER_RATE: { low: 0, high: 500 },
    GAS_RATE: { low: 0, high: 100_000 },
    GL_INJ_RATE: { low: 0, high: 60_000 },
    FORMATION_GAS_RATE: { low: 0, high: 100_000 },
    ESP_FREQ: { low: 0, high: 70 },
    ESP_CURRENT: { low: 0, high: 100 },
    VIBRATION: { low: 0, high: 25 },
    SPM: { low: 0, high: 12 },
    LOAD_MAX: { low: 0, high: 150 },
  },
  manifold: {
    PRESSURE: { low: 0, high: 4000 },
    TEMPERATURE: { low: 0, high: 150 },
  },
  "test-separator": {
    PRESSURE: { low: 0, high: 2000 },
    OIL_OUT: { low: 0, high: 1000 },
    WATER_OUT: { low: 0, high: 1000 },
    GAS_OUT: { low: 0, high: 100_000 },
  },
  "production-separator": {
    PRESSURE: { low: 0, high: 2000 },
    OIL_OUT: { low: 0, high: 3000 },
    WATER_OUT: { low: 0, high: 3000 },
    GAS_OUT: { low: 0, high: 500_000 },
  },
  tank: {
    LEVEL: { low: 0, high: 10 },
    VOLUME: { low: 0, high: 1000 },
  },
  compressor: {
    SUCTION_P: { low: 0, high: 2000 },
    DISCHARGE_P: { low: 0, high: 15_000 },
    FLOW: { low: 0, high: 200_000 },
    SPEED: { low: 0, high: 1500 },
    POWER: { low: 0, high: 1000 },
  },
};

/** The EURange of a point, or undefined when it is not an analog value with a known span. */
export function engineeringRange(asset: SimAsset, point: SimPointDefinition): EngineeringRange | undefined {
  if (point.dataType !== "float") return undefined;
  if (point.writable && point.min !== undefined && point.max !== undefined) return { low: point.min, high: point.max };
  if (point.unit === "%") return { low: 0, high: 100 };
  return BY_ASSET[asset.id]?.[point.point] ?? BY_KIND[asset.kind]?.[point.point];
}
