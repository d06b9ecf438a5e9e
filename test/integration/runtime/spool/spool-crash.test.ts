import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Spool } from "../../../../runtime/spool/spool.js";

const CHILD = path.join(__dirname, "append-child.ts");

interface Run {
  /** Every record number whose append the child saw acknowledged. */
  acked: Set<number>;
  highest: number;
}

/** Starts the appending child, lets it acknowledge at least `minimumAcks` appends, then kills it with SIGKILL. */
async function appendUntilKilled(dir: string, first: number, minimumAcks: number): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, dir, String(first)], { stdio: ["ignore", "pipe", "pipe"] });
  const acked = new Set<number>();
  let highest = first - 1;
  let acks = 0;
  let stderr = "";
  let buffered = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const match = /^acked (\d+)-(\d+)$/.exec(line);
        if (!match) continue;
        for (let number = Number(match[1]); number <= Number(match[2]); number++) acked.add(number);
        highest = Math.max(highest, Number(match[2]));
        acks += 1;
        if (acks === minimumAcks) {
          // Killed mid-stream: appends are in flight, a write may be half done.
          child.kill("SIGKILL");
          resolve();
        }
      }
    });
    void exited.then(() => (acks < minimumAcks ? reject(new Error(`the child exited early:\n${stderr}`)) : undefined));
  });
  assert.equal(await exited, "SIGKILL");
  return { acked, highest };
}

describe("spool under kill -9", function () {
  this.timeout(120_000);
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-spool-crash-"));
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("keeps every acknowledged append, in order, with no garbage, across 5 kills while appending", async () => {
    const dir = path.join(root, "spool");
    let first = 0;
    const everAcked = new Set<number>();
    for (let kill = 0; kill < 5; kill++) {
      const run = await appendUntilKilled(dir, first, 200 + kill * 50);
      for (const number of run.acked) everAcked.add(number);

      const spool = await Spool.open({ dir, maxRecords: 10_000_000, maxBytes: 1 << 30, segmentBytes: 64 * 1024 });
      try {
        const found: number[] = [];
        let from;
        for (;;) {
          const batch = await spool.read({ from, maxRecords: 5000 });
          if (batch.length === 0) break;
          for (const record of batch) {
            const value = JSON.parse(record.data.toString("utf8")) as { n: number; pad: string };
            assert.equal(value.pad, "x".repeat(value.n % 97), `record ${value.n} is intact`);
            found.push(value.n);
          }
          from = batch.at(-1)!.next;
        }
        for (let index = 1; index < found.length; index++) {
          assert.ok(found[index] > found[index - 1], `in order: ${found[index - 1]} then ${found[index]}`);
        }
        const present = new Set(found);
        const missing = [...everAcked].filter((number) => !present.has(number));
        assert.deepEqual(missing, [], `kill ${kill + 1}: acknowledged appends missing after the restart`);
        assert.equal(spool.depth().records, found.length);
        // The next run numbers on from anything that may have reached the disk unacknowledged.
        first = Math.max(run.highest, found.at(-1) ?? 0) + 1000;
        if (kill === 2) {
          // Half-way, a consumer acknowledges some, so restarts also meet a moved head and deleted segments.
          const consumed = await spool.read({ maxRecords: Math.floor(found.length / 2) });
          await spool.ack(consumed.at(-1)!);
          for (const record of consumed) everAcked.delete((JSON.parse(record.data.toString("utf8")) as { n: number }).n);
        }
      } finally {
        await spool.close();
      }
    }
    assert.ok(everAcked.size > 1000, `only ${everAcked.size} appends were acknowledged across the runs`);
  });
});
