import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import { sharedGasLiftSolver } from "../../../erp-modules/optimization/gas-lift-solver.js";
import type { GasLiftOptimizationResult } from "../../../erp-modules/optimization/gas-lift-schema.js";
import gasliftOptimizeNode from "../../../nodes/optimization/gaslift-optimize/gaslift-optimize.js";
import { requestOf, statusText } from "../../../nodes/optimization/gaslift-optimize/gaslift-optimize-logic.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
}
const node = (id: string) => helper.getNode(id) as TestNode;
const next = (id: string) => new Promise<Record<string, unknown>>((resolve) => node(id).on("input", resolve));

const curve = (scale: number) =>
  Array.from({ length: 11 }, (_, index) => {
    const g = index * 5000;
    return { injectionSm3PerDay: g, oilM3PerDay: 20 + scale * Math.log1p(g / 8000), waterM3PerDay: 5 };
  });
const wells = [
  { wellId: "WELL-201", curve: curve(40), currentInjectionSm3PerDay: 20000 },
  { wellId: "WELL-202", curve: curve(20), currentInjectionSm3PerDay: 20000 },
];

describe("gaslift-optimize node: the request it builds", () => {
  it("completes msg.payload with the node's settings; the message's own fields win", () => {
    const config = { objective: "net_value", availableGasSm3PerDay: "40000", compressorCapacitySm3PerDay: "", method: "milp", timeLimitSeconds: "5", currency: "USD", oilPricePerM3: "400", liftGasCostPerSm3: "0.1", waterHandlingCostPerM3: "" };
    assert.deepEqual(requestOf(config, { wells }), {
      wells,
      objective: "net_value",
      availableGasSm3PerDay: 40000,
      prices: { currency: "USD", oilPricePerM3: 400, liftGasCostPerSm3: 0.1, waterHandlingCostPerM3: 0 },
      solver: { method: "milp", timeLimitSeconds: 5 },
    });
    const own = requestOf(config, { wells, objective: "oil", availableGasSm3PerDay: 1000, solver: { method: "lp" } });
    assert.deepEqual([own.objective, own.availableGasSm3PerDay, own.prices, own.solver], ["oil", 1000, undefined, { method: "lp", timeLimitSeconds: 5 }]);
    assert.throws(() => requestOf(config, [1, 2]), /msg.payload must be a gas-lift request object/);
    assert.throws(() => requestOf({ availableGasSm3PerDay: "lots" }, { wells }), /availableGasSm3PerDay must be a number/);
  });

  it("says the method, status and gain in its status", () => {
    assert.equal(statusText({ method: "lp", status: "optimal", expectedGain: { oilM3PerDay: 12.345 }, solveTimeMs: 3.4 }), "LP optimal: +12.3 m3/d oil (3 ms)");
  });
});

describe("gaslift-optimize node in a flow", () => {
  const flow = [
    { id: "tab", type: "tab", label: "Gas lift" },
    { id: "optimize", type: "gaslift-optimize", z: "tab", objective: "oil", availableGasSm3PerDay: "40000", method: "auto", timeLimitSeconds: "10", wires: [["out"]] },
    { id: "catch-optimize", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["out-caught"]] },
    { id: "out", type: "helper", z: "tab" },
    { id: "out-caught", type: "helper", z: "tab" },
  ];

  beforeEach(async () => {
    await helper.load(gasliftOptimizeNode, flow);
  });

  afterEach(async () => {
    await helper.unload();
  });

  after(async () => {
    // The node uses the process's shared solver: stop its worker.
    await sharedGasLiftSolver().close();
  });

  it("sends the recommended allocation as msg.payload, keeping the rest of the message", async () => {
    const out = next("out");
    node("optimize").receive({ topic: "SITE1/gas-lift", payload: { wells } });
    const msg = await out;
    const result = msg.payload as GasLiftOptimizationResult;
    assert.equal(msg.topic, "SITE1/gas-lift");
    assert.equal(result.status, "optimal");
    assert.equal(result.gasLimitSm3PerDay, 40000, "from the node's setting");
    assert.ok((result.wells[0]?.injectionSm3PerDay ?? 0) > (result.wells[1]?.injectionSm3PerDay ?? 0), "the steeper curve gets more gas");
  });

  it("reports a bad request to Catch, naming the field, through done(err)", async () => {
    const caught = next("out-caught");
    node("optimize").receive({ payload: { wells: [{ ...wells[0], minInjectionSm3PerDay: 30000, maxInjectionSm3PerDay: 10000 }] } });
    const msg = (await caught) as { error: { message: string; source: { id: string } } };
    assert.match(msg.error.message, /msg\.payload\.wells\.0\.minInjectionSm3PerDay/);
    assert.equal(msg.error.source.id, "optimize");
  });
});
