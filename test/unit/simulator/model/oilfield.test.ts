import assert from "node:assert/strict";
import { createOilfield, type Oilfield } from "../../../../simulator/model/oilfield.js";
import type { SimEvent } from "../../../../simulator/model/types.js";
import { modelView } from "../../../../simulator/model/model-view.js";

const START = Date.UTC(2025, 0, 1);
const HOUR = 3600;
const DAY = 86400;

/** A quiet field: no random events, so a test sees only the effect it causes. */
function quietField(seed = 11): Oilfield {
  return createOilfield({ seed, startTime: START, eventsPerDay: 0 });
}

function num(model: Oilfield, asset: string, point: string): number {
  const value = model.read(asset, point);
  assert.equal(typeof value, "number", `${asset}/${point} is numeric`);
  return value as number;
}

function snapshot(model: Oilfield): Record<string, number | boolean> {
  return Object.fromEntries(model.points.map((p) => [`${p.asset}/${p.point}`, model.read(p.asset, p.point)]));
}

function collectEvents(model: Oilfield): SimEvent[] {
  const events: SimEvent[] = [];
  model.onEvent((event) => events.push(event));
  return events;
}

const wellIds = (model: Oilfield): string[] => model.assets.filter((a) => a.kind === "well").map((a) => a.id);

