/*
 * Production days are the site's (GET /api/v1/site: timeZone and
 * productionDayStartHour; UTC calendar days when absent), as the server
 * allocates and reports them: the same pure clock
 * (erp-modules/production/model/production-day.ts). Times are typed and shown
 * in the browser's local time and go to the server as UTC ISO text.
 */
import { productionDayClock, UTC_CLOCK, type ProductionDayClock } from '../../../../erp-modules/production/model/production-day';

export type { ProductionDayClock };

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** YYYY-MM-DD of the local calendar day. */
export function localDate(at: Date): string {
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The clock of a site's production day; UTC days when the site says nothing or names a zone this browser does not know. */
export function siteDayClock(site: { timeZone?: string; productionDayStartHour?: number } | undefined): ProductionDayClock {
  if (site?.timeZone === undefined) return UTC_CLOCK;
  try {
    return productionDayClock({ timeZone: site.timeZone, startHour: site.productionDayStartHour ?? 0 });
  } catch {
    return UTC_CLOCK;
  }
}

/** The production day an instant falls on. */
export function productionDay(at: Date, clock: ProductionDayClock = UTC_CLOCK): string {
  return clock.dayOf(at.getTime());
}

/** The last closed production day before the one `at` falls on: what a morning report and allocation are about. */
export function previousProductionDay(at: Date, clock: ProductionDayClock = UTC_CLOCK): string {
  return clock.dayOf(clock.bounds(productionDay(at, clock)).startMs - 1);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

export function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(year, month - 1, day);
  return at.getFullYear() === year && at.getMonth() === month - 1 && at.getDate() === day;
}

export function isMonth(text: string): boolean {
  const match = MONTH.exec(text);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** What a datetime-local input shows for an instant: local time to the minute, or to the second. */
export function localDateTimeInput(at: Date, precision: 'minutes' | 'seconds' = 'minutes'): string {
  const minutes = `${localDate(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
  return precision === 'minutes' ? minutes : `${minutes}:${pad(at.getSeconds())}`;
}

/**
 * Where a time input starts on a form for production day `date`: the current
 * minute on today's, else the middle of the production day, so that an
 * untouched time keeps the entry on the day that was picked whatever the
 * browser's zone.
 */
export function defaultTimeInput(date: string, now: Date, clock: ProductionDayClock = UTC_CLOCK): string {
  if (date === productionDay(now, clock)) return localDateTimeInput(now);
  const { startMs, endMs } = clock.bounds(date);
  // Whole minutes: a datetime-local input shows minutes.
  return localDateTimeInput(new Date(Math.floor((startMs + endMs) / 2 / 60_000) * 60_000));
}

/** A datetime-local input's text as an ISO instant; null when it is not a time. */
export function instantFromInput(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return null;
  // Without an offset the text is local time, which is what the operator typed.
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** The first and last day of a YYYY-MM month, as an allocation period. */
export function monthPeriod(month: string): { periodStart: string; periodEnd: string } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(year, monthNumber, 0).getDate();
  return { periodStart: `${month}-01`, periodEnd: `${month}-${pad(lastDay)}` };
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: string, style: 'time' | 'dateTime' | 'date'): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let found = formats.get(key);
  if (found === undefined) {
    const time = { hour: '2-digit', minute: '2-digit', hour12: false } as const;
    const date = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;
    found = new Intl.DateTimeFormat(locale, style === 'time' ? time : style === 'date' ? date : { ...date, ...time });
    formats.set(key, found);
  }
  return found;
}

export function formatTime(iso: string, locale: string): string {
  return format(locale, 'time').format(new Date(iso));
}

export function formatDateTime(iso: string, locale: string): string {
  return format(locale, 'dateTime').format(new Date(iso));
}

/** A YYYY-MM-DD production day in the locale's order, without a time zone shift. */
export function formatDay(date: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return format(locale, 'date').format(new Date(year, month - 1, day));
}
