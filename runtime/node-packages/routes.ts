import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { SETTING_ENV } from "../../settings.js";
import { clientIp } from "../auth/routes.js";
import { HttpError } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import { DISABLED_MESSAGE, type NodePackages } from "./node-packages.js";

const PackageSchema = Type.Object({
  name: Type.String(),
  version: Type.String(),
  types: Type.Array(Type.String()),
  pendingVersion: Type.Optional(Type.String()),
});

const ChangeSchema = Type.Object({
  name: Type.String(),
  version: Type.String(),
  sha256: Type.String(),
  types: Type.Array(Type.String()),
  change: Type.Union([Type.Literal("install"), Type.Literal("upgrade")]),
  restartRequired: Type.Boolean(),
});

/** The tarball file name the CLI sends, for the audit row and Node-RED's copy under the user dir. */
const FileNameQuery = Type.Object({ file: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9@._-]{1,200}\\.tgz$" })) });
const NameParams = Type.Object({ name: Type.String({ pattern: "^(@[a-z0-9][a-z0-9._~-]*\\/)?[a-z0-9][a-z0-9._~-]*$", maxLength: 214 }) });

/** The media types a tarball may come as (the CLI sends application/gzip). */
export const TARBALL_MEDIA_TYPES = ["application/gzip", "application/x-gzip", "application/octet-stream"];

function servicesOrRefuse(packages: NodePackages | undefined): NodePackages {
  if (!packages?.enabled) throw new HttpError(403, "forbidden", DISABLED_MESSAGE, { reason: "node_install_disabled", params: { setting: SETTING_ENV.allowNodeInstall } });
  return packages;
}

/**
 * Node packages over HTTP, for `petroflow nodes`: admins only, and only when
 * PETROFLOW_ALLOW_NODE_INSTALL is on (the list answers either way, so an
 * admin can see what a site runs).
 */
export function registerNodePackageRoutes(router: Router, routes: RouteRegistry, packages: NodePackages | undefined): void {
  routes.add(router, {
    method: "get",
    path: "/node-packages",
    summary: "Node packages installed on this site from tarballs, and whether installing is on",
    tags: ["node-packages"],
    role: "admin",
    schemas: { responses: { 200: Type.Object({ installAllowed: Type.Boolean(), packages: Type.Array(PackageSchema) }) } },
    handler: async ({ res }) => {
      res.json({ installAllowed: packages?.enabled ?? false, packages: packages ? await packages.list() : [] });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/node-packages",
    summary: "Install or upgrade a node package from an npm pack tarball (body: the .tgz, Content-Type application/gzip), offline",
    tags: ["node-packages"],
    role: "admin",
    audit: { actions: ["node_package.install", "node_package.upgrade", "node_package.refused"], rows: { 200: 1, 400: "any" } },
    schemas: { query: FileNameQuery, binaryBody: TARBALL_MEDIA_TYPES, responses: { 200: Type.Object({ package: ChangeSchema }), 403: null, 409: null } },
    handler: async ({ req, res, query, principal }) => {
      const service = servicesOrRefuse(packages);
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body)) {
        throw new HttpError(415, "unsupported_media_type", `send the tarball itself as the body, with Content-Type ${TARBALL_MEDIA_TYPES[0]}`);
      }
      const change = await service.install(body, query.file ?? "package.tgz", { username: principal.user.username, ip: clientIp(req) });
      res.json({ package: change });
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/node-packages/:name",
    summary: "Remove a node package installed from a tarball (a scoped name is URL-encoded: %40acme%2Fnodes)",
    tags: ["node-packages"],
    role: "admin",
    audit: { actions: ["node_package.remove"], rows: { 200: 1 } },
    schemas: { params: NameParams, responses: { 200: Type.Object({ removed: Type.Object({ name: Type.String(), version: Type.String() }) }), 403: null, 404: null, 409: null } },
    handler: async ({ req, res, params, principal }) => {
      const removed = await servicesOrRefuse(packages).remove(params.name, { username: principal.user.username, ip: clientIp(req) });
      res.json({ removed });
    },
  });
}
