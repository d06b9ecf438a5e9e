import assert from "node:assert/strict";
import fc from "fast-check";
import { AllocationInputError, fromUnits, toUnits } from "../../../../../erp-modules/production/model/allocation.js";
import type { Fluid } from "../../../../../erp-modules/production/model/measured-totals.js";
import {
  allocateNetwork,
  dayFluidKey,
  type NetworkEdge,
  type NetworkInput,
  type NetworkNode,
  type NetworkStream,
  type NetworkWell,
  type NodeMeasurement,
} from "../../../../../erp-modules/production/model/network-allocation.js";

const DAY = "2026-10-01";
const FLUIDS: readonly Fluid[] = ["oil", "gas", "water"];

function measurement(volumeM3: string, meterReadingIds: string[] = [], tankGaugeIds: string[] = []): NodeMeasurement {
  return { volumeM3, meterReadingIds, tankGaugeIds, runTicketIds: [] };
}

function node(id: string, measured: Partial<Record<Fluid, NodeMeasurement>> = {}, day = DAY): NetworkNode {
  return { id, code: id, measured: new Map(Object.entries(measured).map(([fluid, value]) => [dayFluidKey(day, fluid as Fluid), value])) };
}

function well(id: string, theoretical: Record<Fluid, string>, wellTestId = `test-${id}`, day = DAY): NetworkWell {
  return {
    id,
    code: id,
    basis: new Map(FLUIDS.map((fluid) => [dayFluidKey(day, fluid), { theoreticalM3: fromUnits(toUnits(theoretical[fluid])), wellTestId }])),
  };
}

const edge = (from: string, to: string, stream: NetworkStream = "production"): NetworkEdge => ({ from, to, stream });

function allocated(result: ReturnType<typeof allocateNetwork>, fluid: Fluid): Record<string, string> {
  return Object.fromEntries(result.results.filter((row) => row.fluid === fluid).map((row) => [row.wellId, row.allocatedM3]));
}

/**
 * The two-separator battery with commingled tanks:
 *
 *   W1, W2 ─production─▶ SEP-A ─oil─▶ M-A ─oil─▶ TK-1, TK-2 (both)
 *   W3, W4 ─production─▶ SEP-B ─oil─▶ M-B ─oil─▶ TK-1, TK-2 (both)
 *   TK-1, TK-2 ─oil─▶ LACT ─oil─▶ SALES
 *   SEP-A ─gas─▶ GM-A ─gas─▶ GAS-SALES ◀─gas─ GM-B ◀─gas─ SEP-B
 *   SEP-A, SEP-B ─water─▶ WTK ─water─▶ DISPOSAL
 */
function battery(overrides: { lact?: NodeMeasurement; tank2?: NodeMeasurement | null } = {}): NetworkInput {
  const tank2 = overrides.tank2 === null ? {} : { oil: overrides.tank2 ?? measurement("64", [], ["g-tk2-open", "g-tk2-close"]) };
  return {
    days: [DAY],
    wells: [
      well("W1", { oil: "30", gas: "3000", water: "10" }),
      well("W2", { oil: "10", gas: "1000", water: "10" }),
      well("W3", { oil: "20", gas: "100", water: "0" }),
      well("W4", { oil: "30", gas: "400", water: "30" }),
    ],
    nodes: [
      node("SEP-A"),
      node("SEP-B"),
      node("M-A", { oil: measurement("100", ["r-ma"]) }),
      node("M-B", { oil: measurement("50", ["r-mb"]) }),
      node("TK-1", { oil: measurement("80", [], ["g-tk1-open", "g-tk1-close"]) }),
      node("TK-2", tank2),
      node("LACT", overrides.lact ? { oil: overrides.lact } : {}),
      node("SALES"),
      node("GM-A", { gas: measurement("1000", ["r-gma"]) }),
      node("GM-B", { gas: measurement("500", ["r-gmb"]) }),
      node("GAS-SALES"),
      node("WTK", { water: measurement("40", [], ["g-wtk"]) }),
      node("DISPOSAL"),
    ],
    edges: [
      edge("W1", "SEP-A"),
      edge("W2", "SEP-A"),
      edge("W3", "SEP-B"),
      edge("W4", "SEP-B"),
      edge("SEP-A", "M-A", "oil"),
      edge("SEP-B", "M-B", "oil"),
      edge("M-A", "TK-1", "oil"),
      edge("M-A", "TK-2", "oil"),
      edge("M-B", "TK-1", "oil"),
      edge("M-B", "TK-2", "oil"),
      edge("TK-1", "LACT", "oil"),
      edge("TK-2", "LACT", "oil"),
      edge("LACT", "SALES", "oil"),
      edge("SEP-A", "GM-A", "gas"),
      edge("SEP-B", "GM-B", "gas"),
      edge("GM-A", "GAS-SALES", "gas"),
      edge("GM-B", "GAS-SALES", "gas"),
      edge("SEP-A", "WTK", "water"),
      edge("SEP-B", "WTK", "water"),
      edge("WTK", "DISPOSAL", "water"),
    ],
  };
}

