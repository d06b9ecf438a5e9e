import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import dcaFitNode from "../../../nodes/reservoir/dca-fit/dca-fit.js";
import dcaForecastNode from "../../../nodes/reservoir/dca-forecast/dca-forecast.js";
import { fitRequestOf, forecastRequestOf } from "../../../nodes/reservoir/shared/dca-requests.js";
import { DcaService } from "../../../erp-modules/reservoir/dca-service.js";
import type { DcaFitResult, DcaForecastResult } from "../../../erp-modules/reservoir/dca-schema.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { testServices } from "../../helpers/petroflow-services.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}
const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));

/** The test helper spies on Node.prototype.status: what one node showed, in order. */
function statusesOf(id: string): { fill?: string; text?: string }[] {
  const target = helper.getNode(id) as { status: { getCalls(): { thisValue: unknown; args: unknown[] }[] } };
  return target.status
    .getCalls()
    .filter((call) => call.thisValue === target)
    .map((call) => call.args[0] as { fill?: string; text?: string });
}

const MONTH = 365.25 / 12;
/** Exponential, Di = 0.5/yr from 200 per day: fits exactly. */
const HISTORY = Array.from({ length: 36 }, (_, i) => ({ timeDays: i * MONTH, ratePerDay: 200 * Math.exp((-0.5 / 365.25) * i * MONTH) }));

describe("DCA nodes: requests from config and message", () => {
  it("dca-fit: an array payload is the history; the node's settings fill the rest, the message's win", () => {
    const config = { model: "modifiedHyperbolic", bMin: "0.1", bMax: 1.5, terminalDeclineNominalPerYear: "0.06", rejectOutliers: false, outlierThreshold: "" };
    assert.deepEqual(fitRequestOf(config, { payload: HISTORY }), {
      model: "modifiedHyperbolic",
      bMin: 0.1,
      bMax: 1.5,
      terminalDeclineNominalPerYear: 0.06,
      rejectOutliers: false,
      points: HISTORY,
    });
    const fromMessage = fitRequestOf(config, { payload: { points: HISTORY, model: "exponential", bMax: 1 } });
    assert.deepEqual([fromMessage.model, fromMessage.bMax, fromMessage.bMin], ["exponential", 1, 0.1]);
    assert.throws(() => fitRequestOf({}, { payload: 12 }), /msg.payload must be the rate history/);
    assert.throws(() => fitRequestOf({ bMin: "abc" }, { payload: HISTORY }), /bMin must be a number/);
  });

  it("dca-forecast: parameters, a fit result or a whole request", () => {
    const config = { horizonDays: "365.25", stepDays: 30, economicLimitRatePerDay: "", timeLimitDays: "" };
    const parameters = { model: "exponential", initialRatePerDay: 100, initialDeclineNominalPerYear: 0.5 };
    assert.deepEqual(forecastRequestOf(config, { payload: parameters }), { horizonDays: 365.25, stepDays: 30, parameters });
    assert.deepEqual(forecastRequestOf(config, { payload: { parameters, daysPerYear: 365, goodness: {} } }), { horizonDays: 365.25, stepDays: 30, daysPerYear: 365, parameters });
    assert.deepEqual(forecastRequestOf(config, { payload: { parameters, horizonDays: 10, stepDays: 5 } }), { horizonDays: 10, stepDays: 5, parameters });
    assert.throws(() => forecastRequestOf(config, { payload: [1, 2] }), /msg.payload must be/);
  });
});

describe("DCA nodes in a flow", function () {
  this.timeout(20_000);

  beforeEach(() => {
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore(), reservoir: { dca: new DcaService() } }) });
  });

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  const flow = [
    { id: "tab", type: "tab" },
    { id: "fit", type: "dca-fit", z: "tab", model: "hyperbolic", bMin: 0, bMax: 2, rejectOutliers: true, outlierThreshold: 3.5, wires: [["forecast", "fitted"]] },
    { id: "forecast", type: "dca-forecast", z: "tab", horizonDays: 3652.5, stepDays: 365.25, economicLimitRatePerDay: "20", timeLimitDays: "", wires: [["forecasted"]] },
    { id: "fitted", type: "helper", z: "tab" },
    { id: "forecasted", type: "helper", z: "tab" },
    { id: "catch-all", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
    { id: "caught", type: "helper", z: "tab" },
  ];

  it("dca-fit → dca-forecast: the fitted curve is forecast, keeping the message's other properties", async () => {
    await helper.load([dcaFitNode, dcaForecastNode], flow);
    const fitted = next("fitted");
    const forecasted = next("forecasted");
    node("fit").receive({ payload: HISTORY, topic: "WELL-101" });
    const fit = (await fitted).payload as DcaFitResult;
    assert.ok(Math.abs(fit.parameters.initialDeclineNominalPerYear - 0.5) < 1e-6, JSON.stringify(fit.parameters));
    assert.ok((fit.parameters.bExponent ?? 1) < 1e-6);
    const message = await forecasted;
    const forecast = message.payload as DcaForecastResult;
    assert.equal(message.topic, "WELL-101");
    assert.equal(forecast.points.length, 11);
    // q = 200 e^(-0.5 t/yr) reaches 20 at ln(10) / 0.5 years.
    assert.ok(Math.abs((forecast.timeToEconomicLimitDays ?? 0) - (Math.log(10) / 0.5) * 365.25) < 1e-3);
    assert.ok(Math.abs((forecast.eurVolume ?? 0) - ((200 - 20) / 0.5) * 365.25) < 1e-2);
    // Yellow when the result carries flags, green otherwise.
    assert.equal(statusesOf("fit").at(-1)?.fill, fit.flags.length > 0 ? "yellow" : "green");
    assert.equal(statusesOf("forecast").at(-1)?.fill, "green");
    assert.match(statusesOf("forecast").at(-1)?.text ?? "", /^EUR 131000, limit at 1680 d$/);
  });

  it("an input the service refuses goes to done(err): Catch sees the field, the status is red", async () => {
    await helper.load([dcaFitNode, dcaForecastNode], flow);
    const caught = next("caught");
    node("fit").receive({ payload: [HISTORY[0], HISTORY[1]] });
    const error = (await caught).error as { message: string };
    assert.match(error.message, /points must have at least 3 usable points/);
    assert.equal(statusesOf("fit").at(-1)?.fill, "red");

    const caughtForecast = next("caught");
    node("forecast").receive({ payload: { model: "hyperbolic", initialRatePerDay: 100, initialDeclineNominalPerYear: 1 } });
    assert.match(((await caughtForecast).error as { message: string }).message, /parameters.bExponent is required/);
  });

  it("outside a runtime with the reservoir module, says so through done(err)", async () => {
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags: new TagStore() }) });
    await helper.load([dcaFitNode, dcaForecastNode], flow);
    const caught = next("caught");
    node("fit").receive({ payload: HISTORY });
    assert.match(((await caught).error as { message: string }).message, /reservoir module is not available/);
  });
});
