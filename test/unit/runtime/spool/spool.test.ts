import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Spool, SpoolError, type SpoolCorruption, type SpoolOptions } from "../../../../runtime/spool/spool.js";
import { FRAME_HEADER_BYTES, SEGMENT_HEADER_BYTES } from "../../../../runtime/spool/spool-format.js";
import { nodeSpoolFs, type SpoolFile, type SpoolFs } from "../../../../runtime/spool/spool-fs.js";

const text = (value: string) => Buffer.from(value, "utf8");
const texts = (records: { data: Buffer }[]) => records.map((record) => record.data.toString("utf8"));

/** The real file system, counting fdatasync calls and able to hold or fail them. */
class CountingFs implements SpoolFs {
  datasyncs = 0;
  /** While set, every datasync waits for this promise. */
  hold: Promise<void> | undefined;
  failDatasync: Error | undefined;
  failWrite: Error | undefined;

  open = async (file: string, flags: "r" | "r+" | "wx", mode?: number): Promise<SpoolFile> => {
    const handle = await nodeSpoolFs.open(file, flags, mode);
    return {
      read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
      write: async (buffer, offset, length, position) => {
        if (this.failWrite) throw this.failWrite;
        return handle.write(buffer, offset, length, position);
      },
      datasync: async () => {
        this.datasyncs += 1;
        await this.hold;
        if (this.failDatasync) throw this.failDatasync;
        await handle.datasync();
      },
      truncate: (length) => handle.truncate(length),
      stat: () => handle.stat(),
      chmod: (fileMode) => handle.chmod(fileMode),
      close: () => handle.close(),
    };
  };
  mkdir: SpoolFs["mkdir"] = (path, mode) => nodeSpoolFs.mkdir(path, mode);
  chmod: SpoolFs["chmod"] = (path, mode) => nodeSpoolFs.chmod(path, mode);
  readdir: SpoolFs["readdir"] = (path) => nodeSpoolFs.readdir(path);
  rename: SpoolFs["rename"] = (from, to) => nodeSpoolFs.rename(from, to);
  unlink: SpoolFs["unlink"] = (path) => nodeSpoolFs.unlink(path);
  syncDir: SpoolFs["syncDir"] = (path) => nodeSpoolFs.syncDir(path);
}

function segmentsIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".seg"))
    .sort();
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe("spool", () => {
  let root: string;
  let dir: string;
  const open: Spool[] = [];

  async function openSpool(options: Partial<SpoolOptions> = {}): Promise<Spool> {
    const spool = await Spool.open({ dir, maxRecords: 1000, maxBytes: 1 << 20, ...options });
    open.push(spool);
    return spool;
  }

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-spool-"));
    dir = path.join(root, "spool", "test");
  });

  afterEach(async () => {
    for (const spool of open.splice(0)) await spool.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("delivers appended records in order, keeps them until acknowledged, and counts what waits", async () => {
    let now = 1_000;
    const spool = await openSpool({ now: () => now });
    assert.deepEqual(spool.depth(), { records: 0, bytes: 0, oldestAppendedAtMs: null });
    await spool.append(text("one"));
    now = 2_000;
    await spool.appendBatch([text("two"), text("three")]);
    assert.deepEqual(spool.depth(), { records: 3, bytes: 3 * FRAME_HEADER_BYTES + 11, oldestAppendedAtMs: 1_000 });

    const first = await spool.read({ maxRecords: 2 });
    assert.deepEqual(texts(first), ["one", "two"]);
    assert.deepEqual(
      first.map((record) => record.appendedAtMs),
      [1_000, 2_000],
    );
    assert.deepEqual(texts(await spool.read({ maxRecords: 2 })), ["one", "two"], "reading removes nothing");
    assert.deepEqual(texts(await spool.read({ from: first[1].next })), ["three"], "a read can continue where another stopped");

    await spool.ack(first[0]);
    assert.deepEqual(spool.depth(), { records: 2, bytes: 2 * FRAME_HEADER_BYTES + 8, oldestAppendedAtMs: 2_000 });
    assert.deepEqual(texts(await spool.read()), ["two", "three"]);
    const rest = await spool.read();
    await spool.ack(rest.at(-1)!);
    assert.deepEqual(spool.depth(), { records: 0, bytes: 0, oldestAppendedAtMs: null });
    assert.deepEqual(await spool.read(), []);
  });

  it("refuses to acknowledge a position it never delivered", async () => {
    const spool = await openSpool();
    await spool.append(text("one"));
    const [record] = await spool.read();
    await assert.rejects(spool.ack({ next: { offset: record.next.offset + 1, sequence: record.next.sequence } }), /not a record boundary|beyond/);
    await spool.ack(record);
    await spool.ack(record);
    assert.equal(spool.depth().records, 0, "acknowledging the same record again is harmless");
  });

  it("tells its subscribers when the depth changes", async () => {
    const spool = await openSpool();
    const seen: number[] = [];
    const unsubscribe = spool.subscribe((depth) => seen.push(depth.records));
    await spool.appendBatch([text("a"), text("b")]);
    const [first] = await spool.read();
    await spool.ack(first);
    unsubscribe();
    await spool.append(text("c"));
    assert.deepEqual(seen, [2, 1]);
  });

  describe("group commit", () => {
    it("writes a batch with one fsync", async () => {
      const counting = new CountingFs();
      const spool = await openSpool({ fs: counting });
      const before = counting.datasyncs;
      await spool.appendBatch(Array.from({ length: 1000 }, (_, index) => text(`value ${index}`)));
      assert.equal(counting.datasyncs - before, 1);
      assert.equal(spool.depth().records, 1000);
    });

    it("gathers appends made while an fsync runs into the next one", async () => {
      const counting = new CountingFs();
      const spool = await openSpool({ fs: counting });
      const before = counting.datasyncs;
      await Promise.all(Array.from({ length: 200 }, (_, index) => spool.append(text(`value ${index}`))));
      const fsyncs = counting.datasyncs - before;
      assert.ok(fsyncs >= 1 && fsyncs <= 3, `200 concurrent appends took ${fsyncs} fsyncs`);
      assert.deepEqual(
        texts(await spool.read({ maxRecords: 200 })),
        Array.from({ length: 200 }, (_, index) => `value ${index}`),
      );
    });

    it("acknowledges an append only once its fsync has returned, and delivers nothing before", async () => {
      const counting = new CountingFs();
      const spool = await openSpool({ fs: counting });
      let release = () => undefined as void;
      counting.hold = new Promise<void>((resolve) => (release = resolve));
      let acknowledged = false;
      const appended = spool.append(text("held")).then(() => (acknowledged = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(counting.datasyncs > 0, true, "the fsync has started");
      assert.equal(acknowledged, false, "not acknowledged while the fsync runs");
      assert.deepEqual(await spool.read(), [], "an unsynced record is not delivered");
      assert.equal(spool.depth().records, 0);
      counting.hold = undefined;
      release();
      await appended;
      assert.deepEqual(texts(await spool.read()), ["held"]);
    });
  });

  describe("segments", () => {
    it("rotates segments, reads across them in order, and deletes each once consumed", async () => {
      const spool = await openSpool({ segmentBytes: 256 });
      const values = Array.from({ length: 40 }, (_, index) => `record-${String(index).padStart(3, "0")}`);
      for (const value of values) await spool.append(text(value));
      const segments = segmentsIn(dir);
      assert.ok(segments.length >= 4, `expected several segments, got ${segments.length}`);
      assert.deepEqual(texts(await spool.read({ maxRecords: 100 })), values);

      const firstTen = await spool.read({ maxRecords: 10 });
      await spool.ack(firstTen.at(-1)!);
      assert.ok(segmentsIn(dir).length < segments.length, "a consumed segment is deleted");
      assert.equal(segmentsIn(dir)[0] !== segments[0], true);
      assert.deepEqual(texts(await spool.read({ maxRecords: 100 })), values.slice(10));

      const all = await spool.read({ maxRecords: 100 });
      await spool.ack(all.at(-1)!);
      assert.equal(segmentsIn(dir).length, 1, "the segment being written stays");
      assert.deepEqual(spool.depth(), { records: 0, bytes: 0, oldestAppendedAtMs: null });
    });

    it("reads a batch bounded by bytes, but always at least one record", async () => {
      const spool = await openSpool();
      await spool.appendBatch([text("x".repeat(100)), text("y".repeat(100)), text("z")]);
      assert.equal((await spool.read({ maxBytes: 150 })).length, 1);
      assert.equal((await spool.read({ maxBytes: 1 })).length, 1);
      assert.equal((await spool.read({ maxBytes: 2 * (FRAME_HEADER_BYTES + 100) })).length, 2);
    });
  });

  describe("restart", () => {
    it("finds after a reopen exactly the records not acknowledged, in order, and appends after them", async () => {
      let spool = await openSpool({ segmentBytes: 200 });
      for (let index = 0; index < 20; index++) await spool.append(text(`r${index}`));
      const read = await spool.read({ maxRecords: 7 });
      await spool.ack(read.at(-1)!);
      const depth = spool.depth();
      await spool.close();

      spool = await openSpool({ segmentBytes: 200 });
      assert.deepEqual(spool.depth(), depth);
      assert.deepEqual(spool.recovery, { truncatedBytes: 0, removedFiles: [] });
      await spool.append(text("after"));
      const all = await spool.read({ maxRecords: 100 });
      assert.deepEqual(texts(all), [...Array.from({ length: 13 }, (_, index) => `r${index + 7}`), "after"]);
      assert.deepEqual(
        all.map((record) => record.position.sequence),
        Array.from({ length: 14 }, (_, index) => index + 7),
        "sequence numbers carry on across restarts",
      );
    });

    it("cuts a torn last record off at open and never delivers it", async () => {
      let spool = await openSpool();
      await spool.appendBatch([text("kept-1"), text("kept-2"), text("torn-record")]);
      await spool.close();
      const [segment] = segmentsIn(dir);
      const file = path.join(dir, segment);
      const size = fs.statSync(file).size;
      fs.truncateSync(file, size - 4);

      spool = await openSpool();
      assert.equal(spool.recovery.truncatedBytes, FRAME_HEADER_BYTES + "torn-record".length - 4);
      assert.equal(fs.statSync(file).size, size - FRAME_HEADER_BYTES - "torn-record".length, "the file is cut back to the last whole record");
      assert.deepEqual(texts(await spool.read()), ["kept-1", "kept-2"]);
      await spool.append(text("next"));
      await spool.close();
      spool = await openSpool();
      assert.deepEqual(texts(await spool.read()), ["kept-1", "kept-2", "next"]);
    });

    it("cuts a torn frame header (a few bytes past the last record) at open", async () => {
      let spool = await openSpool();
      await spool.append(text("whole"));
      await spool.close();
      const file = path.join(dir, segmentsIn(dir)[0]);
      fs.appendFileSync(file, Buffer.from([7, 0, 0]));
      spool = await openSpool();
      assert.equal(spool.recovery.truncatedBytes, 3);
      assert.deepEqual(texts(await spool.read()), ["whole"]);
    });

    it("cuts the last segment at a record whose crc fails, so garbage is never delivered", async () => {
      let spool = await openSpool();
      await spool.appendBatch([text("good-1"), text("good-2"), text("flipped"), text("after-flip")]);
      await spool.close();
      const file = path.join(dir, segmentsIn(dir)[0]);
      const bytes = fs.readFileSync(file);
      const flipAt = bytes.indexOf("flipped");
      bytes[flipAt] = bytes[flipAt] ^ 0xff;
      fs.writeFileSync(file, bytes);

      spool = await openSpool();
      assert.deepEqual(texts(await spool.read()), ["good-1", "good-2"]);
      assert.equal(spool.recovery.truncatedBytes, 2 * FRAME_HEADER_BYTES + "flipped".length + "after-flip".length);
      assert.equal(spool.depth().records, 2);
    });

    it("skips the rest of a sealed segment whose record fails its crc, reports it, and delivers no garbage", async () => {
      const corruptions: SpoolCorruption[] = [];
      let spool = await openSpool({ segmentBytes: 120 });
      for (let index = 0; index < 12; index++) await spool.append(text(`rec-${String(index).padStart(2, "0")}`));
      await spool.close();
      const segments = segmentsIn(dir);
      assert.ok(segments.length >= 3);
      const file = path.join(dir, segments[1]);
      const bytes = fs.readFileSync(file);
      const records = (bytes.length - SEGMENT_HEADER_BYTES) / (FRAME_HEADER_BYTES + 6);
      const flipAt = bytes.indexOf("rec-", SEGMENT_HEADER_BYTES + FRAME_HEADER_BYTES + 6);
      bytes[flipAt] = bytes[flipAt] ^ 0x01;
      fs.writeFileSync(file, bytes);

      spool = await openSpool({ segmentBytes: 120, onCorruption: (corruption) => corruptions.push(corruption) });
      const delivered: string[] = [];
      for (;;) {
        const batch = await spool.read({ maxRecords: 3 });
        if (batch.length === 0) break;
        delivered.push(...texts(batch));
        await spool.ack(batch.at(-1)!);
      }
      assert.equal(corruptions.length, 1);
      assert.equal(corruptions[0].lostRecords, records - 1);
      assert.equal(corruptions[0].segment, segments[1]);
      assert.equal(delivered.length, 12 - (records - 1));
      for (const value of delivered) assert.match(value, /^rec-\d\d$/);
      assert.deepEqual([...delivered].sort(), delivered, "still in order");
    });

    it("falls back to the previous acknowledgement when the newest head slot is torn", async () => {
      let spool = await openSpool();
      await spool.appendBatch([text("a"), text("b"), text("c")]);
      const [a, b] = await spool.read({ maxRecords: 2 });
      await spool.ack(a);
      await spool.ack(b);
      await spool.close();
      const head = path.join(dir, "head");
      const bytes = fs.readFileSync(head);
      // The second ack went to slot 0 (generation 2); tear it.
      bytes[10] = bytes[10] ^ 0xff;
      fs.writeFileSync(head, bytes);
      spool = await openSpool();
      assert.deepEqual(texts(await spool.read()), ["b", "c"], "redelivered, never lost");
    });

    it("removes leftovers of an interrupted segment creation", async () => {
      let spool = await openSpool();
      await spool.append(text("a"));
      await spool.close();
      fs.writeFileSync(path.join(dir, "00000000000000000099.seg.tmp"), "half");
      spool = await openSpool();
      assert.deepEqual(spool.recovery.removedFiles, ["00000000000000000099.seg.tmp"]);
      assert.deepEqual(texts(await spool.read()), ["a"]);
    });
  });

  describe("bounds", () => {
    it("refuses an append past maxRecords with spool_full, and takes more once records are acknowledged", async () => {
      const spool = await openSpool({ name: "flow-entries", maxRecords: 3 });
      await spool.appendBatch([text("1"), text("2")]);
      await assert.rejects(spool.appendBatch([text("3"), text("4")]), (error: unknown) => {
        assert.ok(error instanceof SpoolError);
        assert.equal(error.code, "spool_full");
        assert.match(error.message, /spool flow-entries is full: 2 records .* wait; limit 3 records/);
        return true;
      });
      assert.equal(spool.depth().records, 2, "a refused batch adds nothing");
      await spool.append(text("3"));
      await assert.rejects(spool.append(text("4")), { code: "spool_full" });
      const [first] = await spool.read();
      await spool.ack(first);
      await spool.append(text("4"));
      assert.deepEqual(texts(await spool.read()), ["2", "3", "4"]);
    });

    it("refuses an append past maxBytes, counting appends still being written", async () => {
      const spool = await openSpool({ maxBytes: 3 * (FRAME_HEADER_BYTES + 10) });
      const writes = [spool.append(text("0123456789")), spool.append(text("0123456789")), spool.append(text("0123456789"))];
      await assert.rejects(spool.append(text("x")), { code: "spool_full" });
      await Promise.all(writes);
      assert.equal(spool.depth().bytes, 3 * (FRAME_HEADER_BYTES + 10));
    });

    it("refuses a record larger than maxRecordBytes", async () => {
      const spool = await openSpool({ maxRecordBytes: 8 });
      await assert.rejects(spool.append(text("123456789")), { code: "record_too_large" });
      await spool.append(text("12345678"));
    });
  });

  describe("faults", () => {
    it("stops taking appends after a failed fsync (the page cache may have dropped the data)", async () => {
      const counting = new CountingFs();
      const spool = await openSpool({ fs: counting });
      await spool.append(text("before"));
      counting.failDatasync = Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
      await assert.rejects(spool.append(text("lost")), /EIO/);
      counting.failDatasync = undefined;
      await assert.rejects(spool.append(text("after")), { code: "spool_failed" });
      assert.deepEqual(texts(await spool.read()), ["before"], "what was acknowledged is still delivered");
    });

    it("refuses a batch whose write fails, and keeps working once writes succeed again", async () => {
      const counting = new CountingFs();
      const spool = await openSpool({ fs: counting });
      counting.failWrite = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      await assert.rejects(spool.append(text("no room")), /ENOSPC/);
      counting.failWrite = undefined;
      await spool.append(text("room again"));
      assert.deepEqual(texts(await spool.read()), ["room again"]);
      assert.equal(spool.depth().records, 1);
    });

    it("finishes appends in progress on close and refuses new ones", async () => {
      const spool = await openSpool();
      const appended = spool.append(text("last"));
      await spool.close();
      await appended;
      await assert.rejects(spool.append(text("late")), { code: "spool_closed" });
      const reopened = await openSpool();
      assert.deepEqual(texts(await reopened.read()), ["last"]);
    });

    it("is opened by one owner at a time", async () => {
      await openSpool();
      await assert.rejects(openSpool(), { code: "spool_locked" });
    });
  });

  it("keeps its directory 0700 and its files 0600, tightening a looser directory", async () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    const spool = await openSpool();
    await spool.append(text("private"));
    const [record] = await spool.read();
    await spool.ack(record);
    assert.equal(modeOf(dir), 0o700);
    const files = fs.readdirSync(dir);
    assert.ok(files.includes("head"));
    for (const file of files) assert.equal(modeOf(path.join(dir, file)), 0o600, `${file} is ${modeOf(path.join(dir, file)).toString(8)}`);
  });
});
