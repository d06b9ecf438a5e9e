/**
 * Report files in the site's language and unit system (docs/erp-production.md
 * "Report files"): the words, the units and the number format of CSV, XLSX
 * and PDF. Conversions go through runtime/tags/display-units.ts, the server's
 * one conversion table.
 */
import { toDisplayUnit } from "../../runtime/tags/display-units.js";
import type { Settings } from "../../settings.js";

export type ReportLanguage = Settings["siteLanguage"];
export type ReportUnits = Settings["unitSystem"];

export interface ReportOptions {
  lang: ReportLanguage;
  units: ReportUnits;
  standardConditions: Settings["standardConditions"];
}

export const DEFAULT_REPORT_OPTIONS: ReportOptions = { lang: "en", units: "metric", standardConditions: "15C_101.325kPa" };

/** The kinds of quantity a report column holds. */
export type Quantity = "liquid" | "gas" | "level" | "hours" | "percent" | "gor" | "wor" | "count";

function factor(unit: string, display: string): number {
  const converted = toDisplayUnit(1, unit, display);
  if (!converted) throw new Error(`no conversion from ${unit} to ${display}`);
  return converted.value;
}

// Gas volumes use the Sm3/d → Mscf/d factor: the table holds rates, and a volume converts by the same factor.
const BBL_PER_M3 = factor("m3", "bbl");
const MSCF_PER_SM3 = factor("Sm3/d", "Mscf/d");
const FT_PER_M = factor("m", "ft");

const UNIT_LABELS: Record<ReportUnits, Record<Quantity, string>> = {
  metric: { liquid: "m3", gas: "Sm3", level: "m", hours: "h", percent: "%", gor: "Sm3/m3", wor: "m3/m3", count: "" },
  oilfield: { liquid: "bbl", gas: "Mscf", level: "ft", hours: "h", percent: "%", gor: "scf/bbl", wor: "bbl/bbl", count: "" },
};

export function unitLabel(quantity: Quantity, units: ReportUnits): string {
  return UNIT_LABELS[units][quantity];
}

/** A canonical value (m3, Sm3, m, Sm3/m3) in the report's units; null stays null. */
export function convert(value: number | null, quantity: Quantity, units: ReportUnits): number | null {
  if (value === null || units === "metric") return value;
  switch (quantity) {
    case "liquid":
      return value * BBL_PER_M3;
    case "gas":
      return value * MSCF_PER_SM3;
    case "level":
      return value * FT_PER_M;
    // Sm3 per m3 → scf per bbl: × (Mscf/Sm3 × 1000 scf/Mscf) / (bbl/m3).
    case "gor":
      return (value * MSCF_PER_SM3 * 1000) / BBL_PER_M3;
    default:
      return value;
  }
}

export function locale(lang: ReportLanguage): string {
  return lang === "es" ? "es-ES" : "en-US";
}

