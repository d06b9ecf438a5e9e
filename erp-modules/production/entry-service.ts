import { type Static, type TSchema } from "@sinclair/typebox";
import type { Queryable, SqlValue } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import { checkInput } from "../../runtime/input/schema-check.js";
import type { AssetLookup } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric, fromNumericOrNull } from "../shared/numeric.js";
import { inputRefused, invalidInput as invalid, ServiceError, serviceError } from "../shared/service-error.js";
import {
  DowntimeInputSchema,
  GasDispositionInputSchema,
  MeterReadingInputSchema,
  RunTicketInputSchema,
  TankGaugeInputSchema,
  WellTestInputSchema,
  type DowntimeInput,
  type DowntimeReason,
  type Fluid,
  type GasDispositionInput,
  type MeterReadingInput,
  type RunTicketInput,
  type TankGaugeInput,
  type WellTestInput,
  type BottomholePressureSource,
} from "./entry-schemas.js";
import { formationGasRate, gasBalance, type GasDispositionKind } from "./model/gas-lift.js";
import { measuringMeterIds } from "./allocation-inputs.js";
import { fromUnits, toUnits } from "./model/allocation.js";
import { latestReadings } from "./model/measured-totals.js";
import {
  correctOilVolume,
  oilVolumeBaseOf,
  VolumeCorrectionRangeError,
  type CorrectedOilVolume,
  type OilMeasurement,
  type OilVolumeBase,
} from "./model/volume-correction.js";
import type { PeriodAccess } from "./month-close-schema.js";
import { assertPeriodWritable, recordAdjustments } from "./month-close-service.js";
import type { EntryInput, ProductionEntryPort, RecordedEntry } from "./ports.js";
import {
  CloseDowntimeSchema,
  DowntimeQuerySchema,
  EntryTypeSchema,
  GasBalanceQuerySchema,
  GasDispositionQuerySchema,
  MeterReadingQuerySchema,
  RunTicketQuerySchema,
  TankGaugeQuerySchema,
  VoidEntrySchema,
  WellTestDecisionSchema,
  WellTestQuerySchema,
  type DowntimeEvent,
  type DowntimeQuery,
  type EntryType,
  type GasBalance,
  type GasBalanceQuery,
  type GasDisposition,
  type GasDispositionQuery,
  type MeterReading,
  type MeterReadingQuery,
  type Page,
  type ProductionEntry,
  type RunTicket,
  type RunTicketQuery,
  type TankGauge,
  type TankGaugeQuery,
  type WellTest,
  type WellTestDecision,
  type WellTestQuery,
  type WellTestStatus,
} from "./schema.js";
import { productionDayClock, UTC_CLOCK, type ProductionDayClock } from "./model/production-day.js";

/** A recorded entry with its stored form typed. */
export interface Recorded<Entry extends Record<string, unknown>> extends RecordedEntry {
  entry: Entry;
}

// ---------------------------------------------------------------------------
// Input validation. Nodes call the service with whatever a message carries,
// so the service validates every input itself, under the same input policy
// and schemas as the API (which validated it already).

/**
 * Checks an input against its schema and fills the schema defaults, on a
 * copy: the caller's object (a flow message) is never changed. Throws
 * ServiceError invalid_input naming the field (`root` when the value itself is wrong).
 */
export function parseInput<T extends TSchema>(schema: T, input: unknown, root = ""): Static<T> {
  const checked = checkInput(schema, input, root);
  if ("problem" in checked) throw inputRefused(checked.problem);
  return checked.value;
}

/** Clocks drift and forms are filled in late; a time more than this ahead of ours is a mistake. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function assertNotFuture(field: string, instant: string, nowMs: number): void {
  if (Date.parse(instant) > nowMs + FUTURE_TOLERANCE_MS) throw invalid(field, "in_future");
}

/**
 * A downtime may end at the instant it started: forms work to the minute, and
 * a trip restarted within the minute is a real event of under a minute.
 */
function assertEndNotBeforeStart(endedAt: string, startedAt: string): void {
  if (Date.parse(endedAt) < Date.parse(startedAt)) throw invalid("endedAt", "before_field", { other: "startedAt" });
}

/** Not after the site's production day of now (UTC calendar days by default). */
export function assertDayNotFuture(field: string, date: string, nowMs: number, clock: ProductionDayClock = UTC_CLOCK): void {
  const latest = clock.dayOf(nowMs + FUTURE_TOLERANCE_MS);
  if (date > latest) throw invalid(field, "in_future");
}

// ---------------------------------------------------------------------------
// Where an entry belongs: the site (pad, station, battery) above its well,
// tank or meter.

/** Deeper than any real hierarchy (field > site > well > equipment): stops a cycle in bad data. */
const MAX_ASSET_DEPTH = 16;

/** Walks up from an asset (itself included) to the first site; invalid_input on `field` when there is none. */
export async function siteAbove(assets: AssetLookup, assetId: string | null, field: string): Promise<string> {
  let id = assetId;
  for (let depth = 0; id !== null && depth < MAX_ASSET_DEPTH; depth++) {
    const asset = await assets.getAsset(id);
    if (!asset) break;
    if (asset.kind === "site") return asset.id;
    id = asset.parentId;
  }
  throw invalid(field, "not_under_site");
}

export async function resolveWellSite(assets: AssetLookup, wellId: string, field = "wellId"): Promise<string> {
  const well = await assets.getWell(wellId);
  if (!well) throw invalid(field, "not_a_well");
  return siteAbove(assets, well.parentId, field);
}

export async function resolveEquipmentSite(assets: AssetLookup, assetId: string, equipmentType: "tank" | "meter", field: string): Promise<string> {
  const asset = await assets.getAsset(assetId);
  if (!asset || asset.kind !== "equipment" || asset.equipmentType !== equipmentType) throw invalid(field, equipmentType === "tank" ? "not_a_tank" : "not_a_meter");
  return siteAbove(assets, asset.parentId, field);
}

export async function resolveSite(assets: AssetLookup, siteAssetId: string, field = "siteAssetId"): Promise<string> {
  const asset = await assets.getAsset(siteAssetId);
  if (!asset || asset.kind !== "site") throw invalid(field, "not_a_site");
  return asset.id;
}

// ---------------------------------------------------------------------------
// Rows and their API form.

