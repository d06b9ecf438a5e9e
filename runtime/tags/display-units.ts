/**
 * The display units a tag may choose for its canonical SI unit, and how to
 * convert. Shared by the server (a tag's displayUnit is checked against it)
 * and the web app (values are shown in it). Pure: its only import is the
 * pure gas-volume module, so both the Node build and the browser bundle take
 * it as is.
 */
import { KPA_PER_PSI, SM3_PER_MSCF } from "../units/gas-volume.js";

export interface DisplayConversion {
  /** display = canonical × factor + offset */
  factor: number;
  offset: number;
  /** Decimals an operator reads this unit with. */
  decimals: number;
}

const M3_PER_BBL = 0.158987294928;
const M_PER_FT = 0.3048;
const M_PER_IN = 0.0254;
const KW_PER_HP = 0.745699871582;
const KN_PER_LBF = 0.0044482216152605;

const linear = (factor: number, decimals: number, offset = 0): DisplayConversion => ({ factor, offset, decimals });

export const DISPLAY_UNITS: Readonly<Record<string, Readonly<Record<string, DisplayConversion>>>> = {
  kPa: { kPa: linear(1, 0), bar: linear(0.01, 2), MPa: linear(0.001, 3), psi: linear(1 / KPA_PER_PSI, 1) },
  degC: { degC: linear(1, 1), degF: linear(9 / 5, 1, 32), K: linear(1, 1, 273.15) },
  "m3/d": { "m3/d": linear(1, 1), "m3/h": linear(1 / 24, 2), "bbl/d": linear(1 / M3_PER_BBL, 0) },
  "Sm3/d": { "Sm3/d": linear(1, 0), "Sm3/h": linear(1 / 24, 1), "Mscf/d": linear(1 / SM3_PER_MSCF, 1), "MMscf/d": linear(1 / (SM3_PER_MSCF * 1000), 3) },
  m: { m: linear(1, 2), cm: linear(100, 1), ft: linear(1 / M_PER_FT, 1), in: linear(1 / M_PER_IN, 1) },
  m3: { m3: linear(1, 1), L: linear(1000, 0), bbl: linear(1 / M3_PER_BBL, 0) },
  kW: { kW: linear(1, 1), hp: linear(1 / KW_PER_HP, 1) },
  kN: { kN: linear(1, 1), lbf: linear(1 / KN_PER_LBF, 0) },
};

/** The display units a tag in `unit` may use (empty when its unit has no alternatives). */
export function displayUnitsFor(unit: string): string[] {
  return Object.hasOwn(DISPLAY_UNITS, unit) ? Object.keys(DISPLAY_UNITS[unit] ?? {}) : [];
}

/** A canonical value in the chosen display unit, or undefined when the pair is unknown. */
export function toDisplayUnit(value: number, unit: string, displayUnit: string): { value: number; decimals: number } | undefined {
  const conversion = Object.hasOwn(DISPLAY_UNITS, unit) ? DISPLAY_UNITS[unit]?.[displayUnit] : undefined;
  return conversion ? { value: value * conversion.factor + conversion.offset, decimals: conversion.decimals } : undefined;
}
