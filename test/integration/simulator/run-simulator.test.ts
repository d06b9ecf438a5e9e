import assert from "node:assert/strict";
import net from "node:net";
import ModbusRTU from "modbus-serial";
import { startSimulator, type SimulatorExtraServer } from "../../../simulator/run-simulator.js";
import type { OilfieldModel } from "../../../simulator/model/types.js";

const HOST = "127.0.0.1";

describe("simulator runner", () => {
  it("ticks the model, serves Modbus, starts and closes extra servers, and frees everything on close", async () => {
    const calls: string[] = [];
    let seen: OilfieldModel | undefined;
    const extra: SimulatorExtraServer = {
      start(model) {
        seen = model;
        calls.push("start");
      },
      async close() {
        calls.push("close");
      },
    };
    const startTime = Date.UTC(2025, 0, 1);
    const simulator = await startSimulator({ seed: 2, startTime, timeFactor: 600, tickMs: 20, modbusPort: 0, host: HOST, extraServers: [extra] });
    assert.equal(seen, simulator.model);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.ok(simulator.model.now() > startTime + 30_000, "simulated time runs timeFactor times faster");

    const client = new ModbusRTU();
    await client.connectTCP(HOST, { port: simulator.modbusPort });
    client.setID(11);
    client.setTimeout(1000);
    const thp = (await client.readInputRegisters(0, 2)).buffer.readFloatBE(0);
    assert.ok(thp > 100 && thp < 30000, `THP ${thp} kPa`);

    await simulator.close();
    assert.deepEqual(calls, ["start", "close"]);
    const frozen = simulator.model.now();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(simulator.model.now(), frozen, "the clock stopped");
    await assert.rejects(
      new Promise((resolve, reject) => net.connect(simulator.modbusPort, HOST, () => resolve(undefined)).once("error", reject)),
      /ECONNREFUSED/,
    );
  });

  it("closes what it started when an extra server fails to start", async () => {
    const calls: string[] = [];
    const good: SimulatorExtraServer = { start: () => void calls.push("good start"), close: () => void calls.push("good close") };
    const bad: SimulatorExtraServer = {
      start: () => {
        throw new Error("port in use");
      },
      close: () => void calls.push("bad close"),
    };
    await assert.rejects(startSimulator({ modbusPort: 0, host: HOST, extraServers: [good, bad] }), /port in use/);
    assert.deepEqual(calls, ["good start", "good close"]);
  });
});
