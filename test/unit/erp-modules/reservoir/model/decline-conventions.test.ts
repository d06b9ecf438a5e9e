import assert from "node:assert/strict";
import fc from "fast-check";
import { rateAt } from "../../../../../erp-modules/reservoir/model/arps.js";
import {
  nominalFromSecantEffective,
  nominalFromTangentEffective,
  nominalPerDay,
  nominalPerYear,
  secantEffectiveFromNominal,
  tangentEffectiveFromNominal,
} from "../../../../../erp-modules/reservoir/model/decline-conventions.js";

/*
 * Definitions from SPEE Monograph/REP 6 usage: tangent effective De = 1 -
 * exp(-D); secant effective Des = 1 - (1 + b D)^(-1/b). No printed table was
 * checked in this work; the cases are closed forms exact by hand (stated in
 * each), tolerance 1e-12 relative.
 */

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

describe("decline conventions", () => {
  it("tangent effective: D = 1/yr gives 1 - 1/e; D = ln 2 gives exactly 50 %", () => {
    close(tangentEffectiveFromNominal(1), 1 - Math.exp(-1));
    close(tangentEffectiveFromNominal(Math.LN2), 0.5);
    close(nominalFromTangentEffective(0.5), Math.LN2);
  });

  it("secant effective: b = 1, D = 1 gives 1 - 1/2; b = 0.5, D = 2 gives 1 - 2^-2 = 75 %; b = 0 is the tangent one", () => {
    close(secantEffectiveFromNominal(1, 1), 0.5);
    close(secantEffectiveFromNominal(2, 0.5), 0.75);
    close(nominalFromSecantEffective(0.75, 0.5), 2);
    close(nominalFromSecantEffective(0.5, 1), 1);
    close(secantEffectiveFromNominal(0.3, 0), tangentEffectiveFromNominal(0.3));
    close(nominalFromSecantEffective(0.3, 0), nominalFromTangentEffective(0.3));
  });

  it("nominal declines scale with the time unit: 0.36525/yr = 0.001/d at 365.25 d/yr, 0.365/yr at 365", () => {
    close(nominalPerDay(0.36525, 365.25), 0.001);
    close(nominalPerYear(0.001, 365), 0.365);
  });

  it("the secant effective decline is the curve's drop over its first year, for every b", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 10, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (nominal, b) => {
        const dropOverYear = 1 - rateAt({ initialRatePerDay: 1, initialDeclinePerDay: nominal / 365.25, b }, 365.25);
        close(secantEffectiveFromNominal(nominal, b), dropOverYear, 1e-10);
        close(nominalFromSecantEffective(secantEffectiveFromNominal(nominal, b), b), nominal, 1e-8);
        close(nominalFromTangentEffective(tangentEffectiveFromNominal(nominal)), nominal, 1e-9);
      }),
    );
  });
});
