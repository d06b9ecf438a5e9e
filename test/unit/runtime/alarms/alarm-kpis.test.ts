import assert from "node:assert/strict";
import { computeAlarmKpis, maxInWindow, type Activation } from "../../../../runtime/alarms/alarm-kpis.js";
import type { AlarmPriority } from "../../../../runtime/alarms/schema.js";

const FROM = Date.parse("2026-03-01T08:00:00Z");
const TO = Date.parse("2026-03-01T09:00:00Z");
const at = (hhmmss: string) => Date.parse(`2026-03-01T${hhmmss}Z`);

function activation(alarmId: string, time: number, area: string, priority: AlarmPriority): Activation {
  return { alarmId, tagPath: `SITE1/${alarmId}/PV`, message: `${alarmId} high`, area, priority, at: time };
}

function series(prefix: string, count: number, start: number, area: string, priority: AlarmPriority): Activation[] {
  return Array.from({ length: count }, (_, index) => activation(`${prefix}${String(index + 1).padStart(2, "0")}`, start + index * 10_000, area, priority));
}

describe("alarm KPIs (EEMUA 191)", () => {
  // Hand-checked: 6 ten-minute periods; 12 in 08:20-08:30 and 11 in 08:30-08:40 are one flood,
  // 11 in 08:50-09:00 a second one: 2 floods, 30 minutes, 50 %.
  const activations: Activation[] = [
    activation("A", at("08:00:10"), "north", "high"),
    activation("A", at("08:00:20"), "north", "high"),
    activation("A", at("08:00:40"), "north", "high"),
    ...series("F", 12, at("08:21:00"), "south", "low"),
    ...series("G", 11, at("08:31:00"), "south", "medium"),
    ...series("H", 11, at("08:51:00"), "east", "critical"),
    activation("OUT", at("07:59:59"), "north", "low"),
    activation("OUT", TO, "north", "low"),
  ];
  const standing = [
    { alarmId: "X", tagPath: null, message: "x", activeSince: Date.parse("2026-02-28T08:59:00Z") },
    { alarmId: "Y", tagPath: null, message: "y", activeSince: Date.parse("2026-02-28T09:00:00Z") },
    { alarmId: "Z", tagPath: null, message: "z", activeSince: null },
  ];
  const kpis = computeAlarmKpis(activations, standing, FROM, TO);

  it("counts activations in [from, to) and splits them by priority", () => {
    assert.equal(kpis.total, 37);
    assert.deepEqual(kpis.prioritySplit, { critical: 11, high: 3, medium: 11, low: 12 });
  });

  it("alarms per 10 minutes per area: average over the range and the peak period", () => {
    assert.deepEqual(kpis.perArea, [
      { area: "south", activations: 23, averagePer10Min: 3.83, peakPer10Min: 12 },
      { area: "east", activations: 11, averagePer10Min: 1.83, peakPer10Min: 11 },
      { area: "north", activations: 3, averagePer10Min: 0.5, peakPer10Min: 3 },
    ]);
  });

  it("floods: more than 10 in a 10-minute period; consecutive periods are one flood", () => {
    assert.deepEqual(kpis.floods, { count: 2, timeInFloodSeconds: 1800, percentOfTimeInFlood: 50, peakPer10Min: 12 });
    const exactlyTen = computeAlarmKpis(series("T", 10, at("08:01:00"), "a", "low"), [], FROM, TO);
    assert.equal(exactlyTen.floods.count, 0, "10 is not more than 10");
  });

  it("chattering: 3 or more activations of one alarm within a minute", () => {
    assert.deepEqual(kpis.chattering, [{ alarmId: "A", tagPath: "SITE1/A/PV", message: "A high", activationsInOneMinute: 3 }]);
    assert.equal(maxInWindow([0, 30_000, 60_000], 60_000), 2, "the window is one minute, not one minute and an instant");
    assert.equal(maxInWindow([0, 30_000, 59_999], 60_000), 3);
  });

  it("standing: active for more than 24 hours at the end of the range", () => {
    assert.deepEqual(kpis.standing, [{ alarmId: "X", tagPath: null, message: "x", activeSince: "2026-02-28T08:59:00.000Z" }]);
  });

  it("top 10 bad actors with their share of all activations", () => {
    assert.equal(kpis.badActors.length, 10);
    assert.deepEqual(kpis.badActors[0], { alarmId: "A", tagPath: "SITE1/A/PV", message: "A high", activations: 3, percentOfTotal: 8.1 });
    assert.deepEqual(kpis.badActors[1], { alarmId: "F01", tagPath: "SITE1/F01/PV", message: "F01 high", activations: 1, percentOfTotal: 2.7 });
  });

  it("an empty range reports zeros", () => {
    const empty = computeAlarmKpis([], [], FROM, FROM + 5 * 60_000);
    assert.equal(empty.total, 0);
    assert.deepEqual(empty.floods, { count: 0, timeInFloodSeconds: 0, percentOfTimeInFlood: 0, peakPer10Min: 0 });
    assert.deepEqual(empty.perArea, []);
  });
});
