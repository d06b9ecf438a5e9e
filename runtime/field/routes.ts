import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../http/route-registry.js";
import type { FieldTopologyRegistry } from "./field-topology.js";

export interface SiteInfo {
  siteId: string;
  name: string;
  unitSystem: "metric" | "oilfield";
}

const PointSchema = Type.Object({ point: Type.String(), unit: Type.String(), description: Type.String(), writable: Type.Boolean() });
const AssetSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  liftType: Type.Optional(Type.String()),
  description: Type.String(),
  points: Type.Array(PointSchema),
});

export function registerFieldRoutes(router: Router, routes: RouteRegistry, site: SiteInfo, topology: FieldTopologyRegistry): void {
  routes.add(router, {
    method: "get",
    path: "/site",
    summary: "This site: id, name and the unit system quantities are shown in",
    tags: ["site"],
    role: "viewer",
    schemas: {
      responses: {
        200: Type.Object({ siteId: Type.String(), name: Type.String(), unitSystem: Type.Union([Type.Literal("metric"), Type.Literal("oilfield")]) }),
      },
    },
    handler: async ({ res }) => {
      res.json(site);
    },
  });

  routes.add(router, {
    method: "get",
    path: "/field",
    summary: "The plant topology: assets, their points, and process links",
    tags: ["site"],
    role: "viewer",
    schemas: {
      responses: {
        200: Type.Object({
          siteId: Type.String(),
          assets: Type.Array(AssetSchema),
          links: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), medium: Type.String() })),
        }),
      },
    },
    handler: async ({ res }) => {
      res.json({ siteId: site.siteId, ...topology.get() });
    },
  });
}
