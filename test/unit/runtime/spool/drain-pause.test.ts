import assert from "node:assert/strict";
import { DrainPause } from "../../../../runtime/spool/drain-pause.js";

describe("a drain loop's pause", () => {
  it("ends when woken, before its delay", async () => {
    const pause = new DrainPause();
    let ended = false;
    const waiting = pause.wait(60_000).then(() => {
      ended = true;
    });
    await Promise.resolve();
    assert.equal(ended, false);
    pause.wake();
    await waiting;
    assert.equal(ended, true);
  });

  it("ends by itself once its delay passes, and a later wake finds nobody waiting", async () => {
    const pause = new DrainPause();
    const started = Date.now();
    await pause.wait(20);
    assert.ok(Date.now() - started >= 15);
    pause.wake();
    let ended = false;
    const next = pause.wait(30).then(() => {
      ended = true;
    });
    await Promise.resolve();
    assert.equal(ended, false, "the earlier wake does not end the next pause");
    await next;
  });
});
