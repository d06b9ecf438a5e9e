import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Registry } from "prom-client";
import type { SystemAlarmRaise, SystemAlarms } from "../../../../runtime/alarms/alarm-types.js";
import { DatabaseUnavailableError } from "../../../../runtime/db/database-errors.js";
import { createHistorianMetrics } from "../../../../runtime/historian/historian-metrics.js";
import type { HistoryRow, HistorySink } from "../../../../runtime/historian/history-sink.js";
import { HistoryWriter, SPOOL_FULL_ALARM, decodeSpoolRecord, encodeSpoolRecord } from "../../../../runtime/historian/history-writer.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { Spool } from "../../../../runtime/spool/spool.js";

const TAG = "0193a3c0-0000-7000-8000-000000000001";
const logger = createLogger("silent");

function rows(from: number, count: number): HistoryRow[] {
  return Array.from({ length: count }, (_, i) => ({ tagId: TAG, t: from + i, v: from + i, q: "good" as const }));
}

/** A sink that records every batch; `down` makes it fail as an unreachable database would. */
class FakeSink implements HistorySink {
  batches: HistoryRow[][] = [];
  down = false;
  async write(batch: readonly HistoryRow[]): Promise<void> {
    await Promise.resolve();
    if (this.down) throw new DatabaseUnavailableError("the database is away");
    this.batches.push([...batch]);
  }
  times(): number[] {
    return this.batches.flat().map((row) => row.t);
  }
}

