import assert from "node:assert/strict";
import type { FlowEntries, FlowEntryEvent } from "../../../../runtime/flow-entries/flow-entry-port.js";
import type { NodeInstance, NodeMessage, NodeStatus } from "../../../../nodes/shared/node-red-types.js";
import { showWaitingEntries } from "../../../../nodes/erp/shared/record-on-input.js";

/** A node that keeps what it was told: its statuses, its errors and its close handler. */
function fakeNode(id: string) {
  const statuses: NodeStatus[] = [];
  const errors: { error: unknown; msg?: NodeMessage }[] = [];
  let close: ((removed: boolean, done: () => void) => void) | undefined;
  const node = {
    id,
    on(event: string, listener: never) {
      if (event === "close") close = listener;
    },
    send: () => undefined,
    status: (status: NodeStatus) => statuses.push(status),
    error: (error: unknown, msg?: NodeMessage) => errors.push({ error, msg }),
    warn: () => undefined,
    log: () => undefined,
  } as unknown as NodeInstance;
  return { node, statuses, errors, close: () => new Promise<void>((resolve) => close?.(false, resolve)) };
}

function fakeFlowEntries(waiting: Record<string, number>) {
  const watchers = new Map<string, (event: FlowEntryEvent) => void>();
  const entries: FlowEntries = {
    record: () => Promise.reject(new Error("not in this test")),
    waiting: (actor) => waiting[actor] ?? 0,
    watch(actor, listener) {
      watchers.set(actor, listener);
      return () => watchers.delete(actor);
    },
  };
  return { entries, watchers };
}

describe("showWaitingEntries", () => {
  it("shows at start how many of the node's entries still wait (after a restart or redeploy)", () => {
    const { node, statuses } = fakeNode("n1");
    showWaitingEntries(node, fakeFlowEntries({ "flow:n1": 4 }).entries, "tank-gauge");
    assert.deepEqual(statuses, [{ fill: "yellow", shape: "ring", text: "4 waiting for the database" }]);
  });

  it("shows nothing at start when none waits, and outside a Petroflow runtime", () => {
    const { node, statuses } = fakeNode("n1");
    showWaitingEntries(node, fakeFlowEntries({}).entries, "tank-gauge");
    showWaitingEntries(node, undefined, "tank-gauge");
    assert.deepEqual(statuses, []);
  });

  it("follows the count, reports a refused entry to Catch with the entry, and stops listening on close", async () => {
    const { node, statuses, errors, close } = fakeNode("n1");
    const { entries, watchers } = fakeFlowEntries({});
    showWaitingEntries(node, entries, "well test");
    const notify = watchers.get("flow:n1")!;
    notify({ waiting: 2 });
    notify({ waiting: 1, refused: { operation: "proposeWellTest", input: { wellId: "w" }, error: new Error("wellId is not a well") } });
    notify({ waiting: 0 });
    assert.deepEqual(statuses, [
      { fill: "yellow", shape: "ring", text: "2 waiting for the database" },
      { fill: "red", shape: "ring", text: "a waiting well test entry was refused when written: wellId is not a well" },
      { fill: "green", shape: "dot", text: "waiting entries recorded" },
    ]);
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0].msg, { payload: { wellId: "w" }, topic: "proposeWellTest" });
    await close();
    assert.equal(watchers.has("flow:n1"), false);
  });
});
