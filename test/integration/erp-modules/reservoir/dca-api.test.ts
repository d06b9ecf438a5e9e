import assert from "node:assert/strict";
import type supertest from "supertest";
import { databaseTargets, type TestDatabase } from "../../../helpers/databases.js";
import { startInProcessSite, type InProcessSession, type InProcessSite } from "../../../helpers/in-process-site.js";
import type { DcaFitResult, DcaForecastResult, DcaTypeCurveResult } from "../../../../erp-modules/reservoir/dca-schema.js";

interface ErrorAnswer {
  code: string;
  message: string;
  details?: { field?: string; reason: string; params?: Record<string, unknown> };
}

const errorOf = (response: supertest.Response): ErrorAnswer => (response.body as { error: ErrorAnswer }).error;

const MONTH = 365.25 / 12;
/** q = 1000 (1 + 0.8 x 1.2/365.25 t)^(-1/0.8), monthly for five years. */
const HISTORY = Array.from({ length: 60 }, (_, i) => ({
  timeDays: i * MONTH,
  ratePerDay: 1000 * (1 + ((0.8 * 1.2) / 365.25) * i * MONTH) ** (-1 / 0.8),
}));

/*
 * The stateless DCA routes read and write no table, so one backend proves
 * them: PGlite only (the site needs a database to start; which one changes
 * nothing these routes do).
 */
const pglite = databaseTargets.find((target) => target.name === "pglite");

