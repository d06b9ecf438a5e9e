/**
 * Pure allocation arithmetic of production accounting. Everything is done on
 * integer units (bigint) so that an allocation sums exactly to the measured
 * total: floating point would lose or invent fractions of a unit, and an
 * allocation ledger that does not balance is wrong however small the gap.
 */

/** Decimals of stored volumes (numeric); 1 unit = 1e-6 m3. */
export const VOLUME_SCALE = 6;

/**
 * Bounds decimal exponents and scales so that a hostile "1e999999999" cannot
 * make us build an enormous power of ten; real volumes are nowhere near it.
 */
const MAX_DECIMAL_EXPONENT = 1000;

/** Invalid input to the allocation math; `field` names the offending input like a schema error. */
export class AllocationInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = "AllocationInputError";
  }
}

/** An exact decimal: coefficient × 10^exponent. */
interface Decimal {
  coefficient: bigint;
  exponent: number;
}

// Exponent notation is accepted because String(number) produces it ("1e-7", "1e+21").
const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function quoted(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function parseDecimal(value: unknown, field: string): Decimal {
  let text: string;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new AllocationInputError(`${field} must be a finite number, got ${value}`, field);
    // The shortest decimal that round-trips to the same double: what the caller wrote, not the binary expansion.
    text = String(value);
  } else if (typeof value === "string") {
    text = value;
  } else {
    throw new AllocationInputError(`${field} must be a decimal number, got ${quoted(value)}`, field);
  }
  const match = DECIMAL_PATTERN.exec(text);
  const integerDigits = match?.[2] ?? "";
  const fractionDigits = match?.[3] ?? "";
  if (!match || integerDigits.length + fractionDigits.length === 0) {
    throw new AllocationInputError(`${field} is not a decimal number: ${quoted(value)}`, field);
  }
  const exponent = Number(match[4] ?? "0") - fractionDigits.length;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_DECIMAL_EXPONENT) {
    throw new AllocationInputError(`${field} is out of range: ${quoted(value)}`, field);
  }
  const magnitude = BigInt(integerDigits + fractionDigits);
  return { coefficient: match[1] === "-" ? -magnitude : magnitude, exponent };
}

function checkScale(scale: number): void {
  if (!Number.isSafeInteger(scale) || scale < 0 || scale > MAX_DECIMAL_EXPONENT) {
    throw new AllocationInputError(`scale must be an integer from 0 to ${MAX_DECIMAL_EXPONENT}, got ${scale}`, "scale");
  }
}

