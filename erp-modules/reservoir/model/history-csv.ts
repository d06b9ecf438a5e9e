/**
 * Production history exported from OFM-like tools (docs/reservoir-data.md
 * "Import format"): header recognition, cell parsing and conversion to the
 * canonical SI units. Pure: the CSV text is already split into records by the
 * caller; no I/O, no database.
 */
import type { ErrorDetails } from "../../../runtime/error-contract.js";
import { SM3_PER_MSCF } from "../../../runtime/units/gas-volume.js";

export const M3_PER_BBL = 0.158987294928;

export type HistoryUnitSystem = "oilfield" | "metric";
export type HistoryFrequency = "daily" | "monthly";
export type HistoryColumn = "well" | "uwi" | "date" | "oil" | "gas" | "water" | "daysOn";

/**
 * Header names as OFM, Aries, PHDwin and spreadsheet exports spell them,
 * compared after lower-casing and dropping everything but letters and digits
 * (`Oil (bbl)` → `oilbbl`). A unit inside the header is checked against the
 * declared unit system.
 */
const HEADER_ALIASES: Record<HistoryColumn, readonly string[]> = {
  well: ["well", "wellcode", "wellname", "wellid", "completion", "completionname", "entity", "lease", "pozo"],
  uwi: ["uwi", "api", "apinumber", "apino", "api10", "api12", "api14", "apiuwi", "uwiapi"],
  date: ["date", "proddate", "productiondate", "month", "period", "periodstart", "reportdate", "fecha"],
  oil: ["oil", "oilprod", "oilproduction", "oilvolume", "monthlyoil", "dailyoil", "oilvol", "petroleo", "crudo"],
  gas: ["gas", "gasprod", "gasproduction", "gasvolume", "monthlygas", "dailygas", "gasvol"],
  water: ["water", "wtr", "waterprod", "waterproduction", "watervolume", "monthlywater", "dailywater", "watervol", "agua"],
  daysOn: ["dayson", "days", "daysonproduction", "daysproducing", "producingdays", "proddays", "daysprod", "daysonline", "dias"],
};

/** Unit suffixes a header may carry, and the unit system each belongs to. */
const UNIT_SUFFIXES: readonly { suffix: string; unit: string; system: HistoryUnitSystem | null; columns: readonly HistoryColumn[] }[] = [
  { suffix: "mmscf", unit: "MMscf", system: null, columns: ["gas"] },
  { suffix: "mscf", unit: "Mscf", system: "oilfield", columns: ["gas"] },
  { suffix: "mcf", unit: "Mscf", system: "oilfield", columns: ["gas"] },
  { suffix: "bbl", unit: "bbl", system: "oilfield", columns: ["oil", "water"] },
  { suffix: "bbls", unit: "bbl", system: "oilfield", columns: ["oil", "water"] },
  { suffix: "stb", unit: "bbl", system: "oilfield", columns: ["oil"] },
  { suffix: "sm3", unit: "Sm3", system: "metric", columns: ["gas", "oil"] },
  { suffix: "m3", unit: "m3", system: "metric", columns: ["oil", "water", "gas"] },
];

