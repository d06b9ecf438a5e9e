/**
 * Tests that need a real server (PostgreSQL, a browser) skip themselves on a
 * bare laptop; this plugin makes that loud, listing every skip and why.
 *
 * `npm test` runs mocha in parallel mode: each test file runs in a worker
 * process, and only the main process sees the end of the whole run. So a
 * skip is appended to a file the main process names in its global setup,
 * and the global teardown (main process only, after every worker is done)
 * prints the list. A serial run (`npx mocha <file>`) goes the same way.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const REPORT_FILE_VARIABLE = "PETROFLOW_SKIP_REPORT_FILE";

export function skipWithReason(context: Mocha.Context, reason: string): never {
  const entry = `${context.test?.fullTitle() ?? context.currentTest?.fullTitle() ?? "(suite)"}: ${reason}`;
  const reportFile = process.env[REPORT_FILE_VARIABLE];
  // One appended line per skip: O_APPEND writes this short do not interleave between workers.
  if (reportFile) fs.appendFileSync(reportFile, `${JSON.stringify(entry)}\n`);
  else process.stdout.write(`\n  SKIPPED (no skip report file): ${entry}\n`);
  context.skip();
}

export function mochaGlobalSetup(): void {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-skips-"));
  const reportFile = path.join(directory, "skipped.jsonl");
  fs.writeFileSync(reportFile, "");
  // Set before the first worker starts: workers inherit the main process's environment.
  process.env[REPORT_FILE_VARIABLE] = reportFile;
}

export function mochaGlobalTeardown(): void {
  const reportFile = process.env[REPORT_FILE_VARIABLE];
  if (!reportFile) return;
  const lines = fs.readFileSync(reportFile, "utf8").split("\n").filter((line) => line !== "");
  fs.rmSync(path.dirname(reportFile), { recursive: true, force: true });
  delete process.env[REPORT_FILE_VARIABLE];
  if (lines.length === 0) return;
  const unique = [...new Set(lines.map((line) => JSON.parse(line) as string))].sort();
  const line = "!".repeat(78);
  process.stdout.write(
    `\n${line}\n  SKIPPED ${unique.length} server-backed test group(s):\n` +
      unique.map((entry) => `   - ${entry}`).join("\n") +
      `\n  Set TEST_DATABASE_URL (PostgreSQL) and PETROFLOW_E2E=1 (chromium), install socat (Modbus RTU) and python3-pymodbus, and set PETROFLOW_IMAGE_TEST=1 (root, podman, mmdebstrap) to run them.\n${line}\n`,
  );
}
