import assert from "node:assert/strict";

/** Asset ids the erp node input tests use (UUIDv7-shaped, readable tails). */
export const TANK_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000101";
export const OTHER_TANK_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000102";
export const WELL_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000201";
export const SITE_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000301";

/** The refusal of an input builder, failing the test when it built a value. */
export function errorOf(result: { error: string } | { value: unknown }): string {
  assert.ok("error" in result, `expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

/** The value of an input builder, failing the test with its refusal otherwise. */
export function valueOf<T>(result: { error: string } | { value: T }): T {
  if ("error" in result) assert.fail(result.error);
  return result.value;
}
