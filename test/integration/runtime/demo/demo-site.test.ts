import assert from "node:assert/strict";
import mqtt from "mqtt";
import type { MqttClient } from "mqtt";
import { startDemoSiteProcess } from "../../../helpers/site-process.js";
import type { SiteProcess } from "../../../helpers/site-process.js";

/** The embedded broker's URL, from the demo's "demo oilfield running" log line. */
function embeddedBrokerUrl(output: string): string {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; mqtt?: string };
    if (entry.msg === "demo oilfield running" && entry.mqtt) return entry.mqtt;
  }
  throw new Error(`the demo did not log its broker:\n${output}`);
}

describe("the demo site's embedded MQTT broker", function () {
  let site: SiteProcess | undefined;
  const clients: MqttClient[] = [];

  afterEach(async function () {
    this.timeout(30_000);
    for (const client of clients.splice(0)) await client.endAsync(true);
    await site?.dispose();
    site = undefined;
  });

  it("SIGTERM with external MQTT clients connected: exit 0 in under 1 s, their sockets closed", async function () {
    this.timeout(180_000);
    site = await startDemoSiteProcess();
    const url = embeddedBrokerUrl(site.output());
    for (let i = 0; i < 3; i++) {
      // A plain subscriber, as SCADA or a historian would be: it keeps its socket open and would reconnect.
      const client = await mqtt.connectAsync(url, { clientId: `external-${process.pid}-${i}`, reconnectPeriod: 0, connectTimeout: 5000 });
      await client.subscribeAsync("spBv1.0/#", { qos: 0 });
      clients.push(client);
    }
    const closed = clients.map((client) => new Promise<void>((resolve) => client.once("close", () => resolve())));
    const started = process.hrtime.bigint();
    const code = await site.stop();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(code, 0, site.output().split("\n").slice(-15).join("\n"));
    assert.doesNotMatch(site.output(), /shutdown took too long/);
    assert.ok(elapsedMs < 1000, `shutdown took ${elapsedMs.toFixed(0)} ms`);
    await Promise.all(closed);
  });
});