class FakeAlarms implements SystemAlarms {
  active = new Map<string, SystemAlarmRaise>();
  raise(key: string, alarm: SystemAlarmRaise): void {
    this.active.set(key, alarm);
  }
  clear(key: string): void {
    this.active.delete(key);
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("history writer", () => {
  let dir: string;
  const spools: Spool[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-history-writer-"));
  });

  afterEach(async () => {
    for (const spool of spools.splice(0)) await spool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openSpool(maxBytes = 64 * 1024 * 1024): Promise<Spool> {
    const spool = await Spool.open({ dir: path.join(dir, "spool"), maxRecords: 1_000_000, maxBytes });
    spools.push(spool);
    return spool;
  }

  it("writes a batch as soon as batchRows wait, and the rest after flushMs", async () => {
    const sink = new FakeSink();
    const writer = new HistoryWriter({ sink, flushMs: 60_000, batchRows: 100, writeTimeoutMs: 1000, fullPolicy: "drop-newest", logger });
    await Promise.all([writer.add(rows(0, 60)), writer.add(rows(60, 40))]);
    assert.equal(sink.batches.length, 1, "one batch once 100 rows waited");
    assert.equal(sink.batches[0].length, 100);
    const timed = new HistoryWriter({ sink: new FakeSink(), flushMs: 20, batchRows: 1000, writeTimeoutMs: 1000, fullPolicy: "drop-newest", logger });
    const started = Date.now();
    await timed.add(rows(0, 3));
    assert.ok(Date.now() - started >= 15, "a small batch waits for the flush interval");
    await writer.close();
    await timed.close();
  });

  it("joins values queued together into one batch, never over batchRows", async () => {
    const sink = new FakeSink();
    const writer = new HistoryWriter({ sink, flushMs: 10, batchRows: 250, writeTimeoutMs: 1000, fullPolicy: "drop-newest", logger });
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.add(rows(i * 50, 50))));
    assert.deepEqual(sink.times(), Array.from({ length: 1000 }, (_, i) => i));
    assert.ok(sink.batches.every((batch) => batch.length <= 250));
    assert.ok(sink.batches.length <= 6, `${sink.batches.length} batches for 1000 rows`);
    await writer.close();
  });

  it("spools while the database is away and drains in order when it returns, nothing lost", async () => {
    const sink = new FakeSink();
    const spool = await openSpool();
    const writer = new HistoryWriter({ sink, spool, flushMs: 5, batchRows: 100, writeTimeoutMs: 200, fullPolicy: "drop-newest", logger, retry: { initialMs: 10, maxMs: 20 } });
    writer.start();
    await writer.add(rows(0, 10));
    sink.down = true;
    for (let i = 1; i < 20; i++) await writer.add(rows(i * 10, 10));
    assert.ok(writer.isForwarding);
    assert.ok(spool.depth().records > 0, "the batches wait in the spool");
    sink.down = false;
    await until(() => spool.depth().records === 0 && !writer.isForwarding, "the drain");
    await writer.add(rows(200, 10));
    await writer.close();
    assert.deepEqual(sink.times(), Array.from({ length: 210 }, (_, i) => i));
  });

  it("spools a batch whose write does not answer within the timeout", async () => {
    let stall = true;
    const sink: HistorySink & { stored: HistoryRow[] } = {
      stored: [],
      async write(batch) {
        if (stall) await new Promise((resolve) => setTimeout(resolve, 300));
        this.stored.push(...batch);
      },
    };
    const spool = await openSpool();
    const writer = new HistoryWriter({ sink, spool, flushMs: 5, batchRows: 100, writeTimeoutMs: 50, fullPolicy: "drop-newest", logger, retry: { initialMs: 10, maxMs: 20 } });
    writer.start();
    const started = Date.now();
    await writer.add(rows(0, 5));
    assert.ok(Date.now() - started < 250, "acknowledged once spooled, not when the slow write ends");
    stall = false;
    await until(() => spool.depth().records === 0 && !writer.isForwarding, "the drain");
    await writer.close();
    // The abandoned write committed too: the database keeps one row per (tag, time), so a second copy is harmless.
    assert.deepEqual([...new Set(sink.stored.map((row) => row.t))], [0, 1, 2, 3, 4]);
  });

  it("drop-newest: a full spool refuses the batch, counts it, raises the system alarm and clears it once drained", async () => {
    const sink = new FakeSink();
    sink.down = true;
    const spool = await openSpool(1024 * 1024);
    const alarms = new FakeAlarms();
    const registry = new Registry();
    const metrics = createHistorianMetrics(registry, () => null);
    const writer = new HistoryWriter({ sink, spool, flushMs: 5, batchRows: 2000, writeTimeoutMs: 100, fullPolicy: "drop-newest", logger, alarms, metrics, retry: { initialMs: 10, maxMs: 20 } });
    writer.start();
    let refused = 0;
    for (let i = 0; i < 30 && refused === 0; i++) {
      await writer.add(rows(i * 2000, 2000)).catch(() => (refused += 1));
    }
    assert.equal(refused, 1, "a batch was refused");
    assert.equal(writer.droppedCount, 2000);
    assert.ok(alarms.active.has(SPOOL_FULL_ALARM));
    assert.match(await registry.metrics(), /petroflow_history_values_total\{outcome="dropped"\} 2000/);
    sink.down = false;
    await until(() => spool.depth().records === 0 && !alarms.active.has(SPOOL_FULL_ALARM), "the drain and the alarm clear", 10_000);
    await writer.close();
  });

  it("drop-oldest: a full spool drops its oldest values to take the newest", async () => {
    const sink = new FakeSink();
    sink.down = true;
    const spool = await openSpool(1024 * 1024);
    const writer = new HistoryWriter({ sink, spool, flushMs: 5, batchRows: 2000, writeTimeoutMs: 100, fullPolicy: "drop-oldest", logger, retry: { initialMs: 10, maxMs: 20 } });
    writer.start();
    for (let i = 0; i < 30; i++) await writer.add(rows(i * 2000, 2000));
    assert.ok(writer.droppedCount > 0);
    sink.down = false;
    await until(() => spool.depth().records === 0, "the drain", 10_000);
    await writer.close();
    const stored = sink.times();
    assert.equal(stored.at(-1), 59_999, "the newest values are kept");
    assert.ok(stored[0] > 0, "the oldest were dropped");
    assert.equal(stored.length + writer.droppedCount, 60_000);
  });

  it("keeps NaN and infinities through the spool", () => {
    const values: HistoryRow[] = [NaN, Infinity, -Infinity, 1.5, true, "RUN", null].map((v, t) => ({ tagId: TAG, t, v, q: "uncertain" }));
    assert.deepEqual(decodeSpoolRecord(encodeSpoolRecord(values)), values);
  });
});
