import assert from "node:assert/strict";
import type { ClientSession, ClientSubscription } from "node-opcua";
import { createSubscription, creationsSettled } from "../../../../../nodes/opcua/shared/subscription-creations.js";

/** Just the one call the module makes, on a session whose creation the test settles by hand. */
function sessionWithPendingCreation(): { session: ClientSession; settle: () => void } {
  let settle!: () => void;
  const creation = new Promise<ClientSubscription>((resolve) => {
    settle = () => resolve({} as ClientSubscription);
  });
  const session = { createSubscription2: () => creation } as unknown as ClientSession;
  return { session, settle };
}

describe("OPC UA subscription creations and closing a session", () => {
  it("a close waits for a creation under way: node-opcua would assert on a closed session in its next tick", async () => {
    const { session, settle } = sessionWithPendingCreation();
    const created = createSubscription(session, {});
    let settled = false;
    const waiting = creationsSettled(session, 5_000).then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(settled, false, "the close waits while the creation is under way");
    settle();
    await created;
    await waiting;
    assert.equal(settled, true);
  });

  it("does not wait when nothing is under way, and waits at most the timeout for a creation that never ends", async () => {
    const idle = sessionWithPendingCreation().session;
    await creationsSettled(idle, 5_000);
    const { session } = sessionWithPendingCreation();
    void createSubscription(session, {});
    const started = Date.now();
    await creationsSettled(session, 100);
    assert.ok(Date.now() - started < 4_000, "gave up at the timeout");
  });
});
