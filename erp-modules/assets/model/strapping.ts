/**
 * Tank strapping tables (pure): the calibration that turns a gauged liquid
 * level into a volume. Between two points the volume is linear in the level,
 * which is exact for a vertical cylinder and close enough for the usual
 * 1-10 cm spacing of a real table.
 */
import type { ErrorParams, Reason } from "../../../runtime/error-contract.js";

export interface StrappingPoint {
  levelM: number;
  volumeM3: number;
}

export const MIN_STRAPPING_POINTS = 2;

export class StrappingError extends Error {
  constructor(
    message: string,
    /** Why, as the API's error contract says it, with the values it names. */
    readonly reason: Reason,
    readonly params: ErrorParams = {},
    /** The offending point's index, when one point is at fault. */
    readonly index?: number,
  ) {
    super(message);
    this.name = "StrappingError";
  }
}

/**
 * Why a table cannot be used, or null when it can: at least two points,
 * finite non-negative numbers, levels strictly increasing, volumes never
 * decreasing (a tank does not hold less when fuller).
 */
export function strappingTableProblem(table: readonly StrappingPoint[]): StrappingError | null {
  if (table.length < MIN_STRAPPING_POINTS) return new StrappingError(`a strapping table needs at least ${MIN_STRAPPING_POINTS} points, got ${table.length}`, "strapping_too_few_points", {
      limit: MIN_STRAPPING_POINTS,
    });
  for (const [index, point] of table.entries()) {
    if (!Number.isFinite(point.levelM) || !Number.isFinite(point.volumeM3) || point.levelM < 0 || point.volumeM3 < 0) {
      return new StrappingError(`point ${index}: level and volume must be finite and not negative`, "strapping_point_invalid", { index }, index);
    }
    const previous = table[index - 1];
    if (!previous) continue;
    if (point.levelM <= previous.levelM) {
      return new StrappingError(`point ${index}: levelM ${point.levelM} must be above the previous ${previous.levelM}`, "strapping_level_not_increasing", { index }, index);
    }
    if (point.volumeM3 < previous.volumeM3) {
      return new StrappingError(`point ${index}: volumeM3 ${point.volumeM3} is below the previous ${previous.volumeM3}`, "strapping_volume_decreasing", { index }, index);
    }
  }
  return null;
}

export function assertStrappingTable(table: readonly StrappingPoint[]): void {
  const problem = strappingTableProblem(table);
  if (problem) throw problem;
}

/**
 * The volume at a level, linear between the two surrounding points. A level
 * outside the table is an error, never an extrapolation: the table says
 * nothing about it, and a gauge above the top point is more likely a typo.
 */
export function volumeAtLevelM3(table: readonly StrappingPoint[], levelM: number): number {
  assertStrappingTable(table);
  const first = table[0];
  const last = table[table.length - 1];
  if (!first || !last) throw new StrappingError("empty strapping table", "strapping_too_few_points", { limit: MIN_STRAPPING_POINTS });
  if (!Number.isFinite(levelM) || levelM < first.levelM || levelM > last.levelM) {
    throw new StrappingError(`level ${levelM} m is outside the strapping table (${first.levelM}–${last.levelM} m)`, "outside_strapping_table", {
      min: first.levelM,
      max: last.levelM,
    });
  }
  // The first point at or above the level closes the segment; at the bottom point, the first segment.
  const upperIndex = Math.max(1, table.findIndex((point) => point.levelM >= levelM));
  const lower = table[upperIndex - 1];
  const upper = table[upperIndex];
  if (!lower || !upper) throw new StrappingError("empty strapping table", "strapping_too_few_points", { limit: MIN_STRAPPING_POINTS });
  const fraction = (levelM - lower.levelM) / (upper.levelM - lower.levelM);
  return lower.volumeM3 + fraction * (upper.volumeM3 - lower.volumeM3);
}

/**
 * A vertical cylinder's table (the demo's tanks): volume = area × level at
 * evenly spaced levels from 0 to the shell height.
 */
export function verticalCylinderTable(diameterM: number, heightM: number, points: number): StrappingPoint[] {
  if (!(diameterM > 0) || !(heightM > 0) || !Number.isInteger(points) || points < MIN_STRAPPING_POINTS) {
    throw new StrappingError("a cylinder needs a positive diameter and height and at least two points", "strapping_too_few_points", { limit: MIN_STRAPPING_POINTS });
  }
  const areaM2 = (Math.PI * diameterM * diameterM) / 4;
  return Array.from({ length: points }, (_, index) => {
    const levelM = (heightM * index) / (points - 1);
    return { levelM, volumeM3: Math.round(areaM2 * levelM * 1000) / 1000 };
  });
}
