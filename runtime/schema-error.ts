import type { ErrorObject } from "ajv";

/**
 * The field and reason of a schema validation failure, as API answers and
 * service errors name them: `well.liftType` + `is required`. The path is
 * dotted and relative to the validated value ("" for the value itself); a
 * missing or unexpected property is named at its own level.
 */
export function schemaErrorField(error: ErrorObject | undefined): { path: string; reason: string } {
  if (!error) return { path: "", reason: "is invalid" };
  const at = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const under = (property: unknown) => (at ? `${at}.${String(property)}` : String(property));
  if (error.keyword === "required") return { path: under(error.params.missingProperty), reason: "is required" };
  if (error.keyword === "additionalProperties") return { path: under(error.params.additionalProperty), reason: "is not allowed" };
  return { path: at, reason: error.message ?? "is invalid" };
}