const WORDS = {
  en: {
    wellCode: "Well code",
    wellName: "Well name",
    uptime: "Uptime",
    oilTheoretical: "Oil theoretical",
    oilAllocated: "Oil allocated",
    gasTheoretical: "Gas theoretical",
    gasAllocated: "Gas allocated",
    waterTheoretical: "Water theoretical",
    waterAllocated: "Water allocated",
    oilDeferred: "Oil deferred",
    gasDeferred: "Gas deferred",
    waterDeferred: "Water deferred",
    waterCut: "Water cut",
    gor: "GOR",
    wor: "WOR",
    days: "Days",
    oil: "Oil",
    gas: "Gas",
    water: "Water",
    total: "TOTAL",
    dailyTitle: "Daily production report",
    monthlyTitle: "Monthly production report",
    productionDay: "Production day {date} (UTC)",
    continued: "{site}, production day {date} (continued)",
    run: "Allocation run {id}, version {version}, computed {at}",
    noRun: "No allocation run covers this day: theoretical volumes only, nothing allocated yet",
    priorPeriod: "PRIOR-PERIOD ADJUSTMENT (restated after the month was closed)",
    closed: "Month closed {at} by {by}: figures are final",
    open: "Month open: figures may still change",
    measured: "Measured: oil {oil}, gas {gas}, water {water}",
    notMeasured: "not measured",
    standardConditions: "Volumes at standard conditions: {conditions}; pressures are gauge readings",
    wells: "Wells ({count})",
    tanks: "Tanks (latest gauge at or before the end of the day)",
    tank: "Tank",
    name: "Name",
    level: "Level",
    volume: "Volume",
    gaugedAt: "Gauged at",
    shipments: "Shipments (run tickets of the day)",
    ticket: "Ticket",
    shippedAt: "Shipped at",
    fluid: "Fluid",
    destination: "Destination",
    carrier: "Carrier",
    truck: "truck",
    pipeline: "pipeline",
    none: "none",
    flags: "Flags ({count})",
    noFlags: "No flags",
    flagCheckMeter: "{date} {fluid}: check meter {check} against fiscal {fiscal} ({value} % off, tolerance {max} %)",
    flagFactor: "{date} {fluid}: allocation factor {value} outside {min} to {max}",
    flagStaleTest: "{date} {well}: well test of {testDate} is {value} days old (valid {max} days)",
    generated: "Generated {at} by Petroflow",
  },
  es: {
    wellCode: "Código de pozo",
    wellName: "Nombre del pozo",
    uptime: "Tiempo en producción",
    oilTheoretical: "Petróleo teórico",
    oilAllocated: "Petróleo asignado",
    gasTheoretical: "Gas teórico",
    gasAllocated: "Gas asignado",
    waterTheoretical: "Agua teórica",
    waterAllocated: "Agua asignada",
    oilDeferred: "Petróleo diferido",
    gasDeferred: "Gas diferido",
    waterDeferred: "Agua diferida",
    waterCut: "Corte de agua",
    gor: "RGP",
    wor: "RAP",
    days: "Días",
    oil: "Petróleo",
    gas: "Gas",
    water: "Agua",
    total: "TOTAL",
    dailyTitle: "Informe diario de producción",
    monthlyTitle: "Informe mensual de producción",
    productionDay: "Día de producción {date} (UTC)",
    continued: "{site}, día de producción {date} (continuación)",
    run: "Corrida de asignación {id}, versión {version}, calculada {at}",
    noRun: "Ninguna corrida de asignación cubre este día: solo volúmenes teóricos, nada asignado aún",
    priorPeriod: "AJUSTE DE PERÍODO ANTERIOR (reexpresado después del cierre del mes)",
    closed: "Mes cerrado {at} por {by}: las cifras son definitivas",
    open: "Mes abierto: las cifras aún pueden cambiar",
    measured: "Medido: petróleo {oil}, gas {gas}, agua {water}",
    notMeasured: "no medido",
    standardConditions: "Volúmenes a condiciones estándar: {conditions}; las presiones son manométricas",
    wells: "Pozos ({count})",
    tanks: "Tanques (última medición al cierre del día o antes)",
    tank: "Tanque",
    name: "Nombre",
    level: "Nivel",
    volume: "Volumen",
    gaugedAt: "Medido el",
    shipments: "Despachos (boletas del día)",
    ticket: "Boleta",
    shippedAt: "Despachado el",
    fluid: "Fluido",
    destination: "Destino",
    carrier: "Transportista",
    truck: "camión",
    pipeline: "oleoducto",
    none: "ninguno",
    flags: "Alertas ({count})",
    noFlags: "Sin alertas",
    flagCheckMeter: "{date} {fluid}: medidor de control {check} frente al fiscal {fiscal} ({value} % de desvío, tolerancia {max} %)",
    flagFactor: "{date} {fluid}: factor de asignación {value} fuera de {min} a {max}",
    flagStaleTest: "{date} {well}: la prueba de pozo del {testDate} tiene {value} días (válida {max} días)",
    generated: "Generado {at} por Petroflow",
  },
} as const satisfies Record<ReportLanguage, Record<string, string>>;

export type Word = keyof (typeof WORDS)["en"];

/** The word in the language, with {name} replaced by params[name]. */
export function word(lang: ReportLanguage, key: Word, params: Record<string, string | number> = {}): string {
  return WORDS[lang][key].replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** "Oil allocated (bbl)": a column title with its unit. */
export function columnTitle(lang: ReportLanguage, key: Word, quantity: Quantity, units: ReportUnits): string {
  const unit = unitLabel(quantity, units);
  return unit === "" ? word(lang, key) : `${word(lang, key)} (${unit})`;
}

/** The standard conditions as a report states them, pressure marked absolute. */
export function standardConditionsText(conditions: Settings["standardConditions"], lang: ReportLanguage): string {
  const absolute = lang === "es" ? "absoluta" : "absolute";
  return conditions === "60F_14.696psia" ? `60 °F, 14.696 psia (${absolute})` : `15 °C, 101.325 kPa (${absolute})`;
}

/** A number in the report's locale: decimal comma in Spanish. */
export function formatNumber(value: number, decimals: number, lang: ReportLanguage): string {
  const text = value.toLocaleString(locale(lang), { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return /^-0([.,]0*)?$/.test(text) ? text.slice(1) : text;
}

export function fluidWord(lang: ReportLanguage, fluid: "oil" | "gas" | "water"): string {
  return word(lang, fluid).toLowerCase();
}
