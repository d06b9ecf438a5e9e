import type { AssetLookup } from "../shared/asset-lookup.js";
import type { Queryable } from "../../runtime/db/database.js";
import type { DowntimeReason } from "./entry-schemas.js";
import type { Fluid, MeterReadingEntry, RunTicketEntry, TankGaugeEntry, TankRef } from "./model/measured-totals.js";
import { UTC_CLOCK, type ProductionDayClock } from "./model/production-day.js";
import { formationGasRate, type GasDispositionEntry, type GasDispositionKind, type LiftGasTest } from "./model/gas-lift.js";
import type { ApprovedTest } from "./model/theoretical.js";

/*
 * Reads the entries allocation and reports work from (the production entry
 * tables this module owns), voided entries left out. Times are bounds of the
 * site's production days (model/production-day.ts): `from` = the first day's
 * start, `to` = the start of the day after the last.
 */

export function periodBounds(firstDay: string, lastDay: string, clock: ProductionDayClock = UTC_CLOCK): { from: Date; to: Date } {
  return { from: new Date(clock.bounds(firstDay).startMs), to: new Date(clock.bounds(lastDay).endMs) };
}

const NOT_VOIDED = (entryType: string, alias: string) =>
  `NOT EXISTS (SELECT 1 FROM entry_voids v WHERE v.entry_type = '${entryType}' AND v.entry_id = ${alias}.id)`;

export interface DowntimeEntry {
  id: string;
  wellId: string;
  startedAt: Date;
  endedAt: Date | null;
  reasonCode: DowntimeReason;
}

export interface ShipmentEntry extends RunTicketEntry {
  ticketNumber: string;
  destination: "truck" | "pipeline";
  carrier: string;
}