describe("allocateNetwork: a two-separator battery with commingled tanks", () => {
  it("oil: separator meters by theoretical volumes, then the two tanks together by the separators' allocations", () => {
    const result = allocateNetwork(battery());
    // Stage 1, M-A measures 100 for W1 (theoretical 30) and W2 (10): 100 × 30/40 = 75, 100 × 10/40 = 25.
    // Stage 1, M-B measures 50 for W3 (20) and W4 (30): 50 × 20/50 = 20, 50 × 30/50 = 30.
    // Stage 2, TK-1 + TK-2 are fed by both meters, so they are one commingled group: 80 + 64 = 144,
    // shared by the stage-1 volumes 75 + 25 + 20 + 30 = 150, a factor 144/150 = 0.96:
    // W1 75 × 0.96 = 72, W2 25 × 0.96 = 24, W3 20 × 0.96 = 19.2, W4 30 × 0.96 = 28.8 (sum 144).
    assert.deepEqual(allocated(result, "oil"), { W1: "72.000000", W2: "24.000000", W3: "19.200000", W4: "28.800000" });
    const tanks = result.stages.find((stage) => stage.fluid === "oil" && stage.nodeCodes.includes("TK-1"));
    assert.deepEqual(tanks?.nodeCodes, ["TK-1", "TK-2"]);
    assert.equal(tanks?.measuredM3, "144.000000");
    assert.deepEqual(tanks?.upstreamStageKeys, ["oil:M-A", "oil:M-B"]);
    assert.deepEqual(result.measured.filter((row) => row.fluid === "oil"), [
      { day: DAY, fluid: "oil", volumeM3: "144.000000", allocated: true, stageKeys: ["oil:TK-1+TK-2"] },
    ]);
  });

  it("oil with the LACT measured: a third stage shares the sales volume by the tanks' allocations", () => {
    const result = allocateNetwork(battery({ lact: measurement("120", ["r-lact"]) }));
    // Stage 3, LACT 120 over the stage-2 volumes 72, 24, 19.2, 28.8 (sum 144): factor 120/144 = 5/6:
    // W1 72 × 5/6 = 60, W2 24 × 5/6 = 20, W3 19.2 × 5/6 = 16, W4 28.8 × 5/6 = 24 (sum 120).
    assert.deepEqual(allocated(result, "oil"), { W1: "60.000000", W2: "20.000000", W3: "16.000000", W4: "24.000000" });
    const w3 = result.results.find((row) => row.wellId === "W3" && row.fluid === "oil");
    assert.deepEqual(w3?.lineage, {
      wellTestId: "test-W3",
      stages: [
        { nodeCodes: ["M-B"], measuredM3: "50.000000", allocatedM3: "20.000000", meterReadingIds: ["r-mb"], tankGaugeIds: [], runTicketIds: [] },
        {
          nodeCodes: ["TK-1", "TK-2"],
          measuredM3: "144.000000",
          allocatedM3: "19.200000",
          meterReadingIds: [],
          tankGaugeIds: ["g-tk1-close", "g-tk1-open", "g-tk2-close", "g-tk2-open"],
          runTicketIds: [],
        },
        { nodeCodes: ["LACT"], measuredM3: "120.000000", allocatedM3: "16.000000", meterReadingIds: ["r-lact"], tankGaugeIds: [], runTicketIds: [] },
      ],
    });
    assert.equal(w3?.theoreticalM3, "20.000000");
    assert.equal(w3?.wellTestId, "test-W3");
  });

  it("gas: each separator's gas meter is the final stage of its wells (the gas sales point is not measured)", () => {
    const result = allocateNetwork(battery());
    // GM-A 1000 over W1 3000, W2 1000: 750, 250. GM-B 500 over W3 100, W4 400: 100, 400.
    assert.deepEqual(allocated(result, "gas"), { W1: "750.000000", W2: "250.000000", W3: "100.000000", W4: "400.000000" });
    // Two final stages the same day: one measured row with their sum, 1000 + 500.
    assert.deepEqual(result.measured.filter((row) => row.fluid === "gas"), [
      { day: DAY, fluid: "gas", volumeM3: "1500.000000", allocated: true, stageKeys: ["gas:GM-A", "gas:GM-B"] },
    ]);
  });

  it("water: the water tank shares by theoretical volumes across both separators", () => {
    const result = allocateNetwork(battery());
    // WTK 40 over W1 10, W2 10, W3 0, W4 30 (sum 50): 40 × 10/50 = 8, 8, 0, 40 × 30/50 = 24.
    assert.deepEqual(allocated(result, "water"), { W1: "8.000000", W2: "8.000000", W3: "0.000000", W4: "24.000000" });
  });

  it("a commingled tank without a gauge: the group is not a measurement point and the meters are final", () => {
    const result = allocateNetwork(battery({ tank2: null }));
    assert.deepEqual(allocated(result, "oil"), { W1: "75.000000", W2: "25.000000", W3: "20.000000", W4: "30.000000" });
    assert.ok(result.warnings.some((warning) => /TK-1 \+ TK-2 are measured together .* TK-2 has no oil measurement/.test(warning)));
  });
});

