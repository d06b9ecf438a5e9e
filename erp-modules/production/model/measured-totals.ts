/**
 * The measured total of a site, production day and fluid: what allocation
 * shares among the wells. Pure functions over entries already read (voided
 * entries left out by the caller); volumes are exact decimal strings and all
 * arithmetic is in integer units (model/allocation.ts).
 *
 * Rules:
 * - Meters first: the sum over the site's meters of each meter's latest
 *   reading for the day and fluid (latest = greatest createdAt, then id: a
 *   correction is a later reading).
 * - Oil and water without a meter reading that day: the tank balance,
 *   closing stock − opening stock + shipped, over every tank of the site.
 *   A tank's stock at an instant comes from its latest gauge at or before
 *   it: oil = volumeM3 − waterVolumeM3 (volumeM3 is the whole liquid column,
 *   free water included), water = waterVolumeM3 (a gauge without a water cut
 *   gives no water stock). Opening = at 00:00Z of the day, closing = at 00:00Z
 *   of the next day; shipped = the run tickets of the fluid that day.
 * - A negative tank balance is kept in the run's inputs and a warning, and 0
 *   is allocated (the wells did not produce a negative volume; the gauges or
 *   tickets are wrong and a restatement follows their correction).
 * - Gas only from meters. Nothing measured → no total (null) and a warning.
 */
import { fromUnits, toUnits } from "./allocation.js";

export type Fluid = "oil" | "gas" | "water";
export const FLUIDS: readonly Fluid[] = ["oil", "gas", "water"];

export interface MeterReadingEntry {
  id: string;
  meterId: string;
  productionDate: string;
  fluid: Fluid;
  volumeM3: string;
  createdAt: Date;
}

export interface TankGaugeEntry {
  id: string;
  tankId: string;
  gaugedAt: Date;
  createdAt: Date;
  volumeM3: string;
  waterVolumeM3: string | null;
}

export interface RunTicketEntry {
  id: string;
  shippedAt: Date;
  fluid: Fluid;
  volumeM3: string;
}

export interface TankRef {
  id: string;
  code: string;
}

export type MeasuredSource = "meters" | "tank_balance";

export interface MeasuredTotal {
  date: string;
  fluid: Fluid;
  source: MeasuredSource;
  /** The volume allocated: the measured volume, or 0 for a negative tank balance. */
  volumeM3: string;
  /** Tank balance before the negative one was set to 0 (only for source tank_balance). */
  balanceM3?: string;
  meterReadingIds: string[];
  tankGaugeIds: string[];
  runTicketIds: string[];
}

export interface MeasuredOutcome {
  total: MeasuredTotal | null;
  warnings: string[];
}

const MS_PER_DAY = 86_400_000;

/** 00:00Z of a YYYY-MM-DD day in epoch ms. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** a later than b: greater createdAt, then greater id. */
function isLater(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): boolean {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime !== 0 ? byTime > 0 : a.id > b.id;
}

/** Each meter's latest reading per day and fluid (a correction is a later reading). */
export function latestReadings(readings: readonly MeterReadingEntry[]): MeterReadingEntry[] {
  const latest = new Map<string, MeterReadingEntry>();
  for (const reading of readings) {
    const key = `${reading.meterId}|${reading.productionDate}|${reading.fluid}`;
    const current = latest.get(key);
    if (!current || isLater(reading, current)) latest.set(key, reading);
  }
  return [...latest.values()];
}

/** The tank's latest gauge at or before `atMs` (ties on gaugedAt: latest recorded). */
export function gaugeAt(gauges: readonly TankGaugeEntry[], atMs: number): TankGaugeEntry | null {
  let found: TankGaugeEntry | null = null;
  for (const gauge of gauges) {
    const gaugedMs = gauge.gaugedAt.getTime();
    if (gaugedMs > atMs) continue;
    if (!found) {
      found = gauge;
      continue;
    }
    const foundMs = found.gaugedAt.getTime();
    if (gaugedMs > foundMs || (gaugedMs === foundMs && isLater(gauge, found))) found = gauge;
  }
  return found;
}

/** Stock of one fluid in a gauge's tank, in units; null when the gauge does not give it. */
function stockUnits(gauge: TankGaugeEntry, fluid: "oil" | "water"): bigint | null {
  const waterUnits = gauge.waterVolumeM3 === null ? null : toUnits(gauge.waterVolumeM3);
  if (fluid === "water") return waterUnits;
  const oilUnits = toUnits(gauge.volumeM3) - (waterUnits ?? 0n);
  return oilUnits > 0n ? oilUnits : 0n;
}

