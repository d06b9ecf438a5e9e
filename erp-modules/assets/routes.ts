import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  ASSET_KINDS,
  AssetCreateSchema,
  AssetListQuerySchema,
  AssetPageSchema,
  AssetPatchSchema,
  AssetSchema,
  AssetTreeSchema,
  ConnectionCreateSchema,
  ConnectionSchema,
  StatusChangeSchema,
} from "./schema.js";
import type { AssetService } from "./service.js";

const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const TAGS = ["assets"];

/** The asset register's API (docs/erp-assets.md): viewers read, engineers edit, operators change well status. */
export function registerAssetRoutes(router: Router, routes: RouteRegistry, service: AssetService): void {
  routes.add(router, {
    method: "get",
    path: "/assets",
    summary: "Assets by kind, parent, well status or lift type; search matches code, name and UWI; ordered by code",
    tags: TAGS,
    role: "viewer",
    schemas: { query: AssetListQuerySchema, responses: { 200: AssetPageSchema } },
    handler: async ({ res, query }) => {
      res.json(await service.list(query).catch(toHttpError));
    },
  });

  // Registered before /assets/:id, which would otherwise take "tree" for an id.
  routes.add(router, {
    method: "get",
    path: "/assets/tree",
    summary: "Every asset as a flat list of nodes linked by parentId",
    tags: TAGS,
    role: "viewer",
    schemas: { responses: { 200: AssetTreeSchema } },
    handler: async ({ res }) => {
      res.json({ nodes: await service.tree().catch(toHttpError) });
    },
  });

  // Also before /assets/:id: the plant's process connections (docs/erp-assets.md, "Connectivity").
  routes.add(router, {
    method: "get",
    path: "/assets/connections",
    summary: "The plant's process connections: which stream flows from which asset to which, with their codes",
    tags: TAGS,
    role: "viewer",
    schemas: { responses: { 200: Type.Object({ connections: Type.Array(ConnectionSchema) }) } },
    handler: async ({ res }) => {
      res.json({ connections: await service.listConnections().catch(toHttpError) });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/assets/connections",
    summary: "Connect two assets of this site with a stream the pair may carry (400 names the rule broken; 409 if it exists)",
    tags: TAGS,
    audit: { actions: ["assets.connection.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: ConnectionCreateSchema, responses: { 201: ConnectionSchema, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await service.createConnection(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/assets/connections/:id",
    summary: "Remove a process connection; the audit row keeps what it was",
    tags: TAGS,
    audit: { actions: ["assets.connection.delete"], rows: { 204: 1 } },
    role: "engineer",
    schemas: { params: IdParams, responses: { 204: null, 404: null } },
    handler: async ({ res, params, principal }) => {
      await service.deleteConnection(params.id, principal.user.username).catch(toHttpError);
      res.status(204).end();
    },
  });

  routes.add(router, {
    method: "get",
    path: "/assets/:id",
    summary: "One asset with its well or equipment fields, tag links and (wells) status history",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: AssetSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await service.get(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/assets/:id/children",
    summary: "The assets directly under one, ordered by code",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: Type.Object({ assets: Type.Array(AssetSchema) }), 404: null } },
    handler: async ({ res, params }) => {
      res.json({ assets: await service.children(params.id).catch(toHttpError) });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/assets",
    summary: "Create an asset: a field (no parent), a site under a field, a well under a site, equipment under a well or site",
    tags: TAGS,
    audit: { actions: ASSET_KINDS.map((kind) => `assets.${kind}.create`), rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: AssetCreateSchema, responses: { 201: AssetSchema, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await service.create(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/assets/:id",
    summary: "Change an asset; send the rowVersion you read (409 stale if it changed since). A well's status changes through /status",
    tags: TAGS,
    audit: { actions: ASSET_KINDS.map((kind) => `assets.${kind}.update`), rows: { 200: 1 } },
    role: "engineer",
    schemas: { params: IdParams, body: AssetPatchSchema, responses: { 200: AssetSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await service.update(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/assets/:id/status",
    summary: "Change a well's status (producing, shut_in, suspended, abandoned) with a reason; kept in its status history",
    tags: TAGS,
    audit: { actions: ["assets.well.status"], rows: { 200: 1 } },
    role: "operator",
    schemas: { params: IdParams, body: StatusChangeSchema, responses: { 200: AssetSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await service.changeStatus(params.id, body, principal.user.username).catch(toHttpError));
    },
  });
}
