/**
 * Report files: CSV and XLSX with the same columns, PDF for printing. All in
 * canonical SI with the unit in every column header (the web app is where
 * site units apply). Loaded by the routes on the first export only: pdfkit
 * and the XLSX writer stay out of an idle site's memory.
 */
import { stringify } from "csv-stringify/sync";
import PDFDocument from "pdfkit";
import writeXlsxFile, { type Row, type SheetData } from "write-excel-file/node";
import type { DailyReport, MonthlyReport, ReportConditions } from "./report-schema.js";

type Cell = string | number | null;

export interface Table {
  header: string[];
  /** Whether each column holds numbers (right-aligned, numeric cells). */
  numeric: boolean[];
  rows: Cell[][];
}

export const DAILY_COLUMNS = [
  "Well code",
  "Well name",
  "Uptime (h)",
  "Oil theoretical (m3)",
  "Oil allocated (m3)",
  "Gas theoretical (Sm3)",
  "Gas allocated (Sm3)",
  "Water theoretical (m3)",
  "Water allocated (m3)",
  "Oil deferred (m3)",
  "Gas deferred (Sm3)",
  "Water deferred (m3)",
];

export const MONTHLY_COLUMNS = ["Well code", "Well name", "Days", "Uptime (h)", "Oil (m3)", "Gas (Sm3)", "Water (m3)"];

/** The well table of a daily report, with a TOTAL row; the same for CSV, XLSX and PDF. */
export function dailyTable(report: DailyReport): Table {
  const rows: Cell[][] = report.wells.map((well) => [
    well.code,
    well.name,
    well.uptimeHours,
    well.oil.theoreticalM3,
    well.oil.allocatedM3,
    well.gas.theoreticalM3,
    well.gas.allocatedM3,
    well.water.theoreticalM3,
    well.water.allocatedM3,
    well.deferredOilM3,
    well.deferredGasM3,
    well.deferredWaterM3,
  ]);
  const { totals } = report;
  rows.push([
    "TOTAL",
    "",
    null,
    totals.oil.theoreticalM3,
    totals.oil.allocatedM3,
    totals.gas.theoreticalM3,
    totals.gas.allocatedM3,
    totals.water.theoreticalM3,
    totals.water.allocatedM3,
    totals.deferredOilM3,
    totals.deferredGasM3,
    totals.deferredWaterM3,
  ]);
  return { header: DAILY_COLUMNS, numeric: DAILY_COLUMNS.map((_, index) => index >= 2), rows };
}

export function monthlyTable(report: MonthlyReport): Table {
  const rows: Cell[][] = report.wells.map((well) => [well.code, well.name, well.days, well.uptimeHours, well.oilM3, well.gasM3, well.waterM3]);
  const { totals } = report;
  rows.push(["TOTAL", "", null, totals.uptimeHours, totals.oilM3, totals.gasM3, totals.waterM3]);
  return { header: MONTHLY_COLUMNS, numeric: MONTHLY_COLUMNS.map((_, index) => index >= 2), rows };
}

/**
 * Text that a spreadsheet would run as a formula (a well named "=HYPERLINK(...)"
 * by whoever edits the register) gets a leading apostrophe, the usual CSV
 * injection guard; numbers are written as numbers.
 */
