import assert from "node:assert/strict";
import fc from "fast-check";
import { DcaService } from "../../../../erp-modules/reservoir/dca-service.js";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";

const dca = new DcaService();

/** Every number in a result is finite or null: what JSON can carry without turning NaN into a silent null. */
function assertFiniteNumbers(value: unknown, path = "result"): void {
  if (typeof value === "number") assert.ok(Number.isFinite(value), `${path} is ${value}`);
  else if (Array.isArray(value)) value.forEach((item, i) => assertFiniteNumbers(item, `${path}.${i}`));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) assertFiniteNumbers(item, `${path}.${key}`);
}

/** Runs a call: it either answers with finite numbers or refuses with a ServiceError naming a field; nothing else. */
function answersOrRefuses(call: () => unknown): void {
  try {
    assertFiniteNumbers(call());
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    assert.ok(error instanceof ServiceError && error.code === "invalid_input" && typeof error.details?.field === "string", String(error));
  }
}

const positive = fc.double({ min: 1e-9, max: 1e9, noNaN: true, noDefaultInfinity: true });
const model = fc.constantFrom("exponential", "hyperbolic", "harmonic", "modifiedHyperbolic");

describe("DcaService over extreme but schema-valid inputs (fast-check)", () => {
  it("forecast: finite numbers or a field-named refusal", () => {
    fc.assert(
      fc.property(
        model,
        positive,
        fc.double({ min: 1e-9, max: 1e6, noNaN: true }),
        fc.option(fc.double({ min: 0, max: 5, noNaN: true })),
        fc.option(fc.double({ min: 1e-9, max: 1e6, noNaN: true })),
        fc.double({ min: 1e-3, max: 73_050, noNaN: true }),
        fc.double({ min: 1, max: 73_050, noNaN: true }),
        fc.option(positive),
        fc.option(fc.double({ min: 1e-3, max: 73_050, noNaN: true })),
        (name, qi, di, b, terminal, horizonDays, stepDays, limit, timeLimit) => {
          answersOrRefuses(() =>
            dca.forecast({
              parameters: {
                model: name,
                initialRatePerDay: qi,
                initialDeclineNominalPerYear: di,
                ...(b === null ? {} : { bExponent: b }),
                ...(terminal === null ? {} : { terminalDeclineNominalPerYear: terminal }),
              },
              horizonDays,
              stepDays,
              ...(limit === null ? {} : { economicLimitRatePerDay: limit }),
              ...(timeLimit === null ? {} : { timeLimitDays: timeLimit }),
              asOfDays: horizonDays / 2,
            }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("fit: any rate history (flat, rising, zeros, huge, tiny) gives finite numbers or a field-named refusal", () => {
    const point = fc.record({ rate: fc.oneof(fc.constant(0), fc.double({ min: 1e-12, max: 1e12, noNaN: true })), flag: fc.option(fc.constantFrom("shutIn", "test")) });
    fc.assert(
      fc.property(model, fc.array(point, { minLength: 1, maxLength: 80 }), fc.double({ min: 1e-6, max: 400, noNaN: true }), (name, points, spacing) => {
        answersOrRefuses(() =>
          dca.fit({
            model: name,
            points: points.map(({ rate, flag }, i) => ({ timeDays: i * spacing, ratePerDay: rate, ...(flag === null ? {} : { flag }) })),
            ...(name === "modifiedHyperbolic" ? { terminalDeclineNominalPerYear: 0.05 } : {}),
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("reads per-year declines with the request's year: 365.25 days unless daysPerYear says otherwise", () => {
    const parameters = { model: "exponential" as const, initialRatePerDay: 100, initialDeclineNominalPerYear: Math.LN2 };
    const julian = dca.forecast({ parameters, horizonDays: 365.25, stepDays: 365.25 });
    const calendar = dca.forecast({ parameters, horizonDays: 365, stepDays: 365, daysPerYear: 365 });
    // A nominal ln 2 per year halves the rate over one year of either length.
    assert.ok(Math.abs((julian.points[1]?.ratePerDay ?? 0) - 50) < 1e-9);
    assert.ok(Math.abs((calendar.points[1]?.ratePerDay ?? 0) - 50) < 1e-9);
    assert.deepEqual([julian.daysPerYear, calendar.daysPerYear], [365.25, 365]);
    assert.ok(Math.abs(julian.initialDecline.tangentEffectivePerYear - 0.5) < 1e-12);
  });

  it("refuses what the model cannot take, naming the field", () => {
    const refusal = (call: () => unknown) => {
      try {
        call();
      } catch (error) {
        assert.ok(error instanceof ServiceError);
        return [error.details?.field, error.details?.reason];
      }
      return assert.fail("no refusal");
    };
    const points = [0, 1, 2, 3].map((t) => ({ timeDays: t, ratePerDay: 10 - t }));
    assert.deepEqual(refusal(() => dca.fit({ points, model: "exponential", terminalDeclineNominalPerYear: 0.1 })), ["terminalDeclineNominalPerYear", "not_allowed"]);
    assert.deepEqual(refusal(() => dca.fit({ points, bMin: 1.5, bMax: 1 })), ["bMax", "before_field"]);
    assert.deepEqual(refusal(() => dca.fit({ points: [...points, { timeDays: 2.5, ratePerDay: 1 }] })), ["points.4.timeDays", "not_after"]);
    assert.deepEqual(refusal(() => dca.fit({ points, extra: true } as never)), ["extra", "not_allowed"]);
    assert.deepEqual(
      refusal(() => dca.typeCurve({ wells: [{ label: "A", points }, { label: "B", points: [{ timeDays: 0, ratePerDay: 0 }] }] })),
      ["wells.1.points", "too_few_items"],
    );
  });
});
