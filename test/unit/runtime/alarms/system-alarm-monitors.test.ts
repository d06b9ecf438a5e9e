import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { SystemAlarmRaise, SystemAlarms } from "../../../../runtime/alarms/alarm-types.js";
import { DATABASE_ALARM_KEY, FLOW_ENTRY_SPOOL_ALARM_KEY, readPkiCertificates, SystemAlarmMonitors, type CertificateInfo } from "../../../../runtime/alarms/system-alarm-monitors.js";
import type { FlowEntryWaiting } from "../../../../runtime/flow-entries/schema.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { skipWithReason } from "../../../helpers/skip-report.js";

const NOW = Date.parse("2026-03-01T08:00:00Z");
const DAY = 86_400_000;

/** What the monitors raised and cleared, as the engine would see it. */
class RecordingAlarms implements SystemAlarms {
  readonly active = new Map<string, SystemAlarmRaise>();
  raise(key: string, alarm: SystemAlarmRaise): void {
    this.active.set(key, alarm);
  }
  clear(key: string): void {
    this.active.delete(key);
  }
}

function spool(waiting: number, bytes: number): FlowEntryWaiting {
  return { waiting, bytes, oldestQueuedAt: null, oldestAgeSeconds: null, maxRecords: 1000, maxBytes: 1_000_000, retrying: true, nextAttemptAt: null, refusedSinceStart: 0 };
}

describe("system alarm monitors", () => {
  let reachable = true;
  let status = spool(0, 0);
  let certificates: CertificateInfo[] = [];
  const alarms = new RecordingAlarms();
  const monitors = new SystemAlarmMonitors({
    alarms,
    probeDatabase: async () => reachable,
    logger: createLogger("silent"),
    certificates: async () => certificates,
    certificateWarnDays: 30,
    now: () => NOW,
  });
  monitors.watchFlowEntrySpool(() => status);

  it("raises database unreachable while the probe fails, and clears it when it answers", async () => {
    reachable = false;
    await monitors.checkDatabaseAndSpool();
    assert.equal(alarms.active.get(DATABASE_ALARM_KEY)?.priority, "critical");
    reachable = true;
    await monitors.checkDatabaseAndSpool();
    assert.equal(alarms.active.has(DATABASE_ALARM_KEY), false);
  });

  it("raises the flow-entry spool alarm at 80 % of records or bytes, critical from 95 %", async () => {
    status = spool(799, 10);
    await monitors.checkDatabaseAndSpool();
    assert.equal(alarms.active.has(FLOW_ENTRY_SPOOL_ALARM_KEY), false);
    status = spool(10, 800_000);
    await monitors.checkDatabaseAndSpool();
    assert.deepEqual([alarms.active.get(FLOW_ENTRY_SPOOL_ALARM_KEY)?.priority, alarms.active.get(FLOW_ENTRY_SPOOL_ALARM_KEY)?.value], ["high", 80]);
    status = spool(960, 0);
    await monitors.checkDatabaseAndSpool();
    assert.equal(alarms.active.get(FLOW_ENTRY_SPOOL_ALARM_KEY)?.priority, "critical");
    status = spool(0, 0);
    await monitors.checkDatabaseAndSpool();
    assert.equal(alarms.active.has(FLOW_ENTRY_SPOOL_ALARM_KEY), false);
  });

  it("raises one alarm per certificate expiring within the warning days, and clears it once replaced", async () => {
    certificates = [
      { thumbprint: "aa", subject: "plc-1", notAfter: new Date(NOW + 40 * DAY).toISOString() },
      { thumbprint: "bb", subject: "plc-2", notAfter: new Date(NOW + 20 * DAY).toISOString() },
      { thumbprint: "cc", subject: "petroflow", notAfter: new Date(NOW - DAY).toISOString() },
    ];
    await monitors.checkCertificates();
    assert.deepEqual([...alarms.active.keys()].sort(), ["opcua-cert:bb", "opcua-cert:cc"]);
    assert.deepEqual([alarms.active.get("opcua-cert:bb")?.priority, alarms.active.get("opcua-cert:bb")?.message], ["medium", "OPC UA certificate plc-2 expires in 20 days"]);
    assert.equal(alarms.active.get("opcua-cert:cc")?.priority, "critical");
    certificates = certificates.filter((certificate) => certificate.thumbprint !== "bb");
    await monitors.checkCertificates();
    assert.deepEqual([...alarms.active.keys()], ["opcua-cert:cc"]);
  });

  it("reads certificates from the PKI folder's own/ and trusted/ (PEM), ignoring what is not one", async function () {
    let openssl = true;
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
    } catch {
      openssl = false;
    }
    if (!openssl) skipWithReason(this, "openssl is not installed (it makes the test certificate)");
    const pki = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-pki-"));
    try {
      const own = path.join(pki, "own", "certs");
      fs.mkdirSync(own, { recursive: true });
      fs.mkdirSync(path.join(pki, "trusted", "certs"), { recursive: true });
      // node-opcua-pki sets process.env.OPENSSL_CONF to a file in its temp folder once an OPC UA test in this
      // process made a certificate; in parallel mode such a test may run earlier in the same worker and
      // remove that folder, and openssl refuses a missing config file.
      const { OPENSSL_CONF: _opcuaConfig, ...env } = process.env;
      execFileSync(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(pki, "key.pem"), "-out", path.join(own, "client.pem"), "-days", "10", "-subj", "/CN=petroflow-client"],
        { stdio: "ignore", env },
      );
      fs.writeFileSync(path.join(pki, "trusted", "certs", "broken.pem"), "not a certificate");
      const found = await readPkiCertificates(pki);
      assert.equal(found.length, 1);
      assert.equal(found[0].subject, "petroflow-client");
      const daysLeft = (Date.parse(found[0].notAfter) - Date.now()) / DAY;
      assert.ok(daysLeft > 9 && daysLeft <= 10);
      assert.match(found[0].thumbprint, /^[0-9a-f]{40}$/);
    } finally {
      fs.rmSync(pki, { recursive: true, force: true });
    }
  });
});
