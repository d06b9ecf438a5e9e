import assert from "node:assert/strict";
import { newId, newIds } from "../../../runtime/ids.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("ids", () => {
  it("makes UUIDv7 ids one at a time", () => {
    assert.match(newId(), UUID_V7);
    assert.notEqual(newId(), newId());
  });

  it("makes many distinct UUIDv7 ids at once, timestamped now", () => {
    const before = Date.now();
    const ids = newIds(10_000);
    assert.equal(ids.length, 10_000);
    assert.equal(new Set(ids).size, 10_000);
    for (const id of ids) assert.match(id, UUID_V7);
    const msecs = parseInt(ids[0].replace(/-/g, "").slice(0, 12), 16);
    assert.ok(msecs >= before && msecs <= Date.now(), `timestamp ${msecs} is not now`);
    assert.deepEqual(newIds(0), []);
  });
});
