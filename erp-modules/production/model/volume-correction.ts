/**
 * Volume correction of crude oil for temperature (CTL), gross and net
 * standard volume. Pure math, no I/O.
 *
 * Implemented from the published equations of API MPMS Chapter 11.1 (2004) /
 * ASTM D1250-04 / IP 200/04 for generalized crude oils (commodity group A):
 *
 *   alpha60 = K0 / rho60² + K1 / rho60 + K2        (K0 = 341.0957, K1 = K2 = 0)
 *   CTL     = exp(−alpha60 · Δt · (1 + 0.8 · alpha60 · (Δt + δ60)))
 *
 * with Δt = t − 60.0068749 °F and δ60 = 0.01374979547 °F. The equations were
 * fitted on the IPTS-68 temperature scale while thermometers read ITS-90, so,
 * as the 2004 standard does, the observed temperature is shifted to IPTS-68
 * (the standard's eight-term polynomial in t/630 °C) and the input density
 * at 60 °F (ITS-90) is shifted to its IPTS-68 equivalent before alpha60 is
 * taken. Base density is found from an observed density by iteration, as the
 * standard does for hydrometer and densitometer readings (Tables 5A/53A
 * style). A 15 °C base (Tables 53A/54A style) goes through the 60 °F
 * equations: the density at 15 °C is a density "observed" at 59 °F, and the
 * CTL to 15 °C is CTL(t) / CTL(15 °C), both relative to 60 °F.
 *
 * Range (crude oils, 2004 standard), refused outside with
 * VolumeCorrectionRangeError: density at 60 °F 610.6 to 1163.5 kg/m³
 * (about 100 to −10 °API), temperature −58 to 302 °F (−50 to 150 °C).
 *
 * Not implemented: the pressure correction CPL (tanks and trucks are
 * atmospheric, CPL = 1). The hydrometer glass correction is a separate
 * function (the 2004 standard leaves it out): observed densities and
 * gravities are taken as a densitometer or a corrected hydrometer gives them.
 * Nor is the standard's rounding of inputs (0.1 °F, 0.05 °C, 0.1 kg/m³): inputs are
 * taken as given and CTL is rounded to 5 decimals, as the standard reports it.
 */

export type OilVolumeBase = "15C" | "60F";

/** An input outside the range the standard covers; `field` names the input. */
export class VolumeCorrectionRangeError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "VolumeCorrectionRangeError";
  }
}

const CRUDE_K0 = 341.0957;
/** Density of water at 60 °F used by the API gravity definition in the 2004 standard. */
const WATER_DENSITY_60F_KG_PER_M3 = 999.016;
/** 60 °F on ITS-90 read on IPTS-68, and the matching offset in the CTL equation. */
const BASE_60F_IPTS68_DEG_F = 60.0068749;
const DELTA_60_DEG_F = 0.01374979547;

export const CRUDE_DENSITY_60F_MIN_KG_PER_M3 = 610.6;
export const CRUDE_DENSITY_60F_MAX_KG_PER_M3 = 1163.5;
export const CRUDE_TEMPERATURE_MIN_DEG_F = -58;
export const CRUDE_TEMPERATURE_MAX_DEG_F = 302;

/** Coefficients of the ITS-90 → IPTS-68 temperature difference, a1..a8 in (t°C / 630)^1..8. */
const ITS90_TO_IPTS68 = [-0.148759, -0.267408, 1.08076, 1.269056, -4.089591, -1.871251, 7.438081, -3.536296];

const CTL_DECIMALS = 5;
const ITERATION_LIMIT = 50;
const ITERATION_TOLERANCE_KG_PER_M3 = 1e-9;

export function degFFromDegC(temperatureDegC: number): number {
  return temperatureDegC * 1.8 + 32;
}

export function degCFromDegF(temperatureDegF: number): number {
  return (temperatureDegF - 32) / 1.8;
}

