import type { DailyWell, DowntimeReason, Fluid, FluidVolumes, MonthlyWell } from '../../api/production';
import type { UnitSystem } from '../../units/units';
import { FLUIDS } from '../../api/production';
import { formatHours, formatValue, fluidVolumeUnit } from './quantities';

export interface ReportFormat {
  system: UnitSystem;
  locale: string;
  /** The translated label of a downtime reason code. */
  reasonLabel: (reasonCode: DowntimeReason) => string;
}

export interface FluidCells {
  theoretical: string;
  allocated: string;
  deferred: string;
}

/** One well's (or the totals') line of the daily report, every cell as shown. */
export interface DailyRow {
  uptime: string;
  fluids: Record<Fluid, FluidCells>;
  downtime: string;
}

/** A well's figures, or the site's totals (which have neither uptime nor downtime). */
type DailyFigures = Pick<DailyWell, 'oil' | 'gas' | 'water' | 'deferredOilM3' | 'deferredGasM3' | 'deferredWaterM3'> &
  Partial<Pick<DailyWell, 'uptimeHours' | 'downtime'>>;

function deferredM3(figures: DailyFigures, fluid: Fluid): number {
  if (fluid === 'oil') return figures.deferredOilM3;
  if (fluid === 'gas') return figures.deferredGasM3;
  return figures.deferredWaterM3;
}

/** "ESP trip 3 h · Power failure 1.5 h": the longest first, as the shift report reads it. */
export function downtimeSummary(downtime: DailyWell['downtime'], format: ReportFormat): string {
  return [...downtime]
    .sort((a, b) => b.hours - a.hours)
    .map((entry) => `${format.reasonLabel(entry.reasonCode)} ${formatHours(entry.hours, format.locale)}`)
    .join(' · ');
}

function fluidCells(volumes: FluidVolumes, deferred: number, fluid: Fluid, format: ReportFormat): FluidCells {
  const unit = fluidVolumeUnit(fluid);
  return {
    theoretical: formatValue(volumes.theoreticalM3, unit, format.system, format.locale),
    allocated: formatValue(volumes.allocatedM3, unit, format.system, format.locale),
    deferred: formatValue(deferred, unit, format.system, format.locale),
  };
}

export function dailyRow(figures: DailyFigures, format: ReportFormat): DailyRow {
  const fluids = Object.fromEntries(
    FLUIDS.map((fluid) => [fluid, fluidCells(figures[fluid], deferredM3(figures, fluid), fluid, format)]),
  ) as Record<Fluid, FluidCells>;
  return {
    uptime: figures.uptimeHours === undefined ? '' : formatHours(figures.uptimeHours, format.locale),
    fluids,
    downtime: figures.downtime === undefined ? '' : downtimeSummary(figures.downtime, format),
  };
}

export interface MonthlyRow {
  oil: string;
  gas: string;
  water: string;
  uptime: string;
  days: string;
}

/** A well's month, or the site's totals (no day count). */
export function monthlyRow(
  figures: Pick<MonthlyWell, 'oilM3' | 'gasM3' | 'waterM3' | 'uptimeHours'> & Partial<Pick<MonthlyWell, 'days'>>,
  format: Pick<ReportFormat, 'system' | 'locale'>,
): MonthlyRow {
  return {
    oil: formatValue(figures.oilM3, 'm3', format.system, format.locale),
    gas: formatValue(figures.gasM3, 'Sm3', format.system, format.locale),
    water: formatValue(figures.waterM3, 'm3', format.system, format.locale),
    uptime: figures.uptimeHours === undefined ? '' : formatHours(figures.uptimeHours, format.locale),
    days: figures.days === undefined ? '' : String(figures.days),
  };
}