describe("reservoir DCA API (stateless, PGlite site)", function () {
  this.timeout(120_000);
  let database: TestDatabase | undefined;
  let site: InProcessSite;
  let viewer: InProcessSession;

  before(async () => {
    if (!pglite) throw new Error("the PGlite target is always listed in test/helpers/databases.ts");
    database = await pglite.create();
    site = await startInProcessSite(database.db);
    viewer = await site.session("viewer");
  });

  after(async () => {
    await site?.close();
    await database?.drop();
  });

  it("POST /reservoir/dca/forecast: a viewer gets rates, cumulatives, EUR and time to the limit", async () => {
    const response = await viewer
      .send("post", "/api/v1/reservoir/dca/forecast")
      .send({
        parameters: { model: "harmonic", initialRatePerDay: 100, initialDeclineNominalPerYear: 3.6525 },
        horizonDays: 1000,
        stepDays: 100,
        economicLimitRatePerDay: 10,
        asOfDays: 100,
      })
      .expect(200);
    const result = response.body as DcaForecastResult;
    // Harmonic, Di = 0.01/d: q(100) = 50, Np(100) = 10000 ln 2, q = 10 at 900 d, EUR = 10000 ln 10.
    assert.equal(result.points.length, 11);
    assert.ok(Math.abs((result.points[1]?.ratePerDay ?? 0) - 50) < 1e-9);
    assert.ok(Math.abs((result.points[1]?.cumulativeVolume ?? 0) - 10_000 * Math.LN2) < 1e-6);
    assert.ok(Math.abs((result.timeToEconomicLimitDays ?? 0) - 900) < 1e-9);
    assert.ok(Math.abs((result.eurVolume ?? 0) - 10_000 * Math.log(10)) < 1e-6);
    assert.ok(Math.abs((result.remainingVolume ?? 0) - 10_000 * (Math.log(10) - Math.LN2)) < 1e-6);
    assert.equal(result.eurLimitedBy, "economicLimit");
    assert.equal(result.parameters.bExponent, 1);
    assert.ok(Math.abs(result.initialDecline.secantEffectivePerYear - 3.6525 / 4.6525) < 1e-12);
  });

  it("POST /reservoir/dca/fit: parameters, goodness and the excluded points with reasons", async () => {
    const points = HISTORY.map((point, i) => (i === 10 ? { ...point, flag: "shutIn" } : i === 20 ? { ...point, ratePerDay: point.ratePerDay * 3 } : point));
    const response = await viewer.send("post", "/api/v1/reservoir/dca/fit").send({ points }).expect(200);
    const result = response.body as DcaFitResult;
    assert.equal(result.parameters.model, "hyperbolic");
    assert.ok(Math.abs((result.parameters.bExponent ?? 0) - 0.8) < 1e-6);
    assert.ok(Math.abs(result.parameters.initialDeclineNominalPerYear - 1.2) < 1e-6);
    assert.deepEqual(
      result.excluded.map((point) => [point.index, point.reason]),
      [
        [10, "shutIn"],
        [20, "outlier"],
      ],
    );
    assert.equal(result.goodness.pointsUsed, 58);
  });

  it("POST /reservoir/dca/type-curve: P10 ≥ P50 ≥ P90 per bin and an Arps fit to the P50", async () => {
    const wells = [0.8, 1, 1.25, 1.5, 2].map((scale, i) => ({
      label: `WELL-${i}`,
      points: HISTORY.map((point) => ({ timeDays: point.timeDays + 100 * i, ratePerDay: point.ratePerDay * scale * (1 + 0.02 * i) ** (point.timeDays / 365.25) })),
    }));
    const response = await viewer.send("post", "/api/v1/reservoir/dca/type-curve").send({ wells }).expect(200);
    const result = response.body as DcaTypeCurveResult;
    assert.equal(result.wells.length, 5);
    assert.ok(result.bins.length >= 59);
    for (const bin of result.bins.filter((b) => b.p50NormalisedRate !== null)) {
      assert.ok((bin.p10NormalisedRate ?? 0) >= (bin.p50NormalisedRate ?? 0) && (bin.p50NormalisedRate ?? 0) >= (bin.p90NormalisedRate ?? 0));
    }
    assert.ok(result.p50Fit !== null && result.p50Fit.goodness.rSquaredLog > 0.99);
  });

  it("refuses bad input with 400 naming the field", async () => {
    const cases: [string, unknown, string, string][] = [
      ["/api/v1/reservoir/dca/fit", { points: HISTORY.slice(0, 2) }, "points", "too_few_items"],
      ["/api/v1/reservoir/dca/fit", { points: [HISTORY[0], HISTORY[2], HISTORY[1]] }, "points.2.timeDays", "not_after"],
      ["/api/v1/reservoir/dca/fit", { points: HISTORY, bMax: 6 }, "body.bMax", "above_maximum"],
      ["/api/v1/reservoir/dca/fit", { points: HISTORY, bMin: 1.5, bMax: 1 }, "bMax", "before_field"],
      ["/api/v1/reservoir/dca/fit", { points: HISTORY, model: "modifiedHyperbolic" }, "terminalDeclineNominalPerYear", "required"],
      ["/api/v1/reservoir/dca/forecast", { parameters: { model: "hyperbolic", initialRatePerDay: 100, initialDeclineNominalPerYear: 1 }, horizonDays: 10, stepDays: 1 }, "parameters.bExponent", "required"],
      [
        "/api/v1/reservoir/dca/forecast",
        { parameters: { model: "hyperbolic", initialRatePerDay: 100, initialDeclineNominalPerYear: 1, bExponent: 5.5 }, horizonDays: 10, stepDays: 1 },
        "body.parameters.bExponent",
        "above_maximum",
      ],
      [
        "/api/v1/reservoir/dca/forecast",
        { parameters: { model: "modifiedHyperbolic", initialRatePerDay: 100, initialDeclineNominalPerYear: 1, bExponent: 1, terminalDeclineNominalPerYear: 2 }, horizonDays: 10, stepDays: 1 },
        "parameters.terminalDeclineNominalPerYear",
        "not_below",
      ],
      [
        "/api/v1/reservoir/dca/forecast",
        { parameters: { model: "exponential", initialRatePerDay: 100, initialDeclineNominalPerYear: 1 }, horizonDays: 70_000, stepDays: 1 },
        "stepDays",
        "too_many_points",
      ],
      ["/api/v1/reservoir/dca/type-curve", { wells: [{ label: "A", points: HISTORY }] }, "body.wells", "too_few_items"],
    ];
    for (const [url, body, field, reason] of cases) {
      const response = await viewer.send("post", url).send(body as object);
      assert.equal(response.status, 400, `${url} ${JSON.stringify(body).slice(0, 80)}: ${response.text}`);
      const error = errorOf(response);
      assert.deepEqual([error.details?.field, error.details?.reason], [field, reason], error.message);
    }
  });

  it("needs a session (401) and is in the OpenAPI document with no audit rows", async () => {
    await site.anonymous().post("/api/v1/reservoir/dca/forecast").send({}).expect(401);
    const document = await site.openApi();
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    for (const path of ["/api/v1/reservoir/dca/forecast", "/api/v1/reservoir/dca/fit", "/api/v1/reservoir/dca/type-curve"]) {
      assert.deepEqual(paths[path]?.post?.["x-petroflow-audit"], { actions: [], rows: {} }, path);
    }
  });
});
