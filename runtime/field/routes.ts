import type { Router } from "express";
import type { AssetService } from "../../erp-modules/assets/service.js";
import { toHttpError } from "../../erp-modules/shared/service-error.js";
import type { RouteRegistry } from "../http/route-registry.js";
import type { TagRegistry } from "../tags/tag-registry.js";
import { FieldSchema, SiteInfoSchema, type SiteInfo } from "./field-schema.js";
import { fieldFromRegister } from "./field-view.js";

export interface FieldRouteDeps {
  site: SiteInfo;
  /** The register owns the plant: assets, their tag links, connections. */
  assets: AssetService;
  tags: TagRegistry;
}

export function registerFieldRoutes(router: Router, routes: RouteRegistry, deps: FieldRouteDeps): void {
  routes.add(router, {
    method: "get",
    path: "/site",
    summary: "This site: id, name, unit system, language, time zone, production-day start, standard conditions and currency",
    tags: ["site"],
    role: "viewer",
    schemas: { responses: { 200: SiteInfoSchema } },
    handler: async ({ res }) => {
      res.json(deps.site);
    },
  });

  routes.add(router, {
    method: "get",
    path: "/field",
    summary: "The plant from the asset register: sites, wells and equipment by code with their status and tags, and the process connections",
    tags: ["site"],
    role: "viewer",
    schemas: { responses: { 200: FieldSchema } },
    handler: async ({ res, principal }) => {
      const [assets, connections] = await Promise.all([deps.assets.plantAssets(), deps.assets.listConnections()]).catch(toHttpError);
      const tags = await deps.tags.definitionsOf(assets.flatMap((asset) => asset.tags.map((link) => link.tagPath)));
      const role = principal.user.role;
      res.json(fieldFromRegister(deps.site.siteId, assets, connections, (path) => tags.get(path), (path) => deps.tags.mayRead(path, role)));
    },
  });
}
