import assert from "node:assert/strict";
import { ServiceError } from "../../../../erp-modules/shared/service-error.js";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";
import type { FlowEntryEvent } from "../../../../runtime/flow-entries/flow-entry-port.js";
import { openTestFlowEntries, type TestFlowEntries } from "../../../helpers/petroflow-services.js";
import { FakeProductionPort } from "../../../nodes/erp/fake-production-port.js";

const TANK_ID = "0190a3c2-7d7e-7c3e-8a4b-000000000101";
const gauge = (minute: number) => ({
  tankId: TANK_ID,
  gaugedAt: `2026-11-28T06:${String(minute).padStart(2, "0")}:00Z`,
  levelM: 2,
  source: "flow",
  sourceKey: `gauge-${minute}`,
});
const UNAVAILABLE = new DatabaseUnavailableError("connection refused");

async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("flow entry spool service", () => {
  let production: FakeProductionPort;
  let entries: TestFlowEntries;

  beforeEach(() => {
    production = new FakeProductionPort();
  });

  afterEach(async () => {
    await entries.close();
  });

  it("writes at once while the database answers, and nothing waits", async () => {
    entries = await openTestFlowEntries(production);
    const outcome = await entries.service.record("recordTankGauge", gauge(0), "flow:n1");
    assert.equal(outcome.queued, false);
    assert.equal(production.recorded.length, 1);
    assert.deepEqual(entries.service.status().waiting, 0);
  });

  it("refuses an entry without a sourceKey: without one a retried write could record it twice", async () => {
    entries = await openTestFlowEntries(production);
    const { sourceKey: _dropped, ...withoutKey } = gauge(0);
    await assert.rejects(entries.service.record("recordTankGauge", withoutKey, "flow:n1"), { code: "invalid_input", message: /sourceKey is required/ });
  });

  it("counts waiting entries per node again after a restart", async () => {
    entries = await openTestFlowEntries(production, { retry: { initialMs: 60_000, maxMs: 60_000 } });
    production.failWith = UNAVAILABLE;
    await entries.service.record("recordTankGauge", gauge(0), "flow:a");
    await entries.service.record("recordTankGauge", gauge(1), "flow:b");
    await entries.service.record("recordTankGauge", gauge(2), "flow:a");
    await entries.close(true);
    entries = await openTestFlowEntries(production, { dir: entries.dir, retry: { initialMs: 60_000, maxMs: 60_000 } });
    assert.equal(entries.service.waiting("flow:a"), 2);
    assert.equal(entries.service.waiting("flow:b"), 1);
    const status = entries.service.status();
    assert.equal(status.waiting, 3);
    assert.ok(status.oldestQueuedAt !== null && status.oldestAgeSeconds !== null && status.oldestAgeSeconds >= 0);
  });

  it("backs off while the database is away and reports when it tries next", async () => {
    entries = await openTestFlowEntries(production, { retry: { initialMs: 100, maxMs: 400 }, random: () => 0.5 });
    production.failWith = UNAVAILABLE;
    await entries.service.record("recordTankGauge", gauge(0), "flow:a");
    await eventually(() => production.calls.length >= 4, "several drain attempts");
    const status = entries.service.status();
    assert.equal(status.retrying, true);
    assert.ok(status.nextAttemptAt !== null);
    assert.equal(status.refusedSinceStart, 0);
    assert.equal(entries.service.waiting("flow:a"), 1, "an unavailable database never drops an entry");
  });

  it("retries an unexpected error a few times before refusing the entry", async () => {
    entries = await openTestFlowEntries(production, { maxUnexpectedAttempts: 3 });
    production.failWith = UNAVAILABLE;
    await entries.service.record("recordTankGauge", gauge(0), "flow:a");
    await entries.service.record("recordTankGauge", gauge(1), "flow:a");
    const events: FlowEntryEvent[] = [];
    entries.service.watch("flow:a", (event) => events.push(event));
    const callsBefore = production.calls.length;
    production.failWith = new Error("deadlock detected");
    await eventually(() => entries.audited.length === 1, "the refusal");
    assert.equal(production.calls.length - callsBefore >= 3, true);
    production.failWith = undefined;
    await eventually(() => production.recorded.length === 1, "the next entry");
    assert.equal(production.recorded[0].input.sourceKey, "gauge-1");
    assert.deepEqual((entries.audited[0].details as { error: unknown }).error, { code: "unexpected", message: "deadlock detected" });
    assert.equal(events.find((event) => event.refused)?.refused?.input.sourceKey, "gauge-0");
  });

  it("keeps a refused entry waiting while the audit log cannot be written, and records the refusal once it can", async () => {
    let auditAway = true;
    const audited: unknown[] = [];
    entries = await openTestFlowEntries(production, {
      audit: {
        async record(entry) {
          if (auditAway) throw UNAVAILABLE;
          audited.push(entry);
        },
      },
    });
    production.failWith = UNAVAILABLE;
    await entries.service.record("recordTankGauge", gauge(0), "flow:a");
    production.failWith = new ServiceError("invalid_input", "tankId is not a tank");
    await eventually(() => production.calls.length >= 4, "drain attempts");
    assert.equal(entries.service.waiting("flow:a"), 1, "not dropped without a record of it");
    auditAway = false;
    await eventually(() => audited.length === 1, "the audit row");
    await eventually(() => entries.service.waiting("flow:a") === 0, "the entry to leave the spool");
  });

  it("stops at once on close even while a drain attempt hangs", async () => {
    entries = await openTestFlowEntries(production, { writeTimeoutMs: 60_000 });
    production.failWith = UNAVAILABLE;
    await entries.service.record("recordTankGauge", gauge(0), "flow:a");
    production.failWith = undefined;
    production.hang = true;
    await eventually(() => production.calls.length >= 2, "a hanging drain attempt");
    const started = Date.now();
    await entries.close(true);
    assert.ok(Date.now() - started < 5_000, "close waited for the hung call");
    production.hang = false;
    entries = await openTestFlowEntries(production, { dir: entries.dir });
    await eventually(() => production.recorded.length === 1, "the entry written after the restart");
  });
});
