import type { OilfieldModel } from "./types.js";

/**
 * The same field restricted to some assets: lets one protocol server carry
 * part of the plant (the demo gives each protocol its own assets, so no tag
 * has two writers). Reads, writes and time go to the whole model.
 */
export function modelView(model: OilfieldModel, assetIds: readonly string[]): OilfieldModel {
  const keep = new Set(assetIds);
  const unknown = assetIds.filter((id) => !model.assets.some((asset) => asset.id === id));
  if (unknown.length) throw new Error(`no such asset(s) in the model: ${unknown.join(", ")}`);
  const guard = (asset: string) => {
    if (!keep.has(asset)) throw new Error(`asset ${asset} is not part of this view`);
  };
  return {
    siteId: model.siteId,
    assets: model.assets.filter((asset) => keep.has(asset.id)),
    points: model.points.filter((point) => keep.has(point.asset)),
    read(asset, point) {
      guard(asset);
      return model.read(asset, point);
    },
    write(asset, point, value) {
      guard(asset);
      model.write(asset, point, value);
    },
    step: (dtSeconds) => model.step(dtSeconds),
    now: () => model.now(),
    onEvent: (listener) => model.onEvent((event) => (keep.has(event.asset) ? listener(event) : undefined)),
  };
}
