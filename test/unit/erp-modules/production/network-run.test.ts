import assert from "node:assert/strict";
import type { ConnectionRef } from "../../../../erp-modules/shared/asset-lookup.js";
import type { TankGaugeEntry } from "../../../../erp-modules/production/model/measured-totals.js";
import { planNetworkAllocation, type NetworkRunInput } from "../../../../erp-modules/production/network-run.js";

const DAY = "2026-06-01";
const NOW = new Date("2026-06-10T00:00:00Z");

function connection(from: string, to: string, stream: ConnectionRef["stream"]): ConnectionRef {
  return { fromAssetId: from, fromCode: from, toAssetId: to, toCode: to, stream };
}

function gauge(id: string, at: string, volumeM3: string): TankGaugeEntry {
  return { id, tankId: "TK", gaugedAt: new Date(at), createdAt: new Date(at), volumeM3, waterVolumeM3: null };
}

/** W1, W2 → SEP → TK → LACT (sales meter) → SALES. */
function input(gauges: TankGaugeEntry[]): NetworkRunInput {
  const test = (id: string, oil: string) => [{ id, startedAt: new Date("2026-05-01T00:00:00Z"), oilRateM3PerDay: oil, gasRateSm3PerDay: "0", waterRateM3PerDay: "0" }];
  return {
    days: [DAY],
    wells: [
      { id: "W1", code: "W1" },
      { id: "W2", code: "W2" },
    ],
    testsByWell: new Map([
      ["W1", test("t1", "30")],
      ["W2", test("t2", "10")],
    ]),
    downtimeByWell: new Map(),
    now: NOW,
    meterReadings: [{ id: "r-lact", meterId: "LACT", productionDate: DAY, fluid: "oil", volumeM3: "90", createdAt: new Date(`${DAY}T23:00:00Z`) }],
    tanks: [{ id: "TK", code: "TK" }],
    gaugesByTank: new Map([["TK", gauges]]),
    runTickets: [],
    connections: [
      connection("W1", "SEP", "production"),
      connection("W2", "SEP", "production"),
      connection("SEP", "TK", "oil"),
      connection("TK", "LACT", "oil"),
      connection("LACT", "SALES", "oil"),
    ],
    meterIds: ["LACT"],
    ticketTanks: new Map(),
  };
}

describe("planNetworkAllocation: sales meter at the tanks' outlet", () => {
  it("measures sales + the change in inventory at the meter; the tank is no stage of its own", () => {
    const plan = planNetworkAllocation(input([gauge("g-open", `${DAY}T00:00:00Z`, "1000"), gauge("g-close", "2026-06-02T00:00:00Z", "1010")]));
    // LACT 90 sold + TK 1010 − 1000 = 10 into stock = 100 produced; by theoretical 30 : 10 → 75, 25.
    const oil = plan.results.filter((row) => row.fluid === "oil").map((row) => [row.wellId, row.allocatedM3]);
    assert.deepEqual(oil, [
      ["W1", "75.000000"],
      ["W2", "25.000000"],
    ]);
    assert.deepEqual(
      plan.stages.filter((stage) => stage.fluid === "oil").map((stage) => [stage.stageKey, stage.measuredM3, stage.sources.meterReadingIds, stage.sources.tankGaugeIds]),
      [["oil:LACT", "100.000000", ["r-lact"], ["g-close", "g-open"]]],
    );
    assert.deepEqual(plan.totals.oil, { measuredM3: "100.000000", allocatedM3: "100.000000" });
    assert.equal(plan.results[0].uptimeHours, 24);
    assert.equal(plan.results[0].lineage.wellTestId, "t1");
  });

  it("a tank never gauged: the meter alone, with a warning", () => {
    const plan = planNetworkAllocation(input([]));
    // LACT 90 by 30 : 10 → 67.5, 22.5.
    assert.deepEqual(
      plan.results.filter((row) => row.fluid === "oil").map((row) => row.allocatedM3),
      ["67.500000", "22.500000"],
    );
    assert.ok(plan.warnings.some((warning) => warning.startsWith(`oil on ${DAY}: LACT measures without the stock change of TK`)), plan.warnings.join("; "));
  });

  it("a water tank measures water only: its gauges are no oil stage", () => {
    const base = input([gauge("g-open", `${DAY}T00:00:00Z`, "1000"), gauge("g-close", "2026-06-02T00:00:00Z", "1010")]);
    const waterGauges = [
      { ...gauge("gw-open", `${DAY}T00:00:00Z`, "500"), tankId: "TK-W", waterVolumeM3: "500" },
      { ...gauge("gw-close", "2026-06-02T00:00:00Z", "530"), tankId: "TK-W", waterVolumeM3: "530" },
    ];
    const plan = planNetworkAllocation({
      ...base,
      tanks: [...base.tanks, { id: "TK-W", code: "TK-W" }],
      gaugesByTank: new Map([...base.gaugesByTank, ["TK-W", waterGauges]]),
      connections: [...base.connections, connection("SEP", "TK-W", "water")],
    });
    // Oil as before: LACT 90 + TK 10 = 100. Water: TK-W 530 − 500 = 30, shared by theoretical water 0 : 0 → no basis.
    assert.deepEqual(plan.totals.oil, { measuredM3: "100.000000", allocatedM3: "100.000000" });
    assert.deepEqual(
      plan.stages.map((stage) => [stage.stageKey, stage.measuredM3, stage.allocated]),
      [
        ["oil:LACT", "100.000000", true],
        ["water:TK-W", "30.000000", false],
      ],
    );
  });
});