interface CommonRow {
  id: string;
  site_asset_id: string;
  source: "manual" | "flow";
  source_key: string | null;
  notes: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

interface VoidColumns {
  void_reason: string | null;
  voided_by: string | null;
  voided_at: Date | null;
}

type Numeric = string | number;

interface OilQualityColumns {
  observed_density_kg_per_m3: Numeric | null;
  observed_api_gravity: Numeric | null;
  bsw_percent: Numeric | null;
  volume_base: OilVolumeBase | null;
  base_density_kg_per_m3: Numeric | null;
  ctl: Numeric | null;
  gross_standard_volume_m3: Numeric | null;
  net_standard_volume_m3: Numeric | null;
}

interface TankGaugeRow extends CommonRow, VoidColumns, OilQualityColumns {
  tank_id: string;
  gauged_at: Date;
  level_m: Numeric;
  water_level_m: Numeric | null;
  temperature_deg_c: Numeric | null;
  volume_m3: Numeric;
  water_volume_m3: Numeric | null;
}

interface MeterReadingRow extends CommonRow, VoidColumns {
  meter_id: string;
  production_date: string;
  fluid: Fluid;
  volume_m3: Numeric;
  totalizer_m3: Numeric | null;
}

interface RunTicketRow extends CommonRow, VoidColumns, OilQualityColumns {
  tank_id: string | null;
  temperature_deg_c: Numeric | null;
  ticket_number: string;
  shipped_at: Date;
  fluid: Fluid;
  volume_m3: Numeric;
  destination: "truck" | "pipeline";
  carrier: string;
}

interface GasDispositionRow extends CommonRow, VoidColumns {
  production_date: string;
  disposition: GasDispositionKind;
  volume_sm3: Numeric;
}

interface DowntimeRow extends CommonRow, VoidColumns {
  well_id: string;
  started_at: Date;
  ended_at: Date | null;
  reason_code: DowntimeReason;
}

interface WellTestRow extends CommonRow {
  well_id: string;
  started_at: Date;
  duration_hours: Numeric;
  oil_rate_m3_per_day: Numeric;
  gas_rate_sm3_per_day: Numeric;
  water_rate_m3_per_day: Numeric;
  lift_gas_injection_sm3_per_day: Numeric | null;
  choke_percent: Numeric | null;
  tubing_pressure_kpa: Numeric | null;
  casing_pressure_kpa: Numeric | null;
  separator_pressure_kpa: Numeric | null;
  bottomhole_pressure_kpa: Numeric | null;
  bottomhole_pressure_source: BottomholePressureSource | null;
  status: WellTestStatus;
  decided_by: string | null;
  decided_at: Date | null;
  decision_note: string;
}

const COMMON_COLUMNS = "t.id, t.site_asset_id, t.source, t.source_key, t.notes, t.created_at, t.updated_at, t.row_version, t.created_by";
const VOID_COLUMNS = "v.reason AS void_reason, v.created_by AS voided_by, v.created_at AS voided_at";

function common(row: CommonRow) {
  return {
    id: row.id,
    siteAssetId: row.site_asset_id,
    source: row.source,
    sourceKey: row.source_key,
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    createdBy: row.created_by,
  };
}

const OIL_QUALITY_COLUMNS =
  "t.observed_density_kg_per_m3, t.observed_api_gravity, t.bsw_percent, t.volume_base, t.base_density_kg_per_m3, t.ctl, " +
  "t.gross_standard_volume_m3, t.net_standard_volume_m3";

function oilQualityFields(row: OilQualityColumns) {
  return {
    observedDensityKgPerM3: fromNumericOrNull(row.observed_density_kg_per_m3),
    observedApiGravity: fromNumericOrNull(row.observed_api_gravity),
    bswPercent: fromNumericOrNull(row.bsw_percent),
    volumeBase: row.volume_base,
    baseDensityKgPerM3: fromNumericOrNull(row.base_density_kg_per_m3),
    ctl: fromNumericOrNull(row.ctl),
    grossStandardVolumeM3: fromNumericOrNull(row.gross_standard_volume_m3),
    netStandardVolumeM3: fromNumericOrNull(row.net_standard_volume_m3),
  };
}

interface OilQualityInput {
  temperatureDegC?: number | undefined;
  observedDensityKgPerM3?: number | undefined;
  observedApiGravity?: number | undefined;
  bswPercent?: number | undefined;
}

/** What is stored for an oil measurement: its readings and, when they suffice, the standard volumes. */
interface OilQualityValues {
  observedDensityKgPerM3: number | null;
  observedApiGravity: number | null;
  bswPercent: number | null;
  volumeBase: OilVolumeBase | null;
  baseDensityKgPerM3: number | null;
  ctl: number | null;
  grossStandardVolumeM3: number | null;
  netStandardVolumeM3: number | null;
}

/**
 * GSV needs the temperature and a density or gravity; NSV also the BS&W
 * (API MPMS 11.1-2004, CPL = 1 for atmospheric tanks and trucks). Readings
 * outside the standard's range are refused naming the field.
 */
function oilQualityValues(input: OilQualityInput, grossObservedVolumeM3: number, base: OilVolumeBase): OilQualityValues {
  const { temperatureDegC, observedDensityKgPerM3, observedApiGravity, bswPercent } = input;
  if (observedDensityKgPerM3 !== undefined && observedApiGravity !== undefined) {
    throw invalid("observedApiGravity", "only_one_of", { other: "observedDensityKgPerM3" });
  }
  const readings = {
    observedDensityKgPerM3: observedDensityKgPerM3 ?? null,
    observedApiGravity: observedApiGravity ?? null,
    bswPercent: bswPercent ?? null,
  };
  const none = { volumeBase: null, baseDensityKgPerM3: null, ctl: null, grossStandardVolumeM3: null, netStandardVolumeM3: null };
  if (temperatureDegC === undefined || (observedDensityKgPerM3 === undefined && observedApiGravity === undefined)) return { ...readings, ...none };
  const corrected = correctedOrRefused(
    { grossObservedVolumeM3, temperatureDegC, observedDensityKgPerM3, observedApiGravity, bswPercent: bswPercent ?? 0 },
    base,
  );
  return {
    ...readings,
    volumeBase: corrected.base,
    baseDensityKgPerM3: corrected.baseDensityKgPerM3,
    ctl: corrected.ctl,
    grossStandardVolumeM3: corrected.grossStandardVolumeM3,
    netStandardVolumeM3: bswPercent === undefined ? null : corrected.netStandardVolumeM3,
  };
}

/** The model's range errors as a 400 naming the input the operator typed (the temperature, or the gravity given). */
function correctedOrRefused(measurement: OilMeasurement, base: OilVolumeBase): CorrectedOilVolume {
  try {
    return correctOilVolume(measurement, base);
  } catch (error) {
    if (!(error instanceof VolumeCorrectionRangeError)) throw error;
    const gravityField = measurement.observedApiGravity === undefined ? "observedDensityKgPerM3" : "observedApiGravity";
    const field = error.field.startsWith("temperature") ? "temperatureDegC" : gravityField;
    throw invalid(field, "outside_oil_correction_range", undefined, error.message);
  }
}

function oilQualityParams(values: OilQualityValues): SqlValue[] {
  return [
    values.observedDensityKgPerM3,
    values.observedApiGravity,
    values.bswPercent,
    values.volumeBase,
    values.baseDensityKgPerM3,
    values.ctl,
    values.grossStandardVolumeM3,
    values.netStandardVolumeM3,
  ];
}

function voidFields(row: VoidColumns) {
  return {
    voided: row.voided_at !== null,
    voidReason: row.void_reason,
    voidedBy: row.voided_by,
    voidedAt: row.voided_at ? row.voided_at.toISOString() : null,
  };
}

/** How one entry table is read: `read` runs its select (aliased t, voids v) with a WHERE/ORDER tail. */
interface TableSpec<Entry> {
  entryType: EntryType | "well_test";
  table: string;
  select: string;
  read(db: Queryable, tail: string, params: readonly SqlValue[]): Promise<Entry[]>;
}

function tableSpec<Row, Entry>(definition: {
  entryType: EntryType | "well_test";
  table: string;
  select: string;
  toEntry: (row: Row) => Entry;
}): TableSpec<Entry> {
  const { toEntry, ...spec } = definition;
  return {
    ...spec,
    async read(db, tail, params) {
      const result = await db.query<Row>(`${spec.select} ${tail}`, params);
      return result.rows.map(toEntry);
    },
  };
}

function voidableSelect(table: string, entryType: EntryType, columns: string): string {
  return `SELECT ${COMMON_COLUMNS}, ${columns}, ${VOID_COLUMNS}
    FROM ${table} t LEFT JOIN entry_voids v ON v.entry_type = '${entryType}' AND v.entry_id = t.id`;
}

const TANK_GAUGES = tableSpec<TankGaugeRow, TankGauge>({
  entryType: "tank_gauge",
  table: "tank_gauges",
  select: voidableSelect(
    "tank_gauges",
    "tank_gauge",
    `t.tank_id, t.gauged_at, t.level_m, t.water_level_m, t.temperature_deg_c, t.volume_m3, t.water_volume_m3, ${OIL_QUALITY_COLUMNS}`,
  ),
  toEntry: (row) => ({
    ...common(row),
    ...voidFields(row),
    tankId: row.tank_id,
    gaugedAt: row.gauged_at.toISOString(),
    levelM: fromNumeric(row.level_m),
    waterLevelM: fromNumericOrNull(row.water_level_m),
    temperatureDegC: fromNumericOrNull(row.temperature_deg_c),
    volumeM3: fromNumeric(row.volume_m3),
    waterVolumeM3: fromNumericOrNull(row.water_volume_m3),
    ...oilQualityFields(row),
  }),
});

const METER_READINGS = tableSpec<MeterReadingRow, MeterReading>({
  entryType: "meter_reading",
  table: "meter_readings",
  select: voidableSelect(
    "meter_readings",
    "meter_reading",
    // A date column as text: node-pg would turn it into a local-midnight Date.
    "t.meter_id, t.production_date::text AS production_date, t.fluid, t.volume_m3, t.totalizer_m3",
  ),
  toEntry: (row) => ({
    ...common(row),
    ...voidFields(row),
    meterId: row.meter_id,
    productionDate: row.production_date,
    fluid: row.fluid,
    volumeM3: fromNumeric(row.volume_m3),
    totalizerM3: fromNumericOrNull(row.totalizer_m3),
  }),
});

const RUN_TICKETS = tableSpec<RunTicketRow, RunTicket>({
  entryType: "run_ticket",
  table: "run_tickets",
  select: voidableSelect(
    "run_tickets",
    "run_ticket",
    `t.tank_id, t.ticket_number, t.shipped_at, t.fluid, t.volume_m3, t.destination, t.carrier, t.temperature_deg_c, ${OIL_QUALITY_COLUMNS}`,
  ),
  toEntry: (row) => ({
    ...common(row),
    ...voidFields(row),
    tankId: row.tank_id,
    ticketNumber: row.ticket_number,
    shippedAt: row.shipped_at.toISOString(),
    fluid: row.fluid,
    volumeM3: fromNumeric(row.volume_m3),
    destination: row.destination,
    carrier: row.carrier,
    temperatureDegC: fromNumericOrNull(row.temperature_deg_c),
    ...oilQualityFields(row),
  }),
});

const DOWNTIME_EVENTS = tableSpec<DowntimeRow, DowntimeEvent>({
  entryType: "downtime_event",
  table: "downtime_events",
  select: voidableSelect("downtime_events", "downtime_event", "t.well_id, t.started_at, t.ended_at, t.reason_code"),
  toEntry: (row) => ({
    ...common(row),
    ...voidFields(row),
    wellId: row.well_id,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at ? row.ended_at.toISOString() : null,
    reasonCode: row.reason_code,
    open: row.ended_at === null && row.voided_at === null,
  }),
});

const WELL_TESTS = tableSpec<WellTestRow, WellTest>({
  entryType: "well_test",
  table: "well_tests",
  select: `SELECT ${COMMON_COLUMNS}, t.well_id, t.started_at, t.duration_hours, t.oil_rate_m3_per_day, t.gas_rate_sm3_per_day,
      t.water_rate_m3_per_day, t.lift_gas_injection_sm3_per_day, t.choke_percent, t.tubing_pressure_kpa, t.casing_pressure_kpa, t.separator_pressure_kpa,
      t.bottomhole_pressure_kpa, t.bottomhole_pressure_source, t.status, t.decided_by, t.decided_at, t.decision_note
    FROM well_tests t`,
  toEntry: (row) => ({
    ...common(row),
    wellId: row.well_id,
    startedAt: row.started_at.toISOString(),
    durationHours: fromNumeric(row.duration_hours),
    oilRateM3PerDay: fromNumeric(row.oil_rate_m3_per_day),
    gasRateSm3PerDay: fromNumeric(row.gas_rate_sm3_per_day),
    waterRateM3PerDay: fromNumeric(row.water_rate_m3_per_day),
    liftGasInjectionSm3PerDay: fromNumericOrNull(row.lift_gas_injection_sm3_per_day),
    ...formationGasOf(row),
    chokePercent: fromNumericOrNull(row.choke_percent),
    tubingPressureKpa: fromNumericOrNull(row.tubing_pressure_kpa),
    casingPressureKpa: fromNumericOrNull(row.casing_pressure_kpa),
    separatorPressureKpa: fromNumericOrNull(row.separator_pressure_kpa),
    bottomholePressureKpa: fromNumericOrNull(row.bottomhole_pressure_kpa),
    bottomholePressureSource: row.bottomhole_pressure_source,
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    decisionNote: row.decision_note,
  }),
});

/** A test's formation gas: its separator gas less the lift gas injected (model/gas-lift.ts). */
function formationGasOf(row: WellTestRow): { formationGasRateSm3PerDay: number; liftGasExceedsGas: boolean } {
  const rate = formationGasRate(row.gas_rate_sm3_per_day, row.lift_gas_injection_sm3_per_day);
  return { formationGasRateSm3PerDay: fromNumeric(rate.formationGasRateSm3PerDay), liftGasExceedsGas: rate.liftGasExceedsGas };
}

const GAS_DISPOSITIONS = tableSpec<GasDispositionRow, GasDisposition>({
  entryType: "gas_disposition",
  table: "gas_dispositions",
  select: voidableSelect("gas_dispositions", "gas_disposition", "t.production_date::text AS production_date, t.disposition, t.volume_sm3"),
  toEntry: (row) => ({
    ...common(row),
    ...voidFields(row),
    productionDate: row.production_date,
    disposition: row.disposition,
    volumeSm3: fromNumeric(row.volume_sm3),
  }),
});

const VOIDABLE: Record<EntryType, TableSpec<ProductionEntry>> = {
  tank_gauge: TANK_GAUGES,
  meter_reading: METER_READINGS,
  run_ticket: RUN_TICKETS,
  downtime_event: DOWNTIME_EVENTS,
  gas_disposition: GAS_DISPOSITIONS,
};

// ---------------------------------------------------------------------------
// List filters.

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A `from` bound: a date starts at its 00:00 UTC. */
export function lowerBound(value: string): Date {
  return new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
}

/** A `to` bound (exclusive): a date includes its whole UTC day. */
export function upperBound(value: string): Date {
  if (!DATE_ONLY.test(value)) return new Date(value);
  const end = new Date(`${value}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return end;
}

class Filter {
  readonly params: SqlValue[] = [];
  private readonly conditions: string[] = [];

  /** Adds a condition when the value is set; `?` in the SQL is this value's placeholder. */
  when(value: SqlValue | undefined, sql: string): this {
    if (value === undefined) return this;
    this.params.push(value);
    this.conditions.push(sql.replaceAll("?", `$${this.params.length}`));
    return this;
  }

  always(sql: string): this {
    this.conditions.push(sql);
    return this;
  }

  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(" AND ")}` : "";
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/**
 * Serialises writers on one business key (a well's open downtime, a site's
 * ticket number) until the transaction ends: the rule is checked and the row
 * written without a second writer slipping in between.
 */
async function lockKey(tx: Queryable, key: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`petroflow.production:${key}`]);
}

const MODULE = "production";

interface Insert<Entry> {
  spec: TableSpec<Entry>;
  /** Audit action, `production.<entity>.<verb>`. */
  action: string;
  id: string;
  sourceKey: string | undefined;
  actor: string;
  /** Business-rule checks that need the transaction (they run before the insert). */
  check?: (tx: Queryable) => Promise<void>;
  insert: (tx: Queryable) => Promise<void>;
  /** The module event emitted after commit (not on a replay). */
  event: (entry: Entry) => { type: string; payload: Record<string, unknown> };
  /** The site and production days the entry counts for: a closed month refuses it unless an admin gives a reason (notes). */
  period: EntryPeriod;
}

interface EntryPeriod {
  siteAssetId: string;
  firstDay: string;
  lastDay: string;
  field: string;
  access: PeriodAccess | undefined;
  notes: string;
}

/** The UTC day of an instant: the production day convention of allocation-inputs.ts. */
function dayOf(instant: string | Date): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** The production days an entry counts for (downtime: from its start to its end, or its start while open). */
function entryDays(type: EntryType, entry: ProductionEntry): { firstDay: string; lastDay: string; field: string } {
  if ("gaugedAt" in entry) return { firstDay: dayOf(entry.gaugedAt), lastDay: dayOf(entry.gaugedAt), field: "gaugedAt" };
  if ("productionDate" in entry) return { firstDay: entry.productionDate, lastDay: entry.productionDate, field: "productionDate" };
  if ("shippedAt" in entry) return { firstDay: dayOf(entry.shippedAt), lastDay: dayOf(entry.shippedAt), field: "shippedAt" };
  if ("startedAt" in entry) return { firstDay: dayOf(entry.startedAt), lastDay: dayOf(entry.endedAt ?? entry.startedAt), field: "startedAt" };
  throw new Error(`no production day for a ${type}`);
}

/**
 * Production entries and well tests (DESIGN: ledgers are append-only; a
 * mistake is voided, never edited). Every write is one transaction with its
 * audit and outbox rows; module events go out after the commit.
 */
export class EntryService implements ProductionEntryPort {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
  ) {}