export type TankBalance =
  | { available: true; balanceM3: string; tankGaugeIds: string[]; runTicketIds: string[] }
  | { available: false; reason: string };

/**
 * closing − opening + shipped for one fluid and day over every tank of the
 * site; unavailable when the site has no tank or a tank lacks a gauge (or,
 * for water, a water cut) at either end of the day.
 */
export function tankBalance(
  day: string,
  fluid: "oil" | "water",
  tanks: readonly TankRef[],
  gaugesByTank: ReadonlyMap<string, readonly TankGaugeEntry[]>,
  tickets: readonly RunTicketEntry[],
): TankBalance {
  if (tanks.length === 0) return { available: false, reason: "the site has no tank" };
  const openingMs = dayStartMs(day);
  const closingMs = openingMs + MS_PER_DAY;
  let balanceUnits = 0n;
  const gaugeIds = new Set<string>();
  for (const tank of tanks) {
    const gauges = gaugesByTank.get(tank.id) ?? [];
    const opening = gaugeAt(gauges, openingMs);
    const closing = gaugeAt(gauges, closingMs);
    if (!opening || !closing) {
      const at = new Date(opening ? closingMs : openingMs).toISOString();
      return { available: false, reason: `tank ${tank.code} has no gauge at or before ${at}` };
    }
    const openingUnits = stockUnits(opening, fluid);
    const closingUnits = stockUnits(closing, fluid);
    if (openingUnits === null || closingUnits === null) {
      return { available: false, reason: `tank ${tank.code} has no water volume gauged at ${openingUnits === null ? "the opening" : "the closing"}` };
    }
    balanceUnits += closingUnits - openingUnits;
    gaugeIds.add(opening.id).add(closing.id);
  }
  const shipped = tickets.filter((ticket) => ticket.fluid === fluid && isOnDay(ticket.shippedAt, openingMs));
  for (const ticket of shipped) balanceUnits += toUnits(ticket.volumeM3);
  return { available: true, balanceM3: fromUnits(balanceUnits), tankGaugeIds: [...gaugeIds], runTicketIds: shipped.map((ticket) => ticket.id) };
}

function isOnDay(instant: Date, startMs: number): boolean {
  const ms = instant.getTime();
  return ms >= startMs && ms < startMs + MS_PER_DAY;
}

export interface DayEntries {
  /** Non-voided readings; several per meter allowed (the latest counts). */
  meterReadings: readonly MeterReadingEntry[];
  tanks: readonly TankRef[];
  /** Non-voided gauges per tank id, including the last one before the period. */
  gaugesByTank: ReadonlyMap<string, readonly TankGaugeEntry[]>;
  /** Non-voided run tickets of the site. */
  runTickets: readonly RunTicketEntry[];
}

/** The measured total of one day and fluid by the rules above, with the warnings it raises. */
export function measuredTotal(day: string, fluid: Fluid, entries: DayEntries): MeasuredOutcome {
  const readings = latestReadings(entries.meterReadings.filter((reading) => reading.productionDate === day && reading.fluid === fluid));
  const empty = { meterReadingIds: [], tankGaugeIds: [], runTicketIds: [] };
  if (readings.length > 0) {
    const units = readings.reduce((sum, reading) => sum + toUnits(reading.volumeM3), 0n);
    return {
      total: { date: day, fluid, source: "meters", volumeM3: fromUnits(units), ...empty, meterReadingIds: readings.map((reading) => reading.id).sort() },
      warnings: [],
    };
  }
  if (fluid === "gas") return { total: null, warnings: [`no measured gas on ${day}: no meter reading`] };
  const balance = tankBalance(day, fluid, entries.tanks, entries.gaugesByTank, entries.runTickets);
  if (!balance.available) {
    return { total: null, warnings: [`no measured ${fluid} on ${day}: no meter reading, and no tank balance (${balance.reason})`] };
  }
  const negative = toUnits(balance.balanceM3) < 0n;
  const total: MeasuredTotal = {
    date: day,
    fluid,
    source: "tank_balance",
    volumeM3: negative ? fromUnits(0n) : balance.balanceM3,
    balanceM3: balance.balanceM3,
    ...empty,
    tankGaugeIds: balance.tankGaugeIds.sort(),
    runTicketIds: balance.runTicketIds.sort(),
  };
  const warnings = negative
    ? [`${fluid} tank balance on ${day} is ${balance.balanceM3} m3 (closing − opening + shipped): 0 allocated; check the gauges and run tickets`]
    : [];
  return { total, warnings };
}