describe("allocateNetwork: rules", () => {
  it("rounds in integer units: 100 over three equal wells is 33.333334 + 33.333333 + 33.333333", () => {
    // 100 000 000 units / 3 = 33 333 333 rem 1 each; the one leftover unit goes to the first key (A), ties by key.
    const input: NetworkInput = {
      days: [DAY],
      wells: ["A", "B", "C"].map((id) => well(id, { oil: "1", gas: "0", water: "0" })),
      nodes: [node("M", { oil: measurement("100") })],
      edges: ["A", "B", "C"].map((id) => edge(id, "M", "oil")),
    };
    assert.deepEqual(allocated(allocateNetwork(input), "oil"), { A: "33.333334", B: "33.333333", C: "33.333333" });
  });

  it("a measured volume with no well upstream or no basis is not allocated, with a warning", () => {
    const input: NetworkInput = {
      days: [DAY],
      wells: [well("W", { oil: "0", gas: "0", water: "0" })],
      nodes: [node("M", { oil: measurement("5") }), node("ORPHAN", { gas: measurement("7") })],
      edges: [edge("W", "M")],
    };
    const result = allocateNetwork(input);
    assert.deepEqual(result.results, []);
    assert.deepEqual(
      result.measured.map((row) => [row.fluid, row.volumeM3, row.allocated]),
      [
        ["oil", "5.000000", false],
        ["gas", "7.000000", false],
      ],
    );
    assert.ok(result.warnings.some((warning) => warning.includes("every upstream well's volume is 0")));
    assert.ok(result.warnings.some((warning) => warning.includes("no well flows there")));
  });

  it("a divided stream that rejoins downstream measures its branches together", () => {
    // W1 flows to SEP and also straight to TK (bypassing SEP); SEP flows to TK. W1's split is unknown, so SEP and TK
    // become one group measured 40 + 60 = 100, shared by theoretical W1 10, W2 30: 100 × 10/40 = 25, 100 × 30/40 = 75.
    const input: NetworkInput = {
      days: [DAY],
      wells: [well("W1", { oil: "10", gas: "0", water: "0" }), well("W2", { oil: "30", gas: "0", water: "0" })],
      nodes: [node("SEP", { oil: measurement("40") }), node("TK", { oil: measurement("60") })],
      edges: [edge("W1", "SEP"), edge("W1", "TK"), edge("W2", "SEP"), edge("SEP", "TK", "oil")],
    };
    const result = allocateNetwork(input);
    assert.deepEqual(allocated(result, "oil"), { W1: "25.000000", W2: "75.000000" });
    assert.deepEqual(result.stages.map((stage) => stage.stageKey), ["oil:SEP+TK"]);
  });

  it("lift gas is not production; tanks on a loop (an equalizing line both ways) are measured together", () => {
    const liftGas: NetworkInput = {
      days: [DAY],
      wells: [well("W", { oil: "5", gas: "10", water: "0" })],
      nodes: [node("SEP"), node("COMP", { gas: measurement("4") }), node("TK-1", { oil: measurement("3") }), node("TK-2", { oil: measurement("-1") })],
      edges: [edge("W", "SEP"), edge("SEP", "COMP", "gas"), edge("COMP", "W", "lift_gas"), edge("SEP", "TK-1", "oil"), edge("TK-1", "TK-2", "oil"), edge("TK-2", "TK-1", "oil")],
    };
    const result = allocateNetwork(liftGas);
    assert.deepEqual(allocated(result, "gas"), { W: "4.000000" });
    // TK-1 3 + TK-2 −1 (stock moved between them through the line) = 2, all W's.
    assert.deepEqual(allocated(result, "oil"), { W: "2.000000" });
    assert.deepEqual(result.stages.filter((stage) => stage.fluid === "oil").map((stage) => stage.stageKey), ["oil:TK-1+TK-2"]);
    assert.throws(() => allocateNetwork({ ...liftGas, edges: [edge("SEP", "W", "oil")] }), /cannot flow into well W/);
    assert.throws(() => allocateNetwork({ ...liftGas, edges: [edge("W", "NOWHERE")] }), (error: unknown) => error instanceof AllocationInputError && /unknown node NOWHERE/.test(error.message));
  });

  it("a measured sum below 0 allocates 0, with a warning", () => {
    const input: NetworkInput = {
      days: [DAY],
      wells: [well("W", { oil: "5", gas: "0", water: "0" })],
      nodes: [node("TK", { oil: measurement("-2.5") })],
      edges: [edge("W", "TK", "oil")],
    };
    const result = allocateNetwork(input);
    assert.deepEqual(allocated(result, "oil"), { W: "0.000000" });
    assert.ok(result.warnings.some((warning) => warning.includes("is -2.500000 m3")));
  });
});

