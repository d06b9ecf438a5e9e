import assert from "node:assert/strict";
import {
  gaugeAt,
  latestReadings,
  measuredTotal,
  stockChange,
  tankBalance,
  type DayEntries,
  type MeterReadingEntry,
  type TankGaugeEntry,
} from "../../../../../erp-modules/production/model/measured-totals.js";
import { productionDayClock } from "../../../../../erp-modules/production/model/production-day.js";

const at = (iso: string) => new Date(iso);

function reading(id: string, meterId: string, fluid: MeterReadingEntry["fluid"], volumeM3: string, createdAt: string, productionDate = "2026-10-01"): MeterReadingEntry {
  return { id, meterId, productionDate, fluid, volumeM3, createdAt: at(createdAt) };
}

function gauge(id: string, tankId: string, gaugedAt: string, volumeM3: string, waterVolumeM3: string | null = null, createdAt = gaugedAt): TankGaugeEntry {
  return { id, tankId, gaugedAt: at(gaugedAt), createdAt: at(createdAt), volumeM3, waterVolumeM3 };
}

/** Two oil tanks (tank-b without a fluid in the register: an oil tank). */
const TANKS = [
  { id: "tank-a", code: "TK-A", fluid: "oil" as const },
  { id: "tank-b", code: "TK-B" },
];

function entries(partial: Partial<DayEntries>): DayEntries {
  return { meterReadings: [], tanks: TANKS, gaugesByTank: new Map(), runTickets: [], ...partial };
}