  /** The base temperature volumes are corrected to: the site's standard conditions. */
  private get oilVolumeBase(): OilVolumeBase {
    return oilVolumeBaseOf(this.context.standardConditions ?? "15C_101.325kPa");
  }

  // --- recording -----------------------------------------------------------

  async recordTankGauge(raw: EntryInput<TankGaugeInput>, actor: string, access?: PeriodAccess): Promise<Recorded<TankGauge>> {
    const input = parseInput(TankGaugeInputSchema, raw);
    assertNotFuture("gaugedAt", input.gaugedAt, Date.now());
    if (input.waterLevelM !== undefined && input.waterLevelM > input.levelM) throw invalid("waterLevelM", "above_field", { other: "levelM" });
    const replay = await this.replay(TANK_GAUGES, input.sourceKey);
    if (replay) return replay;
    const siteAssetId = await resolveEquipmentSite(this.assets, input.tankId, "tank", "tankId");
    const volumeM3 = await this.tankVolume(input.tankId, input.levelM, "levelM");
    const waterVolumeM3 = input.waterLevelM === undefined ? null : await this.tankVolume(input.tankId, input.waterLevelM, "waterLevelM");
    // Free water is out of the gross observed volume; the water level is at most the level, so this is not negative.
    const oil = oilQualityValues(input, Math.max(0, volumeM3 - (waterVolumeM3 ?? 0)), this.oilVolumeBase);
    const id = newId();
    return this.insert({
      spec: TANK_GAUGES,
      action: "production.tank_gauge.record",
      id,
      sourceKey: input.sourceKey,
      actor,
      period: { siteAssetId, firstDay: dayOf(input.gaugedAt), lastDay: dayOf(input.gaugedAt), field: "gaugedAt", access, notes: input.notes },
      insert: async (tx) => {
        await tx.query(
          `INSERT INTO tank_gauges (id, site_id, tank_id, site_asset_id, gauged_at, level_m, water_level_m, temperature_deg_c,
             volume_m3, water_volume_m3, source, source_key, notes, created_by,
             observed_density_kg_per_m3, observed_api_gravity, bsw_percent, volume_base, base_density_kg_per_m3, ctl,
             gross_standard_volume_m3, net_standard_volume_m3)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
          [
            id,
            this.context.siteId,
            input.tankId,
            siteAssetId,
            input.gaugedAt,
            input.levelM,
            input.waterLevelM ?? null,
            input.temperatureDegC ?? null,
            volumeM3,
            waterVolumeM3,
            input.source,
            input.sourceKey ?? null,
            input.notes,
            actor,
            ...oilQualityParams(oil),
          ],
        );
      },
      event: (entry) => this.recordedEvent("tank_gauge", entry),
    });
  }

  async recordMeterReading(raw: EntryInput<MeterReadingInput>, actor: string, access?: PeriodAccess): Promise<Recorded<MeterReading>> {
    const input = parseInput(MeterReadingInputSchema, raw);
    assertDayNotFuture("productionDate", input.productionDate, Date.now(), productionDayClock(this.context.productionDay));
    const replay = await this.replay(METER_READINGS, input.sourceKey);
    if (replay) return replay;
    const siteAssetId = await resolveEquipmentSite(this.assets, input.meterId, "meter", "meterId");
    const id = newId();
    return this.insert({
      spec: METER_READINGS,
      action: "production.meter_reading.record",
      id,
      sourceKey: input.sourceKey,
      actor,
      period: { siteAssetId, firstDay: input.productionDate, lastDay: input.productionDate, field: "productionDate", access, notes: input.notes },
      insert: async (tx) => {
        await tx.query(
          `INSERT INTO meter_readings (id, site_id, meter_id, site_asset_id, production_date, fluid, volume_m3, totalizer_m3,
             source, source_key, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            id,
            this.context.siteId,
            input.meterId,
            siteAssetId,
            input.productionDate,
            input.fluid,
            input.volumeM3,
            input.totalizerM3 ?? null,
            input.source,
            input.sourceKey ?? null,
            input.notes,
            actor,
          ],
        );
      },
      event: (entry) => this.recordedEvent("meter_reading", entry),
    });
  }

