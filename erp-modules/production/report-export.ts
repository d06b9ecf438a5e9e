/**
 * Report files: CSV and XLSX with the same columns, PDF for printing, in the
 * language and unit system asked for (report-labels.ts; the site's settings
 * by default), the unit in every column header. Loaded by the routes on the first export only: pdfkit
 * and the XLSX writer stay out of an idle site's memory.
 */
import { stringify } from "csv-stringify/sync";
import PDFDocument from "pdfkit";
import writeXlsxFile, { type Row, type SheetData } from "write-excel-file/node";
import type { Flag } from "./flag-schema.js";
import {
  columnTitle,
  convert,
  DEFAULT_REPORT_OPTIONS,
  fluidWord,
  formatNumber,
  standardConditionsText,
  unitLabel,
  word,
  type Quantity,
  type ReportOptions,
  type Word,
} from "./report-labels.js";
import type { DailyReport, DailyWell, MonthlyReport } from "./report-schema.js";

type Cell = string | number | null;

export interface Table {
  header: string[];
  /** Whether each column holds numbers (right-aligned, numeric cells). */
  numeric: boolean[];
  /** Decimals each numeric column prints with in the PDF. */
  decimals: number[];
  rows: Cell[][];
}

interface Column {
  word: Word;
  quantity: Quantity;
  /** Decimals in the PDF. */
  decimals: number;
}

const TEXT = (word: Word): Column => ({ word, quantity: "count", decimals: 0 });
const DAILY: readonly (Column | null)[] = [
  TEXT("wellCode"),
  TEXT("wellName"),
  { word: "uptime", quantity: "hours", decimals: 2 },
  { word: "oilTheoretical", quantity: "liquid", decimals: 3 },
  { word: "oilAllocated", quantity: "liquid", decimals: 3 },
  { word: "gasTheoretical", quantity: "gas", decimals: 3 },
  { word: "gasAllocated", quantity: "gas", decimals: 3 },
  { word: "waterTheoretical", quantity: "liquid", decimals: 3 },
  { word: "waterAllocated", quantity: "liquid", decimals: 3 },
  { word: "oilDeferred", quantity: "liquid", decimals: 3 },
  { word: "gasDeferred", quantity: "gas", decimals: 3 },
  { word: "waterDeferred", quantity: "liquid", decimals: 3 },
  { word: "waterCut", quantity: "percent", decimals: 1 },
  { word: "gor", quantity: "gor", decimals: 1 },
  { word: "wor", quantity: "wor", decimals: 2 },
];
const MONTHLY: readonly Column[] = [
  TEXT("wellCode"),
  TEXT("wellName"),
  TEXT("days"),
  { word: "uptime", quantity: "hours", decimals: 2 },
  { word: "oil", quantity: "liquid", decimals: 3 },
  { word: "gas", quantity: "gas", decimals: 3 },
  { word: "water", quantity: "liquid", decimals: 3 },
  { word: "waterCut", quantity: "percent", decimals: 1 },
  { word: "gor", quantity: "gor", decimals: 1 },
  { word: "wor", quantity: "wor", decimals: 2 },
];

function titles(columns: readonly (Column | null)[], options: ReportOptions): string[] {
  return columns.flatMap((column) => (column ? [column.quantity === "count" ? word(options.lang, column.word) : columnTitle(options.lang, column.word, column.quantity, options.units)] : []));
}

/** Column titles of the daily table (English, SI by default). */
export function dailyColumns(options: ReportOptions = DEFAULT_REPORT_OPTIONS): string[] {
  return titles(DAILY, options);
}

export const DAILY_COLUMNS = dailyColumns();

export const MONTHLY_COLUMNS = titles(MONTHLY, DEFAULT_REPORT_OPTIONS);

/** Converted values keep 6 decimals: a file need not carry float noise from bbl and Mscf factors. */
function cellValue(value: number | null, quantity: Quantity, units: ReportOptions["units"]): number | null {
  const converted = convert(value, quantity, units);
  return converted === null || units === "metric" ? converted : Math.round(converted * 1e6) / 1e6;
}

/** Ratios keep 6 decimals whatever the units: they are quotients, not measurements. */
function ratioCells(ratios: DailyWell["ratios"], units: ReportOptions["units"]): Cell[] {
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1e6) / 1e6);
  return [round(ratios.waterCutPercent), round(convert(ratios.gorSm3PerM3, "gor", units)), round(ratios.worM3PerM3)];
}

