import assert from "node:assert/strict";
import ModbusRTU from "modbus-serial";
import { buildModbusMap, registersToFloat32 } from "../../../../simulator/modbus-map.js";
import { createOilfield } from "../../../../simulator/model/oilfield.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { freePort } from "../../../helpers/free-port.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { errorOf, poll, sessionsByRole } from "../../support.js";

interface TagRow {
  id: string;
  path: string;
  writable: boolean;
  writeMin: number | null;
  writeMax: number | null;
  live: { v: number | boolean | null; q: string } | null;
}

interface AuditRow {
  actor: string;
  action: string;
  before: { value: unknown };
  after: { value: unknown };
  details: { outcome: string; why?: string; readBack?: unknown };
  occurredAt: string;
}

/** The simulator's Modbus port, from the demo's "demo oilfield running" log line. */
function modbusPortOf(output: string): number {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; modbusPort?: number };
    if (entry.msg === "demo oilfield running" && entry.modbusPort) return entry.modbusPort;
  }
  throw new Error(`the demo did not log its Modbus port:\n${output}`);
}

/** What the simulator's WELL-101 holds in its CHOKE_SP registers, asked over Modbus by a client of our own. */
async function chokeOnDevice(port: number): Promise<number> {
  const unit = buildModbusMap(createOilfield({ seed: 1, startTime: 0 })).find((candidate) => candidate.asset === "WELL-101");
  const entry = unit?.entries.find((candidate) => candidate.point === "CHOKE_SP");
  assert.ok(unit && entry, "WELL-101 has a CHOKE_SP register");
  const client = new ModbusRTU();
  await client.connectTCP("127.0.0.1", { port });
  try {
    client.setID(unit.unitId);
    client.setTimeout(2000);
    const reply = await client.readHoldingRegisters(entry.address, 2);
    return registersToFloat32(reply.data[0] ?? 0, reply.data[1] ?? 0);
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

/**
 * A setpoint written from the API goes through the demo's real device path:
 * the modbus-read node of the shipped demo flow writes the simulator's
 * register and reads it back (wells), the opcua-subscribe node writes the
 * OPC UA node (separators), the sparkplug-host sends a DCMD (compressor);
 * limits and roles refuse, every attempt is audited.
 */
describe("setpoint writes through the demo's device nodes", function () {
  this.timeout(180_000);
  let site: SiteProcess | undefined;
  let admin: SiteClient;
  let operator: SiteClient;
  let viewer: SiteClient;

  before(async function () {
    // The demo as startDemoSiteProcess starts it, with room for a busy machine: the simulator and Node-RED start slowly there.
    site = await startSiteProcess({
      backend: "pglite",
      readyTimeoutMs: 150_000,
      env: { PETROFLOW_DEMO: "true", PETROFLOW_SIM_MODBUS_PORT: "0", PETROFLOW_SIM_OPCUA_PORT: String(await freePort()), PETROFLOW_EMBEDDED_MQTT_PORT: "0", PETROFLOW_DEMO_BACKFILL_DAYS: "0" },
    });
    ({ admin, operator, viewer } = await sessionsByRole(site.url, { operator: "ana", viewer: "vera" }));
  });

  after(async () => {
    await site?.dispose();
  });

  async function tag(path: string): Promise<TagRow> {
    const { tags } = await admin.json<{ tags: TagRow[] }>("GET", `/api/v1/tags?prefix=${encodeURIComponent(path)}`);
    const found = tags.find((candidate) => candidate.path === path);
    assert.ok(found, `tag ${path} exists`);
    return found;
  }

  async function liveTag(path: string): Promise<TagRow> {
    const polled = await poll(() => tag(path), (row) => row.live?.q === "good", 60_000);
    assert.ok(polled.satisfied, `${path} has a good live value`);
    return polled.value;
  }

  const audits = async (id: string) =>
    (await admin.json<{ entries: AuditRow[] }>("GET", `/api/v1/audit?action=tag.write&entityId=${id}&limit=20`)).entries;

  it("an operator writes a well's choke: confirmed by read-back, the simulator's register holds it, audited with old and new", async () => {
    const choke = await liveTag("SITE1/WELL-101/CHOKE_SP");
    assert.deepEqual([choke.writable, choke.writeMin, choke.writeMax], [true, 0, 100], "the demo's setpoints are writable within the simulator's range");
    const previous = choke.live?.v;
    const requested = previous === 37.5 ? 62.5 : 37.5;
    const response = await operator.request("POST", `/api/v1/tags/${choke.id}/write`, { value: requested, expectedCurrent: previous, reason: "test" });
    const result = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 200, JSON.stringify(result));
    assert.deepEqual(result, { requested, previous, readBack: requested, confirmed: true, outcome: "confirmed" });
    assert.equal(await chokeOnDevice(modbusPortOf(site!.output())), requested);
    const [row] = await audits(choke.id);
    assert.deepEqual(
      { actor: row?.actor, before: row?.before, after: row?.after, outcome: row?.details.outcome, readBack: row?.details.readBack },
      { actor: "ana", before: { value: previous }, after: { value: requested }, outcome: "confirmed", readBack: requested },
    );
    assert.ok(row && Date.now() - Date.parse(row.occurredAt) < 60_000, "when: just now");
  });

  it("refuses outside the write limits (400 naming them) and for a viewer (403); the refusal is audited", async () => {
    const choke = await tag("SITE1/WELL-101/CHOKE_SP");
    const before = (await audits(choke.id)).length;
    const tooOpen = await operator.request("POST", `/api/v1/tags/${choke.id}/write`, { value: 150 });
    assert.equal(tooOpen.status, 400);
    const error = await errorOf(tooOpen);
    assert.deepEqual(error.details, { field: "value", reason: "outside_write_limits", params: { min: 0, max: 100, unit: "%" } });
    const viewing = await viewer.request("POST", `/api/v1/tags/${choke.id}/write`, { value: 50 });
    assert.equal(viewing.status, 403);
    const rows = await audits(choke.id);
    assert.equal(rows.length, before + 1, "the refused operator write is audited; the viewer never reached the tag");
    assert.deepEqual([rows[0]?.details.outcome, rows[0]?.details.why, rows[0]?.after], ["refused", "outside_write_limits", { value: 150 }]);
    const thp = await tag("SITE1/WELL-101/THP");
    const notWritable = await operator.request("POST", `/api/v1/tags/${thp.id}/write`, { value: 1000 });
    assert.equal(notWritable.status, 409);
    assert.equal((await errorOf(notWritable)).details?.reason, "not_writable");
  });

  it("writes a separator's test-well selection over OPC UA, confirmed by reading the node back", async () => {
    const testWell = await liveTag("SITE1/SEP-TEST/TEST_WELL");
    // Well numbers are the asset's digits (WELL-101 is 101); 0 routes none to test.
    const requested = testWell.live?.v === 101 ? 102 : 101;
    const result = await operator.json<Record<string, unknown>>("POST", `/api/v1/tags/${testWell.id}/write`, { value: requested });
    assert.deepEqual([result.readBack, result.confirmed], [requested, true]);
  });

  it("writes the compressor's speed setpoint over Sparkplug B (DCMD), confirmed by the edge node's next DDATA", async () => {
    const speed = await liveTag("SITE1/COMP-01/SPEED_SP");
    assert.deepEqual([speed.writable, speed.writeMin, speed.writeMax], [true, 700, 1200]);
    const requested = speed.live?.v === 950 ? 1050 : 950;
    const result = await operator.json<Record<string, unknown>>("POST", `/api/v1/tags/${speed.id}/write`, { value: requested });
    assert.deepEqual([result.previous, result.readBack, result.confirmed], [speed.live?.v, requested, true]);
  });
});
