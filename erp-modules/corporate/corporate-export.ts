/**
 * Corporate files (docs/corporate.md): the production report as PDF and XLSX
 * in Spanish or English and either unit system, and the analytics export as
 * hive-style CSV partitions in a zip. Loaded by the routes on first use only.
 */
import { stringify } from "csv-stringify/sync";
import { zipSync, strToU8 } from "fflate";
import PDFDocument from "pdfkit";
import { toXlsx, type Table } from "../production/report-export.js";
import { convert, formatNumber, unitLabel, type Quantity, type ReportLanguage, type ReportUnits } from "../production/report-labels.js";
import { monthBounds, monthlyBySiteAndField, type WellDay } from "./model/consolidation.js";
import type { ConsolidatedProduction, ProductionQuery } from "./schema.js";
import { checkMonths, type CorporateService } from "./service.js";

export interface FileOptions {
  lang: ReportLanguage;
  units: ReportUnits;
}

const WORDS = {
  en: {
    title: "Production by site, field and month",
    range: "Months {from} to {to}, from each site's current allocation runs",
    site: "Site",
    field: "Field",
    month: "Month",
    oil: "Oil",
    gas: "Gas",
    water: "Water",
    wells: "Wells",
    days: "Days",
    total: "TOTAL",
    noField: "(no field)",
    dataAsOf: "{site}: data as of {at} UTC",
    neverSynced: "{site}: never synced",
    left: "{count} runs sent by older sites carry no per-well volumes and are not counted",
    generated: "Generated {at} UTC by Petroflow",
    sheet: "Production",
  },
  es: {
    title: "Producción por sitio, campo y mes",
    range: "Meses {from} a {to}, de las asignaciones vigentes de cada sitio",
    site: "Sitio",
    field: "Campo",
    month: "Mes",
    oil: "Petróleo",
    gas: "Gas",
    water: "Agua",
    wells: "Pozos",
    days: "Días",
    total: "TOTAL",
    noField: "(sin campo)",
    dataAsOf: "{site}: datos al {at} UTC",
    neverSynced: "{site}: nunca sincronizado",
    left: "{count} asignaciones enviadas por sitios anteriores no traen volúmenes por pozo y no se cuentan",
    generated: "Generado el {at} UTC por Petroflow",
    sheet: "Producción",
  },
} as const;

type Word = keyof (typeof WORDS)["en"];

function word(lang: ReportLanguage, key: Word, params: Record<string, string | number> = {}): string {
  return WORDS[lang][key].replace(/\{(\w+)\}/g, (_match, name: string) => String(params[name] ?? ""));
}

function title(lang: ReportLanguage, key: Word, quantity: Quantity, units: ReportUnits): string {
  return `${word(lang, key)} (${unitLabel(quantity, units)})`;
}

const utcMinute = (iso: string) => iso.slice(0, 16).replace("T", " ");

/** The report's table (rows then one TOTAL row), in the options' language and units; the same for XLSX and PDF. */
export function productionTable(report: ConsolidatedProduction, options: FileOptions): Table {
  const { lang, units } = options;
  const v = (value: number, quantity: Quantity) => {
    const converted = convert(value, quantity, units) ?? 0;
    return units === "metric" ? converted : Math.round(converted * 1e6) / 1e6;
  };
  const rows: Table["rows"] = report.rows.map((row) => [
    `${row.siteId} ${row.siteName}`,
    row.fieldCode ? `${row.fieldCode} ${row.fieldName ?? ""}`.trim() : word(lang, "noField"),
    row.month,
    v(row.oilM3, "liquid"),
    v(row.gasSm3, "gas"),
    v(row.waterM3, "liquid"),
    row.wells,
    row.days,
  ]);
  const sum = (key: "oilM3" | "gasSm3" | "waterM3") => report.siteTotals.reduce((total, site) => total + site[key], 0);
  rows.push([word(lang, "total"), "", "", v(sum("oilM3"), "liquid"), v(sum("gasSm3"), "gas"), v(sum("waterM3"), "liquid"), null, null]);
  return {
    header: [word(lang, "site"), word(lang, "field"), word(lang, "month"), title(lang, "oil", "liquid", units), title(lang, "gas", "gas", units), title(lang, "water", "liquid", units), word(lang, "wells"), word(lang, "days")],
    numeric: [false, false, false, true, true, true, true, true],
    decimals: [0, 0, 0, 3, 3, 3, 0, 0],
    rows,
  };
}

export function productionXlsx(report: ConsolidatedProduction, options: FileOptions): Promise<Buffer> {
  return toXlsx(productionTable(report, options), word(options.lang, "sheet"));
}

const MARGIN_PT = 36;
const WIDTHS_PT = [150, 150, 50, 90, 90, 90, 50, 50];
const ROW_PT = 14;

