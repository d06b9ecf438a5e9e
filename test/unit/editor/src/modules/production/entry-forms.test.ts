import { SM3_PER_MSCF } from "../../../../../../runtime/units/gas-volume";
import assert from "node:assert/strict";
import { FLUIDS as SERVER_FLUIDS } from "../../../../../../erp-modules/assets/schema";
import { DOWNTIME_REASONS as SERVER_REASONS } from "../../../../../../erp-modules/production/entry-schemas";
import { WELL_TEST_STATUSES as SERVER_STATUSES } from "../../../../../../erp-modules/production/schema";
import { GAS_DISPOSITION_KINDS as SERVER_GAS_DISPOSITIONS } from "../../../../../../erp-modules/production/model/gas-lift";
import { FLUIDS, GAS_DISPOSITION_KINDS, WELL_TEST_STATUSES } from "../../../../../../editor/src/api/production";
import {
  DOWNTIME_REASONS,
  closeDowntimeBody,
  downtimeBody,
  gasDispositionBody,
  gravityLabelKey,
  gravityUnitLabel,
  meterReadingBody,
  runTicketBody,
  serverFieldErrors,
  tankGaugeBody,
  wellTestBody,
  type TankGaugeForm,
  type WellTestForm,
} from "../../../../../../editor/src/modules/production/entry-forms";

const TANK = "0190a1b2-0000-7000-8000-000000000001";
const WELL = "0190a1b2-0000-7000-8000-000000000002";
const SITE = "0190a1b2-0000-7000-8000-000000000003";
const local = (text: string) => new Date(text).toISOString();

const close = (actual: number | undefined, expected: number, tolerance = 1e-9) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

const gauge: TankGaugeForm = {
  tankId: TANK,
  gaugedAt: "2025-03-07T07:30",
  level: "10",
  waterLevel: "",
  temperature: "",
  gravity: "",
  bsw: "",
  notes: "",
};

