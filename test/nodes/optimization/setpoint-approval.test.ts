import assert from "node:assert/strict";
import helper from "node-red-node-test-helper";
import setpointApprovalNode from "../../../nodes/optimization/setpoint-approval/setpoint-approval.js";
import { readApprovalInput } from "../../../nodes/optimization/setpoint-approval/setpoint-messages.js";
import tagWriteNode from "../../../nodes/tags/tag-write/tag-write.js";
import type { GasLiftRunPort, SetpointToWrite, SetpointWrite, WriteReport } from "../../../nodes/shared/petroflow-services.js";
import { TagStore } from "../../../runtime/tags/tag-store.js";
import { TagWrites, type WritePolicy } from "../../../runtime/tags/tag-writes.js";
import { ServiceError } from "../../../erp-modules/shared/service-error.js";
import { testServices } from "../../helpers/petroflow-services.js";

helper.init(require.resolve("node-red"));

interface TestNode {
  receive(msg: Record<string, unknown>): void;
  on(event: "input", listener: (msg: Record<string, unknown>) => void): void;
  /** The helper's spy on node.error, which done(error) calls. */
  on(event: "call:error", listener: (call: { args: unknown[] }) => void): void;
}

const RUN_ID = "0190a3c2-7d7e-7c3e-8a4b-0000000000aa";
const OTHER_RUN = "0190a3c2-7d7e-7c3e-8a4b-0000000000bb";
const W201 = "SITE1/WELL-201/GL_INJ_SP";
const W202 = "SITE1/WELL-202/GL_INJ_SP";
const POLICY: WritePolicy = { dataType: "float", unit: "Sm3/d", writable: true, writeMin: 0, writeMax: 60_000, writeRole: "operator" };

const setpoint = (tagPath: string, value: number, index: number): SetpointToWrite => ({
  runId: RUN_ID,
  setpointId: `0190a3c2-7d7e-7c3e-8a4b-00000000000${index}`,
  wellId: `0190a3c2-7d7e-7c3e-8a4b-00000000010${index}`,
  wellCode: tagPath.split("/")[1] ?? "",
  tagPath,
  valueSm3PerDay: value,
});

/** A run service that hands out RUN_ID's setpoints once (as the real one moves the run to writing) and keeps the reports. */
class FakeRuns implements GasLiftRunPort {
  readonly reports: { setpointId: string; report: WriteReport; actor: string }[] = [];
  readonly started: string[] = [];
  private handedOut = false;

  constructor(private readonly setpoints: SetpointToWrite[]) {}

  startWrites(runId: string, actor: string): Promise<SetpointToWrite[]> {
    this.started.push(`${runId} ${actor}`);
    if (runId !== RUN_ID || this.handedOut) {
      return Promise.reject(new ServiceError("conflict", `run ${runId} is proposed, not approved: nothing is written`, { field: "runId", reason: "run_not_approved", params: { status: "proposed" } }));
    }
    this.handedOut = true;
    return Promise.resolve(this.setpoints);
  }

  recordWrite(runId: string, setpointId: string, report: WriteReport, actor: string): Promise<SetpointWrite> {
    assert.equal(runId, RUN_ID, "a write is reported against the run that sent it");
    this.reports.push({ setpointId, report, actor });
    const value = this.setpoints.find((candidate) => candidate.setpointId === setpointId)?.valueSm3PerDay ?? -1;
    return Promise.resolve({ id: setpointId, outcome: report.outcome, valueSm3PerDay: value, readBackSm3PerDay: report.readBackSm3PerDay ?? null, detail: report.detail ?? null, by: actor, at: new Date().toISOString() });
  }
}

const TAB = "tab-closed-loop";
const flow = [
  { id: TAB, type: "tab", label: "Closed loop" },
  { id: "approval", type: "setpoint-approval", z: TAB, wires: [["to-device"], ["recorded"]] },
  { id: "to-device", type: "tag-write", z: TAB, path: "", target: "device", version: 2, wires: [["approval"]] },
  { id: "catch-device", type: "catch", z: TAB, scope: ["to-device"], uncaught: false, wires: [["approval"]] },
  { id: "recorded", type: "helper", z: TAB },
];

/** The next `count` errors the approval node reports (its done(error)), as messages. */
function refusals(count: number): Promise<string[]> {
  const messages: string[] = [];
  return new Promise((resolve) =>
    (helper.getNode("approval") as TestNode).on("call:error", (call) => {
      const error = call.args[0];
      messages.push(error instanceof Error ? error.message : String(error));
      if (messages.length === count) resolve(messages);
    }),
  );
}

/** Collects `count` messages arriving at a helper node. */
function collect(id: string, count: number): Promise<Record<string, unknown>[]> {
  const messages: Record<string, unknown>[] = [];
  return new Promise((resolve) =>
    (helper.getNode(id) as TestNode).on("input", (msg) => {
      messages.push(msg);
      if (messages.length === count) resolve(messages);
    }),
  );
}