/** °API from a density in kg/m³ (at 60 °F for gravity at 60 °F, or at the observed temperature for an observed reading). */
export function apiGravityFromDensityKgPerM3(densityKgPerM3: number): number {
  finite(densityKgPerM3, "densityKgPerM3");
  if (densityKgPerM3 <= 0) throw new VolumeCorrectionRangeError("densityKgPerM3 must be positive", "densityKgPerM3");
  return (141.5 * WATER_DENSITY_60F_KG_PER_M3) / densityKgPerM3 - 131.5;
}

/** Density in kg/m³ from °API, the inverse of apiGravityFromDensityKgPerM3. */
export function densityKgPerM3FromApiGravity(apiGravity: number): number {
  finite(apiGravity, "apiGravity");
  if (apiGravity <= -131.5) throw new VolumeCorrectionRangeError("apiGravity must be above -131.5", "apiGravity");
  return (141.5 * WATER_DENSITY_60F_KG_PER_M3) / (apiGravity + 131.5);
}

function finite(value: number, field: string): void {
  if (!Number.isFinite(value)) throw new VolumeCorrectionRangeError(`${field} must be a finite number`, field);
}

function checkDensity60(density60KgPerM3: number, field: string): void {
  finite(density60KgPerM3, field);
  if (density60KgPerM3 < CRUDE_DENSITY_60F_MIN_KG_PER_M3 || density60KgPerM3 > CRUDE_DENSITY_60F_MAX_KG_PER_M3) {
    throw new VolumeCorrectionRangeError(
      `${field}: crude density at 60 °F ${density60KgPerM3.toFixed(1)} kg/m³ is outside the API MPMS 11.1 range ` +
        `${CRUDE_DENSITY_60F_MIN_KG_PER_M3}–${CRUDE_DENSITY_60F_MAX_KG_PER_M3} kg/m³ (about 100 to −10 °API)`,
      field,
    );
  }
}

function checkTemperature(temperatureDegF: number, field: string): void {
  finite(temperatureDegF, field);
  if (temperatureDegF < CRUDE_TEMPERATURE_MIN_DEG_F || temperatureDegF > CRUDE_TEMPERATURE_MAX_DEG_F) {
    throw new VolumeCorrectionRangeError(
      `${field}: ${temperatureDegF.toFixed(1)} °F (${degCFromDegF(temperatureDegF).toFixed(1)} °C) is outside the API MPMS 11.1 ` +
        `range for crude oil, −58 to 302 °F (−50 to 150 °C)`,
      field,
    );
  }
}

/** An ITS-90 temperature (what a thermometer reads today) on the IPTS-68 scale the equations were fitted on, in °F. */
export function ipts68DegFFromIts90DegF(temperatureDegF: number): number {
  const degC = degCFromDegF(temperatureDegF);
  const scaled = degC / 630;
  let difference = 0;
  for (let index = ITS90_TO_IPTS68.length - 1; index >= 0; index -= 1) {
    difference = (difference + (ITS90_TO_IPTS68[index] ?? 0)) * scaled;
  }
  return degFFromDegC(degC - difference);
}

/** The IPTS-68 equivalent of a density at 60 °F given on ITS-90 (the standard's density shift). */
export function ipts68Density60(density60KgPerM3: number): number {
  const alpha = CRUDE_K0 / (density60KgPerM3 * density60KgPerM3);
  const a = (DELTA_60_DEG_F / 2) * alpha;
  // B = (2·K0 + K1·ρ) / (K0 + (K1 + K2·ρ)·ρ), which is 2 for crude oil (K1 = K2 = 0).
  const b = 2;
  return density60KgPerM3 * (1 + (Math.exp(a * (1 + 0.8 * a)) - 1) / (1 + a * (1 + 1.6 * a) * b));
}

/** Thermal expansion coefficient at 60 °F (per °F) of a crude oil, from its density at 60 °F (ITS-90). */
export function alpha60PerDegF(density60KgPerM3: number): number {
  const shifted = ipts68Density60(density60KgPerM3);
  return CRUDE_K0 / (shifted * shifted);
}

/**
 * CTL from the observed temperature to 60 °F, unrounded (API MPMS 11.1.6.1
 * with P = 0 gauge). Density at 60 °F and temperature on ITS-90.
 */
