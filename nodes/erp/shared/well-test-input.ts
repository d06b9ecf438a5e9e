import type { LiveTags } from "../../../runtime/tags/tag-types.js";
import { flowInput, payloadFields, withFixedFields, type Built, type EntryFields } from "./entry-fields.js";
import { assetCodesIn, configuredIds, withResolvedPayloadCodes, type IdsByCode } from "./asset-codes.js";

/**
 * The well-test fields a node may read from test-separator tags, keyed by
 * the config property holding the tag path. Tags hold canonical SI values,
 * so rates are m3/d (Sm3/d for gas) and pressures kPa, as the schema wants.
 */
export const WELL_TEST_TAG_FIELDS = {
  oilRateTag: "oilRateM3PerDay",
  gasRateTag: "gasRateSm3PerDay",
  waterRateTag: "waterRateM3PerDay",
  /** A gas-lift well's lift-gas injection rate (the simulator's GL_INJ_RATE), separate from the separator gas. */
  liftGasTag: "liftGasInjectionSm3PerDay",
  tubingPressureTag: "tubingPressureKpa",
  casingPressureTag: "casingPressureKpa",
  separatorPressureTag: "separatorPressureKpa",
  /** A permanent downhole gauge's flowing pressure: the test's bottomhole pressure, its source "gauge". */
  bottomholePressureTag: "bottomholePressureKpa",
  chokeTag: "chokePercent",
} as const;

export type WellTestTagSetting = keyof typeof WELL_TEST_TAG_FIELDS;

export type WellTestConfig = { wellId?: unknown; durationHours?: unknown } & Partial<Record<WellTestTagSetting, unknown>>;

const HOUR_MS = 3_600_000;

/** The well is the only asset a well test names. */
const WELL_ID_FIELDS = ["wellId"] as const;

/** The well codes a message (msg.payload.wellCode) and the node's config (`code:WELL-101`) name, looked up before wellTestInput. */
export function wellTestCodes(config: WellTestConfig, msg: { payload?: unknown }): string[] {
  return assetCodesIn(config, msg.payload, WELL_ID_FIELDS);
}

/** The configured tag paths, by the input field they fill. */
export function configuredTagPaths(config: WellTestConfig): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [setting, field] of Object.entries(WELL_TEST_TAG_FIELDS)) {
    const path = config[setting as WellTestTagSetting];
    if (typeof path === "string" && path.trim() !== "") paths[field] = path.trim();
  }
  return paths;
}

/**
 * The current value of every configured tag. A missing tag, a quality other
 * than good, or a value that is not a number refuses the whole test: a
 * proposal built on stale or failed readings would be allocated from later.
 */
export function readTestTags(tags: Pick<LiveTags, "read">, paths: Record<string, string>): Built<{ fields: EntryFields; newestSourceMs: number }> {
  const fields: EntryFields = {};
  let newestSourceMs = 0;
  for (const [field, path] of Object.entries(paths)) {
    const value = tags.read(path);
    if (!value) return { error: `tag ${path} (${field}) has no value` };
    if (value.q !== "good") return { error: `tag ${path} (${field}) is ${value.q}${value.reason ? `: ${value.reason}` : ""}` };
    if (typeof value.v !== "number" || !Number.isFinite(value.v)) return { error: `tag ${path} (${field}) is not a number (${String(value.v)})` };
    fields[field] = value.v;
    newestSourceMs = Math.max(newestSourceMs, value.t);
  }
  return { value: { fields, newestSourceMs } };
}

function configuredDurationHours(config: WellTestConfig): number | undefined {
  const hours = typeof config.durationHours === "string" && config.durationHours.trim() !== "" ? Number(config.durationHours) : config.durationHours;
  return typeof hours === "number" && Number.isFinite(hours) ? hours : undefined;
}

/**
 * What an erp-well-test node proposes for a message (pure but for reading
 * tags). Without tags the fields come from msg.payload. With tags, their
 * values fill their fields (the payload may carry the others, or be a mere
 * trigger); the test ends at the newest tag source time, so startedAt is
 * that minus durationHours unless the payload gives it. The config's wellId
 * must agree with the payload's; its durationHours is only a default. A
 * wellCode (payload) or `code:` wellId (config) is replaced by the id in
 * `ids` before anything else, so the sourceKey is the same as by id.
 */
export function wellTestInput(
  config: WellTestConfig,
  msg: { payload?: unknown; idempotencyKey?: unknown },
  tags: Pick<LiveTags, "read">,
  ids: IdsByCode = new Map(),
): Built<EntryFields> {
  const paths = configuredTagPaths(config);
  const readsTags = Object.keys(paths).length > 0;
  const isTrigger = readsTags && (typeof msg.payload !== "object" || msg.payload === null);
  const fromPayload = isTrigger ? { value: {} } : payloadFields(msg.payload);
  if ("error" in fromPayload) return fromPayload;
  const resolved = withResolvedPayloadCodes(fromPayload.value, WELL_ID_FIELDS, ids);
  if ("error" in resolved) return resolved;
  const wellId = configuredIds(config, WELL_ID_FIELDS, ids);
  if ("error" in wellId) return wellId;
  const withWell = withFixedFields(resolved.value, wellId.value, "node");
  if ("error" in withWell) return withWell;
  let fields = withWell.value;
  const durationHours = configuredDurationHours(config);
  if (fields.durationHours === undefined && durationHours !== undefined) fields.durationHours = durationHours;
  if (readsTags) {
    const readings = readTestTags(tags, paths);
    if ("error" in readings) return readings;
    const withTags = withFixedFields(fields, readings.value.fields, "tag");
    if ("error" in withTags) return withTags;
    fields = withTags.value;
    // A tag's bottomhole pressure is a permanent gauge's reading, unless the payload says how it was obtained.
    if (paths.bottomholePressureKpa !== undefined && fields.bottomholePressureSource === undefined) fields.bottomholePressureSource = "gauge";
    if (fields.startedAt === undefined && typeof fields.durationHours === "number") {
      fields.startedAt = new Date(readings.value.newestSourceMs - fields.durationHours * HOUR_MS).toISOString();
    }
  }
  return flowInput("well-test", fields, msg.idempotencyKey);
}