export interface PeriodEntries {
  meterReadings: MeterReadingEntry[];
  tanks: TankRef[];
  gaugesByTank: Map<string, TankGaugeEntry[]>;
  runTickets: ShipmentEntry[];
  testsByWell: Map<string, ApprovedTest[]>;
  downtimeByWell: Map<string, DowntimeEntry[]>;
  gasDispositions: GasDispositionEntry[];
  liftGasTests: LiftGasTest[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * The meters whose readings measure a site's production: fiscal, sales and
 * unclassified ones. Check meters verify those; counting both would measure
 * the same volume twice.
 */
export async function measuringMeterIds(assets: Pick<AssetLookup, "metersUnder">, siteAssetId: string, tx?: Queryable): Promise<string[]> {
  return (await assets.metersUnder(siteAssetId, tx)).filter((meter) => meter.meterService !== "check").map((meter) => meter.id);
}

/** Everything that decides a site's measured totals and its wells' theoretical volumes over firstDay..lastDay. */
export async function readPeriodEntries(
  db: Queryable,
  scope: {
    siteId: string;
    siteAssetId: string;
    wellIds: readonly string[];
    tanks: readonly TankRef[];
    /** The meters whose readings measure the site (check meters left out). */
    meterIds: readonly string[];
  },
  firstDay: string,
  lastDay: string,
  clock: ProductionDayClock = UTC_CLOCK,
): Promise<PeriodEntries> {
  const { from, to } = periodBounds(firstDay, lastDay, clock);
  const tankIds = scope.tanks.map((tank) => tank.id);
  // One after the other: a transaction's connection runs one query at a time.
  const meterReadings = await readMeterReadings(db, scope.siteId, scope.meterIds, firstDay, lastDay);
  const gauges = await readGauges(db, scope.siteId, tankIds, from, to);
  const runTickets = await readRunTickets(db, scope.siteId, scope.siteAssetId, from, to);
  const tests = await readApprovedTests(db, scope.siteId, scope.wellIds, from, to);
  const downtime = await readDowntime(db, scope.siteId, scope.wellIds, from, to);
  const gasDispositions = await readGasDispositions(db, scope.siteId, scope.siteAssetId, firstDay, lastDay);
  return {
    meterReadings,
    tanks: [...scope.tanks],
    gaugesByTank: groupBy(gauges, (gauge) => gauge.tankId),
    runTickets,
    testsByWell: groupBy(tests, (test) => test.wellId),
    downtimeByWell: groupBy(downtime, (event) => event.wellId),
    gasDispositions,
    liftGasTests: tests.flatMap((test) => (test.liftGas === null ? [] : [test.liftGas])),
  };
}

async function readGasDispositions(db: Queryable, siteId: string, siteAssetId: string, firstDay: string, lastDay: string): Promise<GasDispositionEntry[]> {
  const result = await db.query<{ id: string; production_date: string; disposition: GasDispositionKind; volume_sm3: string }>(
    `SELECT g.id, g.production_date::text AS production_date, g.disposition, g.volume_sm3::text AS volume_sm3
       FROM gas_dispositions g
      WHERE g.site_id = $1 AND g.site_asset_id = $2 AND g.production_date BETWEEN $3::date AND $4::date
        AND ${NOT_VOIDED("gas_disposition", "g")}
      ORDER BY g.production_date, g.id`,
    [siteId, siteAssetId, firstDay, lastDay],
  );
  return result.rows.map((row) => ({ id: row.id, productionDate: row.production_date, disposition: row.disposition, volumeSm3: row.volume_sm3 }));
}

async function readMeterReadings(db: Queryable, siteId: string, meterIds: readonly string[], firstDay: string, lastDay: string): Promise<MeterReadingEntry[]> {
  const result = await db.query<{ id: string; meter_id: string; production_date: string; fluid: Fluid; volume_m3: string; created_at: Date }>(
    `SELECT m.id, m.meter_id, m.production_date::text AS production_date, m.fluid, m.volume_m3::text AS volume_m3, m.created_at
       FROM meter_readings m
      WHERE m.site_id = $1 AND m.meter_id = ANY($2::uuid[]) AND m.production_date BETWEEN $3::date AND $4::date
        AND ${NOT_VOIDED("meter_reading", "m")}`,
    [siteId, meterIds, firstDay, lastDay],
  );
  return result.rows.map((row) => ({
    id: row.id,
    meterId: row.meter_id,
    productionDate: row.production_date,
    fluid: row.fluid,
    volumeM3: row.volume_m3,
    createdAt: new Date(row.created_at),
  }));
}

export interface GaugeRow {
  id: string;
  tank_id: string;
  gauged_at: Date;
  created_at: Date;
  level_m: string;
  volume_m3: string;
  water_volume_m3: string | null;
}

/** Each tank's gauges in (from, to] and its last gauge at or before `from` (the opening stock). */
async function readGauges(db: Queryable, siteId: string, tankIds: readonly string[], from: Date, to: Date): Promise<TankGaugeEntry[]> {
  if (tankIds.length === 0) return [];
  const columns = "g.id, g.tank_id, g.gauged_at, g.created_at, g.level_m::text AS level_m, g.volume_m3::text AS volume_m3, g.water_volume_m3::text AS water_volume_m3";
  const result = await db.query<GaugeRow>(
    `WITH valid AS (
       SELECT g.* FROM tank_gauges g
        WHERE g.site_id = $1 AND g.tank_id = ANY($2::uuid[]) AND g.gauged_at <= $4 AND ${NOT_VOIDED("tank_gauge", "g")}
     )
     (SELECT ${columns} FROM valid g WHERE g.gauged_at > $3)
     UNION ALL
     (SELECT DISTINCT ON (g.tank_id) ${columns} FROM valid g WHERE g.gauged_at <= $3
       ORDER BY g.tank_id, g.gauged_at DESC, g.created_at DESC, g.id DESC)`,
    [siteId, [...tankIds], from, to],
  );
  return result.rows.map(toGaugeEntry);
}

export function toGaugeEntry(row: GaugeRow): TankGaugeEntry {
  return {
    id: row.id,
    tankId: row.tank_id,
    gaugedAt: new Date(row.gauged_at),
    createdAt: new Date(row.created_at),
    volumeM3: row.volume_m3,
    waterVolumeM3: row.water_volume_m3,
  };
}

/** The latest non-voided gauge of each tank at or before `at`. */
export async function readLatestGauges(db: Queryable, siteId: string, tankIds: readonly string[], at: Date): Promise<GaugeRow[]> {
  if (tankIds.length === 0) return [];
  const result = await db.query<GaugeRow>(
    `SELECT DISTINCT ON (g.tank_id) g.id, g.tank_id, g.gauged_at, g.created_at, g.level_m::text AS level_m,
            g.volume_m3::text AS volume_m3, g.water_volume_m3::text AS water_volume_m3
       FROM tank_gauges g
      WHERE g.site_id = $1 AND g.tank_id = ANY($2::uuid[]) AND g.gauged_at <= $3 AND ${NOT_VOIDED("tank_gauge", "g")}
      ORDER BY g.tank_id, g.gauged_at DESC, g.created_at DESC, g.id DESC`,
    [siteId, [...tankIds], at],
  );
  return result.rows;
}

export async function readRunTickets(db: Queryable, siteId: string, siteAssetId: string, from: Date, to: Date): Promise<ShipmentEntry[]> {
  const result = await db.query<{
    id: string;
    shipped_at: Date;
    fluid: Fluid;
    volume_m3: string;
    ticket_number: string;
    destination: "truck" | "pipeline";
    carrier: string;
  }>(
    `SELECT t.id, t.shipped_at, t.fluid, t.volume_m3::text AS volume_m3, t.ticket_number, t.destination, t.carrier
       FROM run_tickets t
      WHERE t.site_id = $1 AND t.site_asset_id = $2 AND t.shipped_at >= $3 AND t.shipped_at < $4 AND ${NOT_VOIDED("run_ticket", "t")}
      ORDER BY t.shipped_at, t.ticket_number, t.id`,
    [siteId, siteAssetId, from, to],
  );
  return result.rows.map((row) => ({
    id: row.id,
    shippedAt: new Date(row.shipped_at),
    fluid: row.fluid,
    volumeM3: row.volume_m3,
    ticketNumber: row.ticket_number,
    destination: row.destination,
    carrier: row.carrier,
  }));
}

/**
 * Approved tests started in (from, to] and the last one at or before `from`,
 * per well. Their gas rate is the formation gas rate (separator gas − lift gas
 * injected, model/gas-lift.ts): allocation distributes formation gas.
 */
async function readApprovedTests(
  db: Queryable,
  siteId: string,
  wellIds: readonly string[],
  from: Date,
  to: Date,
): Promise<(ApprovedTest & { wellId: string; liftGas: LiftGasTest | null })[]> {
  if (wellIds.length === 0) return [];
  const columns = `w.id, w.well_id, w.started_at, w.oil_rate_m3_per_day::text AS oil_rate_m3_per_day,
       w.gas_rate_sm3_per_day::text AS gas_rate_sm3_per_day, w.water_rate_m3_per_day::text AS water_rate_m3_per_day,
       w.lift_gas_injection_sm3_per_day::text AS lift_gas_injection_sm3_per_day`;
  const result = await db.query<{
    id: string;
    well_id: string;
    started_at: Date;
    oil_rate_m3_per_day: string;
    gas_rate_sm3_per_day: string;
    water_rate_m3_per_day: string;
    lift_gas_injection_sm3_per_day: string | null;
  }>(
    `WITH approved AS (
       SELECT w.* FROM well_tests w
        WHERE w.site_id = $1 AND w.well_id = ANY($2::uuid[]) AND w.status = 'approved' AND w.started_at <= $4
     )
     (SELECT ${columns} FROM approved w WHERE w.started_at > $3)
     UNION ALL
     (SELECT DISTINCT ON (w.well_id) ${columns} FROM approved w WHERE w.started_at <= $3
       ORDER BY w.well_id, w.started_at DESC, w.id DESC)`,
    [siteId, [...wellIds], from, to],
  );
  return result.rows.map((row) => ({
    id: row.id,
    wellId: row.well_id,
    startedAt: new Date(row.started_at),
    oilRateM3PerDay: row.oil_rate_m3_per_day,
    gasRateSm3PerDay: formationGasRate(row.gas_rate_sm3_per_day, row.lift_gas_injection_sm3_per_day).formationGasRateSm3PerDay,
    waterRateM3PerDay: row.water_rate_m3_per_day,
    liftGas:
      row.lift_gas_injection_sm3_per_day === null
        ? null
        : { id: row.id, wellId: row.well_id, gasRateSm3PerDay: row.gas_rate_sm3_per_day, liftGasInjectionSm3PerDay: row.lift_gas_injection_sm3_per_day },
  }));
}

/** Downtime events of the wells that overlap [from, to) (open ones last until now). */
export async function readDowntime(db: Queryable, siteId: string, wellIds: readonly string[], from: Date, to: Date): Promise<DowntimeEntry[]> {
  if (wellIds.length === 0) return [];
  const result = await db.query<{ id: string; well_id: string; started_at: Date; ended_at: Date | null; reason_code: DowntimeReason }>(
    `SELECT d.id, d.well_id, d.started_at, d.ended_at, d.reason_code
       FROM downtime_events d
      WHERE d.site_id = $1 AND d.well_id = ANY($2::uuid[]) AND d.started_at < $4 AND (d.ended_at IS NULL OR d.ended_at > $3)
        AND ${NOT_VOIDED("downtime_event", "d")}
      ORDER BY d.started_at, d.id`,
    [siteId, [...wellIds], from, to],
  );
  return result.rows.map((row) => ({
    id: row.id,
    wellId: row.well_id,
    startedAt: new Date(row.started_at),
    endedAt: row.ended_at === null ? null : new Date(row.ended_at),
    reasonCode: row.reason_code,
  }));
}
