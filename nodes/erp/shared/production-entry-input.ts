import { flowInput, payloadFields, withFixedFields, type Built, type EntryFields } from "./entry-fields.js";
import { assetCodesIn, configuredIds, withResolvedPayloadCodes, type AssetIdField, type IdsByCode } from "./asset-codes.js";

export type { AssetIdField } from "./asset-codes.js";

export const ENTRY_TYPES = ["tank-gauge", "meter-reading", "run-ticket", "downtime"] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** The asset ids a node may fix, per entry type: only fields of that entry's schema (it allows no others). */
export const ASSET_ID_FIELDS: Readonly<Record<EntryType, readonly AssetIdField[]>> = {
  "tank-gauge": ["tankId"],
  "meter-reading": ["meterId"],
  "run-ticket": ["siteAssetId", "tankId"],
  downtime: ["wellId"],
};

export type ProductionEntryConfig = { entryType?: unknown } & Partial<Record<AssetIdField, unknown>>;

export function isEntryType(value: unknown): value is EntryType {
  return typeof value === "string" && (ENTRY_TYPES as readonly string[]).includes(value);
}

/** The asset ids set in the node's config that apply to its entry type (blank ones are not set, `code:` ones resolved). */
export function configuredAssetIds(entryType: EntryType, config: ProductionEntryConfig, ids: IdsByCode = new Map()): Built<EntryFields> {
  return configuredIds(config, ASSET_ID_FIELDS[entryType], ids);
}

/** The asset codes a message and the node's config name for the entry type's id fields (looked up before productionEntryInput). */
export function productionEntryCodes(config: ProductionEntryConfig, msg: { payload?: unknown }): string[] {
  return isEntryType(config.entryType) ? assetCodesIn(config, msg.payload, ASSET_ID_FIELDS[config.entryType]) : [];
}

/**
 * What an erp-production-entry node records for a message (pure): the
 * payload's fields with asset codes replaced by their ids (`ids`, looked up
 * from productionEntryCodes), the config's asset ids where the payload has
 * none (a different one is refused), source "flow" and the sourceKey. The
 * key is derived from the resolved fields, so a gauge sent by code and the
 * same gauge sent by id are one entry.
 */
export function productionEntryInput(
  config: ProductionEntryConfig,
  msg: { payload?: unknown; idempotencyKey?: unknown },
  ids: IdsByCode = new Map(),
): Built<{ entryType: EntryType; input: EntryFields }> {
  const entryType = config.entryType;
  if (!isEntryType(entryType)) return { error: `entry type must be one of ${ENTRY_TYPES.join(", ")} (got ${String(entryType)})` };
  const fromPayload = payloadFields(msg.payload);
  if ("error" in fromPayload) return fromPayload;
  const resolved = withResolvedPayloadCodes(fromPayload.value, ASSET_ID_FIELDS[entryType], ids);
  if ("error" in resolved) return resolved;
  const fixed = configuredAssetIds(entryType, config, ids);
  if ("error" in fixed) return fixed;
  const fields = withFixedFields(resolved.value, fixed.value, "node");
  if ("error" in fields) return fields;
  const input = flowInput(entryType, fields.value, msg.idempotencyKey);
  if ("error" in input) return input;
  return { value: { entryType, input: input.value } };
}
