import assert from "node:assert/strict";
import { DAILY_COLUMNS, dailyPdf, dailyTable, monthlyTable, toCsv, toXlsx } from "../../../../erp-modules/production/report-export.js";
import type { ReportOptions } from "../../../../erp-modules/production/report-labels.js";
import { pdfText, xlsxXml } from "../../../helpers/office-files.js";
import { wellRatios } from "../../../../erp-modules/production/model/well-ratios.js";
import { reportConditions, type DailyReport, type DailyWell, type MonthlyReport } from "../../../../erp-modules/production/report-schema.js";

function well(index: number, allocated: boolean): DailyWell {
  return {
    wellId: `0190a0b0-0000-7000-8000-${String(index).padStart(12, "0")}`,
    code: `WELL-${100 + index}`,
    name: index === 1 ? 'Well "one", north pad' : `Well ${index}`,
    uptimeHours: 24 - index,
    downtime: index > 0 ? [{ reasonCode: "esp_trip", hours: index }] : [],
    oil: { theoreticalM3: 10 * index, allocatedM3: allocated ? 9.5 * index : null },
    gas: { theoreticalM3: 1000 * index, allocatedM3: allocated ? 990 * index : null },
    water: { theoreticalM3: 2 * index, allocatedM3: allocated ? 2.25 * index : null },
    deferredOilM3: 0.5 * index,
    deferredGasM3: 40 * index,
    deferredWaterM3: index / 10,
    ratios: wellRatios({ oilM3: allocated ? 9.5 * index : 10 * index, gasSm3: allocated ? 990 * index : 1000 * index, waterM3: allocated ? 2.25 * index : 2 * index }),
  };
}

function report(wellCount: number): DailyReport {
  const wells = Array.from({ length: wellCount }, (_, index) => well(index + 1, true));
  return {
    site: { id: "0190a0b0-0000-7000-8000-0000000000aa", code: "BAT-1", name: "Battery 1" },
    date: "2026-10-02",
    run: { id: "0190a0b0-1111-7000-8000-000000000001", version: 2, createdAt: "2026-10-03T08:15:00.000Z", priorPeriodAdjustment: false },
    wells,
    gasLift: {
      wells: [],
      totals: { liftGasInjectedSm3: 0, separatorGasSm3: null, liftGasReturnedSm3: 0, formationGasSm3: null },
      balance: { salesSm3: 0, fuelSm3: 0, flareSm3: 0, ventSm3: 0, liftRecycleSm3: 0, disposedSm3: 0, differenceSm3: null },
    },
    totals: {
      oil: { theoreticalM3: 30, allocatedM3: 28.5 },
      gas: { theoreticalM3: 3000, allocatedM3: 2970 },
      water: { theoreticalM3: 6, allocatedM3: 6.75 },
      deferredOilM3: 1.5,
      deferredGasM3: 120,
      deferredWaterM3: 0.3,
    },
    tanks: [{ tankId: "0190a0b0-0000-7000-8000-0000000000bb", code: "TK-1", name: "Stock tank", levelM: 2.1, volumeM3: 105, gaugedAt: "2026-10-02T23:00:00.000Z" }],
    shipments: [{ ticketNumber: "T-1", shippedAt: "2026-10-02T10:00:00.000Z", fluid: "oil", volumeM3: 40, destination: "truck", carrier: "Acme" }],
    measured: { oil: 28.5, gas: 2970, water: 6.75 },
    reconciliation: { oil: null, water: null },
    conditions: reportConditions(),
    flags: [],
    close: { closed: false, closedAt: null, closedBy: null },
  };
}

