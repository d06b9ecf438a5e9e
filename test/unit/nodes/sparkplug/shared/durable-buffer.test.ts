import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DurableChangeBuffer } from "../../../../../nodes/sparkplug/shared/durable-buffer.js";
import { EdgeNodeLogic } from "../../../../../nodes/sparkplug/shared/edge-node-logic.js";
import type { MetricChange } from "../../../../../nodes/sparkplug/shared/edge-node-logic.js";

const T = 1_780_000_000_000;

function change(value: number, t: number, deviceId: string | null = "WELL-1"): MetricChange {
  return { deviceId, name: "THP", value, t };
}

describe("sparkplug durable store-and-forward buffer", () => {
  let dir: string;
  const errors: Error[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-sp-buffer-"));
    errors.length = 0;
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(capacity = 100): Promise<DurableChangeBuffer> {
    return DurableChangeBuffer.open({ dir: path.join(dir, "spool"), name: "sparkplug-test", capacity, onError: (error) => errors.push(error) });
  }

  it("keeps buffered changes across a close and reopen, in order, with types and quality", async () => {
    const first = await open();
    first.push(change(1, T + 1));
    first.push({ deviceId: null, name: "UPTIME", value: 7, t: T + 2, type: "Int64" });
    first.push({ deviceId: "WELL-1", name: "RUN", value: false, t: T + 3, quality: 0 });
    first.push({ deviceId: "WELL-1", name: "MODE", value: "AUTO", t: T + 4 });
    await first.close();
    const second = await open();
    assert.equal(second.size, 4);
    assert.deepEqual(second.drain(), [
      change(1, T + 1),
      { deviceId: null, name: "UPTIME", value: 7, t: T + 2, type: "Int64" },
      { deviceId: "WELL-1", name: "RUN", value: false, t: T + 3, quality: 0 },
      { deviceId: "WELL-1", name: "MODE", value: "AUTO", t: T + 4 },
    ]);
    await second.close();
    assert.deepEqual(errors, []);
  });

  it("a drained change stays in the spool until confirmed: a restart in between replays it again", async () => {
    const first = await open();
    for (let i = 0; i < 5; i++) first.push(change(i, T + i));
    assert.equal(first.drain().length, 5);
    first.confirm(2);
    await first.close();
    const second = await open();
    assert.deepEqual(second.drain().map((c) => c.value), [2, 3, 4]);
    second.confirm(3);
    await second.close();
    const third = await open();
    assert.equal(third.size, 0);
    await third.close();
  });

  it("when full drops the oldest, counts it, and the spool forgets it too", async () => {
    const first = await open(3);
    for (let i = 0; i < 5; i++) first.push(change(i, T + i));
    assert.equal(first.size, 3);
    assert.equal(first.dropped, 2);
    await first.close();
    const second = await open(3);
    assert.deepEqual(second.drain().map((c) => c.value), [2, 3, 4]);
    await second.close();
  });

  it("edge logic: history of a previous life is replayed after the births, before and after this life's own changes, marked historical", async () => {
    const first = await open();
    const before = new EdgeNodeLogic({ groupId: "G", edgeNodeId: "E", bufferSize: 100, buffer: first, now: () => T });
    before.update([change(100, T)]);
    before.sessionEstablished();
    before.sessionLost();
    before.update([change(101, T + 1)]);
    before.update([change(102, T + 2)]);
    await first.close();

    const second = await open();
    const after = new EdgeNodeLogic({ groupId: "G", edgeNodeId: "E", bufferSize: 100, buffer: second, now: () => T + 10 });
    after.update([change(102, T + 2)]);
    after.continueHistory();
    after.update([change(103, T + 3)]);
    const publications = after.sessionEstablished();
    assert.deepEqual(publications.map((p) => p.topic.split("/")[2]), ["NBIRTH", "DBIRTH", "DDATA"]);
    const replayed = publications[2].payload.metrics;
    assert.deepEqual(replayed.map((m) => [m.value, m.timestamp, m.isHistorical]), [
      [101, T + 1, true],
      [102, T + 2, true],
      [103, T + 3, true],
    ]);
    second.confirm(replayed.length);
    await second.close();
    const third = await open();
    assert.equal(third.size, 0);
    await third.close();
  });
});
