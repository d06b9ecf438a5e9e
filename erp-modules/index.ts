import type { Router } from "express";
import type { RouteRegistry } from "../runtime/http/route-registry.js";
import { createAssetsModule, type AssetService } from "./assets/module.js";
import { createCorporateModule, type CorporateService } from "./corporate/module.js";
import { createInventoryModule, type InventoryService } from "./inventory/module.js";
import { createMaintenanceModule, type MaintenanceService } from "./maintenance/module.js";
import { createOptimizationModule, type OptimizationService } from "./optimization/module.js";
import { createProductionModule, type ProductionService } from "./production/module.js";
import { createProcurementModule, type ProcurementService } from "./procurement/module.js";
import { createReservoirModule, type ReservoirService } from "./reservoir/module.js";
import type { ErpContext } from "./shared/module-context.js";

export interface ErpModules {
  assets: AssetService;
  production: ProductionService;
  inventory: InventoryService;
  reservoir: ReservoirService;
  optimization: OptimizationService;
  maintenance: MaintenanceService;
  procurement: ProcurementService;
  /** Consolidation over what sites synced; its routes exist in the cloud role only. */
  corporate: CorporateService;
  registerRoutes(router: Router, routes: RouteRegistry): void;
}

/** Builds every ERP module; modules reach each other only through the services passed here. */
export function createErpModules(context: ErpContext): ErpModules {
  const assets = createAssetsModule(context);
  const production = createProductionModule(context, { assets: assets.service });
  const inventory = createInventoryModule(context);
  const reservoir = createReservoirModule(context, { assets: assets.service, production: production.service });
  const optimization = createOptimizationModule(context, { assets: assets.service, production: production.service });
  const maintenance = createMaintenanceModule(context, { assets: assets.service, inventory: inventory.service });
  // Procurement listens to inventory's and maintenance's events; neither of them knows it exists.
  const procurement = createProcurementModule(context, { inventory: inventory.service });
  const corporate = createCorporateModule(context);
  const modules = [assets, production, inventory, reservoir, optimization, maintenance, procurement, corporate];
  return {
    assets: assets.service,
    production: production.service,
    inventory: inventory.service,
    reservoir: reservoir.service,
    optimization: optimization.service,
    maintenance: maintenance.service,
    procurement: procurement.service,
    corporate: corporate.service,
    registerRoutes(router, routes) {
      for (const module of modules) module.registerRoutes(router, routes);
    },
  };
}
