import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { startFaultProxy, type FaultProxy } from "../../helpers/fault-proxy.js";
import { freePort } from "../../helpers/free-port.js";
import { skipWithReason } from "../../helpers/skip-report.js";
import { startTestBroker, type TestBroker } from "../../nodes/sparkplug/mqtt-test-broker.js";

const BRIDGE_CONF = path.resolve(__dirname, "..", "..", "..", "deploy", "mosquitto", "bridge.conf");
const MOSQUITTO = "/usr/sbin/mosquitto";

/** deploy/mosquitto/bridge.conf with the lines a site changes set for this test (no TLS: a local broker). */
function siteConfig(dir: string, sitePort: number, cloudPort: number, siteId: string): string {
  const lines = fs
    .readFileSync(BRIDGE_CONF, "utf8")
    .split("\n")
    .filter((line) => !/^(bridge_cafile|bridge_insecure|remote_username|remote_password)\b/.test(line))
    .map((line) =>
      line
        .replace(/^listener .*/, `listener ${sitePort} 127.0.0.1`)
        .replace(/^address .*/, `address 127.0.0.1:${cloudPort}`)
        .replace(/^persistence_location .*/, `persistence_location ${dir}/`)
        .replace(/^restart_timeout .*/, "restart_timeout 1 2")
        .replace(/SITE1/g, siteId),
    );
  lines.push(`user ${os.userInfo().username}`);
  const file = path.join(dir, "mosquitto.conf");
  fs.writeFileSync(file, lines.join("\n"));
  return file;
}

function connect(url: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { clientId: `bridge-test-${randomBytes(4).toString("hex")}`, reconnectPeriod: 0, connectTimeout: 5000 });
    client.once("connect", () => resolve(client));
    client.once("error", reject);
  });
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("deploy/mosquitto/bridge.conf: a site broker bridged to the cloud broker", function () {
  this.timeout(90_000);
  let cloud: TestBroker;
  let proxy: FaultProxy;
  let site: ChildProcess | undefined;
  let work: string;
  const clients: MqttClient[] = [];

  before(async function () {
    if (!fs.existsSync(MOSQUITTO) || spawnSync(MOSQUITTO, ["-h"]).error) skipWithReason(this, `${MOSQUITTO} is not installed (apt-get install mosquitto)`);
    cloud = await startTestBroker();
    const url = new URL(cloud.url);
    proxy = await startFaultProxy(url.hostname, Number(url.port || 1883));
    work = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-bridge-"));
  });
  after(async () => {
    for (const client of clients) client.end(true);
    if (site && site.exitCode === null) {
      const exited = new Promise((resolve) => site?.once("exit", resolve));
      site.kill("SIGTERM");
      await exited;
    }
    await proxy?.close();
    await cloud?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("forwards the site's Sparkplug topics, keeps commands out, and loses nothing while the link is down", async () => {
    const siteId = `S${randomBytes(3).toString("hex").toUpperCase()}`;
    const sitePort = await freePort();
    site = spawn(MOSQUITTO, ["-c", siteConfig(work, sitePort, proxy.port, siteId)], { stdio: ["ignore", "ignore", "pipe"] });
    let siteLog = "";
    site.stderr?.on("data", (chunk: Buffer) => (siteLog += chunk.toString()));

    const received: string[] = [];
    const bridgeState: string[] = [];
    const watcher = await connect(cloud.url);
    clients.push(watcher);
    watcher.on("message", (topic, payload) => {
      if (topic.startsWith("petroflow/bridges/")) bridgeState.push(payload.toString());
      else received.push(`${topic} ${payload.toString()}`);
    });
    await watcher.subscribeAsync([`spBv1.0/${siteId}/#`, `petroflow/bridges/${siteId}/state`]);

    let publisher: MqttClient | undefined;
    await until(`the site broker on ${sitePort} (${siteLog})`, () => siteLog.includes("running") || siteLog.includes("Opening ipv4 listen socket"), 10_000);
    for (let attempt = 0; !publisher; attempt++) {
      publisher = await connect(`mqtt://127.0.0.1:${sitePort}`).catch(async (error: unknown) => {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    clients.push(publisher);
    await until("the bridge up", () => bridgeState.includes("1"));

    const data = (n: number) => `spBv1.0/${siteId}/DDATA/EDGE/WELL-${n}`;
    for (let n = 0; n < 10; n++) await publisher.publishAsync(data(n), `v${n}`, { qos: 0 });
    await publisher.publishAsync(`spBv1.0/${siteId}/DCMD/EDGE/WELL-0`, "not forwarded", { qos: 0 });
    await until("the first 10 values in the cloud", () => received.length >= 10);

    proxy.setMode("reset");
    // The bridge's Will on the cloud broker says 0 when its connection drops.
    await until("the cloud to see the bridge down", () => bridgeState.at(-1) === "0");
    for (let n = 10; n < 30; n++) await publisher.publishAsync(data(n), `v${n}`, { qos: 0 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const duringOutage = received.length;
    proxy.setMode("pass");
    await until("the values published during the outage", () => received.length >= 30, 30_000);
    await until("the bridge up again", () => bridgeState.at(-1) === "1");

    assert.equal(duringOutage, 10, "nothing crossed the cut link");
    const values = received.filter((line) => line.includes("/DDATA/")).map((line) => line.split(" ")[1]);
    assert.deepEqual(values, Array.from({ length: 30 }, (_, n) => `v${n}`), "every value, once, in order");
    assert.ok(!received.some((line) => line.includes("/DCMD/")), "commands are not bridged");
  });
});