describe("report exports", () => {
  it("gives the standard conditions and the pressure basis", () => {
    const metric = reportConditions();
    assert.deepEqual({ ...metric, gasFactorToOtherConditions: 0 }, { standardConditions: "15C_101.325kPa", temperatureDegC: 15, pressureKpaAbs: 101.325, gasFactorToOtherConditions: 0, pressureBasis: "gauge" });
    // (288.705556 / 288.15) × (101.325 / 101.325353) = 1.001928 × 0.9999965 = 1.0019245
    assert.ok(Math.abs(metric.gasFactorToOtherConditions - 1.0019245) < 1e-6, `${metric.gasFactorToOtherConditions}`);
    const imperial = reportConditions("60F_14.696psia");
    // 14.696 psi × 6.894757293168 kPa/psi = 101.32535 kPa
    assert.ok(Math.abs(imperial.pressureKpaAbs - 101.32535) < 1e-5);
  });

  it("CSV: SI units in the headers, one row per well, a TOTAL row, empty cells for not allocated", () => {
    const daily = report(2);
    daily.wells.push(well(3, false));
    const lines = toCsv(dailyTable(daily)).trimEnd().split("\n");
    assert.equal(
      lines[0],
      "Well code,Well name,Uptime (h),Oil theoretical (m3),Oil allocated (m3),Gas theoretical (Sm3),Gas allocated (Sm3),Water theoretical (m3),Water allocated (m3),Oil deferred (m3),Gas deferred (Sm3),Water deferred (m3),Water cut (%),GOR (Sm3/m3),WOR (m3/m3)",
    );
    // Ratios of WELL-101 (allocated 9.5 oil, 990 gas, 2.25 water): cut 2.25 / 11.75 = 19.148936 %, GOR 990 / 9.5 = 104.210526, WOR 2.25 / 9.5 = 0.236842.
    assert.equal(lines[1], 'WELL-101,"Well ""one"", north pad",23,10,9.5,1000,990,2,2.25,0.5,40,0.1,19.148936,104.210526,0.236842');
    // WELL-103 not allocated: ratios of the theoretical 30 oil, 3000 gas, 6 water: cut 6 / 36 = 16.666667 %, GOR 100, WOR 0.2.
    assert.equal(lines[3], "WELL-103,Well 3,21,30,,3000,,6,,1.5,120,0.3,16.666667,100,0.2");
    assert.equal(lines[4], "TOTAL,,,30,28.5,3000,2970,6,6.75,1.5,120,0.3,,,");
    assert.equal(lines.length, 5);
  });

  it("CSV: text a spreadsheet would run as a formula is quoted with an apostrophe; numbers stay numbers", () => {
    const daily = report(1);
    const [first] = daily.wells;
    assert.ok(first);
    daily.wells = [
      { ...first, name: '=HYPERLINK("http://evil.example","x")' },
      { ...first, code: "@SUM(1)", name: "+1", deferredOilM3: -0.5 },
    ];
    const lines = toCsv(dailyTable(daily)).trimEnd().split("\n");
    assert.match(lines[1] ?? "", /^WELL-101,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)",/);
    assert.match(lines[2] ?? "", /^'@SUM\(1\),'\+1,23,.*,-0\.5,40,0\.1,/);
  });

  it("XLSX: a zip (PK) workbook with the same columns", async () => {
    const table = dailyTable(report(3));
    assert.deepEqual(table.header, DAILY_COLUMNS);
    const xlsx = await toXlsx(table, "2026-10-02");
    assert.equal(xlsx.subarray(0, 2).toString("latin1"), "PK");
    assert.ok(xlsx.includes(Buffer.from("xl/worksheets/sheet1.xml")), "has a worksheet");
  });

  it("monthly table: days, uptime and volumes per well with a TOTAL row", () => {
    const monthly: MonthlyReport = {
      site: { id: "0190a0b0-0000-7000-8000-0000000000aa", code: "BAT-1", name: "Battery 1" },
      month: "2026-10",
      wells: [
        {
          wellId: "0190a0b0-0000-7000-8000-000000000001",
          code: "WELL-101",
          name: "Well 1",
          oilM3: 310.5,
          gasM3: 30000,
          waterM3: 62,
          uptimeHours: 700,
          days: 31,
          ratios: wellRatios({ oilM3: 310.5, gasSm3: 30000, waterM3: 62 }),
        },
      ],
      totals: { oilM3: 310.5, gasM3: 30000, waterM3: 62, uptimeHours: 700 },
      runs: [],
      conditions: reportConditions("60F_14.696psia"),
      priorPeriodRuns: [],
      flags: [],
      close: { closed: false, closedAt: null, closedBy: null },
      adjustments: [],
    };
    // Ratios: cut 62 / 372.5 = 16.644295 %, GOR 30000 / 310.5 = 96.618357, WOR 62 / 310.5 = 0.199678.
    assert.deepEqual(toCsv(monthlyTable(monthly)).trimEnd().split("\n"), [
      "Well code,Well name,Days,Uptime (h),Oil (m3),Gas (Sm3),Water (m3),Water cut (%),GOR (Sm3/m3),WOR (m3/m3)",
      "WELL-101,Well 1,31,700,310.5,30000,62,16.644295,96.618357,0.199678",
      "TOTAL,,,700,310.5,30000,62,,,",
    ]);
  });

  it("PDF: one A4 landscape page for a small site, more pages for a long well list", async () => {
    const small = await dailyPdf(report(3), undefined, new Date("2026-10-03T09:00:00Z"));
    assert.equal(small.subarray(0, 4).toString("latin1"), "%PDF");
    const pageCount = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
    assert.equal(pageCount(small), 1);
    assert.match(small.toString("latin1"), /\/MediaBox \[0 0 841\.89 595\.28\]/, "A4 landscape");
    const large = await dailyPdf(report(120));
    assert.ok(pageCount(large) > 1, `120 wells on ${pageCount(large)} page(s)`);
  });
});

