import assert from "node:assert/strict";
import type { ConnectionState } from "../../../../../nodes/modbus/modbus-device/connection-state.js";
import { backoffDelay, transition } from "../../../../../nodes/modbus/modbus-device/connection-state.js";

const policy = { initialMs: 100, maxMs: 1000 };

describe("Modbus connection state machine", () => {
  it("starts by opening, and drains the queue once connected", () => {
    const connecting = transition({ kind: "closed" }, { type: "start" }, policy);
    assert.deepEqual(connecting, { state: { kind: "connecting", attempt: 0 }, actions: [{ type: "open" }] });
    assert.deepEqual(transition(connecting.state, { type: "opened" }, policy), {
      state: { kind: "connected", attempt: 0 },
      actions: [{ type: "drain" }],
    });
  });

  it("backs off after a failed open: drops the socket, fails what waits, schedules the retry", () => {
    const next = transition({ kind: "connecting", attempt: 0 }, { type: "open-failed", reason: "ECONNREFUSED", random: 0 }, policy);
    assert.deepEqual(next, {
      state: { kind: "backing-off", attempt: 1, delayMs: 50, reason: "ECONNREFUSED" },
      actions: [{ type: "destroy" }, { type: "fail-pending", reason: "ECONNREFUSED" }, { type: "schedule-retry", delayMs: 50 }],
    });
    assert.deepEqual(transition(next.state, { type: "retry" }, policy), { state: { kind: "connecting", attempt: 1 }, actions: [{ type: "open" }] });
  });

  it("grows the backoff exponentially up to the maximum, with jitter in the upper half", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((attempt) => backoffDelay(attempt, policy, 1)), [100, 200, 400, 800, 1000, 1000]);
    assert.deepEqual([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, 0)), [50, 100, 200, 400, 500]);
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(3, policy, Math.random());
      assert.ok(delay >= 200 && delay <= 400);
    }
  });

  it("keeps counting failures while a device accepts TCP but never answers; a reply resets the count", () => {
    let state: ConnectionState = { kind: "connecting", attempt: 2 };
    state = transition(state, { type: "opened" }, policy).state;
    assert.deepEqual(state, { kind: "connected", attempt: 2 });
    const lost = transition(state, { type: "lost", reason: "timeout", random: 1 }, policy);
    assert.deepEqual(lost.state, { kind: "backing-off", attempt: 3, delayMs: 400, reason: "timeout" });
    const replied = transition(state, { type: "replied" }, policy);
    assert.deepEqual(replied, { state: { kind: "connected", attempt: 0 }, actions: [] });
    const again = transition(replied.state, { type: "replied" }, policy);
    assert.equal(again.state, replied.state, "no new state object when nothing changes");
  });

  it("stops from every state, freeing everything, and stays closed", () => {
    const states: ConnectionState[] = [
      { kind: "connecting", attempt: 0 },
      { kind: "connected", attempt: 0 },
      { kind: "backing-off", attempt: 1, delayMs: 100, reason: "x" },
    ];
    for (const state of states) {
      assert.deepEqual(transition(state, { type: "stop" }, policy), {
        state: { kind: "closed" },
        actions: [{ type: "cancel-retry" }, { type: "destroy" }, { type: "fail-pending", reason: "device closed" }],
      });
    }
    assert.deepEqual(transition({ kind: "closed" }, { type: "stop" }, policy).actions, []);
  });

  it("ignores stray events, but destroys a socket that opens after shutdown", () => {
    assert.deepEqual(transition({ kind: "closed" }, { type: "opened" }, policy).actions, [{ type: "destroy" }]);
    assert.deepEqual(transition({ kind: "closed" }, { type: "retry" }, policy).actions, []);
    const backingOff: ConnectionState = { kind: "backing-off", attempt: 1, delayMs: 100, reason: "x" };
    assert.deepEqual(transition(backingOff, { type: "lost", reason: "y", random: 0 }, policy).state, backingOff);
    assert.deepEqual(transition({ kind: "connected", attempt: 0 }, { type: "retry" }, policy).actions, []);
    assert.deepEqual(transition({ kind: "connecting", attempt: 0 }, { type: "start" }, policy).actions, []);
  });
});
