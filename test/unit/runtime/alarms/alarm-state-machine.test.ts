import assert from "node:assert/strict";
import { applyAlarmEvent, modeOf, normalStatus, type AlarmEvent, type AlarmEventType, type AlarmStatus } from "../../../../runtime/alarms/alarm-state-machine.js";

const T0 = Date.parse("2026-03-01T08:00:00Z");
const AT = T0 + 60_000;

function status(patch: Partial<AlarmStatus>): AlarmStatus {
  return { ...normalStatus(T0), ...patch };
}

const shelve = { until: T0 + 3600_000, by: "op", reason: "maintenance" };
const STARTS: Record<string, AlarmStatus> = {
  normal: status({}),
  active_unack: status({ state: "active_unack", conditionActive: true, activeSince: T0 }),
  active_ack: status({ state: "active_ack", conditionActive: true, activeSince: T0, ack: { at: T0, by: "op", comment: "seen" } }),
  rtn_unack: status({ state: "rtn_unack" }),
  "shelved(condition inactive)": status({ shelve }),
  "shelved(condition active)": status({ shelve, conditionActive: true }),
  "suppressed(condition active)": status({ suppressed: { reason: "well WELL-101 is shut in" }, conditionActive: true }),
  "out_of_service(condition active)": status({ outOfService: { by: "eng", reason: "transmitter replaced" }, conditionActive: true }),
};

const EVENTS: Record<string, AlarmEvent> = {
  "condition active": { type: "condition", active: true, at: AT },
  "condition inactive": { type: "condition", active: false, at: AT },
  acknowledge: { type: "acknowledge", at: AT, user: "op", comment: "on it" },
  shelve: { type: "shelve", at: AT, user: "op", reason: "chattering", until: AT + 600_000 },
  unshelve: { type: "unshelve", at: AT, user: "op" },
  shelve_expired: { type: "shelve_expired", at: AT },
  suppress: { type: "suppress", at: AT, reason: "well shut in" },
  unsuppress: { type: "unsuppress", at: AT },
  out_of_service: { type: "out_of_service", at: AT, user: "eng", reason: "calibration" },
  in_service: { type: "in_service", at: AT, user: "eng", reason: "done" },
};

/** Expected: "refused:<reason>" or "<state> <mode> <transition:from>to,...>" ("-" for none). */
const TABLE: Record<string, Record<string, string>> = {
  normal: {
    "condition active": "active_unack enabled activate:normal>active_unack",
    "condition inactive": "normal enabled -",
    acknowledge: "refused:alarm_not_unacknowledged",
    shelve: "normal shelved shelve:normal>normal",
    unshelve: "refused:alarm_not_shelved",
    shelve_expired: "normal enabled -",
    suppress: "normal suppressed suppress:normal>normal",
    unsuppress: "normal enabled -",
    out_of_service: "normal out_of_service out_of_service:normal>normal",
    in_service: "refused:alarm_not_out_of_service",
  },
  active_unack: {
    "condition active": "active_unack enabled -",
    "condition inactive": "rtn_unack enabled return:active_unack>rtn_unack",
    acknowledge: "active_ack enabled acknowledge:active_unack>active_ack",
    shelve: "normal shelved shelve:active_unack>normal",
    unshelve: "refused:alarm_not_shelved",
    shelve_expired: "active_unack enabled -",
    suppress: "normal suppressed suppress:active_unack>normal",
    unsuppress: "active_unack enabled -",
    out_of_service: "normal out_of_service out_of_service:active_unack>normal",
    in_service: "refused:alarm_not_out_of_service",
  },
  active_ack: {
    "condition active": "active_ack enabled -",
    "condition inactive": "normal enabled return:active_ack>normal",
    acknowledge: "refused:alarm_not_unacknowledged",
    shelve: "normal shelved shelve:active_ack>normal",
    unshelve: "refused:alarm_not_shelved",
    shelve_expired: "active_ack enabled -",
    suppress: "normal suppressed suppress:active_ack>normal",
    unsuppress: "active_ack enabled -",
    out_of_service: "normal out_of_service out_of_service:active_ack>normal",
    in_service: "refused:alarm_not_out_of_service",
  },
  rtn_unack: {
    "condition active": "active_unack enabled activate:rtn_unack>active_unack",
    "condition inactive": "rtn_unack enabled -",
    acknowledge: "normal enabled acknowledge:rtn_unack>normal",
    shelve: "normal shelved shelve:rtn_unack>normal",
    unshelve: "refused:alarm_not_shelved",
    shelve_expired: "rtn_unack enabled -",
    suppress: "normal suppressed suppress:rtn_unack>normal",
    unsuppress: "rtn_unack enabled -",
    out_of_service: "normal out_of_service out_of_service:rtn_unack>normal",
    in_service: "refused:alarm_not_out_of_service",
  },
  "shelved(condition inactive)": {
    "condition active": "normal shelved -",
    "condition inactive": "normal shelved -",
    acknowledge: "refused:alarm_not_unacknowledged",
    shelve: "normal shelved shelve:normal>normal",
    unshelve: "normal enabled unshelve:normal>normal",
    shelve_expired: "normal enabled shelve_expired:normal>normal",
    suppress: "normal shelved suppress:normal>normal",
    unsuppress: "normal shelved -",
    out_of_service: "normal out_of_service out_of_service:normal>normal",
    in_service: "refused:alarm_not_out_of_service",
  },
  "shelved(condition active)": {
    "condition active": "normal shelved -",
    "condition inactive": "normal shelved -",
    acknowledge: "refused:alarm_not_unacknowledged",
    shelve: "normal shelved shelve:normal>normal",
    unshelve: "active_unack enabled unshelve:normal>normal,activate:normal>active_unack",
    shelve_expired: "active_unack enabled shelve_expired:normal>normal,activate:normal>active_unack",
    suppress: "normal shelved suppress:normal>normal",
    unsuppress: "normal shelved -",
    out_of_service: "normal out_of_service out_of_service:normal>normal",
    in_service: "refused:alarm_not_out_of_service",
  },
  "suppressed(condition active)": {
    "condition active": "normal suppressed -",
    "condition inactive": "normal suppressed -",
    acknowledge: "refused:alarm_not_unacknowledged",
    shelve: "normal shelved shelve:normal>normal",
    unshelve: "refused:alarm_not_shelved",
    shelve_expired: "normal suppressed -",
    suppress: "normal suppressed -",
    unsuppress: "active_unack enabled unsuppress:normal>normal,activate:normal>active_unack",
    out_of_service: "normal out_of_service out_of_service:normal>normal",
    in_service: "refused:alarm_not_out_of_service",
  },
  "out_of_service(condition active)": {
    "condition active": "normal out_of_service -",
    "condition inactive": "normal out_of_service -",
    acknowledge: "refused:alarm_not_unacknowledged",
    shelve: "refused:alarm_out_of_service",
    unshelve: "refused:alarm_not_shelved",
    shelve_expired: "normal out_of_service -",
    suppress: "normal out_of_service suppress:normal>normal",
    unsuppress: "normal out_of_service -",
    out_of_service: "refused:alarm_out_of_service",
    in_service: "active_unack enabled in_service:normal>normal,activate:normal>active_unack",
  },
};