export function ctlTo60F(density60KgPerM3: number, temperatureDegF: number): number {
  checkDensity60(density60KgPerM3, "density60KgPerM3");
  checkTemperature(temperatureDegF, "temperatureDegF");
  return ctl60Unchecked(density60KgPerM3, temperatureDegF);
}

function ctl60Unchecked(density60KgPerM3: number, temperatureDegF: number): number {
  const alpha = alpha60PerDegF(density60KgPerM3);
  const delta = ipts68DegFFromIts90DegF(temperatureDegF) - BASE_60F_IPTS68_DEG_F;
  return Math.exp(-alpha * delta * (1 + 0.8 * alpha * (delta + DELTA_60_DEG_F)));
}

/**
 * Density at 60 °F from a density observed at a temperature (°F), by fixed
 * point iteration on ρ60 = ρobs / CTL(ρ60, t), as the standard does for a
 * hydrometer or densitometer reading (Table 5A/53A style, without the
 * hydrometer glass correction).
 */
export function density60FromObserved(
  observedDensityKgPerM3: number,
  temperatureDegF: number,
  field = "observedDensityKgPerM3",
): number {
  finite(observedDensityKgPerM3, field);
  checkTemperature(temperatureDegF, "temperatureDegF");
  // The density shift and alpha need a positive density; anything this far out fails the range check below anyway.
  if (observedDensityKgPerM3 <= 0) throw new VolumeCorrectionRangeError(`${field} must be positive`, field);
  let density60 = observedDensityKgPerM3;
  for (let iteration = 0; iteration < ITERATION_LIMIT; iteration += 1) {
    const next = observedDensityKgPerM3 / ctl60Unchecked(density60, temperatureDegF);
    if (Math.abs(next - density60) < ITERATION_TOLERANCE_KG_PER_M3) {
      checkDensity60(next, field);
      return next;
    }
    density60 = next;
  }
  throw new VolumeCorrectionRangeError(`${field}: base density did not converge; the reading is outside the standard's range`, field);
}

const BASE_15C_DEG_F = 59;

/** Density at 60 °F of an oil whose density at 15 °C is given (15 °C = 59 °F read as an observation). */
export function density60FromDensity15(density15KgPerM3: number, field = "density15KgPerM3"): number {
  return density60FromObserved(density15KgPerM3, BASE_15C_DEG_F, field);
}

/** Density at 15 °C of an oil whose density at 60 °F is given. */
export function density15FromDensity60(density60KgPerM3: number): number {
  return density60KgPerM3 * ctlTo60F(density60KgPerM3, BASE_15C_DEG_F);
}

export function roundCtl(ctl: number): number {
  return Number(ctl.toFixed(CTL_DECIMALS));
}

/**
 * CTL from the observed temperature to the base temperature, unrounded.
 * `baseDensityKgPerM3` is the density at the base: at 15 °C for "15C"
 * (Table 54A style), at 60 °F for "60F" (Table 6A style, from °API through
 * densityKgPerM3FromApiGravity).
 */
export function ctlToBase(baseDensityKgPerM3: number, base: OilVolumeBase, temperatureDegC: number): number {
  const temperatureDegF = degFFromDegC(temperatureDegC);
  checkTemperature(temperatureDegF, "temperatureDegC");
  if (base === "60F") return ctlTo60F(baseDensityKgPerM3, temperatureDegF);
  const density60 = density60FromDensity15(baseDensityKgPerM3, "baseDensityKgPerM3");
  return ctl60Unchecked(density60, temperatureDegF) / ctl60Unchecked(density60, BASE_15C_DEG_F);
}

/** Density at the base (15 °C or 60 °F) from a density observed at temperatureDegC. */
export function baseDensityFromObserved(observedDensityKgPerM3: number, temperatureDegC: number, base: OilVolumeBase): number {
  const density60 = density60FromObserved(observedDensityKgPerM3, degFFromDegC(temperatureDegC));
  return base === "60F" ? density60 : density15FromDensity60(density60);
}

