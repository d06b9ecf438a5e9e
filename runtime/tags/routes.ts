import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { HttpError } from "../http/errors.js";
import { ErrorDetailsSchema, type RouteRegistry } from "../http/route-registry.js";
import { TagCreateSchema, TagPatchSchema, TagSchema } from "./schema.js";
import { TagRegistryError, type TagDefinition, type TagRegistry } from "./tag-registry.js";
import type { LiveTags } from "./tag-types.js";

function toHttp(error: unknown): never {
  if (error instanceof TagRegistryError) {
    const status = { not_found: 404, conflict: 409, stale: 409, invalid_input: 400 }[error.code];
    throw new HttpError(status, error.code, error.message, error.details);
  }
  throw error;
}

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

export function registerTagRoutes(router: Router, routes: RouteRegistry, registry: TagRegistry, live: LiveTags): void {
  const withLive = (tag: TagDefinition) => ({ ...tag, live: live.read(tag.path) ?? null });

  routes.add(router, {
    method: "get",
    path: "/tags",
    summary: "Tag definitions with their live values (search, path prefix, paging)",
    tags: ["tags"],
    role: "viewer",
    schemas: {
      query: Type.Object(
        {
          search: Type.Optional(Type.String({ maxLength: 200 })),
          prefix: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        },
        { additionalProperties: false },
      ),
      responses: { 200: Type.Object({ tags: Type.Array(TagSchema), total: Type.Integer() }) },
    },
    handler: async ({ res, query, principal }) => {
      const page = await registry.list({ ...query, role: principal.user.role });
      res.json({ tags: page.tags.map(withLive), total: page.total });
    },
  });

  routes.add(router, {
    method: "get",
    path: "/tags/export.csv",
    summary: "All tag definitions as CSV (the import format)",
    tags: ["tags"],
    role: "engineer",
    schemas: { responses: { 200: null } },
    handler: async ({ res }) => {
      res.type("text/csv").attachment("tags.csv").send(await registry.exportCsv());
    },
  });

  routes.add(router, {
    method: "post",
    path: "/tags/import",
    summary: "Create or update tags from CSV (Content-Type: text/csv); rejected rows are reported with line and reason",
    tags: ["tags"],
    audit: { actions: ["tag.create", "tag.update"], rows: { 200: "any" } },
    role: "engineer",
    schemas: {
      body: Type.String({ minLength: 1, description: "CSV text with a header row" }),
      responses: {
        200: Type.Object({
          created: Type.Integer(),
          updated: Type.Integer(),
          rejected: Type.Array(
            Type.Object({
              line: Type.Integer(),
              path: Type.String(),
              reason: Type.String({ description: "in English" }),
              details: ErrorDetailsSchema,
            }),
          ),
        }),
      },
    },
    handler: async ({ req, res, body, principal }) => {
      if (!req.is(["text/csv", "text/plain", "application/csv"])) {
        throw new HttpError(415, "unsupported_media_type", "send the CSV with Content-Type: text/csv");
      }
      res.json(await registry.importCsv(body, principal.user.username).catch(toHttp));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/tags",
    summary: "Create a tag",
    tags: ["tags"],
    audit: { actions: ["tag.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: TagCreateSchema, responses: { 201: Type.Object({ tag: TagSchema }), 409: null } },
    handler: async ({ res, body, principal }) => {
      const tag = await registry.create(body, principal.user.username).catch(toHttp);
      res.status(201).json({ tag: withLive(tag) });
    },
  });

  routes.add(router, {
    method: "get",
    path: "/tags/:id",
    summary: "One tag with its live value",
    tags: ["tags"],
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: Type.Object({ tag: TagSchema }), 404: null } },
    handler: async ({ res, params, principal }) => {
      const tag = await registry.get(params.id).catch(toHttp);
      if (!registry.mayRead(tag.path, principal.user.role)) throw new HttpError(404, "not_found", `no tag ${params.id}`);
      res.json({ tag: withLive(tag) });
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/tags/:id",
    summary: "Change a tag; send the rowVersion you read (409 if it changed since)",
    tags: ["tags"],
    audit: { actions: ["tag.update"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: IdParams, body: TagPatchSchema, responses: { 200: Type.Object({ tag: TagSchema }), 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      const tag = await registry.update(params.id, body, principal.user.username).catch(toHttp);
      res.json({ tag: withLive(tag) });
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/tags/:id",
    summary: "Delete a tag definition (its live value stays until the next write)",
    tags: ["tags"],
    audit: { actions: ["tag.delete"], rows: { 204: 1 } },
    role: "engineer",
    schemas: { params: IdParams, responses: { 204: null, 404: null } },
    handler: async ({ res, params, principal }) => {
      await registry.delete(params.id, principal.user.username).catch(toHttp);
      res.status(204).end();
    },
  });
}