function csvText(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 CSV with a header row; an empty cell where there is no value (e.g. not allocated). */
export function toCsv(table: Table): string {
  return stringify([table.header, ...table.rows.map((row) => row.map((cell) => (cell === null ? "" : typeof cell === "string" ? csvText(cell) : cell)))]);
}

export async function toXlsx(table: Table, sheet: string): Promise<Buffer> {
  const header: Row = table.header.map((title) => ({ value: title, fontWeight: "bold" as const }));
  const data: SheetData = [
    header,
    ...table.rows.map((row): Row =>
      row.map((cell, index) => {
        if (cell === null) return null;
        if (table.numeric[index] && typeof cell === "number") return { value: cell, type: Number, format: "#,##0.000" };
        return { value: String(cell), type: String, fontWeight: cell === "TOTAL" ? ("bold" as const) : undefined };
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

function formatCell(cell: Cell, numeric: boolean, decimals: number): string {
  if (cell === null) return "";
  if (numeric && typeof cell === "number") return cell.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return String(cell);
}

/** "Oil allocated (m3)" → "Oil allocated\n(m3)": narrow PDF columns keep the whole header on two lines. */
function twoLineHeader(title: string): string {
  return title.replace(/ \(/, "\n(");
}

/** A table drawn row by row; a new page (header repeated) when the page is full. */
function drawTable(doc: PDFKit.PDFDocument, table: Table, widths: readonly number[], decimals: (column: number) => number): void {
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
    doc.font("Helvetica-Oblique").fontSize(FONT_SIZE_PT).text("none", left, doc.y);
    return;
  }
  drawHeader();
  table.rows.forEach((row, index) => {
    const total = index === table.rows.length - 1 && row[0] === "TOTAL";
    drawRow(
      row.map((cell, column) => formatCell(cell, table.numeric[column], decimals(column))),
      total,
      1,
    );
  });
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(10).text(text, PAGE_MARGIN_PT, doc.y);
  doc.moveDown(0.2);
}

/** "Standard conditions 15 °C and 101.325 kPa absolute; pressures gauge": what the volumes and pressures of a report are based on. */
export function conditionsText(conditions: ReportConditions): string {
  const text =
    conditions.standardConditions === "60F_14.696psia"
      ? "60 °F and 14.696 psia (15.56 °C, 101.325 kPa absolute)"
      : "15 °C and 101.325 kPa absolute";
  const other = conditions.standardConditions === "60F_14.696psia" ? "15 °C, 101.325 kPa" : "60 °F, 14.696 psia";
  const factor = conditions.gasFactorToOtherConditions.toFixed(5);
  return `Standard conditions ${text}: gas in Sm3 and net standard oil volumes are at these conditions (gas × ${factor} at ${other}); pressures are ${conditions.pressureBasis}`;
}

function shortId(id: string): string {
  return id.slice(0, 8);
}

function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * The daily report as an A4 landscape PDF: title (site, date), the run
 * shown, the well table with totals, tanks and shipments, generation time.
 * A site of up to ~35 wells fits one page; longer tables continue on further
 * pages with the header repeated.
 */
export function dailyPdf(report: DailyReport, generatedAt: Date = new Date()): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: PAGE_MARGIN_PT,
    info: { Title: `Daily production ${report.site.code} ${report.date}`, Producer: "Petroflow" },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.on("pageAdded", () => {
    doc
      .font("Helvetica")
      .fontSize(8)
      .fillColor("#555555")
      .text(`${report.site.code} ${report.site.name}, production day ${report.date} (continued)`, PAGE_MARGIN_PT, PAGE_MARGIN_PT)
      .fillColor("#000000")
      .moveDown(0.5);
  });
  doc.font("Helvetica-Bold").fontSize(15).text(`Daily production report: ${report.site.code} ${report.site.name}`);
  doc.font("Helvetica").fontSize(11).text(`Production day ${report.date} (UTC)`);
  doc
    .fontSize(9)
    .text(
      report.run
        ? `Allocation run ${shortId(report.run.id)}, version ${report.run.version}, made ${utcMinute(report.run.createdAt)}`
        : "No allocation run covers this day: theoretical volumes only, nothing allocated yet",
    );
  const measured = (value: number | null, unit: string) => (value === null ? "not measured" : `${formatCell(value, true, 3)} ${unit}`);
  doc.text(`Measured: oil ${measured(report.measured.oil, "m3")}, gas ${measured(report.measured.gas, "Sm3")}, water ${measured(report.measured.water, "m3")}`);
  doc.text(conditionsText(report.conditions));

  heading(doc, `Wells (${report.wells.length})`);
  const wellWidths = [56, 96, 40, 66, 62, 70, 66, 74, 66, 58, 62, 66];
  drawTable(doc, dailyTable(report), wellWidths, (column) => (column === 2 ? 2 : 3));

  heading(doc, "Tanks (latest gauge at or before the end of the day)");
  drawTable(
    doc,
    {
      header: ["Tank", "Name", "Level (m)", "Volume (m3)", "Gauged at"],
      numeric: [false, false, true, true, false],
      rows: report.tanks.map((tank) => [tank.code, tank.name, tank.levelM, tank.volumeM3, utcMinute(tank.gaugedAt)]),
    },
    [62, 150, 60, 70, 110],
    () => 3,
  );

  heading(doc, "Shipments (run tickets of the day)");
  drawTable(
    doc,
    {
      header: ["Ticket", "Shipped at", "Fluid", "Volume (m3)", "Destination", "Carrier"],
      numeric: [false, false, false, true, false, false],
      rows: report.shipments.map((ticket) => [ticket.ticketNumber, utcMinute(ticket.shippedAt), ticket.fluid, ticket.volumeM3, ticket.destination, ticket.carrier]),
    },
    [80, 110, 50, 70, 70, 150],
    () => 3,
  );

  doc.moveDown(1).font("Helvetica").fontSize(7).fillColor("#555555").text(`Generated ${generatedAt.toISOString()} by Petroflow`, PAGE_MARGIN_PT, doc.y);
  doc.end();
  return done;
}
