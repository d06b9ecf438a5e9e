/** How the sparkplug-edge node turns tag updates into metric changes and command writes back into tag paths. */
import type { TagUpdate } from "../../shared/petroflow-services.js";
import type { MetricChange, MetricWrite } from "./edge-node-logic.js";
import { qualityCode } from "./metric-mapping.js";

export interface EdgeTagMapping {
  /** Tags of this asset are node-level metrics (NDATA); every other asset is a device. */
  nodeAsset?: string;
}

/** `<site>/<asset>/<point>` → device = asset (or node level for nodeAsset), metric = point; quality only when not good. */
export function changeFromTag(update: TagUpdate, mapping: EdgeTagMapping): MetricChange {
  const [, asset, point] = update.path.split("/");
  return {
    deviceId: asset === mapping.nodeAsset ? null : asset,
    name: point,
    value: update.value.v,
    t: update.value.t,
    ...(update.value.q !== "good" && { quality: qualityCode(update.value.q) }),
  };
}

/** The tag a command write goes to: the site the asset's tags came from. */
export function tagPathOfWrite(write: MetricWrite, siteOfAsset: ReadonlyMap<string, string>, mapping: EdgeTagMapping): string | undefined {
  const asset = write.deviceId ?? mapping.nodeAsset;
  if (asset === undefined) return undefined;
  const site = siteOfAsset.get(asset);
  return site === undefined ? undefined : `${site}/${asset}/${write.name}`;
}
