import { flowInput, payloadFields, withFixedFields, type Built, type EntryFields } from "./entry-fields.js";

export const ENTRY_TYPES = ["tank-gauge", "meter-reading", "run-ticket", "downtime"] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export type AssetIdField = "tankId" | "meterId" | "wellId" | "siteAssetId";

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

/** The asset ids set in the node's config that apply to its entry type (blank ones are not set). */
export function configuredAssetIds(entryType: EntryType, config: ProductionEntryConfig): EntryFields {
  const ids: EntryFields = {};
  for (const field of ASSET_ID_FIELDS[entryType]) {
    const value = config[field];
    if (typeof value === "string" && value.trim() !== "") ids[field] = value.trim();
  }
  return ids;
}

/**
 * What an erp-production-entry node records for a message (pure): the
 * payload's fields, the config's asset ids where the payload has none
 * (a different one is refused), source "flow" and the sourceKey.
 */
export function productionEntryInput(config: ProductionEntryConfig, msg: { payload?: unknown; idempotencyKey?: unknown }): Built<{ entryType: EntryType; input: EntryFields }> {
  const entryType = config.entryType;
  if (!isEntryType(entryType)) return { error: `entry type must be one of ${ENTRY_TYPES.join(", ")} (got ${String(entryType)})` };
  const fromPayload = payloadFields(msg.payload);
  if ("error" in fromPayload) return fromPayload;
  const fields = withFixedFields(fromPayload.value, configuredAssetIds(entryType, config), "node");
  if ("error" in fields) return fields;
  const input = flowInput(entryType, fields.value, msg.idempotencyKey);
  if ("error" in input) return input;
  return { value: { entryType, input: input.value } };
}
