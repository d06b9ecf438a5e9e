import assert from "node:assert/strict";
import { DAILY_COLUMNS, conditionsText, dailyPdf, dailyTable, monthlyTable, toCsv, toXlsx } from "../../../../erp-modules/production/report-export.js";
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
  };
}

function report(wellCount: number): DailyReport {
  const wells = Array.from({ length: wellCount }, (_, index) => well(index + 1, true));
  return {
    site: { id: "0190a0b0-0000-7000-8000-0000000000aa", code: "BAT-1", name: "Battery 1" },
    date: "2026-10-02",
    run: { id: "0190a0b0-1111-7000-8000-000000000001", version: 2, createdAt: "2026-10-03T08:15:00.000Z" },
    wells,
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
    conditions: reportConditions(),
  };
}

describe("report exports", () => {
  it("states the standard conditions and the pressure basis", () => {
    const metric = reportConditions();
    assert.deepEqual({ ...metric, gasFactorToOtherConditions: 0 }, { standardConditions: "15C_101.325kPa", temperatureDegC: 15, pressureKpaAbs: 101.325, gasFactorToOtherConditions: 0, pressureBasis: "gauge" });
    // (288.705556 / 288.15) × (101.325 / 101.325353) = 1.001928 × 0.9999965 = 1.0019245
    assert.ok(Math.abs(metric.gasFactorToOtherConditions - 1.0019245) < 1e-6, `${metric.gasFactorToOtherConditions}`);
    assert.match(conditionsText(metric), /gas × 1\.00192 at 60 °F, 14\.696 psia/);
    assert.match(conditionsText(metric), /^Standard conditions 15 °C and 101\.325 kPa absolute: .*pressures are gauge$/);
    const imperial = reportConditions("60F_14.696psia");
    // 14.696 psi × 6.894757293168 kPa/psi = 101.32535 kPa
    assert.ok(Math.abs(imperial.pressureKpaAbs - 101.32535) < 1e-5);
    assert.match(conditionsText(imperial), /60 °F and 14\.696 psia/);
  });

  it("CSV: SI units in the headers, one row per well, a TOTAL row, empty cells for not allocated", () => {
    const daily = report(2);
    daily.wells.push(well(3, false));
    const lines = toCsv(dailyTable(daily)).trimEnd().split("\n");
    assert.equal(
      lines[0],
      "Well code,Well name,Uptime (h),Oil theoretical (m3),Oil allocated (m3),Gas theoretical (Sm3),Gas allocated (Sm3),Water theoretical (m3),Water allocated (m3),Oil deferred (m3),Gas deferred (Sm3),Water deferred (m3)",
    );
    assert.equal(lines[1], 'WELL-101,"Well ""one"", north pad",23,10,9.5,1000,990,2,2.25,0.5,40,0.1');
    assert.equal(lines[3], "WELL-103,Well 3,21,30,,3000,,6,,1.5,120,0.3");
    assert.equal(lines[4], "TOTAL,,,30,28.5,3000,2970,6,6.75,1.5,120,0.3");
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
    assert.match(lines[2] ?? "", /^'@SUM\(1\),'\+1,23,.*,-0\.5,40,0\.1$/);
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
      wells: [{ wellId: "0190a0b0-0000-7000-8000-000000000001", code: "WELL-101", name: "Well 1", oilM3: 310.5, gasM3: 30000, waterM3: 62, uptimeHours: 700, days: 31 }],
      totals: { oilM3: 310.5, gasM3: 30000, waterM3: 62, uptimeHours: 700 },
      runs: [],
      conditions: reportConditions("60F_14.696psia"),
    };
    assert.deepEqual(toCsv(monthlyTable(monthly)).trimEnd().split("\n"), [
      "Well code,Well name,Days,Uptime (h),Oil (m3),Gas (Sm3),Water (m3)",
      "WELL-101,Well 1,31,700,310.5,30000,62",
      "TOTAL,,,700,310.5,30000,62",
    ]);
  });

  it("PDF: one A4 landscape page for a small site, more pages for a long well list", async () => {
    const small = await dailyPdf(report(3), new Date("2026-10-03T09:00:00Z"));
    assert.equal(small.subarray(0, 4).toString("latin1"), "%PDF");
    const pageCount = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
    assert.equal(pageCount(small), 1);
    assert.match(small.toString("latin1"), /\/MediaBox \[0 0 841\.89 595\.28\]/, "A4 landscape");
    const large = await dailyPdf(report(120));
    assert.ok(pageCount(large) > 1, `120 wells on ${pageCount(large)} page(s)`);
  });
});
