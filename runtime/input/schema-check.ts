import type { Static, TSchema } from "@sinclair/typebox";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { ErrorParams, Reason } from "../error-contract.js";
import { checkedCopy, dayProblem, fieldPath, instantProblem, monthProblem, textProblem, YEAR_RANGE, type InputProblem } from "./input-policy.js";

/**
 * The one schema validator of the site (typebox schemas, ajv): API requests,
 * service inputs, node messages and CSV rows. It never coerces: `null` is not
 * 0, `true` is not 1 and "1" is not a number. Text that is typed by nature
 * (query strings, path parameters, CSV cells) is parsed by its schema first
 * with parseText, strictly.
 */
const ajv = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: true, strict: false, removeAdditional: false, verbose: true });
addFormats(ajv);
ajv.addFormat("date-time", { type: "string", validate: (text: string) => instantProblem(text) === null });
ajv.addFormat("date", { type: "string", validate: (text: string) => dayProblem(text) === null });
ajv.addFormat("year-month", { type: "string", validate: (text: string) => monthProblem(text) === null });

const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let check = compiled.get(schema);
  if (!check) {
    check = ajv.compile(schema);
    compiled.set(schema, check);
  }
  return check;
}

type SchemaNode = Record<string, unknown>;

function asNode(value: unknown): SchemaNode {
  return value !== null && typeof value === "object" ? (value as SchemaNode) : {};
}

const FORMAT_REASONS: Record<string, Reason> = { uuid: "not_a_uuid" };

function formatProblem(format: string, data: unknown): { reason: Reason; params?: ErrorParams } {
  if (typeof data === "string") {
    const time = format === "date-time" ? instantProblem(data) : format === "date" ? dayProblem(data) : format === "year-month" ? monthProblem(data) : undefined;
    if (time === "year_out_of_range") return { reason: time, params: YEAR_RANGE };
    if (time) return { reason: time };
  }
  const reason = FORMAT_REASONS[format];
  return reason ? { reason } : { reason: "invalid_format", params: { format } };
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Every value a schema allows when it is a list of constants (a union of literals, an enum), else null. */
function constants(schema: SchemaNode): string[] | null {
  if ("const" in schema) return [String(schema.const)];
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  const branches = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(branches)) return null;
  const values: string[] = [];
  for (const branch of branches) {
    const inner = constants(asNode(branch));
    if (!inner) return null;
    values.push(...inner);
  }
  return values;
}

/** The JSON types a schema accepts (every type when it does not say). */
export function acceptedTypes(schema: SchemaNode): Set<string> {
  const types = new Set<string>();
  const branches = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(branches)) {
    for (const branch of branches) for (const type of acceptedTypes(asNode(branch))) types.add(type);
    return types;
  }
  if (typeof schema.type === "string") types.add(schema.type);
  else if (Array.isArray(schema.type)) for (const type of schema.type) types.add(String(type));
  else if ("const" in schema) types.add(jsonType(schema.const));
  else if (Array.isArray(schema.enum)) for (const value of schema.enum) types.add(jsonType(value));
  else for (const type of ["string", "number", "integer", "boolean", "object", "array", "null"]) types.add(type);
  if (types.has("number")) types.add("integer");
  return types;
}

/** Reasons that only say a text did not have the expected form. */
const SHAPE_REASONS = new Set<Reason>(["not_a_date_time", "not_a_date", "not_a_month", "invalid_format", "pattern_mismatch", "not_a_uuid"]);