function tableOf(columns: readonly Column[], options: ReportOptions, rows: Cell[][]): Table {
  return {
    header: titles(columns, options),
    numeric: columns.map((column, index) => index >= 2 || column.quantity !== "count"),
    decimals: columns.map((column) => column.decimals),
    rows,
  };
}

/** The well table of a daily report, with a TOTAL row; the same for CSV, XLSX and PDF, in the options' language and units. */
export function dailyTable(report: DailyReport, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Table {
  const { units } = options;
  const v = (value: number | null, quantity: Quantity) => cellValue(value, quantity, units);
  const rows: Cell[][] = report.wells.map((well) => [
    well.code,
    well.name,
    well.uptimeHours,
    v(well.oil.theoreticalM3, "liquid"),
    v(well.oil.allocatedM3, "liquid"),
    v(well.gas.theoreticalM3, "gas"),
    v(well.gas.allocatedM3, "gas"),
    v(well.water.theoreticalM3, "liquid"),
    v(well.water.allocatedM3, "liquid"),
    v(well.deferredOilM3, "liquid"),
    v(well.deferredGasM3, "gas"),
    v(well.deferredWaterM3, "liquid"),
    ...ratioCells(well.ratios, units),
  ]);
  const { totals } = report;
  rows.push([
    word(options.lang, "total"),
    "",
    null,
    v(totals.oil.theoreticalM3, "liquid"),
    v(totals.oil.allocatedM3, "liquid"),
    v(totals.gas.theoreticalM3, "gas"),
    v(totals.gas.allocatedM3, "gas"),
    v(totals.water.theoreticalM3, "liquid"),
    v(totals.water.allocatedM3, "liquid"),
    v(totals.deferredOilM3, "liquid"),
    v(totals.deferredGasM3, "gas"),
    v(totals.deferredWaterM3, "liquid"),
    null,
    null,
    null,
  ]);
  return tableOf(DAILY.filter((column): column is Column => column !== null), options, rows);
}

export function monthlyTable(report: MonthlyReport, options: ReportOptions = DEFAULT_REPORT_OPTIONS): Table {
  const { units } = options;
  const v = (value: number | null, quantity: Quantity) => cellValue(value, quantity, units);
  const rows: Cell[][] = report.wells.map((well) => [
    well.code,
    well.name,
    well.days,
    well.uptimeHours,
    v(well.oilM3, "liquid"),
    v(well.gasM3, "gas"),
    v(well.waterM3, "liquid"),
    ...ratioCells(well.ratios, units),
  ]);
  const { totals } = report;
  rows.push([word(options.lang, "total"), "", null, totals.uptimeHours, v(totals.oilM3, "liquid"), v(totals.gasM3, "gas"), v(totals.waterM3, "liquid"), null, null, null]);
  return tableOf(MONTHLY, options, rows);
}

/**
 * Text that a spreadsheet would run as a formula (a well named "=HYPERLINK(...)"
 * by whoever edits the register) gets a leading apostrophe, the usual CSV
 * injection guard; numbers are written as numbers.
 */
function csvText(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * RFC 4180 CSV with a header row; an empty cell where there is no value (e.g.
 * not allocated). In Spanish, as a Spanish spreadsheet reads it: ";" between
 * fields and a decimal comma.
 */
export function toCsv(table: Table, lang: ReportOptions["lang"] = "en"): string {
  const number = (value: number) => (lang === "es" ? String(value).replace(".", ",") : value);
  return stringify(
    [table.header, ...table.rows.map((row) => row.map((cell) => (cell === null ? "" : typeof cell === "string" ? csvText(cell) : number(cell))))],
    { delimiter: lang === "es" ? ";" : "," },
  );
}

export async function toXlsx(table: Table, sheet: string): Promise<Buffer> {
  const header: Row = table.header.map((title) => ({ value: title, fontWeight: "bold" as const }));
  const totalRow = table.rows.length - 1;
  const data: SheetData = [
    header,
    ...table.rows.map((row, rowIndex): Row =>
      row.map((cell, index) => {
        if (cell === null) return null;
        if (table.numeric[index] && typeof cell === "number") return { value: cell, type: Number, format: "#,##0.000" };
        return { value: String(cell), type: String, fontWeight: rowIndex === totalRow && index === 0 ? ("bold" as const) : undefined };
      }),
    ),
  ];
  return writeXlsxFile(data, {
    sheet,
    stickyRowsCount: 1,
    columns: table.header.map((title, index) => ({ width: index === 1 ? 28 : Math.max(12, title.length + 2) })),
  }).toBuffer();
}

const PAGE_MARGIN_PT = 30;
const ROW_HEIGHT_PT = 11;
const FONT_SIZE_PT = 7.5;

function formatCell(cell: Cell, numeric: boolean, decimals: number, lang: ReportOptions["lang"]): string {
  if (cell === null) return "";
  if (numeric && typeof cell === "number") return formatNumber(cell, decimals, lang);
  return String(cell);
}

/** "Oil allocated (m3)" → "Oil allocated\n(m3)": narrow PDF columns keep the whole header on two lines. */
function twoLineHeader(title: string): string {
  return title.replace(/ \(/, "\n(");
}

/** A table drawn row by row; a new page (header repeated) when the page is full; the last row bold when it is the total. */
function drawTable(doc: PDFKit.PDFDocument, table: Table, widths: readonly number[], options: ReportOptions, hasTotal: boolean): void {
  const left = PAGE_MARGIN_PT;
  const bottom = doc.page.height - PAGE_MARGIN_PT - ROW_HEIGHT_PT;
  const drawRow = (cells: readonly string[], bold: boolean, lines: number) => {
    const height = ROW_HEIGHT_PT * lines;
    if (doc.y + height > bottom) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    let x = left;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(FONT_SIZE_PT);
    cells.forEach((text, index) => {
      doc.text(text, x + 2, y + 2, {
        width: widths[index] - 4,
        height,
        align: table.numeric[index] ? "right" : "left",
        lineBreak: lines > 1,
        ellipsis: true,
      });
      x += widths[index];
    });
    doc
      .moveTo(left, y + height)
      .lineTo(x, y + height)
      .lineWidth(bold ? 0.8 : 0.3)
      .strokeColor(bold ? "#333333" : "#bbbbbb")
      .stroke();
    doc.x = left;
    doc.y = y + height;
  };
  const drawHeader = () => drawRow(table.header.map(twoLineHeader), true, 2);
  if (table.rows.length === 0) {
    doc.font("Helvetica-Oblique").fontSize(FONT_SIZE_PT).text(word(options.lang, "none"), left, doc.y);
    return;
  }
  drawHeader();
  table.rows.forEach((row, index) => {
    drawRow(
      row.map((cell, column) => formatCell(cell, table.numeric[column], table.decimals[column], options.lang)),
      hasTotal && index === table.rows.length - 1,
      1,
    );
  });
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(10).text(text, PAGE_MARGIN_PT, doc.y);
  doc.moveDown(0.2);
}

function shortId(id: string): string {
  return id.slice(0, 8);
}

function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** A flag as one line of the report, values in the report's units and locale. */
export function flagText(flag: Flag, options: ReportOptions): string {
  const { lang, units } = options;
  const n = (value: number, decimals: number) => formatNumber(value, decimals, lang);
  const fluid = flag.fluid ? fluidWord(lang, flag.fluid) : "";
  switch (flag.kind) {
    case "check_meter_deviation": {
      const quantity: Quantity = flag.fluid === "gas" ? "gas" : "liquid";
      const volume = (value: number | null) => `${n(convert(value, quantity, units) ?? 0, 3)} ${unitLabel(quantity, units)}`;
      return word(lang, "flagCheckMeter", { date: flag.date, fluid, check: volume(flag.checkM3), fiscal: volume(flag.fiscalM3), value: n(flag.value, 2), max: n(flag.max, 2) });
    }
    case "allocation_factor":
      return word(lang, "flagFactor", { date: flag.date, fluid, value: n(flag.value, 3), min: n(flag.min ?? 0, 2), max: n(flag.max, 2) });
    case "stale_well_test":
      return word(lang, "flagStaleTest", { date: flag.date, well: flag.wellCode ?? flag.wellId ?? "", testDate: flag.testDate ?? "", value: flag.value, max: flag.max });
  }
}

/** The run, month close and standard conditions lines both PDFs start with. */
function statusLines(doc: PDFKit.PDFDocument, report: Pick<DailyReport, "close">, options: ReportOptions): void {
  const { lang } = options;
  doc.text(report.close.closed ? word(lang, "closed", { at: utcMinute(report.close.closedAt ?? ""), by: report.close.closedBy ?? "" }) : word(lang, "open"));
  doc.text(word(lang, "standardConditions", { conditions: standardConditionsText(options.standardConditions, lang) }));
}

function flagSection(doc: PDFKit.PDFDocument, flags: readonly Flag[], options: ReportOptions): void {
  heading(doc, word(options.lang, "flags", { count: flags.length }));
  doc.font("Helvetica").fontSize(FONT_SIZE_PT + 0.5);
  if (flags.length === 0) doc.text(word(options.lang, "noFlags"), PAGE_MARGIN_PT, doc.y);
  for (const flag of flags) doc.text(`• ${flagText(flag, options)}`, PAGE_MARGIN_PT, doc.y);
}

function newPdf(title: string): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({ size: "A4", layout: "landscape", margin: PAGE_MARGIN_PT, info: { Title: title, Producer: "Petroflow" } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  return { doc, done };
}

/**
 * The daily report as an A4 landscape PDF: title (site, date), the run
 * shown (id, version, when computed; a prior-period adjustment marked), the
 * month's close state, the standard conditions, the well table with totals
 * and ratios, tanks, shipments, the flags, generation time. A site of up
 * to ~35 wells fits one page; longer tables continue on further pages with
 * the header repeated.
 */
export function dailyPdf(report: DailyReport, options: ReportOptions = DEFAULT_REPORT_OPTIONS, generatedAt: Date = new Date()): Promise<Buffer> {
  const { lang, units } = options;
  const { doc, done } = newPdf(`${word(lang, "dailyTitle")} ${report.site.code} ${report.date}`);

  doc.on("pageAdded", () => {
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor("#555555")
      .text(word(lang, "continued", { site: `${report.site.code} ${report.site.name}`, date: report.date }), PAGE_MARGIN_PT, PAGE_MARGIN_PT)
      .fillColor("#000000")
      .moveDown(0.5);
  });
  doc.font("Helvetica-Bold").fontSize(15).text(`${word(lang, "dailyTitle")}: ${report.site.code} ${report.site.name}`);
  doc.font("Helvetica").fontSize(11).text(word(lang, "productionDay", { date: report.date }));
  doc
    .fontSize(9)
    .text(report.run ? word(lang, "run", { id: shortId(report.run.id), version: report.run.version, at: utcMinute(report.run.createdAt) }) : word(lang, "noRun"));
  if (report.run?.priorPeriodAdjustment) doc.font("Helvetica-Bold").text(word(lang, "priorPeriod")).font("Helvetica");
  statusLines(doc, report, options);
  const measured = (value: number | null, quantity: Quantity) =>
    value === null ? word(lang, "notMeasured") : `${formatNumber(convert(value, quantity, units) ?? 0, 3, lang)} ${unitLabel(quantity, units)}`;
  doc.text(word(lang, "measured", { oil: measured(report.measured.oil, "liquid"), gas: measured(report.measured.gas, "gas"), water: measured(report.measured.water, "liquid") }));

  heading(doc, word(lang, "wells", { count: report.wells.length }));
  const wellWidths = [50, 84, 36, 54, 52, 56, 54, 56, 54, 50, 52, 52, 42, 44, 38];
  drawTable(doc, dailyTable(report, options), wellWidths, options, true);

  heading(doc, word(lang, "tanks"));
  drawTable(
    doc,
    {
      header: [word(lang, "tank"), word(lang, "name"), columnTitle(lang, "level", "level", units), columnTitle(lang, "volume", "liquid", units), word(lang, "gaugedAt")],
      numeric: [false, false, true, true, false],
      decimals: [0, 0, 3, 3, 0],
      rows: report.tanks.map((tank) => [tank.code, tank.name, convert(tank.levelM, "level", units), convert(tank.volumeM3, "liquid", units), utcMinute(tank.gaugedAt)]),
    },
    [62, 150, 60, 70, 110],
    options,
    false,
  );

  heading(doc, word(lang, "shipments"));
  drawTable(
    doc,
    {
      header: [word(lang, "ticket"), word(lang, "shippedAt"), word(lang, "fluid"), columnTitle(lang, "volume", "liquid", units), word(lang, "destination"), word(lang, "carrier")],
      numeric: [false, false, false, true, false, false],
      decimals: [0, 0, 0, 3, 0, 0],
      rows: report.shipments.map((ticket) => [
        ticket.ticketNumber,
        utcMinute(ticket.shippedAt),
        fluidWord(lang, ticket.fluid),
        convert(ticket.volumeM3, ticket.fluid === "gas" ? "gas" : "liquid", units),
        word(lang, ticket.destination),
        ticket.carrier,
      ]),
    },
    [80, 110, 50, 70, 70, 150],
    options,
    false,
  );

  flagSection(doc, report.flags, options);

  doc.moveDown(1).font("Helvetica").fontSize(7).fillColor("#555555").text(word(lang, "generated", { at: generatedAt.toISOString() }), PAGE_MARGIN_PT, doc.y);
  doc.end();
  return done;
}
