import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import type { Request, RequestHandler, Response, Router } from "express";
import type { Principal } from "../auth/auth-service.js";
import { roleAtLeast, type Role } from "../auth/roles.js";
import { HttpError } from "./errors.js";
import { schemaErrorField } from "../schema-error.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

export interface RouteSchemas {
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  /** Response schemas by status, for the OpenAPI document. */
  responses: Record<number, TSchema | null>;
}

type StaticOr<T, Fallback> = T extends TSchema ? Static<T> : Fallback;

export interface RouteContext<S extends RouteSchemas> {
  req: Request;
  res: Response;
  principal: Principal;
  params: StaticOr<S["params"], Record<string, never>>;
  query: StaticOr<S["query"], Record<string, never>>;
  body: StaticOr<S["body"], undefined>;
}

export type PublicRouteContext<S extends RouteSchemas> = Omit<RouteContext<S>, "principal">;

interface RouteDescription<S extends RouteSchemas> {
  method: Method;
  /** Express path relative to /api/v1, e.g. /flows/revisions/:number */
  path: string;
  summary: string;
  tags: string[];
  schemas: S;
}

/** A route anyone may call: only the login route is one. */
export interface PublicRouteDefinition<S extends RouteSchemas> extends RouteDescription<S> {
  handler: (context: PublicRouteContext<S>) => Promise<void>;
}

export interface RouteDefinition<S extends RouteSchemas> extends RouteDescription<S> {
  /** Minimum role; every protected route names one. */
  role: Role;
  handler: (context: RouteContext<S>) => Promise<void>;
}

const ajv = new Ajv({ allErrors: false, coerceTypes: true, useDefaults: true, strict: false, removeAdditional: false });
addFormats(ajv);

function validator(schema: TSchema | undefined): ValidateFunction | null {
  return schema ? ajv.compile(schema) : null;
}

interface OpenApiOperation {
  definition: RouteDescription<RouteSchemas>;
  role: Role | "public";
}

type Parsed<S extends RouteSchemas> = Pick<RouteContext<S>, "params" | "query" | "body">;

/** Validates params, query and body against the route's schemas (400 naming the field). */
function requestParser(schemas: RouteSchemas): <S extends RouteSchemas>(req: Request) => Parsed<S> {
  const validators = {
    params: validator(schemas.params),
    query: validator(schemas.query),
    body: validator(schemas.body),
  };
  return <S extends RouteSchemas>(req: Request): Parsed<S> => {
    const values: Record<"params" | "query" | "body", unknown> = {
      params: { ...req.params },
      query: { ...(req.query as Record<string, unknown>) },
      body: req.body ?? {},
    };
    for (const where of ["params", "query", "body"] as const) {
      const check = validators[where];
      if (check && !check(values[where])) {
        const { path, reason } = schemaErrorField(check.errors?.[0]);
        const field = path ? `${where}.${path}` : where;
        throw new HttpError(400, "validation_failed", `${field} ${reason}`, { field, reason });
      }
    }
    return values as Parsed<S>;
  };
}

/**
 * Every API route is declared with its JSON schemas and its role, side by
 * side (FlowFuse style): the same declaration validates the request, checks
 * the permission and writes the OpenAPI document.
 */
export class RouteRegistry {
  private readonly operations: OpenApiOperation[] = [];

  constructor(private readonly principalOf: (res: Response) => Principal | undefined) {}

  add<S extends RouteSchemas>(router: Router, definition: RouteDefinition<S>): void {
    const parse = requestParser(definition.schemas);
    const handler: RequestHandler = async (req, res) => {
      const principal = this.principalOf(res);
      if (!principal) throw new HttpError(401, "unauthenticated", "login required");
      if (!roleAtLeast(principal.user.role, definition.role)) {
        throw new HttpError(403, "forbidden", `this action needs the ${definition.role} role`);
      }
      await definition.handler({ req, res, principal, ...parse<S>(req) });
    };
    router[definition.method](definition.path, handler);
    this.operations.push({ definition, role: definition.role });
  }

  addPublic<S extends RouteSchemas>(router: Router, definition: PublicRouteDefinition<S>): void {
    const parse = requestParser(definition.schemas);
    router[definition.method](definition.path, async (req, res) => {
      await definition.handler({ req, res, ...parse<S>(req) });
    });
    this.operations.push({ definition, role: "public" });
  }

  openApiDocument(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const { definition, role } of this.operations) {
      const { method, path } = definition;
      const openApiPath = "/api/v1" + path.replace(/:([A-Za-z_]+)/g, "{$1}");
      const parameters: unknown[] = [];
      for (const [location, schema] of [
        ["path", definition.schemas.params],
        ["query", definition.schemas.query],
      ] as const) {
        const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
        const required = new Set((schema as { required?: string[] } | undefined)?.required ?? []);
        for (const [name, propertySchema] of Object.entries(properties)) {
          parameters.push({ name, in: location, required: location === "path" || required.has(name), schema: propertySchema });
        }
      }
      const responses: Record<string, unknown> = {};
      for (const [status, schema] of Object.entries(definition.schemas.responses)) {
        responses[status] = schema
          ? { description: `HTTP ${status}`, content: { "application/json": { schema } } }
          : { description: `HTTP ${status}` };
      }
      responses["400"] ??= { description: "invalid request", content: { "application/json": { schema: ErrorSchema } } };
      if (role !== "public") {
        responses["401"] ??= { description: "login required", content: { "application/json": { schema: ErrorSchema } } };
        responses["403"] ??= { description: `needs role ${role}`, content: { "application/json": { schema: ErrorSchema } } };
      }
      paths[openApiPath] ??= {};
      paths[openApiPath][method] = {
        summary: definition.summary,
        tags: definition.tags,
        "x-petroflow-role": role,
        parameters,
        ...(definition.schemas.body
          ? { requestBody: { required: true, content: { "application/json": { schema: definition.schemas.body } } } }
          : {}),
        responses,
        security: role === "public" ? [] : [{ session: [] }, { bearer: [] }],
      };
    }
    return {
      openapi: "3.1.0",
      info,
      servers: [{ url: "/" }],
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "pf_session" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      paths,
    };
  }
}

export const ErrorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
});