/** One ajv error as the contract's reason and params. */
function reasonOf(error: ErrorObject, errors: readonly ErrorObject[]): { reason: Reason; params?: ErrorParams } {
  const params = error.params as Record<string, unknown>;
  const limit = typeof params.limit === "number" ? params.limit : Number(params.limit);
  switch (error.keyword) {
    case "required":
      return { reason: "required" };
    case "additionalProperties":
      return { reason: "not_allowed" };
    case "type":
      return { reason: "wrong_type", params: { expected: String(params.type).split(",") } };
    case "minimum":
      return { reason: "below_minimum", params: { limit } };
    case "exclusiveMinimum":
      return { reason: "not_above", params: { limit } };
    case "maximum":
      return { reason: "above_maximum", params: { limit } };
    case "exclusiveMaximum":
      return { reason: "not_below", params: { limit } };
    case "minLength":
      return { reason: "too_short", params: { limit } };
    case "maxLength":
      return { reason: "too_long", params: { limit } };
    case "minItems":
      return { reason: "too_few_items", params: { limit } };
    case "maxItems":
      return { reason: "too_many_items", params: { limit } };
    case "minProperties":
      return { reason: "too_few_fields", params: { limit } };
    case "uniqueItems":
      return { reason: "duplicate_items" };
    case "multipleOf":
      return { reason: "not_multiple", params: { limit: Number(params.multipleOf) } };
    case "pattern":
      return { reason: "pattern_mismatch" };
    case "format":
      return formatProblem(String(params.format), error.data);
    case "const":
    case "enum":
      return { reason: "not_one_of", params: { allowed: constants(asNode(error.parentSchema)) ?? [] } };
    case "anyOf":
    case "oneOf": {
      const schema = asNode(error.parentSchema);
      const allowed = constants(schema);
      if (allowed) return { reason: "not_one_of", params: { allowed } };
      // A union of types (T | null, a date-time or a date): the branches of
      // the value's own type say best what is wrong with it, and among them
      // one whose shape matched (a date in range) more than one that did not.
      const type = jsonType(error.data);
      const sameType = errors
        .filter(
          (candidate) =>
            candidate !== error &&
            candidate.instancePath === error.instancePath &&
            !["type", "anyOf", "oneOf"].includes(candidate.keyword) &&
            acceptedTypes(asNode(candidate.parentSchema)).has(type),
        )
        .map((candidate) => reasonOf(candidate, []));
      const specific = sameType.find((candidate) => !SHAPE_REASONS.has(candidate.reason)) ?? sameType[0];
      if (specific) return specific;
      return { reason: "wrong_type", params: { expected: [...acceptedTypes(schema)].filter((name) => name !== "integer" || !acceptedTypes(schema).has("number")) } };
    }
    default:
      return { reason: "invalid" };
  }
}

/**
 * The first ajv error as field + reason: `well.liftType` + required. A
 * missing or unexpected property is named at its own level; `root` prefixes
 * the path (body, query, params) and names the value itself.
 */
export function schemaProblem(errors: readonly ErrorObject[] | null | undefined, root: string): InputProblem {
  const list = errors ?? [];
  // With a union, ajv lists the failing branches first and the union last: judge by the union.
  const error = list.find((candidate) => candidate.keyword === "anyOf" || candidate.keyword === "oneOf") ?? list[0];
  if (!error) return { field: root || "input", reason: "invalid" };
  let path = root;
  for (const segment of error.instancePath.split("/").slice(1)) path = fieldPath(path, segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") path = fieldPath(path, String(params.missingProperty));
  if (error.keyword === "additionalProperties") path = fieldPath(path, String(params.additionalProperty));
  return { field: path || "input", ...reasonOf(error, list) };
}

/**
 * Checks a value against a schema under the input policy and fills the
 * schema's defaults, on a copy (the caller's object, a flow's message, is
 * never changed). `root` names the value in the problem (`body`, `input`).
 */
export function checkInput<T extends TSchema>(schema: T, value: unknown, root: string): { value: Static<T> } | { problem: InputProblem } {
  const copied = checkedCopy(value, root);
  if ("problem" in copied) return copied;
  const check = validatorFor(schema);
  if (!check(copied.value)) return { problem: schemaProblem(check.errors, root) };
  return { value: copied.value as Static<T> };
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Text typed by its schema (pure): a number where the schema takes a number
 * and not a string, true/false where it takes a boolean. Anything else stays
 * text and is judged by the schema (so "abc" for a number is a wrong_type,
 * not a NaN). A number too large to represent is refused as not finite.
 */
function parseTextValue(schema: SchemaNode, text: string): { value: unknown } | { reason: Reason } {
  const types = acceptedTypes(schema);
  if (types.has("string")) return { value: text };
  if ((types.has("integer") || types.has("number")) && DECIMAL.test(text.trim()) && text.trim() === text) {
    const number = Number(text);
    return Number.isFinite(number) ? { value: number } : { reason: "not_finite" };
  }
  if (types.has("boolean") && (text === "true" || text === "false")) return { value: text === "true" };
  if (types.has("null") && text === "") return { value: null };
  return { value: text };
}

/**
 * Query strings, path parameters and CSV rows: every field is text (or a
 * repeated parameter, a list). Each is parsed by its property's schema, then
 * the whole is checked like any other input.
 */
export function parseText<T extends TSchema>(
  schema: T,
  fields: Readonly<Record<string, unknown>>,
  root: string,
): { value: Static<T> } | { problem: InputProblem } {
  const properties = asNode(asNode(schema).properties);
  const typed: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    if (raw === undefined) continue;
    const property = asNode(properties[name]);
    const field = fieldPath(root, name);
    if (Array.isArray(raw) && !acceptedTypes(property).has("array")) return { problem: { field, reason: "repeated" } };
    if (typeof raw !== "string") {
      typed[name] = raw;
      continue;
    }
    const text = textProblem(raw);
    if (text) return { problem: { field, reason: text } };
    const parsed = parseTextValue(property, raw);
    if ("reason" in parsed) return { problem: { field, reason: parsed.reason } };
    typed[name] = parsed.value;
  }
  return checkInput(schema, typed, root);
}