  async recordRunTicket(raw: EntryInput<RunTicketInput>, actor: string, access?: PeriodAccess): Promise<Recorded<RunTicket>> {
    const input = parseInput(RunTicketInputSchema, raw);
    assertNotFuture("shippedAt", input.shippedAt, Date.now());
    const replay = await this.replay(RUN_TICKETS, input.sourceKey);
    if (replay) return replay;
    const siteAssetId = await resolveSite(this.assets, input.siteAssetId);
    if (input.tankId !== undefined) {
      const tankSite = await resolveEquipmentSite(this.assets, input.tankId, "tank", "tankId");
      if (tankSite !== siteAssetId) throw invalid("tankId", "not_at_site", { other: "siteAssetId" });
    }
    if (input.fluid !== "oil") {
      const oilOnly = (["observedDensityKgPerM3", "observedApiGravity", "bswPercent"] as const).find((field) => input[field] !== undefined);
      if (oilOnly !== undefined) throw invalid(oilOnly, "not_for_fluid", { fluid: input.fluid });
    }
    const oil = oilQualityValues(input, input.volumeM3, this.oilVolumeBase);
    const id = newId();
    return this.insert({
      spec: RUN_TICKETS,
      action: "production.run_ticket.record",
      id,
      sourceKey: input.sourceKey,
      actor,
      period: { siteAssetId, firstDay: dayOf(input.shippedAt), lastDay: dayOf(input.shippedAt), field: "shippedAt", access, notes: input.notes },
      check: async (tx) => {
        await lockKey(tx, `run_ticket:${siteAssetId}:${input.ticketNumber}`);
        const used = await tx.query(
          `SELECT 1 FROM run_tickets t
           WHERE t.site_asset_id = $1 AND t.ticket_number = $2
             AND NOT EXISTS (SELECT 1 FROM entry_voids v WHERE v.entry_type = 'run_ticket' AND v.entry_id = t.id)`,
          [siteAssetId, input.ticketNumber],
        );
        if (used.rows.length > 0) {
          throw serviceError("conflict", "ticketNumber", "already_exists", undefined, `run ticket ${input.ticketNumber} is already recorded at this site`);
        }
      },
      insert: async (tx) => {
        await tx.query(
          `INSERT INTO run_tickets (id, site_id, site_asset_id, tank_id, ticket_number, shipped_at, fluid, volume_m3,
             destination, carrier, source, source_key, notes, created_by, temperature_deg_c,
             observed_density_kg_per_m3, observed_api_gravity, bsw_percent, volume_base, base_density_kg_per_m3, ctl,
             gross_standard_volume_m3, net_standard_volume_m3)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`,
          [
            id,
            this.context.siteId,
            siteAssetId,
            input.tankId ?? null,
            input.ticketNumber,
            input.shippedAt,
            input.fluid,
            input.volumeM3,
            input.destination,
            input.carrier,
            input.source,
            input.sourceKey ?? null,
            input.notes,
            actor,
            input.temperatureDegC ?? null,
            ...oilQualityParams(oil),
          ],
        );
      },
      event: (entry) => this.recordedEvent("run_ticket", entry),
    });
  }

