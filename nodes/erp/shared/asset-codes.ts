import type { Built, EntryFields } from "./entry-fields.js";

export type AssetIdField = "tankId" | "meterId" | "wellId" | "siteAssetId";

/**
 * The payload field that names an asset by its register code instead of its
 * id. Codes are the same on every install (TK-01), ids are not, so shipped
 * flows use codes.
 */
export const ASSET_CODE_FIELDS: Readonly<Record<AssetIdField, string>> = {
  tankId: "tankCode",
  meterId: "meterCode",
  wellId: "wellCode",
  siteAssetId: "siteAssetCode",
};

/** A config id field holding `code:TK-01` names the asset by code. */
export const CONFIG_CODE_PREFIX = "code:";

/** Asset ids by code, as looked up in the register: null for a code the register does not hold. */
export type IdsByCode = ReadonlyMap<string, string | null>;

function configValue(config: Partial<Record<AssetIdField, unknown>>, field: AssetIdField): string | undefined {
  const value = config[field];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function configCode(value: string): string | undefined {
  return value.startsWith(CONFIG_CODE_PREFIX) ? value.slice(CONFIG_CODE_PREFIX.length).trim() : undefined;
}

/** Every code the config and the payload name for these id fields: what the node must look up before building its input. */
export function assetCodesIn(config: Partial<Record<AssetIdField, unknown>>, payload: unknown, idFields: readonly AssetIdField[]): string[] {
  const codes = new Set<string>();
  const fields = typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
  for (const idField of idFields) {
    const fromPayload = fields[ASSET_CODE_FIELDS[idField]];
    if (typeof fromPayload === "string" && fromPayload !== "") codes.add(fromPayload);
    const value = configValue(config, idField);
    const fromConfig = value === undefined ? undefined : configCode(value);
    if (fromConfig) codes.add(fromConfig);
  }
  return [...codes];
}

/** Looks every code up once; a failing lookup rejects (the node's error), an unknown code maps to null. */
export async function lookUpCodes(codes: readonly string[], idByCode: (code: string) => Promise<string | null>): Promise<Map<string, string | null>> {
  const ids = await Promise.all(codes.map(idByCode));
  return new Map(codes.map((code, index) => [code, ids[index] ?? null]));
}

function unknownCode(where: string, code: string): { error: string } {
  return { error: `${where}: no asset with code "${code}" in the asset register` };
}

/**
 * The payload's code fields replaced by the ids they name. A code next to
 * an id of another asset is refused: which one was meant cannot be told.
 */
export function withResolvedPayloadCodes(fields: EntryFields, idFields: readonly AssetIdField[], ids: IdsByCode): Built<EntryFields> {
  const resolved = { ...fields };
  for (const idField of idFields) {
    const codeField = ASSET_CODE_FIELDS[idField];
    if (!(codeField in resolved)) continue;
    const code = resolved[codeField];
    if (typeof code !== "string" || code === "") return { error: `msg.payload.${codeField} must be a non-empty string (an asset code such as TK-01)` };
    const id = ids.get(code);
    if (!id) return unknownCode(`msg.payload.${codeField}`, code);
    if (idField in resolved && resolved[idField] !== id) {
      return { error: `msg.payload.${codeField} "${code}" is asset ${id}, but msg.payload.${idField} is ${String(resolved[idField])}` };
    }
    delete resolved[codeField];
    resolved[idField] = id;
  }
  return { value: resolved };
}

/** The asset ids the node's config fixes, `code:` values resolved; blank ones are not set. */
export function configuredIds(config: Partial<Record<AssetIdField, unknown>>, idFields: readonly AssetIdField[], ids: IdsByCode): Built<EntryFields> {
  const fixed: EntryFields = {};
  for (const idField of idFields) {
    const value = configValue(config, idField);
    if (value === undefined) continue;
    const code = configCode(value);
    if (code === undefined) {
      fixed[idField] = value;
      continue;
    }
    const id = code === "" ? undefined : ids.get(code);
    if (!id) return unknownCode(`the node's ${idField}`, code);
    fixed[idField] = id;
  }
  return { value: fixed };
}
