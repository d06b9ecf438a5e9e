import assert from "node:assert/strict";
import { ModbusExceptionError } from "../../../../../nodes/modbus/modbus-device/modbus-connection.js";
import type { ModbusReply, ModbusRequest } from "../../../../../nodes/modbus/modbus-device/modbus-connection.js";
import { LearnedReadPlan } from "../../../../../nodes/modbus/modbus-read/learned-plan.js";
import { poll } from "../../../../../nodes/modbus/modbus-read/poll.js";
import { planReads } from "../../../../../nodes/modbus/modbus-read/read-plan.js";
import type { DataType, ModbusFunction, ModbusPoint } from "../../../../../nodes/modbus/shared/point.js";

function p(name: string, address: number, type: DataType = "uint16", fn: ModbusFunction = "holding-register"): ModbusPoint {
  return { name, function: fn, address, type: fn === "coil" || fn === "discrete-input" ? "bool" : type, order: "ABCD", scale: 1, offset: 0 };
}

/**
 * A device with a sparse map: registers hold their own address as value,
 * unmapped ones make the whole request fail with exception 2, the way
 * field devices answer (Modbus application protocol 1.1b3, section 7).
 */
class SparseDevice {
  readonly unmapped = new Set<number>();
  readonly requests: ModbusRequest[] = [];
  exceptions = 0;

  readonly execute = async (request: ModbusRequest): Promise<ModbusReply> => {
    this.requests.push(request);
    if (request.fc > 4 || !("quantity" in request)) throw new Error("read only");
    for (let address = request.address; address < request.address + request.quantity; address++) {
      if (this.unmapped.has(address)) {
        this.exceptions++;
        throw new ModbusExceptionError(`Modbus exception 2: Illegal data address (fc ${request.fc} at ${request.address}): fake unit 1`, 2);
      }
    }
    const span = Array.from({ length: request.quantity }, (_, i) => request.address + i);
    return request.fc <= 2 ? { bits: span.map((address) => address % 2 === 0) } : { words: span };
  };

  reset(): void {
    this.requests.length = 0;
    this.exceptions = 0;
  }
}

// a b [c unmapped] d e(float32 104–105) f … [110 unmapped, between f and g] … g
const POINTS = [p("a", 100), p("b", 101), p("c", 102), p("d", 103), p("e", 104, "uint32"), p("f", 108), p("g", 112)];
const names = (indexes: Iterable<number>) => [...indexes].map((index) => POINTS[index].name).sort();

describe("Modbus reads around holes in the device's map", () => {
  it("one poll: a block refused with exception 2 is split until every valid point is read; only the unmapped point fails, with its own address", async () => {
    const device = new SparseDevice();
    device.unmapped.add(102).add(110);
    const blocks = planReads(POINTS, { maxGap: 10 });
    assert.deepEqual(blocks.map((b) => [b.address, b.quantity]), [[100, 13]], "one coalesced block to begin with");
    const result = await poll(blocks, POINTS, device.execute);
    assert.deepEqual(names(result.values.keys()), ["a", "b", "d", "e", "f", "g"]);
    assert.equal(result.values.get(3), 103);
    assert.equal(result.values.get(6), 112);
    assert.deepEqual(names(result.errors.keys()), ["c"]);
    assert.match(result.errors.get(2) ?? "", /exception 2.*at 102\b/);
  });

  it("other failures (a timeout, exception 4) are not split: the block's points fail together", async () => {
    const points = [p("a", 0), p("b", 1)];
    let requests = 0;
    const result = await poll(planReads(points, { maxGap: 0 }), points, async () => {
      requests++;
      throw new ModbusExceptionError("Modbus exception 4: Slave device failure (fc 3 at 0): fake unit 1", 4);
    });
    assert.equal(requests, 1);
    assert.deepEqual([...result.errors.keys()], [0, 1]);
  });

  it("learns the holes and plans around them: later polls ask only for what the device serves", async () => {
    const device = new SparseDevice();
    device.unmapped.add(102).add(110);
    const plan = new LearnedReadPlan(POINTS, { maxGap: 10 }, { reprobeMs: 600_000 });
    const first = await plan.poll(device.execute, 0);
    assert.deepEqual(names(first.values.keys()), ["a", "b", "d", "e", "f", "g"]);
    device.reset();
    for (const now of [1000, 2000, 3000]) {
      const later = await plan.poll(device.execute, now);
      assert.deepEqual(names(later.values.keys()), ["a", "b", "d", "e", "f", "g"]);
      assert.deepEqual(names(later.errors.keys()), ["c"], "the hole stays bad");
      assert.match(later.errors.get(2) ?? "", /exception 2.*at 102\b/, "with the device's own words for it");
    }
    assert.equal(device.exceptions, 0, "no request is refused any more");
    assert.deepEqual(device.requests.slice(0, 3).map((r) => ("quantity" in r ? [r.address, r.quantity] : [])), [[100, 2], [103, 6], [112, 1]]);
    assert.equal(device.requests.length, 9, "three requests per poll");
  });

  it("re-probes after reprobeMs: a register mapped since then is read again, a new hole is found", async () => {
    const device = new SparseDevice();
    device.unmapped.add(102);
    const plan = new LearnedReadPlan(POINTS, { maxGap: 10 }, { reprobeMs: 60_000 });
    await plan.poll(device.execute, 0);
    device.unmapped.clear();
    device.unmapped.add(112);
    const before = await plan.poll(device.execute, 59_000);
    assert.deepEqual(names(before.errors.keys()), ["c", "g"], "the learnt hole is not asked for before the probe; the new one shows at once");
    device.reset();
    const probed = await plan.poll(device.execute, 60_000);
    assert.deepEqual(names(probed.errors.keys()), ["g"]);
    assert.equal(probed.values.get(2), 102, "the point mapped since is read again");
    assert.deepEqual(device.requests[0] && "quantity" in device.requests[0] ? [device.requests[0].address, device.requests[0].quantity] : [], [100, 13], "the probe asks for the whole block again");
  });

  it("works for coils too", async () => {
    const device = new SparseDevice();
    device.unmapped.add(3);
    const coils = [p("c0", 0, "bool", "coil"), p("c2", 2, "bool", "coil"), p("c3", 3, "bool", "coil"), p("c4", 4, "bool", "coil")];
    const plan = new LearnedReadPlan(coils, { maxGap: 1 }, { reprobeMs: 600_000 });
    const result = await plan.poll(device.execute, 0);
    assert.deepEqual([...result.values].sort(), [[0, true], [1, true], [3, true]]);
    assert.match(result.errors.get(2) ?? "", /at 3\b/);
  });
});
