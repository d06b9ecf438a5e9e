import assert from "node:assert/strict";
import { gasLiftFactor } from "../../../../simulator/model/well-physics.js";

describe("gas-lift performance curve (well physics)", () => {
  const curve = { naturalFlowFraction: 0.25, injectionScaleSm3PerDay: 15000, optimumInjectionSm3PerDay: 37500 };
  const f = (g: number) => gasLiftFactor(g, curve);

  it("starts at the natural-flow fraction and peaks at exactly 1 at the well's optimum injection", () => {
    assert.equal(f(0), 0.25);
    assert.ok(Math.abs(f(37500) - 1) < 1e-12);
    // Closed form: f'(g) = A·[1/(c + g) − 1/(c + g_opt)] is 0 at g_opt, so neighbours are lower on both sides.
    assert.ok(f(37000) < 1 && f(38000) < 1);
    assert.equal(f(-5000), f(0), "negative injection is none");
  });

  it("rises with diminishing returns, falls past the optimum, is concave and never below 0", () => {
    const grid = Array.from({ length: 61 }, (_, i) => f(i * 1000));
    const steps = grid.slice(1).map((value, i) => value - (grid[i] ?? 0));
    steps.slice(1).forEach((step, i) => assert.ok(step < (steps[i] ?? 0), `concave at ${(i + 1) * 1000}`));
    assert.ok(f(60000) < f(37500) && f(60000) > 0.25, `over-injection costs some liquid: ${f(60000)}`);
    // A = 0.75 / (ln 3.5 − 37500/52500) = 1.3928; at 60 000: 0.25 + A·(ln 5 − 60000/52500) = 0.8999.
    assert.ok(Math.abs(f(60000) - 0.8999) < 0.0001, `${f(60000)}`);
    assert.equal(gasLiftFactor(1e9, curve), 0, "clamped at 0 far past the optimum");
  });
});
