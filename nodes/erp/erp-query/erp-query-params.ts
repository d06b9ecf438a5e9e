import { isDeepStrictEqual } from "node:util";
import { Type, type TObject, type TSchema } from "@sinclair/typebox";
import { inputRefused, invalidInput, type ServiceError } from "../../../erp-modules/shared/service-error.js";
import { checkInput, parseText } from "../../../runtime/input/schema-check.js";
import { ERP_QUERIES, queryNamed } from "./erp-query-catalogue.js";
import type { ErpQuery } from "./erp-query-definition.js";

/** The node's config: the query's name and, per parameter, its text in the editor ("" or absent: from msg.payload). */
export interface ErpQueryConfig {
  query: string;
  params?: Record<string, unknown>;
}

export type ResolvedQuery = { value: { query: ErpQuery; params: Record<string, unknown> } } | { error: ServiceError };

/** Each parameter optional and without its default: what one source may give, before the sources are joined. */
const partials = new WeakMap<ErpQuery, TObject>();

function partialParams(query: ErpQuery): TObject {
  let partial = partials.get(query);
  if (!partial) {
    const properties: Record<string, TSchema> = {};
    for (const [name, property] of Object.entries(query.params.properties)) {
      // A default filled in per source would read as that source giving the parameter, and clash with the other source.
      const copy: TSchema = { ...property };
      delete copy.default;
      properties[name] = Type.Optional(copy);
    }
    partial = Type.Object(properties, { additionalProperties: false });
    partials.set(query, partial);
  }
  return partial;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The parameters the editor set: text parsed by each parameter's schema, as query strings are, never coerced further. */
function configParams(query: ErpQuery, raw: unknown): { value: Record<string, unknown> } | { error: ServiceError } {
  if (raw === undefined || raw === null) return { value: {} };
  if (!isPlainObject(raw)) return { error: invalidInput("config.params", "wrong_type", { expected: ["object"] }) };
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = parseText(partialParams(query), given, "config.params");
  return "problem" in parsed ? { error: inputRefused(parsed.problem) } : { value: parsed.value };
}

/**
 * The query the node runs and its parameters, from the config and
 * msg.payload (pure). A payload that is an object gives parameters, typed as
 * JSON types them (no coercion: "5" is not a number); any other payload (an
 * inject's timestamp) is a trigger and gives none. A parameter in both places
 * must have the same value: neither silently wins. Then the query's schema
 * checks the whole (required parameters, defaults) and its cross-parameter
 * rules apply.
 */
export function resolveQuery(config: ErpQueryConfig, payload: unknown): ResolvedQuery {
  const query = queryNamed(config.query);
  if (!query) {
    const allowed = ERP_QUERIES.map((known) => known.name);
    return { error: invalidInput("query", "not_one_of", { allowed }, `query ${JSON.stringify(config.query)} is not in the erp-query catalogue (${allowed.join(", ")})`) };
  }
  const fromConfig = configParams(query, config.params);
  if ("error" in fromConfig) return fromConfig;
  let fromMsg: Record<string, unknown> = {};
  if (isPlainObject(payload)) {
    const checked = checkInput(partialParams(query), payload, "msg.payload");
    if ("problem" in checked) return { error: inputRefused(checked.problem) };
    fromMsg = checked.value;
  }
  for (const [name, value] of Object.entries(fromMsg)) {
    if (name in fromConfig.value && !isDeepStrictEqual(value, fromConfig.value[name])) {
      const message = `msg.payload.${name} (${JSON.stringify(value)}) differs from the node's ${name} (${JSON.stringify(fromConfig.value[name])})`;
      return { error: invalidInput(`msg.payload.${name}`, "invalid", undefined, message) };
    }
  }
  const whole = checkInput(query.params, { ...fromConfig.value, ...fromMsg }, "msg.payload");
  if ("problem" in whole) return { error: inputRefused(whole.problem) };
  const params = whole.value as Record<string, unknown>;
  const problem = query.problem(params);
  return problem ? { error: problem } : { value: { query, params } };
}