describe("report exports in Spanish and oilfield units", () => {
  const es: ReportOptions = { lang: "es", units: "oilfield", standardConditions: "60F_14.696psia" };
  const BBL_PER_M3 = 1 / 0.158987294928;

  it("CSV: Spanish headers with bbl and Mscf, ';' between fields and a decimal comma", () => {
    const daily = report(1);
    const lines = toCsv(dailyTable(daily, es), "es").trimEnd().split("\n");
    assert.match(lines[0], /^Código de pozo;Nombre del pozo;Tiempo en producción \(h\);Petróleo teórico \(bbl\);Petróleo asignado \(bbl\);Gas teórico \(Mscf\)/);
    assert.match(lines[0], /;RGP \(scf\/bbl\);RAP \(bbl\/bbl\)$/);
    const cells = lines[1].split(";");
    // Oil allocated 9.5 m3 / 0.158987294928 m3/bbl = 59.753208 bbl (6 decimals kept).
    assert.equal(cells[4], String(Math.round(9.5 * BBL_PER_M3 * 1e6) / 1e6).replace(".", ","));
    assert.match(cells[4], /^59,7532/);
    // GOR 990 / 9.5 = 104.2105 Sm3/m3 × 5.614583 scf/bbl per Sm3/m3 ≈ 585.09 scf/bbl.
    assert.match(cells[13], /^585,0/);
    assert.equal(lines[2].split(";")[0], "TOTAL");
  });

  it("XLSX: Spanish headers and bbl values in the workbook", async () => {
    const xml = xlsxXml(await toXlsx(dailyTable(report(1), es), "2026-10-02"));
    assert.match(xml, /Petróleo asignado \(bbl\)/);
    assert.match(xml, /59\.7532/);
  });

  it("PDF: Spanish title, run, standard conditions, bbl and decimal commas, the flags", async () => {
    const daily = report(1);
    daily.run = { id: "0190a0b0-1111-7000-8000-000000000001", version: 2, createdAt: "2026-10-03T08:15:00.000Z", priorPeriodAdjustment: true };
    daily.flags = [
      { kind: "allocation_factor", date: "2026-10-02", fluid: "oil", wellId: null, wellCode: null, value: 1.25, min: 0.9, max: 1.1, checkM3: null, fiscalM3: null, testDate: null },
    ];
    const text = pdfText(await dailyPdf(daily, es, new Date("2026-10-03T09:00:00Z"))).join("\n");
    assert.match(text, /Informe diario de producción/);
    assert.match(text, /Corrida de asignación 0190a0b0, versión 2/);
    assert.match(text, /AJUSTE DE PERÍODO ANTERIOR/);
    assert.match(text, /60 °F, 14\.696 psia/);
    assert.match(text, /\(bbl\)/);
    // Oil allocated 59.753 bbl printed with a decimal comma.
    assert.match(text, /59,753/);
    assert.match(text, /Alertas \(1\)/);
    assert.match(text, /factor de asignación 1,250 fuera de 0,90 a 1,10/);
  });
});