function outcome(start: AlarmStatus, event: AlarmEvent): string {
  const result = applyAlarmEvent(start, event);
  if ("refused" in result) return `refused:${result.refused}`;
  const transitions = result.transitions.map((t) => `${t.transition}:${t.fromState}>${t.toState}`).join(",") || "-";
  return `${result.status.state} ${modeOf(result.status)} ${transitions}`;
}

describe("alarm state machine (ISA-18.2)", () => {
  it("the table covers every state and overlay with every event", () => {
    const eventTypes = new Set<AlarmEventType>(Object.values(EVENTS).map((event) => event.type));
    assert.deepEqual([...eventTypes].sort(), ["acknowledge", "condition", "in_service", "out_of_service", "shelve", "shelve_expired", "suppress", "unshelve", "unsuppress"]);
    for (const start of Object.keys(STARTS)) assert.deepEqual(Object.keys(TABLE[start]).sort(), Object.keys(EVENTS).sort(), start);
  });

  for (const [startName, start] of Object.entries(STARTS)) {
    for (const [eventName, event] of Object.entries(EVENTS)) {
      it(`${startName} + ${eventName} → ${TABLE[startName][eventName]}`, () => {
        assert.equal(outcome(start, event), TABLE[startName][eventName]);
      });
    }
  }

  it("tracks the condition under an overlay and journals who and why", () => {
    const shelved = applyAlarmEvent(STARTS["shelved(condition inactive)"], EVENTS["condition active"]);
    assert.ok(!("refused" in shelved));
    assert.equal(shelved.status.conditionActive, true);
    const acked = applyAlarmEvent(STARTS.active_unack, EVENTS.acknowledge);
    assert.ok(!("refused" in acked));
    assert.deepEqual(acked.status.ack, { at: AT, by: "op", comment: "on it" });
    assert.deepEqual(
      { user: acked.transitions[0].user, comment: acked.transitions[0].comment },
      { user: "op", comment: "on it" },
    );
    const oos = applyAlarmEvent(STARTS["shelved(condition active)"], EVENTS.out_of_service);
    assert.ok(!("refused" in oos));
    assert.equal(oos.status.shelve, null, "out of service ends the shelving");
    assert.equal(oos.transitions[0].comment, "calibration");
    const returned = applyAlarmEvent(STARTS.active_ack, EVENTS["condition inactive"]);
    assert.ok(!("refused" in returned));
    assert.equal(returned.status.activeSince, null);
    const raised = applyAlarmEvent(STARTS.normal, EVENTS["condition active"]);
    assert.ok(!("refused" in raised));
    assert.equal(raised.status.activeSince, AT);
    assert.equal(raised.transitions[0].user, null);
  });
});