/** numerator / denominator (denominator > 0) rounded to the nearest integer, halves away from zero. */
function divideRoundingHalfAway(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twiceRemainder = remainder < 0n ? -2n * remainder : 2n * remainder;
  if (twiceRemainder < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

/** decimal / divisor in units of 10^-scale, rounded half away from zero once, at the end. */
function unitsOf(decimal: Decimal, scale: number, divisor = 1n): bigint {
  const shift = decimal.exponent + scale;
  return shift >= 0
    ? divideRoundingHalfAway(decimal.coefficient * 10n ** BigInt(shift), divisor)
    : divideRoundingHalfAway(decimal.coefficient, divisor * 10n ** BigInt(-shift));
}

function isGreaterThan(decimal: Decimal, limit: bigint): boolean {
  return decimal.exponent >= 0
    ? decimal.coefficient * 10n ** BigInt(decimal.exponent) > limit
    : decimal.coefficient > limit * 10n ** BigInt(-decimal.exponent);
}

/**
 * Exact decimal string → integer units at `scale` (rounding half away from zero beyond scale); number input via
 * its shortest decimal repr. Throws AllocationInputError on NaN/Infinity/garbage. Accepts an optional sign,
 * digits with an optional point and an optional exponent ("1.5", ".5", "5.", "1e-7"); no spaces or separators.
 */
export function toUnits(value: string | number, scale: number = VOLUME_SCALE): bigint {
  checkScale(scale);
  return unitsOf(parseDecimal(value, "value"), scale);
}

/** Integer units → canonical decimal string with exactly `scale` decimals ("-0.000001", "12.500000"). */
export function fromUnits(units: bigint, scale: number = VOLUME_SCALE): string {
  checkScale(scale);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const integerPart = digits.slice(0, digits.length - scale);
  const fractionPart = scale > 0 ? `.${digits.slice(digits.length - scale)}` : "";
  return `${negative ? "-" : ""}${integerPart}${fractionPart}`;
}

export interface AllocationShare {
  key: string;
  /** Basis of the share, e.g. theoretical volume; >= 0. Converted to units at the allocation's scale. */
  weight: number | string;
}

export interface AllocatedShare {
  key: string;
  units: bigint;
  /** fromUnits(units, scale) */
  volume: string;
}

/**
 * Distributes measuredTotal (>= 0) over shares in proportion to weight, exactly:
 * sum(units) === toUnits(measuredTotal). Floor of each exact share, then the remaining units one each to the
 * largest remainders; ties broken by key ascending (so the result does not depend on input order).
 * Weights are converted to integer units first (toUnits) so the whole computation is integer (bigint).
 * measuredTotal 0 → all zero. Sum of weights 0 with measuredTotal > 0 → AllocationInputError("no basis ...", "shares").
 * Negative/NaN weight or total → AllocationInputError naming the field. Duplicate keys → AllocationInputError.
 * Output in input order.
 *
 * Consequences worth knowing: every share ends within one unit of its exact proportional value (it is the floor
 * or the floor + 1), a zero-weight share always gets 0, and a positive weight that rounds to 0 units at `scale`
 * counts as zero. Keys are compared by UTF-16 code units (plain `<`), not by locale, so ties break the same
 * way on every machine.
 */
export function allocateProportionally(
  measuredTotal: string | number,
  shares: readonly AllocationShare[],
  scale: number = VOLUME_SCALE,
): AllocatedShare[] {
  checkScale(scale);
  const total = parseDecimal(measuredTotal, "measuredTotal");
  // Checked on the parsed sign, not on the rounded units: "-0.0000001" is a negative input even if it rounds to 0.
  if (total.coefficient < 0n) {
    throw new AllocationInputError(`measuredTotal must not be negative, got ${quoted(measuredTotal)}`, "measuredTotal");
  }
  const totalUnits = unitsOf(total, scale);

  const seenKeys = new Set<string>();
  const weighted = shares.map((share, index) => {
    if (seenKeys.has(share.key)) {
      throw new AllocationInputError(`duplicate share key ${quoted(share.key)}`, `shares[${index}].key`);
    }
    seenKeys.add(share.key);
    const field = `shares[${index}].weight`;
    const weight = parseDecimal(share.weight, field);
    if (weight.coefficient < 0n) {
      throw new AllocationInputError(`${field} must not be negative, got ${quoted(share.weight)}`, field);
    }
    return { key: share.key, weightUnits: unitsOf(weight, scale) };
  });

  if (totalUnits === 0n) return shares.map((share) => ({ key: share.key, units: 0n, volume: fromUnits(0n, scale) }));

  const weightSum = weighted.reduce((sum, share) => sum + share.weightUnits, 0n);
  if (weightSum === 0n) {
    throw new AllocationInputError(
      `no basis to allocate ${fromUnits(totalUnits, scale)}: the share weights sum to zero`,
      "shares",
    );
  }

  const parts = weighted.map((share) => {
    const exactTimesWeightSum = totalUnits * share.weightUnits;
    return { key: share.key, units: exactTimesWeightSum / weightSum, remainder: exactTimesWeightSum % weightSum };
  });
  let leftover = totalUnits - parts.reduce((sum, part) => sum + part.units, 0n);
  // leftover < number of parts with a non-zero remainder, so the extra units never reach a zero-weight share.
  const byRemainder = [...parts].sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  for (const part of byRemainder) {
    if (leftover === 0n) break;
    part.units += 1n;
    leftover -= 1n;
  }
  return parts.map((part) => ({ key: part.key, units: part.units, volume: fromUnits(part.units, scale) }));
}

/**
 * Theoretical volume of a day: rate (per day) × uptimeHours / 24, as a decimal string at VOLUME_SCALE
 * (exact bigint math, half-up).
 * The product is kept exact and rounded once; rounding the inputs first would drift. Rate must be >= 0 and
 * uptimeHours within 0..24, otherwise AllocationInputError naming the field.
 */
export function theoreticalVolume(
  ratePerDay: number | string,
  uptimeHours: number | string,
  scale: number = VOLUME_SCALE,
): string {
  checkScale(scale);
  const rate = parseDecimal(ratePerDay, "ratePerDay");
  if (rate.coefficient < 0n) {
    throw new AllocationInputError(`ratePerDay must not be negative, got ${quoted(ratePerDay)}`, "ratePerDay");
  }
  const hours = parseDecimal(uptimeHours, "uptimeHours");
  if (hours.coefficient < 0n || isGreaterThan(hours, 24n)) {
    throw new AllocationInputError(`uptimeHours must be between 0 and 24, got ${quoted(uptimeHours)}`, "uptimeHours");
  }
  const product = { coefficient: rate.coefficient * hours.coefficient, exponent: rate.exponent + hours.exponent };
  return fromUnits(unitsOf(product, scale, 24n), scale);
}

/** The longest production day: 25 hours, when the clocks go back (production-day.ts). */
export const MAX_DAY_HOURS = 25;

export interface RatePeriod {
  /** Rate per 24 hours, >= 0. */
  ratePerDay: number | string;
  /** Hours the rate applied (uptime within the period), >= 0. */
  hours: number | string;
}

/**
 * Theoretical volume of a day whose hours are split between rates (a well test that starts mid-day, so the old
 * test's rates before it and the new one's after): Σ rate × hours / 24, summed exactly and rounded once at
 * VOLUME_SCALE (half up), so one period gives exactly theoreticalVolume(rate, hours). Rates are per 24 hours
 * whatever the day's length: a 25-hour day at full uptime gives 25/24 of the rate. The hours may add up to
 * MAX_DAY_HOURS; anything else is an AllocationInputError naming the field.
 */
export function theoreticalVolumeOfPeriods(periods: readonly RatePeriod[], scale: number = VOLUME_SCALE): string {
  checkScale(scale);
  const products = periods.map((period, index) => {
    const rate = parseDecimal(period.ratePerDay, `periods[${index}].ratePerDay`);
    if (rate.coefficient < 0n) {
      throw new AllocationInputError(`periods[${index}].ratePerDay must not be negative, got ${quoted(period.ratePerDay)}`, `periods[${index}].ratePerDay`);
    }
    const hours = parseDecimal(period.hours, `periods[${index}].hours`);
    if (hours.coefficient < 0n) {
      throw new AllocationInputError(`periods[${index}].hours must not be negative, got ${quoted(period.hours)}`, `periods[${index}].hours`);
    }
    return { rate, hours, product: { coefficient: rate.coefficient * hours.coefficient, exponent: rate.exponent + hours.exponent } };
  });
  const exponentOf = (decimals: readonly Decimal[]) => Math.min(0, ...decimals.map((decimal) => decimal.exponent));
  const align = (decimal: Decimal, exponent: number) => decimal.coefficient * 10n ** BigInt(decimal.exponent - exponent);
  const hoursExponent = exponentOf(products.map((part) => part.hours));
  const totalHours = { coefficient: products.reduce((sum, part) => sum + align(part.hours, hoursExponent), 0n), exponent: hoursExponent };
  if (isGreaterThan(totalHours, BigInt(MAX_DAY_HOURS))) {
    throw new AllocationInputError(`the periods' hours must add up to at most ${MAX_DAY_HOURS}`, "periods");
  }
  const exponent = exponentOf(products.map((part) => part.product));
  const sum = { coefficient: products.reduce((total, part) => total + align(part.product, exponent), 0n), exponent };
  return fromUnits(unitsOf(sum, scale, 24n), scale);
}
