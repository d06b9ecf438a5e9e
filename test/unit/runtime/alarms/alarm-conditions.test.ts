import assert from "node:assert/strict";
import {
  evaluateCondition,
  initialConditionState,
  matchesAlarmState,
  ratePerMinute,
  tickCondition,
  type ConditionDefinition,
  type ConditionState,
} from "../../../../runtime/alarms/alarm-conditions.js";
import type { TagQuality, TagScalar } from "../../../../runtime/tags/tag-types.js";

const T0 = Date.parse("2026-03-01T08:00:00Z");

function definition(patch: Partial<ConditionDefinition>): ConditionDefinition {
  return { kind: "hi", limit: 100, alarmState: null, deadband: 0, onDelaySeconds: 0, offDelaySeconds: 0, ...patch };
}

/** Feeds values at fake times (seconds after T0) and returns the condition after each. */
function run(def: ConditionDefinition, steps: readonly [seconds: number, value: TagScalar, quality?: TagQuality, setpoint?: number | null][]): boolean[] {
  let state: ConditionState = initialConditionState();
  return steps.map(([seconds, value, quality = "good", setpoint]) => {
    const at = T0 + seconds * 1000;
    state = evaluateCondition(def, state, { value, quality, t: at, setpoint }, at).state;
    return state.active;
  });
}

describe("alarm conditions", () => {
  it("hi: raises above the limit and clears only at or below limit - deadband", () => {
    assert.deepEqual(run(definition({ kind: "hi", limit: 100, deadband: 5 }), [[0, 99], [1, 100], [2, 100.1], [3, 97], [4, 95.1], [5, 95], [6, 100]]), [
      false,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("hihi is the same test against its own limit", () => {
    assert.deepEqual(run(definition({ kind: "hihi", limit: 150, deadband: 0 }), [[0, 151], [1, 150]]), [true, false]);
  });

  it("lo and lolo: raise below the limit, clear at or above limit + deadband", () => {
    assert.deepEqual(run(definition({ kind: "lo", limit: 10, deadband: 2 }), [[0, 10], [1, 9.9], [2, 11.9], [3, 12]]), [false, true, true, false]);
    assert.deepEqual(run(definition({ kind: "lolo", limit: 0, deadband: 0 }), [[0, -1], [1, 0]]), [true, false]);
  });

  it("discrete: the value equals the alarm state (JSON; booleans and 1/0 alike)", () => {
    assert.deepEqual(run(definition({ kind: "discrete", limit: null, alarmState: '"TRIP"' }), [[0, "RUN"], [1, "TRIP"], [2, "RUN"]]), [false, true, false]);
    assert.equal(matchesAlarmState("true", 1), true);
    assert.equal(matchesAlarmState("0", false), true);
    assert.equal(matchesAlarmState("1", true), true);
    assert.equal(matchesAlarmState("2", true), false);
    assert.equal(matchesAlarmState("TRIP", "TRIP"), true, "plain text works too");
  });

  it("deviation: |pv - sp| above the limit; no setpoint holds", () => {
    const def = definition({ kind: "deviation", limit: 10, deadband: 2 });
    assert.deepEqual(run(def, [[0, 105, "good", 100], [1, 111, "good", 100], [2, 91, "good", 100], [3, 108.5, "good", 100], [4, 108, "good", 100], [5, 200, "good", null]]), [
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("rate of change: units per minute over the window, decaying when the value stops changing", () => {
    const def = definition({ kind: "roc", limit: 10 });
    // 0 → 6 in 30 s = 12 units per minute.
    let state = initialConditionState();
    state = evaluateCondition(def, state, { value: 0, quality: "good", t: T0 }, T0).state;
    state = evaluateCondition(def, state, { value: 6, quality: "good", t: T0 + 30_000 }, T0 + 30_000).state;
    assert.equal(state.active, true);
    assert.equal(ratePerMinute(state.samples), 12);
    // 45 s after the start, the value still holds at 6: 6 per 0.75 min = 8 per minute, below 10.
    state = tickCondition(def, state, T0 + 45_000).state;
    assert.equal(state.active, false);
  });

  it("on-delay: the condition must hold for the delay (fake clock)", () => {
    const def = definition({ onDelaySeconds: 10 });
    let state = initialConditionState();
    const first = evaluateCondition(def, state, { value: 120, quality: "good", t: T0 }, T0);
    state = first.state;
    assert.equal(state.active, false);
    assert.equal(first.wakeAt, T0 + 10_000);
    assert.equal(tickCondition(def, state, T0 + 9_999).state.active, false);
    // A dip back below the limit restarts the delay.
    state = evaluateCondition(def, state, { value: 90, quality: "good", t: T0 + 5_000 }, T0 + 5_000).state;
    state = evaluateCondition(def, state, { value: 120, quality: "good", t: T0 + 6_000 }, T0 + 6_000).state;
    assert.equal(tickCondition(def, state, T0 + 10_000).state.active, false);
    assert.equal(tickCondition(def, state, T0 + 16_000).state.active, true);
  });

  it("off-delay: the condition must stay clear for the delay", () => {
    const def = definition({ offDelaySeconds: 30 });
    let state = evaluateCondition(def, initialConditionState(), { value: 120, quality: "good", t: T0 }, T0).state;
    assert.equal(state.active, true);
    const cleared = evaluateCondition(def, state, { value: 50, quality: "good", t: T0 + 1_000 }, T0 + 1_000);
    state = cleared.state;
    assert.equal(state.active, true);
    assert.equal(cleared.wakeAt, T0 + 31_000);
    assert.equal(tickCondition(def, state, T0 + 30_999).state.active, true);
    assert.equal(tickCondition(def, state, T0 + 31_000).state.active, false);
  });

  it("bad quality holds the state and cancels a running delay; uncertain is evaluated", () => {
    const def = definition({ onDelaySeconds: 10 });
    let state = evaluateCondition(def, initialConditionState(), { value: 120, quality: "good", t: T0 }, T0).state;
    state = evaluateCondition(def, state, { value: 120, quality: "bad", t: T0 + 1_000 }, T0 + 1_000).state;
    assert.equal(state.pendingSince, null);
    assert.equal(tickCondition(def, state, T0 + 20_000).state.active, false);
    assert.deepEqual(run(definition({}), [[0, 120], [1, 0, "bad"], [2, 0, "uncertain"]]), [true, true, false]);
    assert.deepEqual(run(definition({}), [[0, 120, "bad"]]), [false], "a bad value never raises");
    assert.deepEqual(run(definition({}), [[0, "not a number"]]), [false]);
  });
});