  async recordDowntime(raw: EntryInput<DowntimeInput>, actor: string, access?: PeriodAccess): Promise<Recorded<DowntimeEvent>> {
    const input = parseInput(DowntimeInputSchema, raw);
    const now = Date.now();
    assertNotFuture("startedAt", input.startedAt, now);
    if (input.endedAt !== undefined) {
      assertNotFuture("endedAt", input.endedAt, now);
      assertEndNotBeforeStart(input.endedAt, input.startedAt);
    }
    const replay = await this.replay(DOWNTIME_EVENTS, input.sourceKey);
    if (replay) return replay;
    const siteAssetId = await resolveWellSite(this.assets, input.wellId);
    const id = newId();
    return this.insert({
      spec: DOWNTIME_EVENTS,
      action: "production.downtime_event.record",
      id,
      sourceKey: input.sourceKey,
      actor,
      period: {
        siteAssetId,
        firstDay: dayOf(input.startedAt),
        lastDay: dayOf(input.endedAt ?? input.startedAt),
        field: "startedAt",
        access,
        notes: input.notes,
      },
      check: async (tx) => {
        if (input.endedAt !== undefined) return;
        await lockKey(tx, `downtime:${input.wellId}`);
        const open = await tx.query<{ id: string }>(
          `SELECT t.id FROM downtime_events t
           WHERE t.well_id = $1 AND t.ended_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM entry_voids v WHERE v.entry_type = 'downtime_event' AND v.entry_id = t.id)`,
          [input.wellId],
        );
        const existing = open.rows[0];
        if (existing) {
          throw serviceError("conflict", "wellId", "open_downtime_exists", { id: existing.id }, `the well already has an open downtime event (${existing.id}); close it first`);
        }
      },
      insert: async (tx) => {
        await tx.query(
          `INSERT INTO downtime_events (id, site_id, well_id, site_asset_id, started_at, ended_at, reason_code,
             source, source_key, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            id,
            this.context.siteId,
            input.wellId,
            siteAssetId,
            input.startedAt,
            input.endedAt ?? null,
            input.reasonCode,
            input.source,
            input.sourceKey ?? null,
            input.notes,
            actor,
          ],
        );
      },
      event: (entry) => this.recordedEvent("downtime_event", entry),
    });
  }

  async proposeWellTest(raw: EntryInput<WellTestInput>, actor: string, access?: PeriodAccess): Promise<Recorded<WellTest>> {
    const input = parseInput(WellTestInputSchema, raw);
    assertNotFuture("startedAt", input.startedAt, Date.now());
    if ((input.bottomholePressureKpa === undefined) !== (input.bottomholePressureSource === undefined)) {
      throw input.bottomholePressureKpa === undefined
        ? invalid("bottomholePressureKpa", "required_with", { other: "bottomholePressureSource" })
        : invalid("bottomholePressureSource", "required_with", { other: "bottomholePressureKpa" });
    }
    const replay = await this.replay(WELL_TESTS, input.sourceKey);
    if (replay) return replay;
    const siteAssetId = await resolveWellSite(this.assets, input.wellId);
    const id = newId();
    return this.insert({
      spec: WELL_TESTS,
      action: "production.well_test.propose",
      id,
      sourceKey: input.sourceKey,
      actor,
      period: { siteAssetId, firstDay: dayOf(input.startedAt), lastDay: dayOf(input.startedAt), field: "startedAt", access, notes: input.notes },
      insert: async (tx) => {
        await tx.query(
          `INSERT INTO well_tests (id, site_id, well_id, site_asset_id, started_at, duration_hours, oil_rate_m3_per_day,
             gas_rate_sm3_per_day, water_rate_m3_per_day, choke_percent, tubing_pressure_kpa, casing_pressure_kpa,
             separator_pressure_kpa, source, source_key, notes, created_by, lift_gas_injection_sm3_per_day,
             bottomhole_pressure_kpa, bottomhole_pressure_source)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
          [
            id,
            this.context.siteId,
            input.wellId,
            siteAssetId,
            input.startedAt,
            input.durationHours,
            input.oilRateM3PerDay,
            input.gasRateSm3PerDay,
            input.waterRateM3PerDay,
            input.chokePercent ?? null,
            input.tubingPressureKpa ?? null,
            input.casingPressureKpa ?? null,
            input.separatorPressureKpa ?? null,
            input.source,
            input.sourceKey ?? null,
            input.notes,
            actor,
            input.liftGasInjectionSm3PerDay ?? null,
            input.bottomholePressureKpa ?? null,
            input.bottomholePressureSource ?? null,
          ],
        );
      },
      event: (entry) => ({
        type: "production.well_test.proposed",
        payload: { id: entry.id, wellId: entry.wellId, siteAssetId: entry.siteAssetId },
      }),
    });
  }

