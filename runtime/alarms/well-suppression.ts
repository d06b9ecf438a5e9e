import type { AssetService } from "../../erp-modules/assets/service.js";
import type { SuppressedWell, SuppressionSource } from "./alarm-engine.js";

/**
 * Suppression by design from the asset register: a well that is not
 * producing (shut in, suspended, abandoned) suppresses the alarms of its
 * tags. Read through the assets module's service, never its tables.
 */
export const SUPPRESSING_WELL_STATUSES: ReadonlySet<string> = new Set(["shut_in", "suspended", "abandoned"]);

export function wellSuppression(assets: Pick<AssetService, "tree" | "get">): SuppressionSource {
  return {
    async suppressedWells(): Promise<SuppressedWell[]> {
      const wells = (await assets.tree()).filter((node) => node.kind === "well" && node.status !== undefined && SUPPRESSING_WELL_STATUSES.has(node.status));
      const suppressed: SuppressedWell[] = [];
      // Usually a handful of wells: one light read each for their tag links.
      for (const well of wells) {
        const asset = await assets.get(well.id);
        suppressed.push({ id: well.id, code: well.code, status: well.status ?? "shut_in", tagPaths: asset.tags.map((link) => link.tagPath) });
      }
      return suppressed;
    },
  };
}
