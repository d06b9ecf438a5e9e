import { Type, type Static, type TObject, type TSchema } from "@sinclair/typebox";
import type { ServiceError } from "../../../erp-modules/shared/service-error.js";
import type { ErpReads } from "../../shared/petroflow-services.js";

export type ErpModuleName = keyof ErpReads;

/**
 * One read an erp-query node can run: `<module>.<query>`, its parameters
 * (a TypeBox object; each may come from the node's config or msg.payload)
 * and the shape of what it answers.
 */
export interface ErpQuery {
  readonly name: string;
  readonly module: ErpModuleName;
  /** One English line for the catalogue endpoint and the docs; the editor shows the locales' label. */
  readonly description: string;
  readonly params: TObject;
  readonly result: TSchema;
  /** Rules across parameters that a schema cannot say (to not before from), on validated params. */
  problem(params: Record<string, unknown>): ServiceError | null;
  /** Calls the module's read methods with params already validated against `params`. */
  run(reads: ErpReads, params: Record<string, unknown>): Promise<unknown>;
}

export interface QueryDefinition<P extends TObject> {
  name: string;
  module: ErpModuleName;
  description: string;
  params: P;
  result: TSchema;
  problem?: (params: Static<P>) => ServiceError | null;
  run: (reads: ErpReads, params: Static<P>) => Promise<unknown>;
}

/**
 * A catalogue entry from a definition whose `problem` and `run` are typed by
 * its own params schema. The node validates params against that schema
 * before calling either (erp-query-params.ts), so they get what they declare.
 */
export function defineQuery<P extends TObject>(definition: QueryDefinition<P>): ErpQuery {
  const { problem, run } = definition;
  return {
    name: definition.name,
    module: definition.module,
    description: definition.description,
    params: definition.params,
    result: definition.result,
    problem: (params) => (problem ? problem(params) : null),
    run,
  };
}

/** A params schema: the parameters, never anything else. */
export function queryParams<P extends Record<string, TSchema>>(properties: P): TObject<P> {
  return Type.Object(properties, { additionalProperties: false });
}