  /** Where some of a site's gas went on a production day (sales, fuel, flare, vent, lift recycle). */
  async recordGasDisposition(raw: EntryInput<GasDispositionInput>, actor: string, access?: PeriodAccess): Promise<Recorded<GasDisposition>> {
    const input = parseInput(GasDispositionInputSchema, raw);
    assertDayNotFuture("productionDate", input.productionDate, Date.now(), productionDayClock(this.context.productionDay));
    const replay = await this.replay(GAS_DISPOSITIONS, input.sourceKey);
    if (replay) return replay;
    const siteAssetId = await resolveSite(this.assets, input.siteAssetId);
    const id = newId();
    return this.insert({
      spec: GAS_DISPOSITIONS,
      action: "production.gas_disposition.record",
      id,
      sourceKey: input.sourceKey,
      actor,
      period: { siteAssetId, firstDay: input.productionDate, lastDay: input.productionDate, field: "productionDate", access, notes: input.notes },
      insert: async (tx) => {
        await tx.query(
          `INSERT INTO gas_dispositions (id, site_id, site_asset_id, production_date, disposition, volume_sm3, source, source_key, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [id, this.context.siteId, siteAssetId, input.productionDate, input.disposition, input.volumeSm3, input.source, input.sourceKey ?? null, input.notes, actor],
        );
      },
      event: (entry) => this.recordedEvent("gas_disposition", entry),
    });
  }

  // --- changes -------------------------------------------------------------

  /** Closes an open downtime event: the one change its ledger allows. */
  async closeDowntime(id: string, endedAt: string, actor: string, access?: PeriodAccess): Promise<DowntimeEvent> {
    const eventId = parseId(id, "id");
    const body = parseInput(CloseDowntimeSchema, { endedAt });
    assertNotFuture("endedAt", body.endedAt, Date.now());
    const closed = await this.context.db.transaction(async (tx) => {
      const before = await this.lockedEntry(tx, DOWNTIME_EVENTS, eventId);
      if (before.voided) throw serviceError("invalid_state", "id", "entry_voided", undefined, `downtime event ${eventId} is voided`);
      if (before.endedAt !== null) throw serviceError("conflict", "id", "already_closed", undefined, `downtime event ${eventId} is already closed`);
      assertEndNotBeforeStart(body.endedAt, before.startedAt);
      // Closing changes the uptime of every day from the start to the end; a closed month among them takes an admin (the event's notes are the reason).
      const adjusted = await assertPeriodWritable(this.context, tx, {
        siteAssetId: before.siteAssetId,
        firstDay: dayOf(before.startedAt),
        lastDay: dayOf(body.endedAt),
        field: "endedAt",
        access,
        reason: before.notes,
        reasonField: "notes",
      });
      await tx.query(
        "UPDATE downtime_events SET ended_at = $2, updated_at = now(), row_version = row_version + 1 WHERE id = $1",
        [eventId, body.endedAt],
      );
      const after = await this.entryIn(tx, DOWNTIME_EVENTS, eventId);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "production.downtime_event.close",
        entityType: "downtime_event",
        entityId: eventId,
        operation: "update",
        rowVersion: after.rowVersion,
        before,
        after,
        details: adjusted.length > 0 ? { priorPeriodAdjustment: adjusted } : undefined,
      });
      if (adjusted.length > 0) {
        await recordAdjustments(this.context, tx, { siteAssetId: before.siteAssetId, months: adjusted, entityType: "downtime_event", entityId: eventId, reason: before.notes, actor });
      }
      return after;
    });
    this.context.events.emit("production.downtime.closed", {
      id: closed.id,
      wellId: closed.wellId,
      siteAssetId: closed.siteAssetId,
      startedAt: closed.startedAt,
      endedAt: closed.endedAt,
      reasonCode: closed.reasonCode,
    });
    return closed;
  }

  /** Cancels an entry by a void row (the entry itself never changes); reads and allocation skip it. */
  async voidEntry(entryType: EntryType, id: string, reason: string, actor: string, access?: PeriodAccess): Promise<ProductionEntry> {
    const type = parseInput(EntryTypeSchema, entryType, "entryType");
    const entryId = parseId(id, "id");
    const body = parseInput(VoidEntrySchema, { reason });
    const spec = VOIDABLE[type];
    const voidId = newId();
    let voided: ProductionEntry;
    try {
      voided = await this.context.db.transaction(async (tx) => {
        const before = await this.lockedEntry(tx, spec, entryId);
        if (before.voided) throw alreadyVoided(type, entryId);
        const adjusted = await assertPeriodWritable(this.context, tx, {
          siteAssetId: before.siteAssetId,
          ...entryDays(type, before),
          access,
          reason: body.reason,
          reasonField: "reason",
        });
        await tx.query(
          "INSERT INTO entry_voids (id, site_id, entry_type, entry_id, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6)",
          [voidId, this.context.siteId, type, entryId, body.reason, actor],
        );
        const after = await this.entryIn(tx, spec, entryId);
        await recordChange(this.context, tx, {
          actor,
          module: MODULE,
          action: `production.${type}.void`,
          entityType: "entry_void",
          entityId: voidId,
          operation: "insert",
          rowVersion: 1,
          before,
          after: { id: voidId, entryType: type, entryId, reason: body.reason, voidedBy: actor, voidedAt: after.voidedAt },
          details: { entryType: type, entryId, ...(adjusted.length > 0 ? { priorPeriodAdjustment: adjusted } : {}) },
        });
        if (adjusted.length > 0) {
          await recordAdjustments(this.context, tx, { siteAssetId: before.siteAssetId, months: adjusted, entityType: "entry_void", entityId: voidId, reason: body.reason, actor });
        }
        return after;
      });
    } catch (error) {
      // Two voids of one entry at once: the second meets the unique (entry_type, entry_id).
      if (isUniqueViolation(error)) throw alreadyVoided(type, entryId);
      throw error;
    }
    this.context.events.emit("production.entry.voided", { entryType: type, id: entryId, siteAssetId: voided.siteAssetId });
    return voided;
  }

  approveWellTest(id: string, decision: { rowVersion: number; note?: string }, actor: string): Promise<WellTest> {
    return this.decideWellTest(id, decision, actor, "approved");
  }

  rejectWellTest(id: string, decision: { rowVersion: number; note?: string }, actor: string): Promise<WellTest> {
    return this.decideWellTest(id, decision, actor, "rejected");
  }

  // --- reads ---------------------------------------------------------------

  async getWellTest(id: string): Promise<WellTest> {
    return this.entryIn(this.context.db, WELL_TESTS, parseId(id, "id"));
  }

  async listTankGauges(raw: Partial<TankGaugeQuery>): Promise<Page<TankGauge>> {
    const query = parseInput(TankGaugeQuerySchema, raw);
    const filter = new Filter()
      .when(query.siteAssetId, "t.site_asset_id = ?")
      .when(query.tankId, "t.tank_id = ?")
      .when(query.from === undefined ? undefined : lowerBound(query.from), "t.gauged_at >= ?")
      .when(query.to === undefined ? undefined : upperBound(query.to), "t.gauged_at < ?");
    return this.page(TANK_GAUGES, filter, "t.gauged_at DESC, t.id DESC", query);
  }

  async listMeterReadings(raw: Partial<MeterReadingQuery>): Promise<Page<MeterReading>> {
    const query = parseInput(MeterReadingQuerySchema, raw);
    const filter = new Filter()
      .when(query.siteAssetId, "t.site_asset_id = ?")
      .when(query.meterId, "t.meter_id = ?")
      .when(query.from, "t.production_date >= ?::date")
      .when(query.to, "t.production_date <= ?::date");
    return this.page(METER_READINGS, filter, "t.production_date DESC, t.created_at DESC, t.id DESC", query);
  }

  async listRunTickets(raw: Partial<RunTicketQuery>): Promise<Page<RunTicket>> {
    const query = parseInput(RunTicketQuerySchema, raw);
    const filter = new Filter()
      .when(query.siteAssetId, "t.site_asset_id = ?")
      .when(query.from === undefined ? undefined : lowerBound(query.from), "t.shipped_at >= ?")
      .when(query.to === undefined ? undefined : upperBound(query.to), "t.shipped_at < ?");
    return this.page(RUN_TICKETS, filter, "t.shipped_at DESC, t.id DESC", query);
  }

  async listDowntime(raw: Partial<DowntimeQuery>): Promise<Page<DowntimeEvent>> {
    const query = parseInput(DowntimeQuerySchema, raw);
    const filter = new Filter()
      .when(query.siteAssetId, "t.site_asset_id = ?")
      .when(query.wellId, "t.well_id = ?")
      .when(query.from === undefined ? undefined : lowerBound(query.from), "(t.ended_at IS NULL OR t.ended_at > ?)")
      .when(query.to === undefined ? undefined : upperBound(query.to), "t.started_at < ?");
    if (query.open === true) filter.always("t.ended_at IS NULL AND v.entry_id IS NULL");
    if (query.open === false) filter.always("t.ended_at IS NOT NULL");
    return this.page(DOWNTIME_EVENTS, filter, "t.started_at DESC, t.id DESC", query);
  }

  async listGasDispositions(raw: Partial<GasDispositionQuery>): Promise<Page<GasDisposition>> {
    const query = parseInput(GasDispositionQuerySchema, raw);
    const filter = new Filter()
      .when(query.siteAssetId, "t.site_asset_id = ?")
      .when(query.from, "t.production_date >= ?::date")
      .when(query.to, "t.production_date <= ?::date");
    return this.page(GAS_DISPOSITIONS, filter, "t.production_date DESC, t.created_at DESC, t.id DESC", query);
  }

  /**
   * A site's gas balance of a day: the gas its measuring meters read (each
   * meter's latest reading, as allocation takes it) against the day's
   * non-voided dispositions.
   */
  async gasBalance(raw: Partial<GasBalanceQuery>): Promise<GasBalance> {
    const query = parseInput(GasBalanceQuerySchema, raw);
    const siteAssetId = await resolveSite(this.assets, query.siteAssetId);
    const meterIds = await measuringMeterIds(this.assets, siteAssetId);
    const readings = await this.context.db.query<{ id: string; meter_id: string; volume_m3: string; created_at: Date }>(
      `SELECT t.id, t.meter_id, t.volume_m3::text AS volume_m3, t.created_at FROM meter_readings t
        WHERE t.site_id = $1 AND t.meter_id = ANY($2::uuid[]) AND t.production_date = $3::date AND t.fluid = 'gas'
          AND NOT EXISTS (SELECT 1 FROM entry_voids v WHERE v.entry_type = 'meter_reading' AND v.entry_id = t.id)`,
      [this.context.siteId, meterIds, query.date],
    );
    const latest = latestReadings(
      readings.rows.map((row) => ({ id: row.id, meterId: row.meter_id, productionDate: query.date, fluid: "gas" as const, volumeM3: row.volume_m3, createdAt: new Date(row.created_at) })),
    );
    const measured = latest.length === 0 ? null : fromUnits(latest.reduce((sum, reading) => sum + toUnits(reading.volumeM3), 0n));
    const dispositions = await GAS_DISPOSITIONS.read(
      this.context.db,
      "WHERE t.site_id = $1 AND t.site_asset_id = $2 AND t.production_date = $3::date AND v.entry_id IS NULL",
      [this.context.siteId, siteAssetId, query.date],
    );
    const figures = gasBalance(
      query.date,
      measured,
      dispositions.map((entry) => ({ id: entry.id, productionDate: entry.productionDate, disposition: entry.disposition, volumeSm3: String(entry.volumeSm3) })),
    );
    const numberOrNull = (value: string | null) => (value === null ? null : fromNumeric(value));
    return {
      siteAssetId,
      date: query.date,
      measuredSm3: numberOrNull(figures.measuredSm3),
      salesSm3: fromNumeric(figures.bySm3.sales),
      fuelSm3: fromNumeric(figures.bySm3.fuel),
      flareSm3: fromNumeric(figures.bySm3.flare),
      ventSm3: fromNumeric(figures.bySm3.vent),
      liftRecycleSm3: fromNumeric(figures.bySm3.lift_recycle),
      disposedSm3: fromNumeric(figures.disposedSm3),
      differenceSm3: numberOrNull(figures.differenceSm3),
      formationSm3: numberOrNull(figures.formationSm3),
    };
  }

  async listWellTests(raw: Partial<WellTestQuery>): Promise<Page<WellTest>> {
    const query = parseInput(WellTestQuerySchema, raw);
    const filter = new Filter()
      .when(query.siteAssetId, "t.site_asset_id = ?")
      .when(query.wellId, "t.well_id = ?")
      .when(query.status, "t.status = ?");
    return this.page(WELL_TESTS, filter, "t.started_at DESC, t.id DESC", query);
  }

  // --- internals -----------------------------------------------------------

  private async decideWellTest(id: string, raw: { rowVersion: number; note?: string }, actor: string, status: "approved" | "rejected"): Promise<WellTest> {
    const testId = parseId(id, "id");
    const decision: WellTestDecision = parseInput(WellTestDecisionSchema, raw);
    const decided = await this.context.db.transaction(async (tx) => {
      const before = await this.lockedEntry(tx, WELL_TESTS, testId);
      if (before.status !== "proposed") {
        throw serviceError("invalid_state", "id", "already_decided", { status: before.status }, `well test ${testId} is already ${before.status}`);
      }
      if (before.rowVersion !== decision.rowVersion) {
        throw serviceError(
          "stale",
          "rowVersion",
          "changed_since_read",
          { current: before.rowVersion, sent: decision.rowVersion },
          `well test ${testId} changed since it was read (rowVersion ${before.rowVersion})`,
        );
      }
      await tx.query(
        `UPDATE well_tests SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4,
           updated_at = now(), row_version = row_version + 1
         WHERE id = $1`,
        [testId, status, actor, decision.note],
      );
      const after = await this.entryIn(tx, WELL_TESTS, testId);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: status === "approved" ? "production.well_test.approve" : "production.well_test.reject",
        entityType: "well_test",
        entityId: testId,
        operation: "update",
        rowVersion: after.rowVersion,
        before,
        after,
      });
      return after;
    });
    this.context.events.emit(`production.well_test.${status}`, { id: decided.id, wellId: decided.wellId, siteAssetId: decided.siteAssetId });
    return decided;
  }

  private recordedEvent(entryType: EntryType, entry: { id: string; siteAssetId: string }) {
    return { type: "production.entry.recorded", payload: { entryType, id: entry.id, siteAssetId: entry.siteAssetId } };
  }

  private async tankVolume(tankId: string, levelM: number, field: string): Promise<number> {
    try {
      return await this.assets.tankVolumeM3(tankId, levelM);
    } catch (error) {
      // A level outside the strapping table: name the level the caller sent (levelM or waterLevelM).
      if (error instanceof ServiceError && error.code === "invalid_input" && error.details?.field === "levelM") {
        throw invalid(field, error.details.reason, error.details.params, `${field}: ${error.message}`);
      }
      if (error instanceof ServiceError && error.code === "not_found") throw invalid("tankId", "not_a_tank");
      throw error;
    }
  }

  private async replay<Entry extends Record<string, unknown> & { id: string }>(
    spec: TableSpec<Entry>,
    sourceKey: string | undefined,
  ): Promise<Recorded<Entry> | null> {
    if (sourceKey === undefined) return null;
    const [entry] = await spec.read(this.context.db, "WHERE t.site_id = $1 AND t.source_key = $2", [this.context.siteId, sourceKey]);
    return entry === undefined ? null : { id: entry.id, replayed: true, entry };
  }

  private async insert<Entry extends Record<string, unknown> & { id: string }>(write: Insert<Entry>): Promise<Recorded<Entry>> {
    const { spec, id, actor } = write;
    let entry: Entry;
    try {
      entry = await this.context.db.transaction(async (tx) => {
        const { period } = write;
        const adjusted = await assertPeriodWritable(this.context, tx, { ...period, reason: period.notes, reasonField: "notes" });
        await write.check?.(tx);
        await write.insert(tx);
        const stored = await this.entryIn(tx, spec, id);
        await recordChange(this.context, tx, {
          actor,
          module: MODULE,
          action: write.action,
          entityType: spec.entryType,
          entityId: id,
          operation: "insert",
          rowVersion: 1,
          after: stored,
          details: adjusted.length > 0 ? { priorPeriodAdjustment: adjusted } : undefined,
        });
        if (adjusted.length > 0) {
          await recordAdjustments(this.context, tx, { siteAssetId: period.siteAssetId, months: adjusted, entityType: spec.entryType, entityId: id, reason: period.notes, actor });
        }
        return stored;
      });
    } catch (error) {
      // The same sourceKey from two deliveries at once: the loser returns the winner's entry.
      if (write.sourceKey !== undefined && isUniqueViolation(error)) {
        const replay = await this.replay(spec, write.sourceKey);
        if (replay) return replay;
      }
      throw error;
    }
    const event = write.event(entry);
    this.context.events.emit(event.type, event.payload);
    return { id, replayed: false, entry };
  }

  private async entryIn<Entry>(db: Queryable, spec: TableSpec<Entry>, id: string): Promise<Entry> {
    const [entry] = await spec.read(db, "WHERE t.id = $1", [id]);
    if (entry === undefined) throw new ServiceError("not_found", `no ${spec.entryType.replace("_", " ")} ${id}`);
    return entry;
  }

  /** Reads an entry holding its row lock until the transaction ends (decisions and closes are serialised). */
  private async lockedEntry<Entry>(tx: Queryable, spec: TableSpec<Entry>, id: string): Promise<Entry> {
    await tx.query(`SELECT 1 FROM ${spec.table} WHERE id = $1 FOR UPDATE`, [id]);
    return this.entryIn(tx, spec, id);
  }

  private async page<Entry>(spec: TableSpec<Entry>, filter: Filter, order: string, paging: { limit: number; offset: number }): Promise<Page<Entry>> {
    const where = filter.where();
    const counted = await this.context.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM (${spec.select} ${where}) AS matching`,
      filter.params,
    );
    const limit = filter.params.length + 1;
    const items = await spec.read(this.context.db, `${where} ORDER BY ${order} LIMIT $${limit} OFFSET $${limit + 1}`, [
      ...filter.params,
      paging.limit,
      paging.offset,
    ]);
    return { items, total: counted.rows[0]?.total ?? 0 };
  }
}

function parseId(value: unknown, field: string): string {
  if (typeof value !== "string" || !UUID.test(value)) throw invalid(field, "not_a_uuid");
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function alreadyVoided(entryType: EntryType, id: string): ServiceError {
  return serviceError("conflict", "id", "already_voided", undefined, `${entryType.replace("_", " ")} ${id} is already voided`);
}

