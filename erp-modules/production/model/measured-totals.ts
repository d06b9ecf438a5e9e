/**
 * The measured total of a site, production day and fluid: what allocation
 * shares among the wells. Pure functions over entries already read (voided
 * entries left out by the caller); volumes are exact decimal strings and all
 * arithmetic is in integer units (model/allocation.ts). Days are the site's
 * production days (ProductionDayClock, production-day.ts).
 *
 * Rules:
 * - A tank counts for its fluid (the register's equipment.fluid): an oil tank
 *   for oil only, its stock = volumeM3 − waterVolumeM3 (volumeM3 is the whole
 *   liquid column; the free water under the oil is not oil, and it is not
 *   counted as produced water either: it is counted when it is drained to a
 *   water tank or through a water meter, so only its timing moves); a water
 *   tank for water only, its stock = its whole volumeM3. A tank without a
 *   fluid in the register counts as an oil tank (what tanks were before the
 *   register said so); a gas "tank" counts for nothing.
 * - Meters: the sum over the site's meters of each meter's latest reading for
 *   the day and fluid (latest = greatest createdAt, then id: a correction is a
 *   later reading). The meters are at the site's outlet (sales, LACT,
 *   pipeline, disposal), so where the site also has tanks of that fluid,
 *   production = sales + the change in inventory: meters + (closing −
 *   opening stock of those tanks). If a tank lacks a gauge at either end, the
 *   meters alone are taken, with a warning.
 * - Oil and water without a meter reading that day: the tank balance,
 *   closing stock − opening stock + shipped, over the tanks of that fluid.
 *   A tank's stock at an instant comes from its latest gauge at or before it.
 *   Opening = at the day's start, closing = at the next day's start; shipped =
 *   the run tickets of the fluid shipped during the day.
 * - A negative volume is kept in the run's inputs and a warning, and 0 is
 *   allocated (the wells did not produce a negative volume; the gauges or
 *   tickets are wrong and a restatement follows their correction).
 * - Gas only from meters. Nothing measured → no total (null) and a warning.
 */
import { fromUnits, toUnits } from "./allocation.js";
import { UTC_CLOCK, type ProductionDayClock } from "./production-day.js";

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
  /** The register's equipment.fluid; null or absent = an oil tank. */
  fluid?: Fluid | null;
}

/** meters; meters plus the stock change of the fluid's tanks (sales + inventory); the tank balance alone. */
export type MeasuredSource = "meters" | "meters_and_stock" | "tank_balance";

export interface MeasuredTotal {
  date: string;
  fluid: Fluid;
  source: MeasuredSource;
  /** The volume allocated: the measured volume, or 0 for a negative tank balance. */
  volumeM3: string;
  /** The volume before a negative one was set to 0 (source tank_balance, and meters_and_stock). */
  balanceM3?: string;
  /** Source meters_and_stock: the meters' volume, the tanks' closing − opening stock, and the run tickets of the day. */
  meterM3?: string;
  stockChangeM3?: string;
  shippedM3?: string;
  meterReadingIds: string[];
  tankGaugeIds: string[];
  runTicketIds: string[];
}