describe("web app: production entry forms", () => {
  it("sends a tank gauge typed in feet and °F in metres and °C", () => {
    const result = tankGaugeBody({ ...gauge, waterLevel: "1,5", temperature: "104", notes: " morning round " }, "oilfield");
    assert.ok("body" in result);
    assert.equal(result.body.tankId, TANK);
    assert.equal(result.body.gaugedAt, local("2025-03-07T07:30"));
    close(result.body.levelM, 3.048);
    close(result.body.waterLevelM, 0.4572);
    close(result.body.temperatureDegC, 40);
    assert.equal(result.body.notes, "morning round");
  });

  it("leaves blank optional inputs out of the body instead of sending nulls", () => {
    const result = tankGaugeBody(gauge, "metric");
    assert.ok("body" in result);
    assert.deepEqual(result.body, { tankId: TANK, gaugedAt: local("2025-03-07T07:30"), levelM: 10 });
  });

  it("names every input the browser cannot send", () => {
    const result = tankGaugeBody({ ...gauge, tankId: "", gaugedAt: "", level: "ten", temperature: "hot" }, "metric");
    assert.deepEqual(result, { errors: { tankId: "required", gaugedAt: "required", level: "notANumber", temperature: "notANumber" } });
    assert.deepEqual(tankGaugeBody({ ...gauge, level: "" }, "metric"), { errors: { level: "required" } });
  });

  it("sends a gas meter reading typed in Mscf as standard cubic metres for the production day", () => {
    const result = meterReadingBody({ meterId: TANK, fluid: "gas", volume: "250", totalizer: "", notes: "" }, "2025-03-07", "oilfield");
    assert.ok("body" in result);
    assert.equal(result.body.productionDate, "2025-03-07");
    assert.equal(result.body.fluid, "gas");
    close(result.body.volumeM3, 250 * SM3_PER_MSCF, 1e-6);
    assert.equal("totalizerM3" in result.body, false);
  });

  it("sends an oil meter reading typed in barrels as cubic metres, totalizer too", () => {
    const result = meterReadingBody({ meterId: TANK, fluid: "oil", volume: "1000", totalizer: "125000", notes: "" }, "2025-03-07", "oilfield");
    assert.ok("body" in result);
    close(result.body.volumeM3, 158.987294928, 1e-6);
    close(result.body.totalizerM3, 125000 * 0.158987294928, 1e-6);
  });

  it("sends a run ticket for the site, without a tank when none was picked", () => {
    const form = {
      ticketNumber: " RT-0042 ",
      shippedAt: "2025-03-07T16:00",
      fluid: "oil" as const,
      volume: "180",
      destination: "truck" as const,
      carrier: "Transportes del Sur",
      tankId: "",
      temperature: "",
      gravity: "",
      bsw: "",
      notes: "",
    };
    const result = runTicketBody(form, SITE, "metric");
    assert.ok("body" in result);
    assert.deepEqual(result.body, {
      siteAssetId: SITE,
      ticketNumber: "RT-0042",
      shippedAt: local("2025-03-07T16:00"),
      fluid: "oil",
      volumeM3: 180,
      destination: "truck",
      carrier: "Transportes del Sur",
    });
    const fromTank = runTicketBody({ ...form, tankId: TANK }, SITE, "metric");
    assert.ok("body" in fromTank);
    assert.equal(fromTank.body.tankId, TANK);
  });

  it("sends an oilfield gauge's gravity as °API and BS&W as percent, with °F in °C", () => {
    const result = tankGaugeBody({ ...gauge, temperature: "80", gravity: "35,2", bsw: "0.4" }, "oilfield");
    assert.ok("body" in result);
    // (80 − 32) / 1.8 = 26.667 °C; °API is sent as typed (a decimal comma read as a point).
    close(result.body.temperatureDegC, 26.666666667, 1e-6);
    assert.equal(result.body.observedApiGravity, 35.2);
    assert.equal("observedDensityKgPerM3" in result.body, false);
    assert.equal(result.body.bswPercent, 0.4);
    assert.equal(gravityUnitLabel("oilfield"), "°API");
    assert.equal(gravityLabelKey("oilfield"), "production.oil.apiGravity");
  });

  it("sends a metric gauge's gravity as a density in kg/m³", () => {
    const result = tankGaugeBody({ ...gauge, temperature: "30", gravity: "845", bsw: "" }, "metric");
    assert.ok("body" in result);
    assert.equal(result.body.observedDensityKgPerM3, 845);
    assert.equal("observedApiGravity" in result.body, false);
    assert.equal("bswPercent" in result.body, false);
    assert.equal(gravityUnitLabel("metric"), "kg/m³");
    assert.deepEqual(tankGaugeBody({ ...gauge, gravity: "heavy", bsw: "x" }, "metric"), { errors: { gravity: "notANumber", bsw: "notANumber" } });
  });

  it("sends oil quality on oil tickets only", () => {
    const ticket = {
      ticketNumber: "RT-1",
      shippedAt: "2025-03-07T16:00",
      fluid: "oil" as const,
      volume: "180",
      destination: "truck" as const,
      carrier: "",
      tankId: "",
      temperature: "68",
      gravity: "33",
      bsw: "0,2",
      notes: "",
    };
    const oil = runTicketBody(ticket, SITE, "oilfield");
    assert.ok("body" in oil);
    // (68 − 32) / 1.8 = 20 °C; 180 bbl × 0.158987294928 = 28.6177 m³
    close(oil.body.temperatureDegC, 20);
    close(oil.body.volumeM3, 180 * 0.158987294928, 1e-9);
    assert.equal(oil.body.observedApiGravity, 33);
    assert.equal(oil.body.bswPercent, 0.2);
    const water = runTicketBody({ ...ticket, fluid: "water" }, SITE, "oilfield");
    assert.ok("body" in water);
    assert.equal("temperatureDegC" in water.body || "observedApiGravity" in water.body || "bswPercent" in water.body, false);
  });

  it("records open downtime without an end, and closed downtime with one", () => {
    const open = downtimeBody({ wellId: WELL, startedAt: "2025-03-07T02:15", endedAt: "", reasonCode: "esp_trip", notes: "" });
    assert.deepEqual(open, { body: { wellId: WELL, startedAt: local("2025-03-07T02:15"), reasonCode: "esp_trip" } });
    const closed = downtimeBody({ wellId: WELL, startedAt: "2025-03-07T02:15", endedAt: "2025-03-07T05:45", reasonCode: "power_failure", notes: "" });
    assert.ok("body" in closed);
    assert.equal(closed.body.endedAt, local("2025-03-07T05:45"));
    assert.deepEqual(downtimeBody({ wellId: "", startedAt: "2025-03-07T02:15", endedAt: "", reasonCode: "", notes: "" }), {
      errors: { wellId: "required", reasonCode: "required" },
    });
  });

  it("lets downtime end in the minute it started, not before it", () => {
    const sameMinute = downtimeBody({ wellId: WELL, startedAt: "2025-03-07T02:15", endedAt: "2025-03-07T02:15", reasonCode: "esp_trip", notes: "" });
    assert.ok("body" in sameMinute);
    assert.equal(sameMinute.body.endedAt, local("2025-03-07T02:15"));
    assert.deepEqual(downtimeBody({ wellId: WELL, startedAt: "2025-03-07T02:15", endedAt: "2025-03-07T02:14", reasonCode: "esp_trip", notes: "" }), {
      errors: { endedAt: "endBeforeStart" },
    });
  });

  it("closes downtime at the typed time, refusing one before the start to the second", () => {
    const startedAt = local("2025-03-07T02:15:30");
    assert.deepEqual(closeDowntimeBody("2025-03-07T02:15:45", startedAt), { body: { endedAt: local("2025-03-07T02:15:45") } });
    assert.deepEqual(closeDowntimeBody("2025-03-07T02:15:30", startedAt), { body: { endedAt: startedAt } });
    assert.deepEqual(closeDowntimeBody("2025-03-07T02:15", startedAt), { errors: { endedAt: "endBeforeStart" } });
    assert.deepEqual(closeDowntimeBody("", startedAt), { errors: { endedAt: "required" } });
    assert.deepEqual(closeDowntimeBody("yesterday", startedAt), { errors: { endedAt: "notATime" } });
  });

  it("sends a well test typed in bbl/d, Mscf/d and psi as m³/d, Sm³/d and kPa", () => {
    const form: WellTestForm = {
      wellId: WELL,
      startedAt: "2025-03-06T08:00",
      durationHours: "24",
      oilRate: "629",
      gasRate: "350",
      waterRate: "1258",
      liftGasRate: "250",
      choke: "45",
      tubingPressure: "250",
      casingPressure: "",
      separatorPressure: "",
      bottomholePressure: "1500",
      bottomholePressureSource: "gauge",
      notes: "",
    };
    const result = wellTestBody(form, "oilfield");
    assert.ok("body" in result);
    close(result.body.oilRateM3PerDay, 629 * 0.158987294928, 1e-9);
    close(result.body.gasRateSm3PerDay, 350 * SM3_PER_MSCF, 1e-6);
    // Lift gas in Mscf/d like the gas rate: 250 Mscf/d = 250 × SM3_PER_MSCF Sm3/d.
    close(result.body.liftGasInjectionSm3PerDay, 250 * SM3_PER_MSCF, 1e-6);
    close(result.body.waterRateM3PerDay, 1258 * 0.158987294928, 1e-9);
    close(result.body.tubingPressureKpa, 250 * 6.894757293168, 1e-6);
    assert.equal(result.body.durationHours, 24);
    assert.equal(result.body.chokePercent, 45);
    assert.equal("casingPressureKpa" in result.body, false);
    close(result.body.bottomholePressureKpa, 1500 * 6.894757293168, 1e-6);
    assert.equal(result.body.bottomholePressureSource, "gauge");
    // Without a pressure its source is not sent either (the server wants both or neither).
    const without = wellTestBody({ ...form, bottomholePressure: "" }, "oilfield");
    assert.ok("body" in without);
    assert.deepEqual(["bottomholePressureKpa" in without.body, "bottomholePressureSource" in without.body], [false, false]);
  });

  it("offers exactly the downtime reasons, fluids and well test statuses the server knows, in its order", () => {
    assert.deepEqual([...DOWNTIME_REASONS], [...SERVER_REASONS]);
    assert.deepEqual([...FLUIDS], [...SERVER_FLUIDS]);
    assert.deepEqual([...WELL_TEST_STATUSES], [...SERVER_STATUSES]);
    assert.deepEqual([...GAS_DISPOSITION_KINDS], [...SERVER_GAS_DISPOSITIONS]);
  });

  it("sends a gas disposition typed in Mscf as Sm³ for the site and day", () => {
    // 100 Mscf = 100 × SM3_PER_MSCF (28.316846592) = 2831.6846592 Sm3.
    const result = gasDispositionBody({ disposition: "flare", volume: "100", notes: "" }, SITE, "2025-03-06", "oilfield");
    assert.ok("body" in result);
    assert.deepEqual([result.body.siteAssetId, result.body.productionDate, result.body.disposition], [SITE, "2025-03-06", "flare"]);
    close(result.body.volumeSm3, 100 * SM3_PER_MSCF, 1e-6);
    assert.deepEqual(gasDispositionBody({ disposition: "sales", volume: "", notes: "" }, SITE, "2025-03-06", "metric"), { errors: { volume: "required" } });
  });

  it("puts the server's field errors next to the inputs they are about", () => {
    const aliases = { levelM: "level", tankId: "tankId" } as const;
    assert.deepEqual(serverFieldErrors({ field: "/levelM", reason: "above the strapping table (12 m)" }, aliases), {
      fields: { level: "above the strapping table (12 m)" },
      other: [],
    });
    assert.deepEqual(
      serverFieldErrors([{ field: "tankId", reason: "not a tank" }, { field: "gaugedAt", reason: "in the future" }, "junk"], aliases),
      { fields: { tankId: "not a tank" }, other: ["gaugedAt: in the future"] },
    );
  });
});
