import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { skipWithReason } from "../../helpers/skip-report.js";

/**
 * deploy/systemd/petroflow.service, checked by systemd's own tools: the unit
 * parses, and its exposure score stays in systemd's "OK" band. No systemd
 * runs on the CI machines, so the service itself is not started here.
 */

const UNIT = path.resolve(__dirname, "..", "..", "..", "deploy", "systemd", "petroflow.service");
const run = promisify(execFile);
/** `systemd-analyze security` prints 1.6 for the unit; above 2.0 a hardening line was lost. */
const MAX_EXPOSURE = 2.0;

function systemdAnalyzeAvailable(): boolean {
  return ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].some((file) => fs.existsSync(file));
}

describe("the systemd unit (deploy/systemd/petroflow.service)", function () {
  let directory = "";

  before(function () {
    if (!systemdAnalyzeAvailable()) skipWithReason(this, "systemd-analyze is not installed (Debian's systemd package)");
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-unit-"));
  });

  after(function () {
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });

  it("passes systemd-analyze verify", async function () {
    // verify checks that ExecStart's program exists: point it at this Node, since /opt/petroflow is not installed here.
    const unit = fs
      .readFileSync(UNIT, "utf8")
      .replace(/^ExecStart=\/opt\/petroflow\/node /m, `ExecStart=${process.execPath} `)
      .replace(/^WorkingDirectory=.*$/m, `WorkingDirectory=${directory}`);
    assert.notEqual(unit, fs.readFileSync(UNIT, "utf8"), "ExecStart is no longer /opt/petroflow/node");
    const copy = path.join(directory, "petroflow.service");
    fs.writeFileSync(copy, unit);
    const { stdout, stderr } = await run("systemd-analyze", ["verify", "--man=no", copy], { timeout: 30_000 });
    assert.equal(`${stdout}${stderr}`.trim(), "", "systemd-analyze verify printed warnings");
  });

  it(`scores an exposure of at most ${MAX_EXPOSURE} in systemd-analyze security`, async function () {
    const { stdout } = await run("systemd-analyze", ["security", "--offline=true", UNIT], { timeout: 30_000 });
    const score = /Overall exposure level for petroflow\.service: ([0-9.]+)/.exec(stdout);
    assert.ok(score?.[1], stdout.slice(-500));
    assert.ok(Number(score[1]) <= MAX_EXPOSURE, `exposure ${score[1]}`);
  });

  it("hardens what the deployment promises: dedicated user, read-only system, no new privileges, bounded restarts", function () {
    const unit = fs.readFileSync(UNIT, "utf8");
    for (const line of [
      "User=petroflow",
      "ProtectSystem=strict",
      "ReadWritePaths=/var/lib/petroflow",
      "NoNewPrivileges=yes",
      "PrivateTmp=yes",
      "ProtectHome=yes",
      "Restart=on-failure",
      "StartLimitBurst=5",
      "StartLimitIntervalSec=600",
      "EnvironmentFile=/etc/petroflow/petroflow.env",
    ]) {
      assert.match(unit, new RegExp(`^${line.replace(/[.]/g, "\\.")}$`, "m"), `missing ${line}`);
    }
  });
});
