import assert from "node:assert/strict";
import { eventTypeMatches, ModuleEventBus, type ModuleEvent } from "../../../../runtime/events/event-bus.js";

describe("ModuleEventBus", () => {
  it("matches exact types, module wildcards and everything", () => {
    assert.equal(eventTypeMatches("production.allocation.completed", "production.allocation.completed"), true);
    assert.equal(eventTypeMatches("production.*", "production.allocation.completed"), true);
    assert.equal(eventTypeMatches("production.*", "productionx.y"), false);
    assert.equal(eventTypeMatches("assets.*", "production.entry.recorded"), false);
    assert.equal(eventTypeMatches("*", "assets.well.status"), true);
    assert.equal(eventTypeMatches("production.allocation", "production.allocation.completed"), false);
  });

  it("delivers matching events with the site and time, and stops after unsubscribe", () => {
    const bus = new ModuleEventBus("SITE1");
    const seen: ModuleEvent[] = [];
    const unsubscribe = bus.subscribe("production.*", (event) => seen.push(event));
    bus.emit("production.allocation.completed", { runId: "r1" });
    bus.emit("assets.well.status", { wellId: "w1" });
    unsubscribe();
    bus.emit("production.entry.recorded", { id: "e1" });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.type, "production.allocation.completed");
    assert.equal(seen[0]?.siteId, "SITE1");
    assert.deepEqual(seen[0]?.payload, { runId: "r1" });
    assert.ok(!Number.isNaN(Date.parse(seen[0]?.at ?? "")));
  });

  it("reports a failing listener without breaking the emitter or the other listeners", () => {
    const failures: string[] = [];
    const bus = new ModuleEventBus("SITE1", (error, event) => failures.push(`${event.type}: ${(error as Error).message}`));
    const seen: string[] = [];
    bus.subscribe("*", () => {
      throw new Error("listener broke");
    });
    bus.subscribe("*", (event) => seen.push(event.type));
    assert.doesNotThrow(() => bus.emit("production.entry.recorded", {}));
    assert.deepEqual(seen, ["production.entry.recorded"]);
    assert.deepEqual(failures, ["production.entry.recorded: listener broke"]);
  });
});
