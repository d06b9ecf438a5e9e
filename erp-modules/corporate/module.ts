import type { ErpModule } from "../shared/erp-module.js";
import type { ErpContext } from "../shared/module-context.js";
import { registerCorporateRoutes } from "./routes.js";
import { CorporateService } from "./service.js";

export { CorporateService };

/**
 * Corporate consolidation (docs/corporate.md): reads the cloud store the sync
 * receiver fills. Its routes exist in the cloud role only: an edge box's
 * store is empty and its users have its own screens.
 */
export function createCorporateModule(context: ErpContext): ErpModule<CorporateService> {
  const service = new CorporateService(context.db);
  const cloud = context.settings?.role === "cloud";
  const defaults = { lang: context.settings?.siteLanguage ?? "en", units: context.settings?.unitSystem ?? "metric" };
  return {
    name: "corporate",
    service,
    registerRoutes: (router, routes) => {
      if (cloud) registerCorporateRoutes(router, routes, service, defaults);
    },
  };
}
