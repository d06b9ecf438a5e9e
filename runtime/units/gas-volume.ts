/**
 * Standard gas volumes: the one Mscf constant of the code base, and the
 * conversion of a standard volume between the two base conditions a site may
 * state. Pure, no imports: the server and the web app bundle take it as is.
 */

/** 1 ft³ = 0.3048³ m³ exactly (international foot). */
export const M3_PER_FT3 = 0.028316846592;
/** 1 Mscf = 1000 scf. Both volumes are at the same standard conditions; only the length unit changes. */
export const SM3_PER_MSCF = M3_PER_FT3 * 1000;
/** 1 psi in kPa (lbf/in² with the standard gravity). */
export const KPA_PER_PSI = 6.894757293168;

export const STANDARD_CONDITIONS = ["15C_101.325kPa", "60F_14.696psia"] as const;
export type StandardConditionsId = (typeof STANDARD_CONDITIONS)[number];

export interface StandardConditionsValues {
  id: StandardConditionsId;
  temperatureDegC: number;
  /** Absolute pressure. */
  pressureKpaAbs: number;
}

const KELVIN_AT_0_DEG_C = 273.15;

/** The temperature and absolute pressure each setting names: 60 °F = 15.5556 °C, 14.696 psia = 101.3254 kPa. */
export function standardConditionsValues(id: StandardConditionsId): StandardConditionsValues {
  if (id === "60F_14.696psia") return { id, temperatureDegC: (60 - 32) / 1.8, pressureKpaAbs: 14.696 * KPA_PER_PSI };
  return { id, temperatureDegC: 15, pressureKpaAbs: 101.325 };
}

/**
 * A gas volume at the `from` standard conditions expressed at the `to`
 * conditions, by the ideal-gas ratio V₂ = V₁ · (T₂ / T₁) · (p₁ / p₂) with
 * absolute temperatures and pressures. Compressibility at both conditions is
 * taken as equal (Z ≈ 0.998 for natural gas near atmospheric pressure; the
 * ratio of the two Z differs from 1 by far less than meter uncertainty).
 * 1 Sm³ at 15 °C, 101.325 kPa is about 1.00196 m³ at 60 °F, 14.696 psia.
 */
export function convertStandardGasVolume(volume: number, from: StandardConditionsId, to: StandardConditionsId): number {
  if (from === to) return volume;
  const source = standardConditionsValues(from);
  const target = standardConditionsValues(to);
  const temperatureRatio = (target.temperatureDegC + KELVIN_AT_0_DEG_C) / (source.temperatureDegC + KELVIN_AT_0_DEG_C);
  return volume * temperatureRatio * (source.pressureKpaAbs / target.pressureKpaAbs);
}
