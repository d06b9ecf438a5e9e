import assert from "node:assert/strict";
import type { AlarmKpis } from "../../../../runtime/alarms/schema.js";
import { alarmKpisAcrossSites, siteAlarmKpis, type AlarmDay } from "../../../../erp-modules/corporate/model/alarm-consolidation.js";

function kpis(total: number, actors: [string, number][], extra: Partial<AlarmKpis> = {}): AlarmKpis {
  return {
    from: "2026-10-01T00:00:00.000Z",
    to: "2026-10-02T00:00:00.000Z",
    total,
    perArea: [],
    floods: { count: 0, timeInFloodSeconds: 0, percentOfTimeInFlood: 0, peakPer10Min: 0 },
    chattering: [],
    standing: [],
    badActors: actors.map(([alarmId, activations]) => ({ alarmId, tagPath: `SITE/${alarmId}`, message: alarmId, activations, percentOfTotal: 0 })),
    prioritySplit: { critical: 0, high: 0, medium: 0, low: 0 },
    ...extra,
  };
}

const standingX = { alarmId: "X", tagPath: "SITE/X", message: "X", activeSince: "2026-09-28T00:00:00.000Z" };
const DAYS: AlarmDay[] = [
  { siteId: "A", day: "2026-10-01", kpis: kpis(48, [["X", 20], ["Y", 10]], { chattering: [{ alarmId: "X", tagPath: "SITE/X", message: "X", activationsInOneMinute: 4 }], floods: { count: 2, timeInFloodSeconds: 1200, percentOfTimeInFlood: 1.39, peakPer10Min: 14 } }) },
  { siteId: "A", day: "2026-10-02", kpis: kpis(24, [["X", 5], ["Z", 12]], { chattering: [{ alarmId: "X", tagPath: "SITE/X", message: "X", activationsInOneMinute: 3 }], standing: [standingX] }) },
  { siteId: "B", day: "2026-10-01", kpis: kpis(240, [["P", 200]]) },
];

describe("corporate alarm KPIs across sites (hand-computed)", () => {
  it("rates a site per day and per operator-hour over the days it reported", () => {
    const a = siteAlarmKpis("A", DAYS);
    // 48 + 24 = 72 activations over 2 days: 36 a day, 72 / 48 h = 1.5 an hour.
    assert.deepEqual([a.daysReported, a.activations, a.perDay, a.perOperatorHour, a.floods], [2, 72, 36, 1.5, 2]);
    // X 20 + 5 = 25 (34.7 % of 72), Z 12 (16.7 %), Y 10 (13.9 %).
    assert.deepEqual(
      a.badActors.map((actor) => [actor.alarmId, actor.activations, actor.percentOfTotal]),
      [
        ["X", 25, 34.7],
        ["Z", 12, 16.7],
        ["Y", 10, 13.9],
      ],
    );
    assert.deepEqual(a.chattering, [{ alarmId: "X", tagPath: "SITE/X", message: "X", activationsInOneMinute: 4, days: 2 }]);
    assert.deepEqual(a.standing, [standingX], "standing alarms as of the newest day");
  });

  it("ranks bad actors across sites against every site's activations", () => {
    const across = alarmKpisAcrossSites(["A", "B", "C"], DAYS);
    // 72 + 240 = 312: P 200 is 64.1 %, X 25 is 8.0 %.
    assert.deepEqual(across.badActors.slice(0, 2).map((actor) => [actor.siteId, actor.alarmId, actor.percentOfTotal]), [["B", "P", 64.1], ["A", "X", 8]]);
    const c = across.sites[2];
    assert.deepEqual([c.siteId, c.daysReported, c.activations, c.perDay, c.perOperatorHour], ["C", 0, 0, 0, 0], "a site that sent nothing rates zero, not NaN");
  });
});