describe("oilfield model", () => {
  it("is deterministic for a seed: same values and events; another seed differs", () => {
    const run = (seed: number) => {
      const model = createOilfield({ seed, startTime: START, eventsPerDay: 24 });
      const events = collectEvents(model);
      for (let hour = 0; hour < 48; hour++) model.step(HOUR);
      return { values: snapshot(model), events, now: model.now() };
    };
    const first = run(42);
    const second = run(42);
    assert.deepEqual(second, first);
    assert.ok(first.events.length > 0, "48 h at 24 events/day produces events");
    assert.equal(first.now, START + 48 * HOUR * 1000);
    assert.notDeepEqual(run(43).values, first.values);
  });

  it("has 12 wells, four of each lift type, and the facilities, with unique point paths", () => {
    const model = quietField();
    assert.equal(model.siteId, "SITE1");
    const wells = model.assets.filter((a) => a.kind === "well");
    assert.ok(wells.length >= 12);
    const ids = (liftType: string) => wells.filter((w) => w.liftType === liftType).map((w) => w.id);
    assert.deepEqual(ids("esp"), ["WELL-101", "WELL-102", "WELL-103", "WELL-104"]);
    assert.deepEqual(ids("gas_lift"), ["WELL-201", "WELL-202", "WELL-203", "WELL-204"]);
    assert.deepEqual(ids("rod_pump"), ["WELL-301", "WELL-302", "WELL-303", "WELL-304"]);
    for (const id of ["SEP-TEST", "SEP-PROD", "MAN-01", "TK-01", "TK-02", "TK-W1", "COMP-01"]) {
      assert.ok(model.assets.some((a) => a.id === id), id);
    }
    const paths = model.points.map((p) => `${p.asset}/${p.point}`);
    assert.equal(new Set(paths).size, paths.length);
    for (const point of model.points) {
      if (point.writable) assert.ok(point.min !== undefined && point.max !== undefined, `${point.point} has a range`);
      const value = model.read(point.asset, point.point);
      assert.equal(typeof value, point.dataType === "bool" ? "boolean" : "number", `${point.asset}/${point.point}`);
      if (point.dataType === "int") assert.ok(Number.isInteger(value));
    }
    for (const id of wellIds(model)) {
      for (const point of ["THP", "CHP", "FLT", "OIL_RATE", "GAS_RATE", "WATER_RATE", "CHOKE_SP", "RUNNING", "SHUT_IN_CMD"]) {
        assert.ok(paths.includes(`${id}/${point}`), `${id}/${point}`);
      }
    }
    assert.ok(paths.includes("WELL-101/ESP_FREQ_SP") && paths.includes("WELL-201/GL_INJ_SP") && paths.includes("WELL-301/PUMP_FILL"));
    assert.equal(createOilfield({ siteId: "SITE9", seed: 1 }).siteId, "SITE9");
  });

  it("declines production over simulated days, faster with a decline time factor", () => {
    const model = quietField();
    const before = wellIds(model).map((id) => num(model, id, "OIL_RATE"));
    for (let day = 0; day < 120; day++) model.step(DAY);
    const after = wellIds(model).map((id) => num(model, id, "OIL_RATE"));
    after.forEach((rate, index) => assert.ok(rate < (before[index] ?? 0) * 0.97, `${wellIds(model)[index]}: ${rate} vs ${before[index]}`));

    const fast = createOilfield({ seed: 11, startTime: START, eventsPerDay: 0, declineTimeFactor: 365 });
    const fastBefore = num(fast, "WELL-101", "OIL_RATE");
    fast.step(DAY);
    assert.ok(num(fast, "WELL-101", "OIL_RATE") < fastBefore * 0.9, "a year of decline in a day");
  });

  it("closing a choke lowers the rate and raises THP", () => {
    const model = quietField();
    for (const well of ["WELL-101", "WELL-201", "WELL-301"]) {
      model.write(well, "CHOKE_SP", 90);
      model.step(2 * HOUR);
      const rate = num(model, well, "OIL_RATE");
      const thp = num(model, well, "THP");
      model.write(well, "CHOKE_SP", 25);
      model.step(2 * HOUR);
      assert.ok(num(model, well, "OIL_RATE") < rate * 0.7, `${well} rate falls`);
      assert.ok(num(model, well, "THP") > thp + 200, `${well} THP rises`);
      assert.equal(model.read(well, "CHOKE_SP"), 25);
    }
  });

  it("raising ESP frequency raises rate and current and lowers intake pressure", () => {
    const model = quietField();
    model.write("WELL-102", "ESP_FREQ_SP", 45);
    model.step(HOUR);
    assert.equal(model.read("WELL-102", "ESP_FREQ"), 45);
    const slow = { rate: num(model, "WELL-102", "OIL_RATE"), current: num(model, "WELL-102", "ESP_CURRENT"), pip: num(model, "WELL-102", "PIP") };
    model.write("WELL-102", "ESP_FREQ_SP", 60);
    model.step(5);
    const ramping = num(model, "WELL-102", "ESP_FREQ");
    assert.ok(ramping > 45 && ramping < 60, `the drive ramps (${ramping} Hz)`);
    model.step(HOUR);
    assert.equal(model.read("WELL-102", "ESP_FREQ"), 60);
    const fast = { rate: num(model, "WELL-102", "OIL_RATE"), current: num(model, "WELL-102", "ESP_CURRENT"), pip: num(model, "WELL-102", "PIP") };
    // Affinity law: rate proportional to speed.
    assert.ok(Math.abs(fast.rate / slow.rate - 60 / 45) < 0.05, `rate ratio ${fast.rate / slow.rate}`);
    assert.ok(fast.current > slow.current * 1.5);
    assert.ok(fast.pip < slow.pip - 100);
  });

  it("gas-lift injection raises the rate with diminishing returns to the well's optimum, and over-injection lowers it", () => {
    const model = quietField();
    model.write("COMP-01", "SPEED_SP", 1200);
    for (const well of ["WELL-202", "WELL-203", "WELL-204"]) model.write(well, "GL_INJ_SP", 0);
    const rateAt = (injection: number): number => {
      model.write("WELL-201", "GL_INJ_SP", injection);
      model.step(2 * HOUR);
      assert.ok(Math.abs(num(model, "WELL-201", "GL_INJ_RATE") - injection) <= injection * 0.02 + 1);
      return num(model, "WELL-201", "OIL_RATE") + num(model, "WELL-201", "WATER_RATE");
    };
    // The well's own optimum, from its curve (seed 11: 40 000 Sm3/d on the curve's 1000 Sm3/d grid).
    const curve = model.gasLiftCurve("WELL-201", 61);
    const peak = curve.reduce((best, point) => (point.oilM3PerDay > best.oilM3PerDay ? point : best));
    assert.ok(peak.injectionSm3PerDay > 30000 && peak.injectionSm3PerDay < 50000, `optimum ${peak.injectionSm3PerDay}`);
    const [r0, r1, r2, rPeak, rOver] = [rateAt(0), rateAt(10000), rateAt(20000), rateAt(peak.injectionSm3PerDay), rateAt(60000)];
    assert.ok(r0 > 0, "the well flows naturally without gas");
    assert.ok(r0 < r1 && r1 < r2 && r2 < rPeak, `rising to the optimum: ${[r0, r1, r2, rPeak].join(", ")}`);
    assert.ok(r1 - r0 > r2 - r1, "each 10000 Sm3/d adds less");
    // Past the optimum friction and slippage win: 60 000 Sm3/d makes several percent less (noise is 0.5 %).
    assert.ok(rOver < rPeak * 0.97, `over-injection: ${rOver} vs ${rPeak} at the optimum`);
    assert.ok(num(model, "WELL-201", "CHP") > num(model, "WELL-201", "THP") + 2000, "CHP follows injection");

    // Ask for more gas than the compressor makes: injection is shared out up to its flow.
    for (const well of ["WELL-201", "WELL-202", "WELL-203", "WELL-204"]) model.write(well, "GL_INJ_SP", 60000);
    model.write("COMP-01", "SPEED_SP", 1000);
    model.step(3 * HOUR);
    const injected = ["WELL-201", "WELL-202", "WELL-203", "WELL-204"].reduce((sum, well) => sum + num(model, well, "GL_INJ_RATE"), 0);
    const compressorFlow = num(model, "COMP-01", "FLOW");
    assert.ok(injected < 240000 * 0.6, `limited: ${injected}`);
    assert.ok(Math.abs(injected - compressorFlow) < compressorFlow * 0.02);
    assert.ok(num(model, "COMP-01", "DISCHARGE_P") > num(model, "COMP-01", "SUCTION_P") * 5);
  });

  it("reports a gas-lift well's formation gas apart: formation + injected = separator gas", () => {
    const model = quietField();
    model.step(2 * HOUR);
    for (const well of ["WELL-201", "WELL-202", "WELL-203", "WELL-204"]) {
      const separator = num(model, well, "GAS_RATE");
      const injected = num(model, well, "GL_INJ_RATE");
      const formation = num(model, well, "FORMATION_GAS_RATE");
      assert.ok(injected > 0 && formation > 0, `${well}: lift gas ${injected}, formation gas ${formation}`);
      // Each point carries 0.5 % (GL_INJ_RATE 0.3 %) independent measurement noise: 2 % covers four sigma.
      assert.ok(Math.abs(formation + injected - separator) <= separator * 0.02, `${well}: ${formation} + ${injected} vs ${separator}`);
      // The seeded GORs are 60–200 Sm3/m3: the formation GOR is in it, the separator "GOR" is not.
      const gor = formation / num(model, well, "OIL_RATE");
      assert.ok(gor > 55 && gor < 210, `${well} formation GOR ${gor}`);
    }
    assert.equal(model.points.some((point) => point.asset === "WELL-101" && point.point === "FORMATION_GAS_RATE"), false, "only gas-lift wells have it");
  });

  it("exposes each gas-lift well's curve: what the well makes at steady state, concave with one maximum, pure", () => {
    const model = quietField();
    const before = snapshot(model);
    const curve = model.gasLiftCurve("WELL-203", 13);
    assert.deepEqual(snapshot(model), before, "reading the curve changes nothing");
    assert.deepEqual(model.gasLiftCurve("WELL-203", 13), curve, "and draws no random numbers");
    assert.deepEqual(curve.map((point) => point.injectionSm3PerDay), Array.from({ length: 13 }, (_, i) => i * 5000));
    const slopes = curve.slice(1).map((point, i) => point.oilM3PerDay - (curve[i]?.oilM3PerDay ?? 0));
    slopes.slice(1).forEach((slope, i) => assert.ok(slope < (slopes[i] ?? 0), `concave: slope ${i + 1}`));
    assert.ok((slopes[0] ?? 0) > 0 && (slopes[slopes.length - 1] ?? 0) < 0, "rises, peaks, falls");
    // At the well's setpoint the curve gives what the simulator measures (0.5 % noise).
    model.step(2 * HOUR);
    const injection = num(model, "WELL-203", "GL_INJ_SP");
    const fine = model.gasLiftCurve("WELL-203", 61);
    const at = fine.find((point) => point.injectionSm3PerDay === injection);
    assert.ok(at, `setpoint ${injection} is on the 1000 Sm3/d grid`);
    assert.ok(Math.abs(num(model, "WELL-203", "OIL_RATE") - at.oilM3PerDay) <= at.oilM3PerDay * 0.02);
    assert.ok(Math.abs(num(model, "WELL-203", "WATER_RATE") - at.waterM3PerDay) <= at.waterM3PerDay * 0.02);
    assert.throws(() => model.gasLiftCurve("WELL-101", 5), /not a gas-lift well/);
  });

  it("a failed gas-lift valve stops the injection from lifting", () => {
    const model = quietField();
    const events = collectEvents(model);
    const before = num(model, "WELL-203", "OIL_RATE");
    model.triggerEvent("WELL-203", "gas-lift-valve-failure");
    model.step(HOUR);
    assert.equal(model.read("WELL-203", "GLV_FAILED"), true);
    assert.ok(num(model, "WELL-203", "GL_INJ_RATE") > 0, "gas still goes in");
    assert.ok(num(model, "WELL-203", "OIL_RATE") < before * 0.6);
    assert.equal(events[0]?.kind, "gas-lift-valve-failure");
    model.step(3 * DAY);
    assert.equal(model.read("WELL-203", "GLV_FAILED"), false, "repaired after a while");
  });

  it("balances volumes: separator outflows match the routed wells' production", () => {
    const model = quietField();
    const check = (separator: string, wells: string[]): void => {
      for (const [out, rate] of [["OIL_OUT", "OIL_RATE"], ["WATER_OUT", "WATER_RATE"], ["GAS_OUT", "GAS_RATE"]] as const) {
        const inflow = wells.reduce((sum, well) => sum + num(model, well, rate), 0);
        const outflow = num(model, separator, out);
        assert.ok(inflow > 0);
        assert.ok(Math.abs(outflow - inflow) < inflow * 0.02, `${separator} ${out} ${outflow} vs ${inflow}`);
      }
    };
    model.step(6 * HOUR);
    assert.equal(model.read("SEP-TEST", "TEST_WELL"), 101);
    check("SEP-TEST", ["WELL-101"]);
    check("SEP-PROD", wellIds(model).filter((id) => id !== "WELL-101"));

    model.write("SEP-TEST", "TEST_WELL", 203);
    model.step(6 * HOUR);
    check("SEP-TEST", ["WELL-203"]);
    check("SEP-PROD", wellIds(model).filter((id) => id !== "WELL-203"));
    const level = num(model, "SEP-PROD", "LEVEL_OIL");
    assert.ok(level > 5 && level < 95, `level controlled (${level} %)`);
  });

  it("fills tanks, pumps out at high level, and stops the pump at low level", () => {
    const model = quietField();
    const events = collectEvents(model);
    const start = num(model, "TK-01", "LEVEL");
    model.step(HOUR);
    assert.ok(num(model, "TK-01", "LEVEL") > start, "fills from the separators");
    assert.ok(Math.abs(num(model, "TK-01", "VOLUME") / num(model, "TK-01", "LEVEL") - Math.PI * 25) < 1, "volume = level x area");
    let minutes = 0;
    while (!events.some((e) => e.asset === "TK-01" && e.kind === "tank-pump-out") && minutes < 4 * 24 * 60) {
      model.step(60);
      minutes++;
    }
    assert.ok(minutes < 4 * 24 * 60, "pump-out at high level");
    assert.ok(num(model, "TK-01", "LEVEL") >= 7, "near the 90 % high level of an 8 m tank");
    assert.equal(model.read("TK-01", "TRANSFER_PUMP"), true);
    model.step(HOUR);
    const pumping = num(model, "TK-01", "LEVEL");
    assert.ok(pumping < 7, "the transfer pump empties faster than the tank fills");
    model.step(6 * HOUR);
    assert.equal(model.read("TK-01", "TRANSFER_PUMP"), false, "stopped at low level");
    assert.ok(num(model, "TK-01", "LEVEL") < 2);

    model.triggerEvent("TK-W1", "tank-pump-out");
    assert.equal(model.read("TK-W1", "TRANSFER_PUMP"), true);
    model.write("TK-W1", "TRANSFER_PUMP", false);
    assert.equal(model.read("TK-W1", "TRANSFER_PUMP"), false);
  });

  it("an ESP trip stops the well, zeroes rate and current, and restarts after a while", () => {
    const model = quietField();
    const events = collectEvents(model);
    model.triggerEvent("WELL-102", "esp-trip");
    assert.equal(model.read("WELL-102", "ESP_TRIPPED"), true);
    assert.equal(model.read("WELL-102", "RUNNING"), false);
    assert.equal(model.read("WELL-102", "OIL_RATE"), 0);
    assert.equal(model.read("WELL-102", "ESP_CURRENT"), 0);
    assert.equal(model.read("WELL-102", "ESP_FREQ"), 0);
    assert.deepEqual(events.map((e) => [e.asset, e.kind]), [["WELL-102", "esp-trip"]]);
    assert.equal(events[0]?.t, START);
    model.step(2 * HOUR);
    assert.equal(model.read("WELL-102", "ESP_TRIPPED"), false);
    assert.ok(num(model, "WELL-102", "OIL_RATE") > 0);
    assert.ok(events.some((e) => e.asset === "WELL-102" && e.kind === "restart"));
    assert.throws(() => model.triggerEvent("WELL-201", "esp-trip"), /does not apply/);
    assert.throws(() => model.triggerEvent("TK-01", "shut-in"), /does not apply/);
  });

  it("shuts a well in and restarts it by command", () => {
    const model = quietField();
    const thp = num(model, "WELL-301", "THP");
    model.write("WELL-301", "SHUT_IN_CMD", true);
    assert.equal(model.read("WELL-301", "RUNNING"), false);
    assert.equal(model.read("WELL-301", "OIL_RATE"), 0);
    assert.equal(model.read("WELL-301", "SPM"), 0);
    model.step(12 * HOUR);
    assert.equal(model.read("WELL-301", "SHUT_IN_CMD"), true, "an operator shut-in does not restart itself");
    assert.ok(num(model, "WELL-301", "THP") > thp, "pressure builds up");
    model.write("WELL-301", "SHUT_IN_CMD", false);
    assert.ok(num(model, "WELL-301", "OIL_RATE") > 0);
    assert.equal(model.read("MAN-01", "WELLS_ONLINE"), 12);
  });

  it("rejects bad writes with the reason and emits setpoint events for good ones", () => {
    const model = quietField();
    const events = collectEvents(model);
    assert.throws(() => model.write("WELL-999", "CHOKE_SP", 50), /Unknown point SITE1\/WELL-999\/CHOKE_SP/);
    assert.throws(() => model.write("WELL-101", "NOPE", 50), /Unknown point/);
    assert.throws(() => model.write("WELL-101", "THP", 50), /read-only/);
    assert.throws(() => model.write("WELL-101", "CHOKE_SP", 120), /out of range \[0, 100\]/);
    assert.throws(() => model.write("WELL-101", "ESP_FREQ_SP", 20), /out of range \[30, 65\]/);
    assert.throws(() => model.write("WELL-101", "CHOKE_SP", Number.NaN), /finite number/);
    assert.throws(() => model.write("WELL-101", "CHOKE_SP", true), /finite number/);
    assert.throws(() => model.write("WELL-101", "SHUT_IN_CMD", 1), /boolean/);
    assert.throws(() => model.write("SEP-TEST", "TEST_WELL", 150), /no well 150/);
    assert.throws(() => model.write("SEP-TEST", "TEST_WELL", 101.5), /integer/);
    assert.throws(() => model.read("WELL-101", "NOPE"), /Unknown point/);
    assert.equal(events.length, 0);
    model.write("SEP-TEST", "TEST_WELL", 0);
    assert.deepEqual(events.map((e) => [e.asset, e.kind]), [["SEP-TEST", "setpoint"]]);
    const unsubscribe = model.onEvent(() => assert.fail("unsubscribed"));
    unsubscribe();
    model.write("WELL-101", "CHOKE_SP", 50);
    assert.equal(events.length, 2);
  });

  it("stays physically plausible over a long, eventful run", () => {
    const model = createOilfield({ seed: 5, startTime: START, eventsPerDay: 20, declineTimeFactor: 20 });
    const events = collectEvents(model);
    const heights: Record<string, number> = { "TK-01": 8, "TK-02": 8, "TK-W1": 6 };
    const signed = new Set(["FLT", "TEMPERATURE"]);
    for (let hour = 0; hour < 60 * 24; hour++) {
      model.step(HOUR);
      for (const point of model.points) {
        const value = model.read(point.asset, point.point);
        if (typeof value === "boolean") continue;
        const where = `${point.asset}/${point.point} = ${value} at hour ${hour}`;
        assert.ok(Number.isFinite(value), where);
        if (signed.has(point.point)) assert.ok(value > -40 && value < 150, where);
        else assert.ok(value >= 0, where);
        if (point.unit === "%") assert.ok(value <= 100.5, where);
        if (point.unit === "kPa") assert.ok(value < 30000, where);
        if (point.point === "LEVEL") assert.ok(value <= (heights[point.asset] ?? 0) + 0.05, where);
      }
    }
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ["esp-trip", "shut-in", "restart", "gas-lift-valve-failure", "tank-pump-out"]) assert.ok(kinds.has(kind as SimEvent["kind"]), kind);
    assert.ok(events.every((e, i) => i === 0 || e.t >= (events[i - 1]?.t ?? 0)), "events in time order");
  });
});

describe("model views", () => {
  it("restricts assets and points, and refuses the rest", () => {
    const field = createOilfield({ seed: 3, startTime: 0 });
    const view = modelView(field, ["TK-01", "COMP-01"]);
    assert.deepEqual(view.assets.map((asset) => asset.id), ["TK-01", "COMP-01"]);
    assert.ok(view.points.every((point) => point.asset === "TK-01" || point.asset === "COMP-01"));
    assert.equal(view.read("TK-01", "LEVEL"), field.read("TK-01", "LEVEL"));
    assert.throws(() => view.read("WELL-101", "THP"), /not part of this view/);
    assert.throws(() => modelView(field, ["NOPE"]), /no such asset/);
  });
});
