/**
 * Spool throughput: durable appends (acknowledged only after fdatasync) of
 * historian-sized records (~80 bytes of JSON), each way for ~3 s in a temp
 * dir: one append at a time (one fsync each, the floor), 64 concurrent
 * appends (group commit gathers them), and appendBatch of 500 records (one
 * fsync per batch); then reading and acknowledging it all back in batches.
 * Target: ≥ 10,000 records/s durably with batches of 500 (the historian's
 * store-and-forward pushes thousands of values/s). The figures depend on
 * the disk's fsync latency far more than on the CPU.
 * `node --import tsx bench/run.ts spool-throughput`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Spool } from "../runtime/spool/spool.js";
import type { Benchmark } from "./run.js";

const DURATION_MS = 3000;
const BATCH = 500;
const CONCURRENT = 64;
const TARGET_RECORDS_PER_SECOND = 10_000;

function record(index: number): Buffer {
  return Buffer.from(JSON.stringify({ tag: `SITE1/WELL-${100 + (index % 50)}/THP`, v: 1200 + (index % 97) / 10, q: "good", t: 1_780_000_000_000 + index }));
}

async function timed(appendRound: (start: number) => Promise<number>): Promise<{ records: number; perSecond: number }> {
  let records = 0;
  const started = performance.now();
  while (performance.now() - started < DURATION_MS) records += await appendRound(records);
  return { records, perSecond: Math.round(records / ((performance.now() - started) / 1000)) };
}

export const benchmark: Benchmark = {
  name: "spool-throughput",
  async run(context) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-bench-spool-"));
    const spool = await Spool.open({ dir: path.join(root, "spool"), maxRecords: 50_000_000, maxBytes: 8 * 1024 ** 3 });
    try {
      context.log("one append per fsync …");
      const single = await timed(async (start) => {
        await spool.append(record(start));
        return 1;
      });
      context.log(`${CONCURRENT} concurrent appends …`);
      const concurrent = await timed(async (start) => {
        await Promise.all(Array.from({ length: CONCURRENT }, (_, index) => spool.append(record(start + index))));
        return CONCURRENT;
      });
      context.log(`appendBatch of ${BATCH} …`);
      const batched = await timed(async (start) => {
        await spool.appendBatch(Array.from({ length: BATCH }, (_, index) => record(start + index)));
        return BATCH;
      });
      context.log("read and acknowledge …");
      const total = spool.depth().records;
      const readStarted = performance.now();
      for (;;) {
        const batch = await spool.read({ maxRecords: 5000 });
        if (batch.length === 0) break;
        await spool.ack(batch.at(-1)!);
      }
      const drainPerSecond = Math.round(total / ((performance.now() - readStarted) / 1000));
      const lines = [
        `  one append per fsync:        ${single.perSecond.toLocaleString("en")} records/s (${single.records} records)`,
        `  ${CONCURRENT} concurrent appends:       ${concurrent.perSecond.toLocaleString("en")} records/s (group commit)`,
        `  appendBatch of ${BATCH}:         ${batched.perSecond.toLocaleString("en")} records/s`,
        `  read + ack in 5,000s:        ${drainPerSecond.toLocaleString("en")} records/s (${total} records)`,
      ];
      return {
        lines,
        targets: [
          {
            target: `≥ ${TARGET_RECORDS_PER_SECOND.toLocaleString("en")} records/s durable, batches of ${BATCH}`,
            status: batched.perSecond >= TARGET_RECORDS_PER_SECOND ? "PASS" : "FAIL",
            detail: `${batched.perSecond.toLocaleString("en")} records/s`,
          },
        ],
      };
    } finally {
      await spool.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};
