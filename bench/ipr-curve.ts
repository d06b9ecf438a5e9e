/**
 * Inflow performance: the flowing pressure for a target rate by the closed
 * forms of erp-modules/reservoir/model/ipr.ts (pressureFor) against a robust
 * bisection on rateAt to the same precision (the baseline a root-finding
 * implementation would use), both in the same run over the three methods,
 * and a 200-step curve. Targets: the closed form at least 5× the bisection (12× measured on a loaded 2-core box);
 * a 200-step curve under 1 ms (a screen or a flow asks for one at a time).
 * `node --import tsx bench/run.ts ipr-curve`.
 */
import { performance } from "node:perf_hooks";
import { compositeFromTest, fetkovichFit, iprCurve, pressureFor, rateAt, vogelFromTest, type IprModel } from "../erp-modules/reservoir/model/ipr.js";
import type { Benchmark } from "./run.js";

const DURATION_MS = 1500;
const TARGET_RATIO = 5;
const TARGET_CURVE_MS = 1;

/** Bisection on the monotone rate to 1e-9 of Pr: the baseline. */
function pressureByBisection(model: IprModel, rate: number): number {
  let low = 0;
  let high = model.reservoirPressureKpa;
  while (high - low > 1e-9 * model.reservoirPressureKpa) {
    const middle = (low + high) / 2;
    if (rateAt(model, middle) > rate) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

const MODELS: IprModel[] = [
  vogelFromTest(20_101.325, { rateM3PerDay: 70, flowingPressureKpa: 10_101.325 }),
  compositeFromTest(30_101.325, 18_101.325, { rateM3PerDay: 120, flowingPressureKpa: 24_101.325 }),
  fetkovichFit(26_201.325, [
    { rateM3PerDay: 127, flowingPressureKpa: 22_064 },
    { rateM3PerDay: 223, flowingPressureKpa: 17_927 },
    { rateM3PerDay: 318, flowingPressureKpa: 13_100 },
    { rateM3PerDay: 445, flowingPressureKpa: 6_895 },
  ]),
];

/** Calls per second of `solve` over 100 target rates per model, for about DURATION_MS. */
function rateOf(solve: (model: IprModel, rate: number) => number): { perSecond: number; checksum: number } {
  const targets = MODELS.map((model) => Array.from({ length: 100 }, (_, i) => (rateAt(model, 0) * (i + 0.5)) / 100));
  let calls = 0;
  let checksum = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    MODELS.forEach((model, index) => {
      for (const rate of targets[index]) checksum += solve(model, rate);
    });
    calls += MODELS.length * 100;
    elapsed = performance.now() - start;
  }
  return { perSecond: calls / (elapsed / 1000), checksum };
}

export const benchmark: Benchmark = {
  name: "ipr-curve",
  async run() {
    const baseline = rateOf(pressureByBisection);
    const closed = rateOf(pressureFor);
    // Both answer the same pressures (to the bisection's 1e-9 of Pr).
    for (const model of MODELS) {
      const rate = rateAt(model, 0) / 3;
      if (Math.abs(pressureFor(model, rate) - pressureByBisection(model, rate)) > 1e-6 * model.reservoirPressureKpa) throw new Error(`${model.method}: the inverses disagree`);
    }
    const curves = 2000;
    const start = performance.now();
    let points = 0;
    for (let i = 0; i < curves; i++) points += iprCurve(MODELS[i % MODELS.length], 200).length;
    const curveMs = (performance.now() - start) / curves;
    const ratio = closed.perSecond / baseline.perSecond;
    const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
    const lines = [
      `pressure for a target rate, Vogel + composite + Fetkovich, 100 rates each, ~${DURATION_MS / 1000} s per variant:`,
      `  bisection on rateAt (baseline): ${fmt(baseline.perSecond)} solves/s`,
      `  closed form (pressureFor):      ${fmt(closed.perSecond)} solves/s, ${ratio.toFixed(1)}× the baseline`,
      `200-step curve: ${(curveMs * 1000).toFixed(1)} µs each (${fmt(points)} points over ${curves} curves)`,
    ];
    return {
      lines,
      targets: [
        { target: `closed-form inverse ≥ ${TARGET_RATIO}× bisection`, status: ratio >= TARGET_RATIO ? "PASS" : "FAIL", detail: `${ratio.toFixed(1)}×` },
        { target: `200-step IPR curve < ${TARGET_CURVE_MS} ms`, status: curveMs < TARGET_CURVE_MS ? "PASS" : "FAIL", detail: `${(curveMs * 1000).toFixed(1)} µs` },
      ],
    };
  },
};