/**
 * A glass hydrometer reading (kg/m³ at temperatureDegC) corrected for the
 * thermal expansion of the glass, per API MPMS 9.1 / ASTM D1298:
 * 1 − 0.000023·(t − 15) − 0.00000002·(t − 15)². The 2004 tables leave this
 * out; the 1980 Tables 5A/53A had it built in.
 */
export function hydrometerCorrectedDensityKgPerM3(readingKgPerM3: number, temperatureDegC: number): number {
  const delta = temperatureDegC - 15;
  return readingKgPerM3 * (1 - 0.000023 * delta - 0.00000002 * delta * delta);
}

/** What an oil gauge or ticket measured; the density is observed at the oil's temperature. */
export interface OilMeasurement {
  /** Gross observed volume (free water already out), m³. */
  grossObservedVolumeM3: number;
  temperatureDegC: number;
  /** Exactly one of the two: a density or an API gravity read at temperatureDegC. */
  observedDensityKgPerM3?: number | null;
  observedApiGravity?: number | null;
  /** Sediment and water in the oil, percent by volume (0 when absent from the sample). */
  bswPercent: number;
}

export interface CorrectedOilVolume {
  base: OilVolumeBase;
  baseDensityKgPerM3: number;
  /** Rounded to 5 decimals, as the standard reports it; GSV uses this value. */
  ctl: number;
  grossStandardVolumeM3: number;
  netStandardVolumeM3: number;
}

/** NSV = GSV × (1 − BS&W / 100). */
export function netStandardVolumeM3(grossStandardVolumeM3: number, bswPercent: number): number {
  finite(bswPercent, "bswPercent");
  if (bswPercent < 0 || bswPercent >= 100) throw new VolumeCorrectionRangeError("bswPercent must be at least 0 and below 100", "bswPercent");
  return grossStandardVolumeM3 * (1 - bswPercent / 100);
}

/** GSV = GOV × CTL (CPL = 1 at atmospheric pressure) and NSV = GSV × (1 − BS&W), at the site's base temperature. */
export function correctOilVolume(measurement: OilMeasurement, base: OilVolumeBase): CorrectedOilVolume {
  const { grossObservedVolumeM3, temperatureDegC, observedDensityKgPerM3, observedApiGravity, bswPercent } = measurement;
  finite(grossObservedVolumeM3, "grossObservedVolumeM3");
  if (grossObservedVolumeM3 < 0) throw new VolumeCorrectionRangeError("grossObservedVolumeM3 must not be negative", "grossObservedVolumeM3");
  const density = observedDensityKgPerM3 ?? undefined;
  const apiGravity = observedApiGravity ?? undefined;
  let observedDensity: number;
  if (density !== undefined && apiGravity === undefined) observedDensity = density;
  else if (apiGravity !== undefined && density === undefined) observedDensity = densityKgPerM3FromApiGravity(apiGravity);
  else throw new VolumeCorrectionRangeError("give exactly one of observedDensityKgPerM3 and observedApiGravity", "observedDensityKgPerM3");
  const baseDensityKgPerM3 = baseDensityFromObserved(observedDensity, temperatureDegC, base);
  const ctl = roundCtl(ctlToBase(baseDensityKgPerM3, base, temperatureDegC));
  const grossStandardVolumeM3 = grossObservedVolumeM3 * ctl;
  return {
    base,
    baseDensityKgPerM3,
    ctl,
    grossStandardVolumeM3,
    netStandardVolumeM3: netStandardVolumeM3(grossStandardVolumeM3, bswPercent),
  };
}

/** The base temperature of a site's standard conditions setting. */
export function oilVolumeBaseOf(standardConditions: "15C_101.325kPa" | "60F_14.696psia"): OilVolumeBase {
  return standardConditions === "60F_14.696psia" ? "60F" : "15C";
}

/**
 * The oil volume the allocation should count for a tank gauge or run ticket:
 * the net standard volume when it was computed, else the gross observed
 * volume as recorded (older entries and entries without temperature, density
 * and BS&W).
 */
export function oilAccountingVolumeM3(entry: { volumeM3: number; netStandardVolumeM3: number | null }): number {
  return entry.netStandardVolumeM3 ?? entry.volumeM3;
}
