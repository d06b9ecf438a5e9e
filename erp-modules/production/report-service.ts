import type { AssetLookup } from "../shared/asset-lookup.js";
import type { ErpContext } from "../shared/module-context.js";

/** Daily and monthly production reports built from allocation runs and entries. */
export class ReportService {
  constructor(
    readonly context: ErpContext,
    readonly assets: AssetLookup,
  ) {}
}
