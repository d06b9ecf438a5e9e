import assert from "node:assert/strict";
import { TagStore } from "../../../../runtime/tags/tag-store.js";
import { checkWrite, readBackMatches, TagWriteError, TagWrites, type WritePolicy } from "../../../../runtime/tags/tag-writes.js";

const PATH = "SITE1/WELL-101/CHOKE_SP";
const CHOKE: WritePolicy = { dataType: "float", unit: "%", writable: true, writeMin: 0, writeMax: 100, writeRole: "operator" };

async function rejection(promise: Promise<unknown>): Promise<TagWriteError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TagWriteError, String(error));
    return error;
  }
  assert.fail("the write was not refused");
}

describe("setpoint write checks (pure)", () => {
  it("accepts a value inside the limits, for a role at or above the tag's writeRole or a flow", () => {
    assert.equal(checkWrite(PATH, CHOKE, 42.5, "operator"), null);
    assert.equal(checkWrite(PATH, CHOKE, 0, "admin"), null);
    assert.equal(checkWrite(PATH, CHOKE, 100, undefined), null);
  });

  it("refuses outside the limits with 400, naming both limits and the unit; an open side has no limit", () => {
    const refusal = checkWrite(PATH, CHOKE, 100.5, "operator");
    assert.deepEqual(refusal && { status: refusal.status, reason: refusal.reason, params: refusal.params }, {
      status: 400,
      reason: "outside_write_limits",
      params: { min: 0, max: 100, unit: "%" },
    });
    assert.match(refusal?.message ?? "", /0 to 100 %/);
    assert.equal(checkWrite(PATH, CHOKE, -1, "operator")?.reason, "outside_write_limits");
    assert.equal(checkWrite(PATH, { ...CHOKE, writeMax: null }, 1e6, "operator"), null);
  });

  it("refuses a tag that is not writable or not registered with 409, and a role below writeRole with 403", () => {
    assert.deepEqual(pick(checkWrite(PATH, { ...CHOKE, writable: false }, 1, "admin")), [409, "not_writable"]);
    assert.deepEqual(pick(checkWrite(PATH, undefined, 1, "admin")), [409, "not_writable"]);
    assert.deepEqual(pick(checkWrite(PATH, { ...CHOKE, writeRole: "engineer" }, 1, "operator")), [403, "write_role_required"]);
    assert.deepEqual(pick(checkWrite(PATH, CHOKE, 1, "viewer")), [403, "write_role_required"]);
  });

  it("refuses a value of the wrong type with 400: text, non-finite, a fraction for an int tag, a number for a bool tag", () => {
    assert.deepEqual(pick(checkWrite(PATH, CHOKE, true, "operator")), [400, "wrong_type"]);
    assert.deepEqual(pick(checkWrite(PATH, CHOKE, Number.NaN, "operator")), [400, "wrong_type"]);
    assert.deepEqual(pick(checkWrite(PATH, { ...CHOKE, dataType: "int" }, 2.5, "operator")), [400, "wrong_type"]);
    assert.deepEqual(pick(checkWrite(PATH, { ...CHOKE, dataType: "bool", writeMin: null, writeMax: null }, 1, "operator")), [400, "wrong_type"]);
    assert.equal(checkWrite(PATH, { ...CHOKE, dataType: "bool", writeMin: null, writeMax: null }, true, "operator"), null);
  });

  it("a read-back matches within float32 rounding, exactly for booleans", () => {
    assert.equal(readBackMatches(37.3, Math.fround(37.3)), true);
    assert.equal(readBackMatches(37.3, 37.4), false);
    assert.equal(readBackMatches(0, 0), true);
    assert.equal(readBackMatches(true, true), true);
    assert.equal(readBackMatches(true, 1), false);
    assert.equal(readBackMatches(5, null), false);
  });
});

function pick(refusal: ReturnType<typeof checkWrite>): [number, string] | null {
  return refusal && [refusal.status, refusal.reason];
}

describe("the device write path (TagWrites)", () => {
  let live: TagStore;
  let writes: TagWrites;

  beforeEach(() => {
    live = new TagStore();
    writes = new TagWrites(live, (path) => (path.endsWith("_SP") ? CHOKE : undefined));
    live.write(PATH, { v: 20 });
  });

  it("goes to the exact path's writer over a wildcard's, and answers previous, read-back and confirmed", async () => {
    const calls: string[] = [];
    writes.registerWriter("SITE1/#", async () => {
      calls.push("wildcard");
      return { readBack: 0 };
    });
    const remove = writes.registerWriter(PATH, async ({ value }) => {
      calls.push("exact");
      return { readBack: Math.fround(value as number) };
    });
    const result = await writes.requestWrite(PATH, 37.3, { actor: "ana", role: "operator" });
    assert.deepEqual(calls, ["exact"]);
    assert.deepEqual(result, { requested: 37.3, previous: 20, readBack: Math.fround(37.3), confirmed: true, outcome: "confirmed" });
    remove();
    const other = await writes.requestWrite(PATH, 30, { actor: "ana" });
    assert.deepEqual(calls, ["exact", "wildcard"]);
    assert.equal(other.outcome, "unconfirmed");
    assert.match(other.detail ?? "", /holds 0 after the write, not 30/);
  });

  it("refuses before any device is asked: limits, no device path", async () => {
    let asked = 0;
    writes.registerWriter(PATH, async () => {
      asked++;
      return {};
    });
    assert.equal((await rejection(writes.requestWrite(PATH, 101, { actor: "ana" }))).reason, "outside_write_limits");
    assert.equal(asked, 0);
    const noDevice = await rejection(writes.requestWrite("SITE1/WELL-102/CHOKE_SP", 5, { actor: "ana" }));
    assert.deepEqual([noDevice.status, noDevice.reason], [409, "no_device_path"]);
  });

  it("a device error is 502, a device that never answers 504 after the timeout", async () => {
    writes.registerWriter(PATH, async () => {
      throw new Error("exception 02: illegal data address");
    });
    const failed = await rejection(writes.requestWrite(PATH, 5, { actor: "ana" }));
    assert.deepEqual([failed.status, failed.reason], [502, "device_write_failed"]);
    assert.match(failed.message, /illegal data address/);
    writes.registerWriter(PATH, () => new Promise(() => undefined));
    const timedOut = await rejection(writes.requestWrite(PATH, 5, { actor: "ana", timeoutMs: 30 }));
    assert.deepEqual([timedOut.status, timedOut.reason], [504, "device_timeout"]);
  });

  it("without a read of its own, the next live value confirms the write; none in time is unconfirmed", async () => {
    writes.registerWriter(PATH, async ({ value }) => {
      // As a subscription would report it a moment later.
      setTimeout(() => live.write(PATH, { v: value }), 5);
      return {};
    });
    const confirmed = await writes.requestWrite(PATH, 55, { actor: "ana", timeoutMs: 1000 });
    assert.deepEqual([confirmed.readBack, confirmed.confirmed], [55, true]);
    writes.registerWriter(PATH, async () => ({}));
    const silent = await writes.requestWrite(PATH, 60, { actor: "ana", timeoutMs: 30 });
    assert.deepEqual([silent.readBack, silent.confirmed, silent.outcome], [null, false, "unconfirmed"]);
    assert.match(silent.detail ?? "", /no value .* came back within 30 ms/);
  });
});
