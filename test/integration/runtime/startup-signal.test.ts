import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MAIN_JS } from "../../helpers/site-process.js";

/**
 * SIGTERM while the site is still starting (migrating a new database): the
 * process ends at once with 143, as the default action would. In a container
 * Node is PID 1 and has no default action, so without its own handler it
 * would wait for the runtime's SIGKILL (docs/deploy.md "Signals").
 */
describe("a signal during startup", function () {
  let dataDir = "";

  afterEach(function () {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("SIGTERM before the site is ready: exit code 143 within 5 s, said in the log", async function () {
    this.timeout(60_000);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-startup-signal-"));
    const child = spawn(process.execPath, [MAIN_JS], {
      env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), PORT: "0", HOST: "127.0.0.1", PETROFLOW_DATA_DIR: dataDir, PETROFLOW_DEMO: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    // The first log line comes before the database is opened: the site is starting, not ready.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "starting Petroflow" within 30 s:\n${output}`)), 30_000);
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('"msg":"starting Petroflow"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    });
    const signalled = Date.now();
    child.kill("SIGTERM");
    const timeout = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const result = await exited;
    clearTimeout(timeout);
    const elapsedMs = Date.now() - signalled;
    assert.doesNotMatch(output, /Petroflow ready/, "the site was up before the signal; the test did not exercise startup");
    assert.deepEqual(result, { code: 143, signal: null }, output.split("\n").slice(-10).join("\n"));
    assert.ok(elapsedMs < 5_000, `exited ${elapsedMs} ms after SIGTERM`);
    assert.match(output, /signal during startup/);
  });
});
