import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";

/** Allocation runs: measured site volumes shared among wells by their theoretical production. */
export class AllocationService {
  constructor(
    readonly context: ErpContext,
    readonly assets: AssetLookup,
  ) {}
}
