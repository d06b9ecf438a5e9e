/**
 * Per-well ratios of a day or a month, from volumes at standard conditions
 * (oil and water m3, gas Sm3). A ratio whose denominator is 0 is null: "no
 * oil" is not a water cut of 100 % of nothing, and never NaN or Infinity.
 */

export interface WellVolumes {
  oilM3: number;
  gasSm3: number;
  waterM3: number;
}

export interface WellRatios {
  /** water / (oil + water), in percent; null with no liquid. */
  waterCutPercent: number | null;
  /** Gas-oil ratio, Sm3 of gas per m3 of oil; null with no oil. */
  gorSm3PerM3: number | null;
  /** Water-oil ratio, m3/m3; null with no oil. */
  worM3PerM3: number | null;
}

function ratio(numerator: number, denominator: number): number | null {
  if (!(denominator > 0) || !Number.isFinite(numerator)) return null;
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : null;
}

export function wellRatios(volumes: WellVolumes): WellRatios {
  const cut = ratio(volumes.waterM3, volumes.oilM3 + volumes.waterM3);
  return {
    waterCutPercent: cut === null ? null : cut * 100,
    gorSm3PerM3: ratio(volumes.gasSm3, volumes.oilM3),
    worM3PerM3: ratio(volumes.waterM3, volumes.oilM3),
  };
}