export function normalizeHeader(header: string): string {
  return header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

export interface HeaderMapping {
  /** CSV header → the column it fills. */
  columns: Map<string, HistoryColumn>;
  /** Headers the import does not use (kept out of the data, reported back). */
  ignored: string[];
}

/** Which header fills which column; a refusal names the header that is wrong or the column that is missing. */
export function mapHeaders(headers: readonly string[], unitSystem: HistoryUnitSystem): { mapping: HeaderMapping } | { problem: ErrorDetails } {
  const columns = new Map<string, HistoryColumn>();
  const taken = new Set<HistoryColumn>();
  const ignored: string[] = [];
  for (const header of headers) {
    const normalized = normalizeHeader(header);
    const match = matchHeader(normalized);
    if (!match) {
      ignored.push(header);
      continue;
    }
    if (match.unit && match.unit.system !== unitSystem) {
      return { problem: { field: header, reason: "unit_mismatch", params: { unit: match.unit.unit, unitSystem } } };
    }
    if (taken.has(match.column)) return { problem: { field: header, reason: "duplicate_in_file" } };
    taken.add(match.column);
    columns.set(header, match.column);
  }
  if (!taken.has("well") && !taken.has("uwi")) {
    return { problem: { field: "body", reason: "missing_column", params: { column: "well or UWI/API", accepted: [...HEADER_ALIASES.well, ...HEADER_ALIASES.uwi] } } };
  }
  if (!taken.has("date")) return { problem: { field: "body", reason: "missing_column", params: { column: "date", accepted: HEADER_ALIASES.date } } };
  if (!taken.has("oil") && !taken.has("gas") && !taken.has("water")) {
    return { problem: { field: "body", reason: "missing_column", params: { column: "oil, gas or water", accepted: [...HEADER_ALIASES.oil, ...HEADER_ALIASES.gas, ...HEADER_ALIASES.water] } } };
  }
  return { mapping: { columns, ignored } };
}

function matchHeader(normalized: string): { column: HistoryColumn; unit: (typeof UNIT_SUFFIXES)[number] | null } | null {
  for (const [column, aliases] of Object.entries(HEADER_ALIASES) as [HistoryColumn, readonly string[]][]) {
    if (aliases.includes(normalized)) return { column, unit: null };
  }
  // A header with a unit: the alias followed (or preceded) by the unit, e.g. oilbbl, gasmcf, monthlyoilm3.
  for (const unit of UNIT_SUFFIXES) {
    for (const column of unit.columns) {
      const bare = normalized.endsWith(unit.suffix) ? normalized.slice(0, -unit.suffix.length) : normalized.startsWith(unit.suffix) ? normalized.slice(unit.suffix.length) : null;
      if (bare !== null && bare !== normalized && HEADER_ALIASES[column].includes(bare)) return { column, unit };
    }
  }
  return null;
}

/** One history row in canonical SI units, ready to store. */
export interface HistoryRow {
  /** 2 for the first data line (line 1 is the header). */
  line: number;
  wellKey: { code: string | null; uwi: string | null };
  /** First day of the period: the day itself (daily) or the first of the month (monthly). */
  periodStart: string;
  oilVolumeM3: number | null;
  gasVolumeSm3: number | null;
  waterVolumeM3: number | null;
  daysOnProduction: number | null;
}

export interface RowProblem {
  line: number;
  details: ErrorDetails;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A volume or days cell: empty = not reported (null); anything but a plain non-negative number is refused. */
function parseAmount(cell: string | undefined, field: string): { value: number | null } | { problem: ErrorDetails } {
  const text = (cell ?? "").trim();
  if (text === "") return { value: null };
  if (!NUMBER.test(text)) return { problem: { field, reason: "wrong_type", params: { expected: "a number (digits and a decimal point, no thousands separators)" } } };
  const value = Number(text);
  if (!Number.isFinite(value)) return { problem: { field, reason: "not_finite" } };
  if (value < 0) return { problem: { field, reason: "below_minimum", params: { limit: 0 } } };
  return { value };
}

function isoDay(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A date cell: YYYY-MM-DD, YYYY/MM/DD, M/D/YYYY (OFM's US export), or
 * YYYY-MM for monthly rows. Monthly rows take the month the date falls in
 * (exports date a month by its first or its last day).
 */
export function parsePeriodStart(cell: string, frequency: HistoryFrequency): string | null {
  const text = cell.trim();
  let day: string | null = null;
  let match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/.exec(text);
  if (match) day = isoDay(Number(match[1]), Number(match[2]), Number(match[3]));
  match = day ? null : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (match) day = isoDay(Number(match[3]), Number(match[1]), Number(match[2]));
  match = day ? null : /^(\d{4})-(\d{1,2})$/.exec(text);
  if (match && frequency === "monthly") day = isoDay(Number(match[1]), Number(match[2]), 1);
  if (!day) return null;
  return frequency === "monthly" ? `${day.slice(0, 7)}-01` : day;
}

/** Calendar days of the period that starts on periodStart. */
export function periodDays(periodStart: string, frequency: HistoryFrequency): number {
  if (frequency === "daily") return 1;
  const [year, month] = periodStart.split("-").map(Number);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** From the declared units to SI: bbl → m3, Mscf → Sm3 (the same standard conditions, only the length unit changes). */
export function toSi(value: number | null, quantity: "liquid" | "gas", unitSystem: HistoryUnitSystem): number | null {
  if (value === null || unitSystem === "metric") return value;
  return quantity === "liquid" ? value * M3_PER_BBL : value * SM3_PER_MSCF;
}

/** One CSV record (header → cell) to a history row in SI, or every problem it has. */
export function parseHistoryRecord(
  record: Readonly<Record<string, string>>,
  line: number,
  mapping: HeaderMapping,
  options: { unitSystem: HistoryUnitSystem; frequency: HistoryFrequency },
): { row: HistoryRow } | { problems: RowProblem[] } {
  const cells: Partial<Record<HistoryColumn, { header: string; text: string }>> = {};
  for (const [header, column] of mapping.columns) cells[column] = { header, text: (record[header] ?? "").trim() };
  const problems: RowProblem[] = [];
  const code = cells.well?.text || null;
  const uwi = cells.uwi?.text || null;
  if (!code && !uwi) problems.push({ line, details: { field: cells.well?.header ?? cells.uwi?.header ?? "well", reason: "required" } });
  const dateCell = cells.date ?? { header: "date", text: "" };
  const periodStart = dateCell.text ? parsePeriodStart(dateCell.text, options.frequency) : null;
  if (!dateCell.text) problems.push({ line, details: { field: dateCell.header, reason: "required" } });
  else if (!periodStart) {
    const format = options.frequency === "monthly" ? "YYYY-MM-DD, YYYY-MM, YYYY/MM/DD or M/D/YYYY" : "YYYY-MM-DD, YYYY/MM/DD or M/D/YYYY";
    problems.push({ line, details: { field: dateCell.header, reason: "invalid_format", params: { format } } });
  }
  const amounts: Partial<Record<"oil" | "gas" | "water" | "daysOn", number | null>> = {};
  for (const column of ["oil", "gas", "water", "daysOn"] as const) {
    const cell = cells[column];
    if (!cell) {
      amounts[column] = null;
      continue;
    }
    const parsed = parseAmount(cell.text, cell.header);
    if ("problem" in parsed) problems.push({ line, details: parsed.problem });
    else amounts[column] = parsed.value;
  }
  if (periodStart && amounts.daysOn !== undefined && amounts.daysOn !== null) {
    const days = periodDays(periodStart, options.frequency);
    if (amounts.daysOn > days) problems.push({ line, details: { field: cells.daysOn?.header ?? "daysOn", reason: "days_on_above_period", params: { days } } });
  }
  if (problems.length > 0 || !periodStart) return { problems };
  if (amounts.oil === null && amounts.gas === null && amounts.water === null) {
    // A row with no volume at all says nothing: refused rather than stored as an empty period.
    return { problems: [{ line, details: { field: cells.oil?.header ?? cells.gas?.header ?? cells.water?.header ?? "oil", reason: "required" } }] };
  }
  return {
    row: {
      line,
      wellKey: { code, uwi },
      periodStart,
      oilVolumeM3: toSi(amounts.oil ?? null, "liquid", options.unitSystem),
      gasVolumeSm3: toSi(amounts.gas ?? null, "gas", options.unitSystem),
      waterVolumeM3: toSi(amounts.water ?? null, "liquid", options.unitSystem),
      daysOnProduction: amounts.daysOn ?? null,
    },
  };
}