describe("measured totals", () => {
  describe("latestReadings", () => {
    it("keeps each meter's latest reading per day and fluid: greatest createdAt, then id", () => {
      const latest = latestReadings([
        reading("r1", "m1", "oil", "10", "2026-10-02T01:00:00Z"),
        reading("r2", "m1", "oil", "12", "2026-10-02T03:00:00Z"),
        reading("r3", "m1", "oil", "11", "2026-10-02T02:00:00Z"),
        reading("r4", "m2", "oil", "5", "2026-10-02T01:00:00Z"),
        reading("r6", "m2", "oil", "7", "2026-10-02T04:00:00Z"),
        reading("r5", "m2", "oil", "6", "2026-10-02T04:00:00Z"),
        reading("r7", "m1", "gas", "900", "2026-10-02T01:00:00Z"),
      ]);
      assert.deepEqual(latest.map((entry) => entry.id).sort(), ["r2", "r6", "r7"]);
    });
  });

  describe("gaugeAt", () => {
    const gauges = [
      gauge("g1", "tank-a", "2026-10-01T06:00:00Z", "100"),
      gauge("g2", "tank-a", "2026-10-02T00:00:00Z", "110"),
      gauge("g3", "tank-a", "2026-10-02T00:00:00Z", "111", null, "2026-10-02T01:00:00Z"),
    ];
    it("takes the latest gauge at or before the instant (a re-gauge at the same time wins)", () => {
      assert.equal(gaugeAt(gauges, Date.parse("2026-10-02T00:00:00Z"))?.id, "g3");
      assert.equal(gaugeAt(gauges, Date.parse("2026-10-01T23:59:59Z"))?.id, "g1");
      assert.equal(gaugeAt(gauges, Date.parse("2026-10-01T05:00:00Z")), null);
    });
  });

  describe("tankBalance", () => {
    const gaugesByTank = new Map([
      [
        "tank-a",
        [gauge("a0", "tank-a", "2026-09-30T22:00:00Z", "100", "10"), gauge("a1", "tank-a", "2026-10-01T20:00:00Z", "150", "12.5")],
      ],
      ["tank-b", [gauge("b0", "tank-b", "2026-09-30T23:00:00Z", "50", "0"), gauge("b1", "tank-b", "2026-10-01T23:00:00Z", "20", "1")]],
    ]);
    const tickets = [
      { id: "t1", shippedAt: at("2026-10-01T12:00:00Z"), fluid: "oil" as const, volumeM3: "40.25" },
      { id: "t2", shippedAt: at("2026-10-02T00:00:00Z"), fluid: "oil" as const, volumeM3: "99" },
      { id: "t3", shippedAt: at("2026-10-01T13:00:00Z"), fluid: "water" as const, volumeM3: "3" },
    ];

    it("oil: closing − opening + shipped over every tank, oil = volume − free water", () => {
      // A: (150 − 12.5) − (100 − 10) = 47.5; B: (20 − 1) − 50 = −31; shipped 40.25 (t2 is the next day).
      assert.deepEqual(tankBalance("2026-10-01", "oil", TANKS, gaugesByTank, tickets), {
        available: true,
        balanceM3: "56.750000",
        tankGaugeIds: ["a0", "a1", "b0", "b1"],
        runTicketIds: ["t1"],
      });
    });

    it("water: an oil tank's free water is not produced water; without a water tank there is no water balance", () => {
      assert.deepEqual(tankBalance("2026-10-01", "water", TANKS, gaugesByTank, tickets), { available: false, reason: "the site has no water tank" });
    });

    it("is unavailable when a tank lacks a gauge at either end", () => {
      const missingOpening = new Map([...gaugesByTank, ["tank-b", [gauge("b1", "tank-b", "2026-10-01T23:00:00Z", "20", "1")]]]);
      assert.deepEqual(tankBalance("2026-10-01", "oil", TANKS, missingOpening, tickets), {
        available: false,
        reason: "tank TK-B has no gauge at or before 2026-10-01T00:00:00.000Z",
      });
      const noWater = new Map([...gaugesByTank, ["tank-b", [gauge("b0", "tank-b", "2026-09-30T23:00:00Z", "50"), gauge("b1", "tank-b", "2026-10-01T23:00:00Z", "20", "1")]]]);
      assert.equal(tankBalance("2026-10-01", "oil", TANKS, noWater, tickets).available, true, "oil needs no water cut");
      assert.deepEqual(tankBalance("2026-10-01", "oil", [], gaugesByTank, tickets), { available: false, reason: "the site has no oil tank" });
    });
  });

  describe("measuredTotal", () => {
    it("sums the meters' latest readings exactly (no floating point drift)", () => {
      const outcome = measuredTotal(
        "2026-10-01",
        "oil",
        entries({
          tanks: [],
          meterReadings: [
            reading("r1", "m1", "oil", "0.1", "2026-10-02T01:00:00Z"),
            reading("r2", "m2", "oil", "0.2", "2026-10-02T01:00:00Z"),
            reading("r3", "m2", "oil", "9", "2026-10-02T00:00:00Z"),
            reading("r4", "m3", "oil", "100", "2026-10-02T01:00:00Z", "2026-10-02"),
          ],
        }),
      );
      assert.deepEqual(outcome.warnings, []);
      assert.equal(outcome.total?.source, "meters");
      assert.equal(outcome.total?.volumeM3, "0.300000");
      assert.deepEqual(outcome.total?.meterReadingIds, ["r1", "r2"]);
    });

    it("takes the meters alone, with a warning, when the tank stock change is unknown", () => {
      const outcome = measuredTotal("2026-10-01", "oil", entries({ meterReadings: [reading("r1", "m1", "oil", "5", "2026-10-02T01:00:00Z")] }));
      assert.equal(outcome.total?.source, "meters");
      assert.equal(outcome.total?.volumeM3, "5.000000");
      assert.deepEqual(outcome.warnings, [
        "oil on 2026-10-01: the meters alone, without the change in tank stock (tank TK-A has no gauge at or before 2026-10-01T00:00:00.000Z)",
      ]);
    });

    it("prefers meters over the tank balance; falls back to it for oil and water only", () => {
      const gaugesByTank = new Map([
        ["tank-a", [gauge("a0", "tank-a", "2026-10-01T00:00:00Z", "10", "1"), gauge("a1", "tank-a", "2026-10-02T00:00:00Z", "30", "4")]],
        ["tank-b", [gauge("b0", "tank-b", "2026-10-01T00:00:00Z", "0", "0"), gauge("b1", "tank-b", "2026-10-02T00:00:00Z", "0", "0")]],
      ]);
      const day = entries({ gaugesByTank, meterReadings: [reading("r1", "m1", "water", "2", "2026-10-02T01:00:00Z")] });
      assert.deepEqual(
        { source: measuredTotal("2026-10-01", "oil", day).total?.source, volume: measuredTotal("2026-10-01", "oil", day).total?.volumeM3 },
        { source: "tank_balance", volume: "17.000000" },
      );
      assert.equal(measuredTotal("2026-10-01", "water", day).total?.source, "meters");
      const gas = measuredTotal("2026-10-01", "gas", day);
      assert.equal(gas.total, null);
      assert.deepEqual(gas.warnings, ["no measured gas on 2026-10-01: no meter reading"]);
    });

    it("allocates 0 for a negative tank balance, keeps the balance and warns", () => {
      const gaugesByTank = new Map([
        ["tank-a", [gauge("a0", "tank-a", "2026-10-01T00:00:00Z", "50"), gauge("a1", "tank-a", "2026-10-02T00:00:00Z", "30")]],
        ["tank-b", [gauge("b0", "tank-b", "2026-10-01T00:00:00Z", "0"), gauge("b1", "tank-b", "2026-10-02T00:00:00Z", "0")]],
      ]);
      const outcome = measuredTotal("2026-10-01", "oil", entries({ gaugesByTank }));
      assert.equal(outcome.total?.volumeM3, "0.000000");
      assert.equal(outcome.total?.balanceM3, "-20.000000");
      assert.match(outcome.warnings[0] ?? "", /^oil tank balance on 2026-10-01 is -20\.000000 m3/);
    });

    it("gives no total and says why when nothing was measured", () => {
      const outcome = measuredTotal("2026-10-01", "water", entries({}));
      assert.equal(outcome.total, null);
      assert.deepEqual(outcome.warnings, ["no measured water on 2026-10-01: no meter reading, and no tank balance (the site has no water tank)"]);
      const oil = measuredTotal("2026-10-01", "oil", entries({}));
      assert.deepEqual(oil.warnings, ["no measured oil on 2026-10-01: no meter reading, and no tank balance (tank TK-A has no gauge at or before 2026-10-01T00:00:00.000Z)"]);
    });
  });

  describe("tank balance by fluid", () => {
    const tanks = [
      { id: "tk-o", code: "TK-O", fluid: "oil" as const },
      { id: "tk-w", code: "TK-W", fluid: "water" as const },
    ];
    const gaugesByTank = new Map([
      ["tk-o", [gauge("o0", "tk-o", "2026-10-01T00:00:00Z", "200", "10"), gauge("o1", "tk-o", "2026-10-02T00:00:00Z", "230", "10")]],
      // The produced-water tank: no water cut gauged (it is all water), 100 → 140 m3.
      ["tk-w", [gauge("w0", "tk-w", "2026-10-01T00:00:00Z", "100"), gauge("w1", "tk-w", "2026-10-02T00:00:00Z", "140")]],
    ]);

    it("a water tank rising 40 m3 is 40 m3 of water, not oil", () => {
      const day = entries({ tanks, gaugesByTank });
      // oil = TK-O only: (230 − 10) − (200 − 10) = 30; the water tank's 40 m3 is not oil.
      assert.equal(measuredTotal("2026-10-01", "oil", day).total?.volumeM3, "30.000000");
      // water = TK-W's whole volume: 140 − 100 = 40; TK-O's 10 m3 of free water is not counted.
      const water = measuredTotal("2026-10-01", "water", day).total;
      assert.deepEqual([water?.source, water?.volumeM3, water?.tankGaugeIds], ["tank_balance", "40.000000", ["w0", "w1"]]);
    });

    it("run tickets count for their fluid", () => {
      const runTickets = [
        { id: "tw", shippedAt: at("2026-10-01T09:00:00Z"), fluid: "water" as const, volumeM3: "15" },
        { id: "to", shippedAt: at("2026-10-01T10:00:00Z"), fluid: "oil" as const, volumeM3: "7" },
      ];
      const day = entries({ tanks, gaugesByTank, runTickets });
      // water = 40 + 15 shipped to disposal = 55; oil = 30 + 7 = 37
      assert.equal(measuredTotal("2026-10-01", "water", day).total?.volumeM3, "55.000000");
      assert.deepEqual(measuredTotal("2026-10-01", "oil", day).total?.runTicketIds, ["to"]);
      assert.equal(measuredTotal("2026-10-01", "oil", day).total?.volumeM3, "37.000000");
    });
  });

  describe("sales plus the change in inventory", () => {
    const tanks = [{ id: "tk-o", code: "TK-O", fluid: "oil" as const }];
    const gaugesByTank = new Map([
      ["tk-o", [gauge("o0", "tk-o", "2026-10-01T00:00:00Z", "300", "20"), gauge("o1", "tk-o", "2026-10-02T00:00:00Z", "330", "25")]],
    ]);
    const runTickets = [{ id: "rt", shippedAt: at("2026-10-01T15:00:00Z"), fluid: "oil" as const, volumeM3: "118" }];

    it("measured oil = LACT meter + closing − opening stock, with the reconciliation's parts", () => {
      const outcome = measuredTotal("2026-10-01", "oil", entries({ tanks, gaugesByTank, runTickets, meterReadings: [reading("lact", "m-lact", "oil", "120", "2026-10-02T01:00:00Z")] }));
      // stock change = (330 − 25) − (300 − 20) = 305 − 280 = 25; measured = 120 + 25 = 145.
      // tank balance = 25 + 118 shipped = 143; difference = 145 − 143 = 2 (the meter read 2 m3 more than the tickets).
      assert.deepEqual(outcome.warnings, []);
      assert.deepEqual(outcome.total, {
        date: "2026-10-01",
        fluid: "oil",
        source: "meters_and_stock",
        volumeM3: "145.000000",
        balanceM3: "145.000000",
        meterM3: "120.000000",
        stockChangeM3: "25.000000",
        shippedM3: "118.000000",
        meterReadingIds: ["lact"],
        tankGaugeIds: ["o0", "o1"],
        runTicketIds: ["rt"],
      });
    });

    it("a stock draw larger than the sales allocates 0 and warns", () => {
      const drained = new Map([["tk-o", [gauge("o0", "tk-o", "2026-10-01T00:00:00Z", "300"), gauge("o1", "tk-o", "2026-10-02T00:00:00Z", "100")]]]);
      const outcome = measuredTotal("2026-10-01", "oil", entries({ tanks, gaugesByTank: drained, meterReadings: [reading("lact", "m-lact", "oil", "150", "2026-10-02T01:00:00Z")] }));
      // 150 + (100 − 300) = −50
      assert.deepEqual([outcome.total?.volumeM3, outcome.total?.balanceM3], ["0.000000", "-50.000000"]);
      assert.match(outcome.warnings[0] ?? "", /meters \+ stock change is -50\.000000 m3: 0 allocated/);
    });
  });

  describe("at a 06:00 production day across a daylight-saving change", () => {
    it("opens and closes the tanks at 06:00 local, and counts the tickets shipped in between", () => {
      const clock = productionDayClock({ timeZone: "America/New_York", startHour: 6 });
      // Day 2026-03-07 runs 06:00 EST = 11:00Z to 06:00 EDT on 03-08 = 10:00Z (23 h).
      const gaugesByTank = new Map([
        [
          "tank-a",
          [
            gauge("a0", "tank-a", "2026-03-07T11:00:00Z", "100"),
            gauge("a1", "tank-a", "2026-03-08T10:00:00Z", "150"),
            // 06:00 EST on 03-08 would have been the closing without the clock change; it belongs to the next day.
            gauge("a2", "tank-a", "2026-03-08T11:00:00Z", "160"),
          ],
        ],
      ]);
      const runTickets = [
        { id: "in", shippedAt: at("2026-03-08T09:30:00Z"), fluid: "oil" as const, volumeM3: "8" },
        { id: "out", shippedAt: at("2026-03-08T10:00:00Z"), fluid: "oil" as const, volumeM3: "9" },
      ];
      const day = entries({ tanks: [{ id: "tank-a", code: "TK-A" }], gaugesByTank, runTickets });
      // oil = 150 − 100 + 8 = 58 (ticket "out" ships at the next day's first instant)
      const total = measuredTotal("2026-03-07", "oil", day, clock).total;
      assert.deepEqual([total?.volumeM3, total?.tankGaugeIds, total?.runTicketIds], ["58.000000", ["a0", "a1"], ["in"]]);
      // The next day opens with a1 (10:00Z) and closes with a2, the latest at or before 2026-03-09 10:00Z: 160 − 150 = 10.
      assert.deepEqual(stockChange("2026-03-08", "oil", day.tanks, gaugesByTank, clock), { available: true, changeM3: "10.000000", tankGaugeIds: ["a1", "a2"] });
    });
  });
});
