/**
 * The reconciliation a daily report shows where a site has both a sales
 * (LACT, pipeline) meter and tanks of a fluid: the measured production is
 * meter + stock change (sales plus the change in inventory), the tank balance
 * is stock change + what the run tickets shipped; their difference is what
 * the meter and the tickets disagree on (meter − shipped). Pure, exact.
 */
import { fromUnits, toUnits } from "./allocation.js";
import type { MeasuredTotal } from "./measured-totals.js";

export interface Reconciliation {
  meterM3: string;
  stockChangeM3: string;
  /** Run tickets of the fluid shipped during the day. */
  shippedM3: string;
  /** meter + stock change: the production measured (before a negative one is allocated as 0). */
  measuredM3: string;
  /** stock change + shipped. */
  tankBalanceM3: string;
  /** measured − tank balance. */
  differenceM3: string;
}

/** The reconciliation of a measured total taken from meters and stock; null for any other source. */
export function reconciliationOf(total: MeasuredTotal | null | undefined): Reconciliation | null {
  if (!total || total.source !== "meters_and_stock" || total.meterM3 === undefined || total.stockChangeM3 === undefined || total.shippedM3 === undefined) {
    return null;
  }
  const meter = toUnits(total.meterM3);
  const change = toUnits(total.stockChangeM3);
  const shipped = toUnits(total.shippedM3);
  return {
    meterM3: total.meterM3,
    stockChangeM3: total.stockChangeM3,
    shippedM3: total.shippedM3,
    measuredM3: fromUnits(meter + change),
    tankBalanceM3: fromUnits(change + shipped),
    differenceM3: fromUnits(meter + change - (change + shipped)),
  };
}
