import type { AssetLookup, LiftType, WellRef } from "../shared/asset-lookup.js";
import type { Fluid } from "./entry-schemas.js";
import type { GasDispositionKind } from "./model/gas-lift.js";
import type { EntryService } from "./entry-service.js";
import type { RecordedEntry } from "./ports.js";

/**
 * A week of production history for the demo site, so allocation and the
 * reports have something to show on first start: one approved well test per
 * well, daily meter readings, tank gauges, run tickets, gas dispositions
 * and a few downtime events, for the demo's own wells and tanks only. Every entry has a
 * `demo:` sourceKey, so running it twice records nothing twice; the demo
 * runs it once per site (runtime/demo/demo-seed.ts).
 */

export const DEMO_PRODUCTION_ACTOR = "system:demo";
const DEMO_DAYS = 7;
const TEST_DURATION_HOURS = 2;

export interface WellRates {
  oilM3PerDay: number;
  /** Separator gas: formation gas plus, for a gas-lift well, the lift gas returned. */
  gasSm3PerDay: number;
  waterM3PerDay: number;
  /** Lift gas injected (gas-lift wells). */
  liftGasSm3PerDay?: number;
}

export interface DemoProductionOptions {
  /** The site's sales / fiscal meters, one per fluid (meter equipment ids). */
  meterIds: Record<Fluid, string>;
  /**
   * The assets the demo created: only these wells and tanks get history. A
   * well or tank a user put under the same site is never given invented
   * tests, gauges or downtime.
   */
  demoAssetIds: ReadonlySet<string>;
  /** A well's rates per day (the simulator model's); wells without are given typical rates for their lift type. */
  wellRates?: (well: WellRef) => WellRates | undefined;
  /** "Now" for the 7-day window; the window is the 7 whole UTC days before today. */
  now?: Date;
}

export interface DemoProductionReport {
  recorded: number;
  replayed: number;
}

/** Typical rates per lift type (m3/d, Sm3/d), for wells the caller has no rates for. */
const TYPICAL_RATES: Record<LiftType, WellRates> = {
  natural_flow: { oilM3PerDay: 120, gasSm3PerDay: 18_000, waterM3PerDay: 30 },
  esp: { oilM3PerDay: 110, gasSm3PerDay: 14_000, waterM3PerDay: 220 },
  // 10 000 Sm3/d of formation gas (GOR 105) and 22 000 of lift gas.
  gas_lift: { oilM3PerDay: 95, gasSm3PerDay: 32_000, waterM3PerDay: 80, liftGasSm3PerDay: 22_000 },
  rod_pump: { oilM3PerDay: 22, gasSm3PerDay: 2_500, waterM3PerDay: 18 },
};

/**
 * Rates as the demo's simulated field reports them (OIL_RATE, GAS_RATE,
 * WATER_RATE of the well's code, and GL_INJ_RATE for a gas-lift well).
 */
export function ratesFromSimulator(model: { read(asset: string, point: string): number | boolean }): (well: WellRef) => WellRates | undefined {
  return (well) => {
    let rates: WellRates;
    try {
      const [oil, gas, water] = ["OIL_RATE", "GAS_RATE", "WATER_RATE"].map((point) => model.read(well.code, point));
      if (typeof oil !== "number" || typeof gas !== "number" || typeof water !== "number" || oil + water <= 0) return undefined;
      rates = { oilM3PerDay: oil, gasSm3PerDay: gas, waterM3PerDay: water };
    } catch {
      // Not a simulated well (added by hand): typical rates instead.
      return undefined;
    }
    try {
      const lift = model.read(well.code, "GL_INJ_RATE");
      return typeof lift === "number" ? { ...rates, liftGasSm3PerDay: lift } : rates;
    } catch {
      // Not a gas-lift well: no lift gas point.
      return rates;
    }
  };
}

