import { SM3_PER_MSCF } from "../../../../../../runtime/units/gas-volume";
import assert from "node:assert/strict";
import type { DailyWell } from "../../../../../../editor/src/api/production";
import { dailyRow, downtimeSummary, monthlyRow, type ReportFormat } from "../../../../../../editor/src/modules/production/report-format";

const BBL = 0.158987294928;
const MSCF = SM3_PER_MSCF;

const labels: Record<string, string> = { esp_trip: "Disparo de BES", power_failure: "Falla de energía eléctrica" };
const spanishOilfield: ReportFormat = { system: "oilfield", locale: "es", reasonLabel: (code) => labels[code] ?? code };
const englishMetric: ReportFormat = { system: "metric", locale: "en", reasonLabel: (code) => code };

const well: DailyWell = {
  wellId: "w1",
  code: "WELL-101",
  name: "Pozo 101",
  uptimeHours: 20.5,
  downtime: [
    { reasonCode: "power_failure", hours: 1 },
    { reasonCode: "esp_trip", hours: 2.5 },
  ],
  oil: { theoreticalM3: 1250 * BBL, allocatedM3: 1187.4 * BBL },
  gas: { theoreticalM3: 310 * MSCF, allocatedM3: 295.26 * MSCF },
  water: { theoreticalM3: 80 * BBL, allocatedM3: null },
  deferredOilM3: 170.8 * BBL,
  deferredGasM3: 0,
  deferredWaterM3: 10 * BBL,
};

describe("web app: production report formatting", () => {
  it("shows a well's day in the site's oilfield units with Spanish separators", () => {
    const row = dailyRow(well, spanishOilfield);
    assert.equal(row.uptime, "20,5 h");
    // Spanish groups thousands from five digits on (RAE): 1250, but 30.000.
    assert.deepEqual(row.fluids.oil, { theoretical: "1250", allocated: "1187", deferred: "171" });
    assert.deepEqual(row.fluids.gas, { theoretical: "310,0", allocated: "295,3", deferred: "0,0" });
    // No allocation run for water yet: a dash, not a zero.
    assert.equal(row.fluids.water.allocated, "—");
  });

  it("shows the same day in metric units in English", () => {
    const row = dailyRow({ ...well, oil: { theoreticalM3: 198.7, allocatedM3: 188.75 } }, englishMetric);
    assert.deepEqual(row.fluids.oil, { theoretical: "198.7", allocated: "188.8", deferred: "27.2" });
    assert.equal(row.fluids.gas.allocated, "8,361");
  });

  it("lists downtime longest first with translated reasons", () => {
    assert.equal(downtimeSummary(well.downtime, spanishOilfield), "Disparo de BES 2,5 h · Falla de energía eléctrica 1 h");
    assert.equal(downtimeSummary([], spanishOilfield), "");
    assert.equal(dailyRow({ ...well, downtime: [] }, spanishOilfield).downtime, "");
  });

  it("leaves uptime and downtime blank on the site's totals line", () => {
    const { oil, gas, water, deferredOilM3, deferredGasM3, deferredWaterM3 } = well;
    const totals = dailyRow({ oil, gas, water, deferredOilM3, deferredGasM3, deferredWaterM3 }, spanishOilfield);
    assert.equal(totals.uptime, "");
    assert.equal(totals.downtime, "");
    assert.equal(totals.fluids.oil.allocated, "1187");
  });

  it("shows a well's month with its days on production", () => {
    const row = monthlyRow({ oilM3: 30000 * BBL, gasM3: 9000 * MSCF, waterM3: 2400 * BBL, uptimeHours: 700, days: 30 }, spanishOilfield);
    assert.deepEqual(row, { oil: "30.000", gas: "9000,0", water: "2400", uptime: "700 h", days: "30" });
    assert.equal(monthlyRow({ oilM3: 1, gasM3: 1, waterM3: 1, uptimeHours: 24 }, spanishOilfield).days, "");
  });
});