/** An A4 landscape PDF: title, range, every site's data age, the table (header repeated on each page), generation time. */
export function productionPdf(report: ConsolidatedProduction, options: FileOptions, generatedAt: Date = new Date()): Promise<Buffer> {
  const { lang } = options;
  const doc = new PDFDocument({ size: "A4", layout: "landscape", margin: MARGIN_PT, info: { Title: word(lang, "title"), Producer: "Petroflow" } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font("Helvetica-Bold").fontSize(15).text(word(lang, "title"));
  doc.font("Helvetica").fontSize(10).text(word(lang, "range", { from: report.fromMonth, to: report.toMonth }));
  doc.fontSize(8);
  for (const site of report.siteTotals) {
    const name = `${site.siteId} ${site.siteName}`;
    doc.text(site.freshness.asOf ? word(lang, "dataAsOf", { site: name, at: utcMinute(site.freshness.asOf) }) : word(lang, "neverSynced", { site: name }));
  }
  if (report.runsWithoutVolumes > 0) doc.text(word(lang, "left", { count: report.runsWithoutVolumes }));
  doc.moveDown(0.8);

  const table = productionTable(report, options);
  const bottom = doc.page.height - MARGIN_PT - ROW_PT;
  const line = (cells: readonly (string | number | null)[], bold: boolean) => {
    if (doc.y > bottom) doc.addPage();
    const y = doc.y;
    let x = MARGIN_PT;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8);
    cells.forEach((cell, index) => {
      const text = cell === null ? "" : typeof cell === "number" ? formatNumber(cell, table.decimals[index], lang) : cell;
      doc.text(text, x, y, { width: WIDTHS_PT[index] - 4, align: table.numeric[index] ? "right" : "left", lineBreak: false, ellipsis: true });
      x += WIDTHS_PT[index];
    });
    doc.x = MARGIN_PT;
    doc.y = y + ROW_PT;
  };
  line(table.header, true);
  doc.on("pageAdded", () => line(table.header, true));
  table.rows.forEach((row, index) => line(row, index === table.rows.length - 1));
  doc.moveDown(1).font("Helvetica").fontSize(7).fillColor("#555555").text(word(lang, "generated", { at: utcMinute(generatedAt.toISOString()) }), MARGIN_PT, doc.y);
  doc.end();
  return done;
}

/*
 * The analytics export (docs/corporate.md "Analytics export"): CSV, UTF-8,
 * comma, dot decimals, SI units named in the column, one header row;
 * partitions hive-style so Spark, DuckDB, Athena or pandas read the tree as
 * one table with site and month as partition columns.
 */
export const WELL_DAILY_COLUMNS = ["site_asset_code", "field_code", "well_id", "well_code", "production_date", "oil_m3", "gas_sm3", "water_m3", "run_id", "run_version"] as const;
export const MONTHLY_COLUMNS = ["site_name", "field_code", "field_name", "oil_m3", "gas_sm3", "water_m3", "wells", "days"] as const;

function csv(header: readonly string[], rows: (string | number | null)[][]): Uint8Array {
  return strToU8(stringify([[...header], ...rows.map((row) => row.map((cell) => (cell === null ? "" : cell)))], { delimiter: "," }));
}

function partition(dataset: string, siteId: string, month: string): string {
  return `${dataset}/site=${siteId}/month=${month}/part-0000.csv`;
}

/** Every file of the export by path (pure over the well-days; the zip and the tests read it). */
export function analyticsFiles(wellDays: readonly WellDay[], siteNames: ReadonlyMap<string, string>, manifest: Record<string, unknown>): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const groups = new Map<string, WellDay[]>();
  for (const wellDay of wellDays) {
    const key = partition("well_daily_production", wellDay.siteId, wellDay.day.slice(0, 7));
    const rows = groups.get(key) ?? [];
    rows.push(wellDay);
    groups.set(key, rows);
  }
  for (const [path, rows] of groups) {
    files[path] = csv(
      WELL_DAILY_COLUMNS,
      rows.map((row) => [row.siteAsset.code, row.field?.code ?? null, row.wellId, row.wellCode, row.day, row.oilM3, row.gasSm3, row.waterM3, row.runId, row.runVersion]),
    );
  }
  const monthly = new Map<string, ReturnType<typeof monthlyBySiteAndField>>();
  for (const row of monthlyBySiteAndField(wellDays)) {
    const key = partition("production_monthly", row.siteId, row.month);
    monthly.set(key, [...(monthly.get(key) ?? []), row]);
  }
  for (const [path, rows] of monthly) {
    files[path] = csv(
      MONTHLY_COLUMNS,
      rows.map((row) => [siteNames.get(row.siteId) ?? row.siteId, row.fieldCode, row.fieldName, row.oilM3, row.gasSm3, row.waterM3, row.wells, row.days]),
    );
  }
  files["manifest.json"] = strToU8(`${JSON.stringify({ ...manifest, files: Object.keys(files).sort() }, null, 2)}\n`);
  return files;
}

export async function analyticsZip(service: CorporateService, query: ProductionQuery, generatedAt: Date = new Date()): Promise<Uint8Array> {
  checkMonths(query.fromMonth, query.toMonth);
  const { fromDay, toDay } = monthBounds(query.fromMonth, query.toMonth);
  const { wellDays, runsWithoutVolumes } = await service.wellDays(fromDay, toDay, query.siteId);
  const sites = await service.freshness();
  const manifest = {
    format: "petroflow-analytics-export",
    version: 1,
    generatedAt: generatedAt.toISOString(),
    fromMonth: query.fromMonth,
    toMonth: query.toMonth,
    runsWithoutVolumes,
    sites: [...sites.values()].filter((site) => !query.siteId || site.siteId === query.siteId).map((site) => ({ siteId: site.siteId, name: site.name, dataAsOf: site.freshness.asOf })),
    datasets: {
      well_daily_production: { partitions: ["site", "month"], columns: WELL_DAILY_COLUMNS },
      production_monthly: { partitions: ["site", "month"], columns: MONTHLY_COLUMNS },
    },
  };
  const names = new Map([...sites.values()].map((site) => [site.siteId, site.name]));
  return zipSync(analyticsFiles(wellDays, names, manifest), { level: 6 });
}
