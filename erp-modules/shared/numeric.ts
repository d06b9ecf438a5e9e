/**
 * PostgreSQL `numeric` arrives as a string from both drivers (exactness is
 * the driver's promise, not JavaScript's). API values are JSON numbers.
 */
export function fromNumeric(value: string | number): number {
  const parsed = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`not a finite numeric value: ${String(value)}`);
  return parsed;
}

export function fromNumericOrNull(value: string | number | null | undefined): number | null {
  return value === null || value === undefined ? null : fromNumeric(value);
}
