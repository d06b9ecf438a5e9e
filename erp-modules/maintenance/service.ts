import type { InventoryPort } from "../inventory/inventory-port.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";
import { FailureCodeService } from "./failure-code-service.js";
import { PartsService } from "./parts-service.js";
import { PlanService } from "./plan-service.js";
import { WorkOrderService } from "./work-order-service.js";

/** The modules maintenance reads through (never their tables). */
export interface MaintenanceDependencies {
  assets: AssetLookup;
  /** Parts reserved and consumed on work orders; absent in tests that need no stock. */
  inventory?: InventoryPort;
}

/** The maintenance module's service: work orders, preventive plans and the failure-code catalogue. */
export class MaintenanceService {
  readonly workOrders: WorkOrderService;
  readonly plans: PlanService;
  readonly parts: PartsService;
  readonly failureCodes: FailureCodeService;

  constructor(
    readonly context: ErpContext,
    readonly dependencies: MaintenanceDependencies,
  ) {
    this.parts = new PartsService(context, dependencies.inventory);
    this.failureCodes = new FailureCodeService(context);
    this.workOrders = new WorkOrderService(context, dependencies.assets, this.parts, this.failureCodes);
    this.plans = new PlanService(context, dependencies.assets, this.workOrders);
  }
}
