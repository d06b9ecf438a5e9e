import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { ERROR_CODES, REASON_CODES } from "../error-contract.js";
import type { Request, RequestHandler, Response, Router } from "express";
import type { Principal } from "../auth/auth-service.js";
import { holdsGrant, type Grant } from "../auth/grants.js";
import { roleAtLeast, type Role } from "../auth/roles.js";
import { checkInput, parseText } from "../input/schema-check.js";
import type { InputProblem } from "../input/input-policy.js";
import { HttpError, validationFailed } from "./errors.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

export interface RouteSchemas {
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  /** A route that takes bytes (a node package tarball) of these media types instead of JSON; its handler reads req.body, a Buffer. */
  binaryBody?: readonly string[];
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

/**
 * The audit rows a call writes, by response status: how many (or "any" for
 * an import of many rows) and which actions. Written into the OpenAPI
 * document (x-petroflow-audit); the fuzz test holds every route to it.
 * A status not listed writes none.
 */
export interface AuditDocumentation {
  actions: readonly string[];
  rows: Readonly<Partial<Record<number, number | "any">>>;
}

interface RouteDescription<S extends RouteSchemas> {
  method: Method;
  /** Express path relative to /api/v1, e.g. /flows/revisions/:number */
  path: string;
  summary: string;
  tags: string[];
  schemas: S;
  /** Required on every route that may change data (all but GET). */
  audit?: AuditDocumentation;
}

/** A route anyone may call: only the login route is one. */
export interface PublicRouteDefinition<S extends RouteSchemas> extends RouteDescription<S> {
  handler: (context: PublicRouteContext<S>) => Promise<void>;
}

export interface RouteDefinition<S extends RouteSchemas> extends RouteDescription<S> {
  /** Minimum role; every protected route names one. */
  role: Role;
  /** A grant that lets a user below `role` call the route too (runtime/auth/grants.ts). */
  permission?: Grant;
  handler: (context: RouteContext<S>) => Promise<void>;
}

interface OpenApiOperation {
  definition: RouteDescription<RouteSchemas>;
  role: Role | "public";
  permission?: Grant;
}

type Parsed<S extends RouteSchemas> = Pick<RouteContext<S>, "params" | "query" | "body">;

function orRefuse<T>(checked: { value: T } | { problem: InputProblem }): T {
  if ("problem" in checked) throw validationFailed(checked.problem);
  return checked.value;
}

function isEmptyBody(body: unknown): boolean {
  return body === undefined || (body !== null && typeof body === "object" && !Array.isArray(body) && Object.keys(body).length === 0);
}

/**
 * Checks params, query and body against the route's schemas under the input
 * policy (runtime/input): params and query are text, parsed by their schema;
 * the body is JSON (or CSV text) and is never coerced. 400 naming the field.
 */
function requestParser(schemas: RouteSchemas): <S extends RouteSchemas>(req: Request) => Parsed<S> {
  return <S extends RouteSchemas>(req: Request): Parsed<S> => {
    const params = schemas.params ? orRefuse(parseText(schemas.params, { ...req.params }, "params")) : {};
    const query = schemas.query ? orRefuse(parseText(schemas.query, { ...(req.query as Record<string, unknown>) }, "query")) : {};
    const body: unknown = req.body;
    if (schemas.binaryBody && Buffer.isBuffer(body)) return { params, query, body: undefined } as Parsed<S>;
    if (!schemas.body) {
      // A body where the route takes none is a mistake, not something to ignore.
      if (!isEmptyBody(body)) throw validationFailed({ field: "body", reason: "not_allowed" });
      return { params, query, body: undefined } as Parsed<S>;
    }
    return { params, query, body: orRefuse(checkInput(schemas.body, body ?? {}, "body")) } as Parsed<S>;
  };
}

function requireAuditDocumentation(definition: RouteDescription<RouteSchemas>): void {
  if (definition.method !== "get" && !definition.audit) {
    throw new Error(`${definition.method.toUpperCase()} ${definition.path} changes data and must document its audit rows`);
  }
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
    requireAuditDocumentation(definition);
    const parse = requestParser(definition.schemas);
    const handler: RequestHandler = async (req, res) => {
      const principal = this.principalOf(res);
      if (!principal) throw new HttpError(401, "unauthenticated", "login required");
      if (!roleAtLeast(principal.user.role, definition.role) && !(definition.permission && holdsGrant(principal.user, definition.permission))) {
        const needs = definition.permission ? `the ${definition.role} role or the ${definition.permission} permission` : `the ${definition.role} role`;
        throw new HttpError(403, "forbidden", `this action needs ${needs}`);
      }
      await definition.handler({ req, res, principal, ...parse<S>(req) });
    };
    router[definition.method](definition.path, handler);
    this.operations.push({ definition, role: definition.role, ...(definition.permission && { permission: definition.permission }) });
  }

  addPublic<S extends RouteSchemas>(router: Router, definition: PublicRouteDefinition<S>): void {
    requireAuditDocumentation(definition);
    const parse = requestParser(definition.schemas);
    router[definition.method](definition.path, async (req, res) => {
      await definition.handler({ req, res, ...parse<S>(req) });
    });
    this.operations.push({ definition, role: "public" });
  }

  openApiDocument(info: { title: string; version: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const { definition, role, permission } of this.operations) {
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
        ...(permission ? { "x-petroflow-permission": permission } : {}),
        ...(definition.audit ? { "x-petroflow-audit": definition.audit } : {}),
        parameters,
        ...(definition.schemas.body
          ? { requestBody: { required: true, content: { "application/json": { schema: definition.schemas.body } } } }
          : {}),
        ...(definition.schemas.binaryBody
          ? {
              requestBody: {
                required: true,
                content: Object.fromEntries(definition.schemas.binaryBody.map((type) => [type, { schema: { type: "string", format: "binary" } }])),
              },
            }
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

/** `error.details` of the error contract (runtime/error-contract.ts). */
export const ErrorDetailsSchema = Type.Object({
  field: Type.Optional(Type.String({ description: "dotted path of the value: body.levelM, query.limit, tankId" })),
  reason: Type.Union(REASON_CODES.map((reason) => Type.Literal(reason))),
  params: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "the values the reason names: limit, min, max, allowed…" })),
});

export const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.Union(ERROR_CODES.map((code) => Type.Literal(code))),
    message: Type.String(),
    details: Type.Optional(ErrorDetailsSchema),
  }),
});
