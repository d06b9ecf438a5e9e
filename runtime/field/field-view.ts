import type { Connection } from "../../erp-modules/assets/schema.js";
import type { PlantAsset } from "../../erp-modules/assets/service.js";
import type { Settings } from "../../settings.js";
import { standardConditionsValues } from "../units/gas-volume.js";
import type { Field, FieldAsset, FieldPoint, SiteInfo, StandardConditions } from "./field-schema.js";

/** What the field overview needs of a registered tag. */
export type PointTag = Pick<FieldPoint, "unit" | "description" | "writable">;

/**
 * The field overview from the register (pure): its assets keyed by code with
 * their linked tags as points, and its connections by code. A link to a tag
 * the registry does not know still shows (a flow may write it), without a
 * unit; a tag the reader may not read does not.
 */
export function fieldFromRegister(
  siteId: string,
  assets: readonly PlantAsset[],
  connections: readonly Connection[],
  tagOf: (path: string) => PointTag | undefined,
  mayRead: (path: string) => boolean,
): Field {
  return {
    siteId,
    assets: assets.map((asset) => fieldAsset(asset, tagOf, mayRead)),
    connections: connections.map(({ fromCode, toCode, stream }) => ({ fromCode, toCode, stream })),
  };
}

function fieldAsset(asset: PlantAsset, tagOf: (path: string) => PointTag | undefined, mayRead: (path: string) => boolean): FieldAsset {
  const points: FieldPoint[] = asset.tags
    .filter((link) => mayRead(link.tagPath))
    .map((link) => {
      const tag = tagOf(link.tagPath);
      return {
        role: link.role,
        tagPath: link.tagPath,
        point: link.tagPath.slice(link.tagPath.lastIndexOf("/") + 1),
        unit: tag?.unit ?? "",
        description: tag?.description ?? "",
        writable: tag?.writable ?? false,
      };
    });
  return {
    assetId: asset.id,
    code: asset.code,
    name: asset.name,
    kind: asset.kind,
    parentCode: asset.parentCode,
    ...(asset.siteType ? { siteType: asset.siteType } : {}),
    ...(asset.equipmentType ? { equipmentType: asset.equipmentType } : {}),
    ...(asset.separatorService ? { separatorService: asset.separatorService } : {}),
    ...(asset.fluid ? { fluid: asset.fluid } : {}),
    ...(asset.liftType ? { liftType: asset.liftType } : {}),
    ...(asset.status ? { status: asset.status } : {}),
    ...(asset.statusSince ? { statusSince: asset.statusSince } : {}),
    points,
  };
}

/**
 * The site's standard conditions as the site info states them, from the one
 * definition (runtime/units/gas-volume.ts), rounded to 0.1 mK and 1 Pa:
 * 60 °F is 15.5556 °C, and 14.696 psia is 101.325 kPa.
 */
function statedConditions(id: Settings["standardConditions"]): StandardConditions {
  const { temperatureDegC, pressureKpaAbs } = standardConditionsValues(id);
  return { id, temperatureDegC: Math.round(temperatureDegC * 1e4) / 1e4, pressureKpaAbs: Math.round(pressureKpaAbs * 1e3) / 1e3 };
}

/** GET /api/v1/site from the settings (pure). */
export function siteInfoFromSettings(settings: Settings): SiteInfo {
  return {
    siteId: settings.siteId,
    name: settings.siteName,
    unitSystem: settings.unitSystem,
    language: settings.siteLanguage,
    timeZone: settings.siteTimeZone,
    productionDayStartHour: settings.productionDayStartHour,
    standardConditions: statedConditions(settings.standardConditions),
    currency: settings.siteCurrency,
    role: settings.role,
  };
}
