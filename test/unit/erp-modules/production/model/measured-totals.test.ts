import assert from "node:assert/strict";
import {
  gaugeAt,
  latestReadings,
  measuredTotal,
  tankBalance,
  type DayEntries,
  type MeterReadingEntry,
  type TankGaugeEntry,
} from "../../../../../erp-modules/production/model/measured-totals.js";

const at = (iso: string) => new Date(iso);

function reading(id: string, meterId: string, fluid: MeterReadingEntry["fluid"], volumeM3: string, createdAt: string, productionDate = "2026-10-01"): MeterReadingEntry {
  return { id, meterId, productionDate, fluid, volumeM3, createdAt: at(createdAt) };
}

function gauge(id: string, tankId: string, gaugedAt: string, volumeM3: string, waterVolumeM3: string | null = null, createdAt = gaugedAt): TankGaugeEntry {
  return { id, tankId, gaugedAt: at(gaugedAt), createdAt: at(createdAt), volumeM3, waterVolumeM3 };
}

const TANKS = [
  { id: "tank-a", code: "TK-A" },
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

    it("water: the gauged free water, plus water shipped", () => {
      const balance = tankBalance("2026-10-01", "water", TANKS, gaugesByTank, tickets);
      assert.equal(balance.available && balance.balanceM3, "6.500000");
    });

    it("is unavailable when a tank lacks a gauge at either end, or a water cut", () => {
      const missingOpening = new Map([...gaugesByTank, ["tank-b", [gauge("b1", "tank-b", "2026-10-01T23:00:00Z", "20", "1")]]]);
      assert.deepEqual(tankBalance("2026-10-01", "oil", TANKS, missingOpening, tickets), {
        available: false,
        reason: "tank TK-B has no gauge at or before 2026-10-01T00:00:00.000Z",
      });
      const noWater = new Map([...gaugesByTank, ["tank-b", [gauge("b0", "tank-b", "2026-09-30T23:00:00Z", "50"), gauge("b1", "tank-b", "2026-10-01T23:00:00Z", "20", "1")]]]);
      assert.equal(tankBalance("2026-10-01", "water", TANKS, noWater, tickets).available, false);
      assert.equal(tankBalance("2026-10-01", "oil", TANKS, noWater, tickets).available, true, "oil needs no water cut");
      assert.deepEqual(tankBalance("2026-10-01", "oil", [], gaugesByTank, tickets), { available: false, reason: "the site has no tank" });
    });
  });

  describe("measuredTotal", () => {
    it("sums the meters' latest readings exactly (no floating point drift)", () => {
      const outcome = measuredTotal(
        "2026-10-01",
        "oil",
        entries({
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
      assert.deepEqual(outcome.warnings, ["no measured water on 2026-10-01: no meter reading, and no tank balance (tank TK-A has no gauge at or before 2026-10-01T00:00:00.000Z)"]);
    });
  });
});
