import { fromNumeric } from "../shared/numeric.js";
import type { PeriodEntries } from "./allocation-inputs.js";
import { fromUnits, toUnits } from "./model/allocation.js";
import { gasBalance, gasOilRatio, liftGasInjected } from "./model/gas-lift.js";
import { measuredTotal } from "./model/measured-totals.js";
import type { DailyGasLift } from "./report-schema.js";

/*
 * The daily report's gas-lift block (report-schema.ts DailyGasLiftSchema):
 * lift gas apart from formation gas, per well and for the site, with the
 * day's gas balance.
 */

export interface GasLiftWellDay {
  wellId: string;
  /** The lift rate of the test the well's volumes came from (null: no lift gas). */
  liftGasInjectionSm3PerDay: string | null;
  uptimeHours: number;
  gasAllocatedM3: number | null;
  oilAllocatedM3: number | null;
}

/** Lift rates of the period's tests that recorded lift gas, by test id. */
export function liftRatesByTest(entries: Pick<PeriodEntries, "liftGasTests">): Map<string, string> {
  return new Map(entries.liftGasTests.map((test) => [test.id, test.liftGasInjectionSm3PerDay]));
}

export function dailyGasLift(date: string, wells: readonly GasLiftWellDay[], entries: Pick<PeriodEntries, "gasDispositions" | "meterReadings" | "tanks" | "gaugesByTank" | "runTickets">): DailyGasLift {
  const reportWells = wells.map((well) => ({
    wellId: well.wellId,
    liftGasInjectedSm3: fromNumeric(liftGasInjected(well.liftGasInjectionSm3PerDay, well.uptimeHours)),
    formationGasAllocatedSm3: well.gasAllocatedM3,
    formationGorSm3PerM3: well.gasAllocatedM3 === null || well.oilAllocatedM3 === null ? null : gasOilRatio(well.gasAllocatedM3, well.oilAllocatedM3),
  }));
  const separator = measuredTotal(date, "gas", entries).total;
  const balance = gasBalance(date, separator ? separator.volumeM3 : null, entries.gasDispositions);
  const numberOrNull = (value: string | null) => (value === null ? null : fromNumeric(value));
  return {
    wells: reportWells,
    totals: {
      liftGasInjectedSm3: fromNumeric(fromUnits(reportWells.reduce((sum, well) => sum + toUnits(well.liftGasInjectedSm3), 0n))),
      separatorGasSm3: numberOrNull(balance.measuredSm3),
      liftGasReturnedSm3: fromNumeric(balance.bySm3.lift_recycle),
      formationGasSm3: numberOrNull(balance.formationSm3),
    },
    balance: {
      salesSm3: fromNumeric(balance.bySm3.sales),
      fuelSm3: fromNumeric(balance.bySm3.fuel),
      flareSm3: fromNumeric(balance.bySm3.flare),
      ventSm3: fromNumeric(balance.bySm3.vent),
      liftRecycleSm3: fromNumeric(balance.bySm3.lift_recycle),
      disposedSm3: fromNumeric(balance.disposedSm3),
      differenceSm3: numberOrNull(balance.differenceSm3),
    },
  };
}