/** A deterministic value in [-1, 1) from a text: the same demo day always gets the same "noise". */
function jitter(seed: string): number {
  let hash = 2_166_136_261;
  for (let index = 0; index < seed.length; index++) {
    hash ^= seed.charCodeAt(index);
    hash = Math.imul(hash, 16_777_619);
  }
  return ((hash >>> 0) / 2 ** 32) * 2 - 1;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** The `count` UTC days before `now`'s day, oldest first, as YYYY-MM-DD. */
export function demoDays(now: Date, count = DEMO_DAYS): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: count }, (_, index) => new Date(today - (count - index) * 86_400_000).toISOString().slice(0, 10));
}

const at = (day: string, time: string) => `${day}T${time}Z`;

/**
 * Records the demo site's production history (idempotent). Wells and tanks
 * are the ones under `siteAssetId`; meter ids come with the options (the
 * asset lookup does not list meters).
 */
export async function ensureDemoProduction(
  production: EntryService,
  assets: AssetLookup,
  siteAssetId: string,
  options: DemoProductionOptions,
): Promise<DemoProductionReport> {
  const report: DemoProductionReport = { recorded: 0, replayed: 0 };
  const count = <Recorded extends RecordedEntry>(recorded: Recorded): Recorded => {
    if (recorded.replayed) report.replayed++;
    else report.recorded++;
    return recorded;
  };
  const actor = DEMO_PRODUCTION_ACTOR;
  const days = demoDays(options.now ?? new Date());
  const firstDay = days[0];
  if (firstDay === undefined) return report;
  const wells = (await assets.wellsUnder(siteAssetId)).filter((well) => well.status === "producing" && options.demoAssetIds.has(well.id));
  const rates = new Map(wells.map((well) => [well.id, options.wellRates?.(well) ?? TYPICAL_RATES[well.liftType]]));
  const total = (pick: (rates: WellRates) => number) => [...rates.values()].reduce((sum, wellRates) => sum + pick(wellRates), 0);

  // One approved test per well, one after the other on the test separator, ending when the window starts.
  const windowStartMs = Date.parse(at(firstDay, "00:00:00"));
  for (const [index, well] of wells.entries()) {
    const wellRates = rates.get(well.id) ?? TYPICAL_RATES[well.liftType];
    const proposed = count(
      await production.proposeWellTest(
        {
          wellId: well.id,
          startedAt: new Date(windowStartMs - (wells.length - index) * TEST_DURATION_HOURS * 3_600_000).toISOString(),
          durationHours: TEST_DURATION_HOURS,
          oilRateM3PerDay: round(wellRates.oilM3PerDay, 2),
          gasRateSm3PerDay: round(wellRates.gasSm3PerDay, 0),
          waterRateM3PerDay: round(wellRates.waterM3PerDay, 2),
          ...(wellRates.liftGasSm3PerDay === undefined ? {} : { liftGasInjectionSm3PerDay: round(wellRates.liftGasSm3PerDay, 0) }),
          separatorPressureKpa: 700,
          source: "flow",
          sourceKey: `demo:well-test:${well.code}`,
          notes: "Demo well test",
        },
        actor,
      ),
    );
    if (proposed.entry.status === "proposed") {
      await production.approveWellTest(proposed.id, { rowVersion: proposed.entry.rowVersion, note: "Demo: representative test" }, actor);
    }
  }

  const fluids: [Fluid, (wellRates: WellRates) => number][] = [
    ["oil", (wellRates) => wellRates.oilM3PerDay],
    ["gas", (wellRates) => wellRates.gasSm3PerDay],
    ["water", (wellRates) => wellRates.waterM3PerDay],
  ];
  const tanks = (await assets.tanksUnder(siteAssetId)).filter((tank) => options.demoAssetIds.has(tank.id));
  const dailyOilM3 = total((wellRates) => wellRates.oilM3PerDay);
  const dailyLiftGasSm3 = total((wellRates) => wellRates.liftGasSm3PerDay ?? 0);
  const dailyFormationGasSm3 = total((wellRates) => wellRates.gasSm3PerDay - (wellRates.liftGasSm3PerDay ?? 0));
  for (const [dayIndex, day] of days.entries()) {
    // Where the gas went: the compressor's lift gas back to the wells, a little fuel and flare, the rest sold.
    // Sales are metered on their own, so the gas balance shows a small difference, as a real one does.
    const dispositions: [GasDispositionKind, number][] = [
      ["lift_recycle", dailyLiftGasSm3],
      ["fuel", 0.04 * dailyFormationGasSm3],
      ["flare", 0.015 * dailyFormationGasSm3 * (1 + 0.3 * jitter(`flare:${day}`))],
      ["sales", 0.945 * dailyFormationGasSm3 * (1 + 0.02 * jitter(`sales:${day}`))],
    ];
    for (const [disposition, volume] of dispositions) {
      if (volume <= 0) continue;
      count(
        await production.recordGasDisposition(
          { siteAssetId, productionDate: day, disposition, volumeSm3: round(volume, 0), source: "flow", sourceKey: `demo:gas:${disposition}:${day}` },
          actor,
        ),
      );
    }
    for (const [fluid, pick] of fluids) {
      count(
        await production.recordMeterReading(
          {
            meterId: options.meterIds[fluid],
            productionDate: day,
            fluid,
            // The meters read the wells' total within a few percent (meter error, shrinkage).
            volumeM3: round(total(pick) * (1 + 0.03 * jitter(`meter:${fluid}:${day}`)), fluid === "gas" ? 0 : 2),
            source: "flow",
            sourceKey: `demo:meter:${fluid}:${day}`,
          },
          actor,
        ),
      );
    }
    for (const tank of tanks) {
      for (const [shift, time] of [
        ["am", "06:00:00"],
        ["pm", "18:00:00"],
      ] as const) {
        count(
          await production.recordTankGauge(
            {
              tankId: tank.id,
              gaugedAt: at(day, time),
              // Near 2.75 m, within a few centimetres: the meters already read the wells' total, and measured
              // production is meter + the tanks' stock change, so a swinging demo level would swing the allocation.
              levelM: round(2.75 + 0.05 * jitter(`gauge:${tank.code}:${day}:${shift}`), 3),
              temperatureDegC: round(38 + 4 * jitter(`temperature:${tank.code}:${day}:${shift}`), 1),
              source: "flow",
              sourceKey: `demo:gauge:${tank.code}:${day}:${shift}`,
            },
            actor,
          ),
        );
      }
    }
    if (dayIndex % 2 === 1) {
      count(
        await production.recordRunTicket(
          {
            siteAssetId,
            ...(tanks[0] ? { tankId: tanks[0].id } : {}),
            ticketNumber: `DEMO-${day.replaceAll("-", "")}`,
            shippedAt: at(day, "12:00:00"),
            fluid: "oil",
            // Two days of oil, as the tanks are emptied every other day.
            volumeM3: round(2 * dailyOilM3 * (1 + 0.02 * jitter(`ticket:${day}`)), 2),
            destination: "pipeline",
            carrier: "Demo pipeline",
            source: "flow",
            sourceKey: `demo:ticket:${day}`,
          },
          actor,
        ),
      );
    }
  }

  // A couple of closed downtime events: an ESP trip and a rod-pump repair (or the first wells if none).
  const espWell = wells.find((well) => well.liftType === "esp") ?? wells[0];
  const rodWell = wells.find((well) => well.liftType === "rod_pump") ?? wells[1];
  const downtime: [WellRef | undefined, string | undefined, string, string, "esp_trip" | "mechanical_failure"][] = [
    [espWell, days[1], "02:10:00", "06:40:00", "esp_trip"],
    [rodWell, days[4], "10:00:00", "16:30:00", "mechanical_failure"],
  ];
  for (const [well, day, start, end, reasonCode] of downtime) {
    if (!well || !day) continue;
    count(
      await production.recordDowntime(
        {
          wellId: well.id,
          startedAt: at(day, start),
          endedAt: at(day, end),
          reasonCode,
          source: "flow",
          sourceKey: `demo:downtime:${well.code}:${day}`,
          notes: "Demo downtime",
        },
        actor,
      ),
    );
  }
  return report;
}
