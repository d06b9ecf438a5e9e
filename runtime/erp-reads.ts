import type { ErpModules } from "../erp-modules/index.js";
import type { ErpReads } from "../nodes/shared/petroflow-services.js";

/** Bound copies of the modules' read methods only: a flow given these cannot call a write (PetroflowServices.erpReads). */
export function erpReadsOf(erp: Pick<ErpModules, "assets" | "production" | "inventory" | "maintenance" | "reservoir" | "optimization" | "procurement">): ErpReads {
  const { assets, production, inventory, maintenance, reservoir, optimization, procurement } = erp;
  return {
    assets: { list: (query) => assets.list(query), get: (id) => assets.get(id), findByCode: (code) => assets.findByCode(code), findByTag: (tagPath) => assets.findByTag(tagPath) },
    production: {
      allocation: { listRuns: (query) => production.allocation.listRuns(query), getRun: (runId) => production.allocation.getRun(runId) },
      reports: { daily: (query) => production.reports.daily(query) },
      wellSeries: { allocatedDays: (wellId, fluid, from, to) => production.wellSeries.allocatedDays(wellId, fluid, from, to) },
    },
    inventory: {
      getItem: (id) => inventory.getItem(id),
      onHand: (query) => inventory.onHand(query),
      availability: (itemId, locationId) => inventory.availability(itemId, locationId),
      listReorderPoints: () => inventory.listReorderPoints(),
    },
    maintenance: {
      workOrders: { list: (query) => maintenance.workOrders.list(query), get: (id) => maintenance.workOrders.get(id) },
      plans: { list: (equipmentId, now) => maintenance.plans.list(equipmentId, now) },
    },
    reservoir: { forecasts: { current: (wellId, fluid) => reservoir.forecasts.current(wellId, fluid), list: (wellId, fluid) => reservoir.forecasts.list(wellId, fluid) } },
    optimization: { gasLiftRuns: { listRuns: (siteAssetId, limit) => optimization.gasLiftRuns.listRuns(siteAssetId, limit), getRun: (runId) => optimization.gasLiftRuns.getRun(runId) } },
    procurement: {
      suppliers: { list: (query) => procurement.suppliers.list(query) },
      requisitions: { listLines: (query) => procurement.requisitions.listLines(query) },
      purchaseOrders: { list: (query) => procurement.purchaseOrders.list(query), detail: (id) => procurement.purchaseOrders.detail(id) },
      receiving: { listInvoices: (query) => procurement.receiving.listInvoices(query) },
    },
  };
}
