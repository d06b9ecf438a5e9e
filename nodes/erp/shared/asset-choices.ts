import { ASSET_CHOICE_LIMIT, type AssetChoice, type AssetChoiceFilter } from "../../shared/petroflow-services.js";

const KINDS: readonly AssetChoiceFilter["kind"][] = ["well", "site", "equipment"];
const EQUIPMENT_TYPES: readonly NonNullable<AssetChoiceFilter["equipmentType"]>[] = ["tank", "meter"];

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (values as readonly string[]).includes(value);
}

/**
 * The filter of `GET <admin root>/petroflow/erp/assets?kind=&equipmentType=`,
 * or the reason it is refused. The query comes from express 4's parser, so a
 * value may also be an array or an object; only plain known strings pass.
 */
export function assetChoiceFilter(query: Readonly<Record<string, unknown>>): { value: AssetChoiceFilter } | { error: string } {
  const { kind, equipmentType } = query;
  if (!isOneOf(KINDS, kind)) return { error: `kind must be one of ${KINDS.join(", ")}` };
  if (equipmentType === undefined) return { value: { kind } };
  if (kind !== "equipment") return { error: "equipmentType is only allowed with kind=equipment" };
  if (!isOneOf(EQUIPMENT_TYPES, equipmentType)) return { error: `equipmentType must be one of ${EQUIPMENT_TYPES.join(", ")}` };
  return { value: { kind, equipmentType } };
}

/** The response: id, code and name only (no other register field reaches the editor), ordered by code, at most ASSET_CHOICE_LIMIT. */
export function assetChoices(assets: readonly AssetChoice[]): AssetChoice[] {
  return assets
    .map(({ id, code, name }) => ({ id, code, name }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .slice(0, ASSET_CHOICE_LIMIT);
}