describe("setpoint-approval", () => {
  let tags: TagStore;
  let device: Map<string, number>;
  let runs: FakeRuns;

  const load = async (failing: string | null = null) => {
    tags = new TagStore();
    device = new Map();
    const tagWrites = new TagWrites(tags, (path) => (path === W201 || path === W202 ? POLICY : undefined));
    for (const path of [W201, W202]) {
      tagWrites.registerWriter(path, (request) => {
        if (request.path === failing) return Promise.reject(new Error("Modbus exception 4: slave device failure"));
        device.set(request.path, request.value as number);
        return Promise.resolve({ readBack: request.value });
      });
    }
    runs = new FakeRuns([setpoint(W201, 24_000, 1), setpoint(W202, 31_000, 2)]);
    helper.settings({ petroflow: testServices({ siteId: "SITE1", flows: { latest: async () => null }, tags, tagWrites, gasLiftRuns: runs }) });
    await helper.load([setpointApprovalNode, tagWriteNode], flow);
  };

  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  it("writes each setpoint of an approved run to its device and records each confirmed write against the run", async () => {
    await load();
    const recorded = collect("recorded", 2);
    (helper.getNode("approval") as TestNode).receive({ topic: "optimization.gas_lift_run.approved", payload: { runId: RUN_ID, siteAssetId: "x" } });
    const messages = await recorded;
    assert.deepEqual(Object.fromEntries(device), { [W201]: 24_000, [W202]: 31_000 });
    assert.deepEqual(
      runs.reports.map((entry) => [entry.setpointId, entry.report.outcome, entry.report.readBackSm3PerDay, entry.actor]).sort(),
      [
        [setpoint(W201, 0, 1).setpointId, "confirmed", 24_000, "flow:approval"],
        [setpoint(W202, 0, 2).setpointId, "confirmed", 31_000, "flow:approval"],
      ],
    );
    assert.deepEqual(messages.map((msg) => msg.topic).sort(), [W201, W202]);
  });

  it("writes nothing for a run the service does not confirm as approved, and a replayed approval writes nothing twice", async () => {
    await load();
    const refused = refusals(2);
    const recorded = collect("recorded", 2);
    (helper.getNode("approval") as TestNode).receive({ payload: { runId: OTHER_RUN } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(device.size, 0);
    (helper.getNode("approval") as TestNode).receive({ payload: { runId: RUN_ID } });
    await recorded;
    (helper.getNode("approval") as TestNode).receive({ payload: { runId: RUN_ID } });
    const errors = await refused;
    assert.ok(errors.every((message) => /not approved: nothing is written/.test(message)), errors.join("; "));
    assert.equal(runs.reports.length, 2, "only the first approval's writes");
    assert.deepEqual(runs.started, [`${OTHER_RUN} flow:approval`, `${RUN_ID} flow:approval`, `${RUN_ID} flow:approval`]);
  });

  it("records a device failure, caught on the tag-write, as a failed write with the device's message", async () => {
    await load(W202);
    const recorded = collect("recorded", 2);
    (helper.getNode("approval") as TestNode).receive({ payload: { runId: RUN_ID } });
    await recorded;
    const failed = runs.reports.find((entry) => entry.setpointId === setpoint(W202, 0, 2).setpointId);
    assert.equal(failed?.report.outcome, "failed");
    assert.match(failed?.report.detail ?? "", /slave device failure/);
    assert.deepEqual(Object.fromEntries(device), { [W201]: 24_000 });
  });

  it("fails a message that names no run, so nothing is asked of the service", async () => {
    await load();
    const refused = refusals(1);
    (helper.getNode("approval") as TestNode).receive({ payload: 42 });
    const [message] = await refused;
    assert.match(message ?? "", /no run/);
    assert.deepEqual(runs.started, []);
  });

  it("reads a run id, a confirmed read-back, a caught error, and refuses a setpoint that came back with no outcome", () => {
    const sent = setpoint(W201, 24_000, 1);
    assert.deepEqual(readApprovalInput({ runId: RUN_ID }), { kind: "run", runId: RUN_ID });
    assert.deepEqual(readApprovalInput({ setpoint: sent, write: { confirmed: false, readBack: 23_000, detail: "read back 23000" } }), {
      kind: "outcome",
      setpoint: sent,
      report: { outcome: "unconfirmed", readBackSm3PerDay: 23_000, detail: "read back 23000" },
    });
    assert.deepEqual(readApprovalInput({ setpoint: sent, error: { message: "timeout" } }), { kind: "outcome", setpoint: sent, report: { outcome: "failed", detail: "timeout" } });
    assert.equal(readApprovalInput({ setpoint: sent }).kind, "invalid");
    assert.equal(readApprovalInput({ setpoint: { runId: RUN_ID } }).kind, "invalid");
  });
});