describe("allocateNetwork on random networks (property)", () => {
  /** A random layered network: wells, then 1-3 layers of nodes; each outlet goes to a later layer, now and then one loops back. */
  const networkArbitrary = fc
    .record({
      wellCount: fc.integer({ min: 1, max: 6 }),
      layers: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
      seed: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 400, maxLength: 400 }),
    })
    .map(({ wellCount, layers, seed }) => {
      let cursor = 0;
      const next = (bound: number) => seed[cursor++ % seed.length] % bound;
      const days = ["2026-10-01", "2026-10-02"];
      const streams: NetworkStream[] = ["production", "production", "oil", "gas", "water"];
      const wells: NetworkWell[] = Array.from({ length: wellCount }, (_, index) => ({
        id: `w${index}`,
        code: `W${index}`,
        basis: new Map(
          days.flatMap((day) =>
            FLUIDS.map((fluid) => [dayFluidKey(day, fluid), { theoreticalM3: fromUnits(BigInt(next(4) === 0 ? 0 : next(900_000_000))), wellTestId: null }] as const),
          ),
        ),
      }));
      const levels: string[][] = [wells.map((entry) => entry.id)];
      const nodes: NetworkNode[] = [];
      layers.forEach((size, layer) => {
        const ids = Array.from({ length: size }, (_, index) => `n${layer}-${index}`);
        for (const id of ids) {
          const measured = new Map<string, NodeMeasurement>();
          for (const day of days) {
            for (const fluid of FLUIDS) {
              // Now and then a negative one: a tank balance that fell.
              const units = next(3) === 0 ? 0 : next(2_000_000_000) * (next(8) === 0 ? -1 : 1);
              if (next(3) > 0) measured.set(dayFluidKey(day, fluid), measurement(fromUnits(BigInt(units))));
            }
          }
          nodes.push({ id, code: id.toUpperCase(), measured });
        }
        levels.push(ids);
      });
      const edges: NetworkEdge[] = [];
      const seen = new Set<string>();
      levels.slice(0, -1).forEach((level, index) => {
        const later = levels.slice(index + 1).flat();
        for (const from of level) {
          const outlets = 1 + next(2);
          for (let count = 0; count < outlets; count++) {
            const to = later[next(later.length)];
            const stream = streams[next(streams.length)];
            const key = `${from}>${to}>${stream}`;
            if (seen.has(key)) continue;
            seen.add(key);
            edges.push({ from, to, stream });
          }
        }
      });
      // Now and then a loop: a connection back upstream between two nodes.
      if (nodes.length > 1 && next(2) === 0) {
        const from = nodes[next(nodes.length)].id;
        const to = nodes[next(nodes.length)].id;
        if (from !== to && !seen.has(`${from}>${to}>oil`)) edges.push({ from, to, stream: "oil" });
      }
      return { days, wells, nodes, edges } satisfies NetworkInput;
    });

  it("at every measurement point the shares sum to its measured volume exactly, none negative; wells' results sum to the final stages", () => {
    fc.assert(
      fc.property(networkArbitrary, (input) => {
        const result = allocateNetwork(input);
        for (const stage of result.stages) {
          if (!stage.allocated) {
            assert.deepEqual(stage.shares, []);
            continue;
          }
          const sum = stage.shares.reduce((total, share) => total + toUnits(share.allocatedM3), 0n);
          assert.equal(fromUnits(sum), stage.measuredM3, `${stage.stageKey} on ${stage.day}`);
          for (const share of stage.shares) assert.ok(toUnits(share.allocatedM3) >= 0n, `${stage.stageKey}: ${share.wellId} negative`);
        }
        const seen = new Set<string>();
        for (const row of result.results) {
          const key = `${row.wellId}|${row.day}|${row.fluid}`;
          assert.ok(!seen.has(key), `${key} allocated twice`);
          seen.add(key);
          assert.ok(toUnits(row.allocatedM3) >= 0n);
          assert.equal(row.lineage.stages.at(-1)?.allocatedM3, row.allocatedM3, "the final stage of the lineage is the result");
        }
        for (const day of input.days) {
          for (const fluid of FLUIDS) {
            const sum = result.results.filter((row) => row.day === day && row.fluid === fluid).reduce((total, row) => total + toUnits(row.allocatedM3), 0n);
            const final = result.measured.find((row) => row.day === day && row.fluid === fluid && row.allocated);
            assert.equal(fromUnits(sum), final?.volumeM3 ?? fromUnits(0n), `${day} ${fluid}: results sum to the final measured volume`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