export interface MeasuredOutcome {
  total: MeasuredTotal | null;
  warnings: string[];
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

/** Whether a tank's stock counts for a fluid: water tanks for water, oil (and unclassified) tanks for oil. */
export function tankHolds(tank: TankRef, fluid: Fluid): boolean {
  if (tank.fluid === "water") return fluid === "water";
  return tank.fluid !== "gas" && fluid === "oil";
}

/** Stock of a tank's fluid in one gauge, in units: an oil tank's oil above the free water, a water tank's whole volume. */
function stockUnits(gauge: TankGaugeEntry, fluid: "oil" | "water"): bigint {
  if (fluid === "water") return toUnits(gauge.volumeM3);
  const oilUnits = toUnits(gauge.volumeM3) - (gauge.waterVolumeM3 === null ? 0n : toUnits(gauge.waterVolumeM3));
  return oilUnits > 0n ? oilUnits : 0n;
}

export type StockChange =
  | { available: true; changeM3: string; tankGaugeIds: string[] }
  | { available: false; reason: string };

/**
 * closing − opening stock of one fluid over the site's tanks of that fluid during a production day;
 * unavailable when the site has no such tank or one lacks a gauge at either end of the day.
 */
export function stockChange(
  day: string,
  fluid: "oil" | "water",
  tanks: readonly TankRef[],
  gaugesByTank: ReadonlyMap<string, readonly TankGaugeEntry[]>,
  clock: ProductionDayClock = UTC_CLOCK,
): StockChange {
  const fluidTanks = tanks.filter((tank) => tankHolds(tank, fluid));
  if (fluidTanks.length === 0) return { available: false, reason: `the site has no ${fluid} tank` };
  const { startMs: openingMs, endMs: closingMs } = clock.bounds(day);
  let changeUnits = 0n;
  const gaugeIds = new Set<string>();
  for (const tank of fluidTanks) {
    const gauges = gaugesByTank.get(tank.id) ?? [];
    const opening = gaugeAt(gauges, openingMs);
    const closing = gaugeAt(gauges, closingMs);
    if (!opening || !closing) {
      const at = new Date(opening ? closingMs : openingMs).toISOString();
      return { available: false, reason: `tank ${tank.code} has no gauge at or before ${at}` };
    }
    changeUnits += stockUnits(closing, fluid) - stockUnits(opening, fluid);
    gaugeIds.add(opening.id).add(closing.id);
  }
  return { available: true, changeM3: fromUnits(changeUnits), tankGaugeIds: [...gaugeIds] };
}

/** The run tickets of a fluid shipped during a production day. */
export function shippedOn(day: string, fluid: Fluid, tickets: readonly RunTicketEntry[], clock: ProductionDayClock = UTC_CLOCK): RunTicketEntry[] {
  const { startMs, endMs } = clock.bounds(day);
  return tickets.filter((ticket) => ticket.fluid === fluid && ticket.shippedAt.getTime() >= startMs && ticket.shippedAt.getTime() < endMs);
}

export type TankBalance =
  | { available: true; balanceM3: string; tankGaugeIds: string[]; runTicketIds: string[] }
  | { available: false; reason: string };

/** closing − opening + shipped for one fluid and day over the site's tanks of that fluid; unavailable as stockChange. */
export function tankBalance(
  day: string,
  fluid: "oil" | "water",
  tanks: readonly TankRef[],
  gaugesByTank: ReadonlyMap<string, readonly TankGaugeEntry[]>,
  tickets: readonly RunTicketEntry[],
  clock: ProductionDayClock = UTC_CLOCK,
): TankBalance {
  const change = stockChange(day, fluid, tanks, gaugesByTank, clock);
  if (!change.available) return change;
  const shipped = shippedOn(day, fluid, tickets, clock);
  const balanceUnits = shipped.reduce((sum, ticket) => sum + toUnits(ticket.volumeM3), toUnits(change.changeM3));
  return { available: true, balanceM3: fromUnits(balanceUnits), tankGaugeIds: change.tankGaugeIds, runTicketIds: shipped.map((ticket) => ticket.id) };
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
export function measuredTotal(day: string, fluid: Fluid, entries: DayEntries, clock: ProductionDayClock = UTC_CLOCK): MeasuredOutcome {
  const readings = latestReadings(entries.meterReadings.filter((reading) => reading.productionDate === day && reading.fluid === fluid));
  const empty = { meterReadingIds: [], tankGaugeIds: [], runTicketIds: [] };
  if (readings.length > 0) {
    const meterUnits = readings.reduce((sum, reading) => sum + toUnits(reading.volumeM3), 0n);
    const meters: MeasuredTotal = {
      date: day,
      fluid,
      source: "meters",
      volumeM3: fromUnits(meterUnits),
      ...empty,
      meterReadingIds: readings.map((reading) => reading.id).sort(),
    };
    if (fluid === "gas" || !entries.tanks.some((tank) => tankHolds(tank, fluid))) return { total: meters, warnings: [] };
    const change = stockChange(day, fluid, entries.tanks, entries.gaugesByTank, clock);
    if (!change.available) {
      return { total: meters, warnings: [`${fluid} on ${day}: the meters alone, without the change in tank stock (${change.reason})`] };
    }
    const shipped = shippedOn(day, fluid, entries.runTickets, clock);
    const productionUnits = meterUnits + toUnits(change.changeM3);
    const negative = productionUnits < 0n;
    const total: MeasuredTotal = {
      ...meters,
      source: "meters_and_stock",
      volumeM3: fromUnits(negative ? 0n : productionUnits),
      balanceM3: fromUnits(productionUnits),
      meterM3: fromUnits(meterUnits),
      stockChangeM3: change.changeM3,
      shippedM3: fromUnits(shipped.reduce((sum, ticket) => sum + toUnits(ticket.volumeM3), 0n)),
      tankGaugeIds: change.tankGaugeIds.sort(),
      runTicketIds: shipped.map((ticket) => ticket.id).sort(),
    };
    const warnings = negative
      ? [`${fluid} on ${day}: meters + stock change is ${total.balanceM3} m3: 0 allocated; check the meters and gauges`]
      : [];
    return { total, warnings };
  }
  if (fluid === "gas") return { total: null, warnings: [`no measured gas on ${day}: no meter reading`] };
  const balance = tankBalance(day, fluid, entries.tanks, entries.gaugesByTank, entries.runTickets, clock);
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
