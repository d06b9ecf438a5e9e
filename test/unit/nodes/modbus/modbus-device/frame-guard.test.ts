import assert from "node:assert/strict";
import { expectReply, idleWatch, partialReply, watchChunk } from "../../../../../nodes/modbus/modbus-device/frame-guard.js";
import type { FrameWatch, FrameVerdict } from "../../../../../nodes/modbus/modbus-device/frame-guard.js";

/** A reply to FC 3 for two registers from unit 3. */
const REPLY = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x03, 0x03, 0x04, 0x00, 0x0a, 0x00, 0x0b]);

function feed(watch: FrameWatch, ...chunks: Buffer[]): { watch: FrameWatch; verdicts: FrameVerdict["kind"][]; last: FrameVerdict } {
  const verdicts: FrameVerdict["kind"][] = [];
  let last: FrameVerdict = { kind: "incomplete" };
  for (const chunk of chunks) {
    const step = watchChunk(watch, chunk);
    watch = step.watch;
    last = step.verdict;
    verdicts.push(last.kind);
  }
  return { watch, verdicts, last };
}

describe("Modbus TCP frame guard", () => {
  it("accepts a reply however it is split, and goes idle after it", () => {
    assert.deepEqual(feed(expectReply(3), REPLY).verdicts, ["complete"]);
    const split = feed(expectReply(3), REPLY.subarray(0, 2), REPLY.subarray(2, 6), REPLY.subarray(6, 8), REPLY.subarray(8));
    assert.deepEqual(split.verdicts, ["incomplete", "incomplete", "incomplete", "complete"]);
    assert.equal(split.watch.expecting, false);
  });

  it("flags a corrupt MBAP length as soon as the header shows it, keeping at most 7 bytes", () => {
    const corrupt = Buffer.from(REPLY);
    corrupt.writeUInt16BE(0xffff, 4);
    const result = feed(expectReply(3), Buffer.concat([corrupt, Buffer.alloc(60000)]));
    assert.deepEqual(result.last, { kind: "corrupt", reason: "MBAP length 65535 out of range 3..254" });
    assert.ok(result.watch.header.length <= 7);
    const zero = Buffer.from(REPLY);
    zero.writeUInt16BE(0, 4);
    assert.equal(feed(expectReply(3), zero.subarray(0, 6)).last.kind, "corrupt");
  });

  it("flags garbage, a wrong unit, trailing bytes and unsolicited bytes", () => {
    assert.match((feed(expectReply(3), Buffer.from("HELLO WORLD")).last as { reason: string }).reason, /protocol id/);
    assert.match((feed(expectReply(9), REPLY).last as { reason: string }).reason, /reply from unit 3, expected 9/);
    assert.match((feed(expectReply(3), Buffer.concat([REPLY, Buffer.from([1])])).last as { reason: string }).reason, /1 bytes after a 13-byte reply/);
    assert.match((feed(idleWatch(3), REPLY).last as { reason: string }).reason, /13 unsolicited bytes/);
  });

  it("describes a short frame for the timeout message", () => {
    assert.equal(partialReply(expectReply(3)), "");
    assert.equal(partialReply(feed(expectReply(3), REPLY.subarray(0, 9)).watch), " (short frame: 9 of 13 bytes)");
    assert.equal(partialReply(feed(expectReply(3), REPLY.subarray(0, 3)).watch), " (short frame: 3 bytes)");
  });
});
