import assert from "node:assert/strict";
import { PETROFLOW_NODE_MIGRATIONS, petroflowNodeConfigRegistry } from "../../../../nodes/shared/petroflow-node-migrations.js";
import type { FlowNode } from "../../../../runtime/flows/flow-validation.js";
import type { Revision, RevisionSummary } from "../../../../runtime/flows/revision-store.js";
import { flowsSha256 } from "../../../../runtime/flows/stable-json.js";
import { newId } from "../../../../runtime/ids.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { createRestartableSite, type RestartableSite, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, bearerClientFrom, deployViaEditorApi, errorOf, loadFixture, nodeRedFlows, poll, skipUnlessAvailable } from "../../support.js";

const EVERY_NODE_V0 = loadFixture("every-node-v0");
const registry = petroflowNodeConfigRegistry();
const isPetroflowNode = (node: FlowNode) => node.type in PETROFLOW_NODE_MIGRATIONS;

/** A tag-write saved by a Petroflow whose tag-write config is at version 99. */
const FROM_A_NEWER_PETROFLOW: FlowNode = {
  id: "tag-write-from-a-newer-petroflow",
  type: "tag-write",
  z: "tab-every-node-v0",
  name: "Saved by a newer Petroflow",
  path: "SITE1/WELL-101/THP",
  version: 99,
  wires: [[]],
};

function byId(flows: readonly FlowNode[], id: string): FlowNode {
  const found = flows.find((node) => node.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

/** Every Petroflow node of the flows is at its type's current version (and tag-in in its version 2 shape). */
function assertCurrent(flows: readonly FlowNode[]): void {
  const petroflowNodes = flows.filter(isPetroflowNode);
  assert.equal(petroflowNodes.length, EVERY_NODE_V0.filter(isPetroflowNode).length);
  for (const node of petroflowNodes) assert.equal(node.version, registry.currentVersion(node.type), `${node.id} (${node.type})`);
  const tagIn = byId(flows, "tag-in-thp-v0");
  assert.equal(tagIn.emitOnStart, true);
  assert.equal("initial" in tagIn, false);
}

for (const backend of ["pglite", "postgres"] as const) {
  // One site for the suite, restarted once; the tests build on each other's revisions.
  describe(`node config versions through storage, import, deploy and rollback (${backend})`, function () {
    this.timeout(120_000);
    let home: RestartableSite | undefined;
    let site: SiteProcess | undefined;
    /** An API token: Node-RED's admin API takes bearers, not the session cookie. */
    let admin!: SiteClient;

    const start = async () => {
      assert.ok(home);
      site = await home.start();
      admin = await bearerClientFrom(await adminClient(site.url), `config versions ${Date.now()}`);
    };
    const revisions = async () => (await admin.json<{ revisions: RevisionSummary[] }>("GET", "/api/v1/flows/revisions")).revisions;
    const latest = async () => {
      const [summary] = await revisions();
      if (!summary) throw new Error("no revisions");
      return admin.json<Revision>("GET", `/api/v1/flows/revisions/${summary.number}`);
    };

    before(async function () {
      skipUnlessAvailable(this, backend);
      home = await createRestartableSite(backend, "petroflow-config-versions-");
      await start();
    });

    after(async function () {
      this.timeout(60_000);
      await site?.dispose();
      await home?.dispose();
    });

    it("refuses an import and an editor deploy holding a config newer than this Petroflow knows, naming the node; nothing is stored", async () => {
      const before = (await revisions()).length;
      const flows = [...EVERY_NODE_V0, FROM_A_NEWER_PETROFLOW];
      const imported = await admin.request("POST", "/api/v1/flows/import", { flows, message: "from a newer site" });
      assert.equal(imported.status, 400);
      const importError = await errorOf(imported);
      assert.equal(importError.code, "invalid_flows");
      assert.match(importError.message, /tag-write-from-a-newer-petroflow \(tag-write\) has config version 99, newer than the 2 this Petroflow knows/);
      assert.deepEqual(importError.details, {
        field: `flows.${flows.length - 1}.version`,
        reason: "node_config_newer",
        params: { id: "tag-write-from-a-newer-petroflow", type: "tag-write", version: "99", current: 2, more: 0 },
      });

      const deployed = await deployViaEditorApi(admin, flows);
      assert.equal(deployed.status, 400);
      const deployError = await errorOf(deployed);
      assert.equal(deployError.code, "invalid_flows");
      assert.equal((deployError.details as { reason?: string }).reason, "node_config_newer");
      assert.match(deployError.message, /newer Petroflow/);
      assert.equal((await revisions()).length, before);
    });

    it("imports every node at version 0: the revision holds, and Node-RED runs, the current versions", async () => {
      const imported = await admin.json<{ created: boolean; revision: RevisionSummary }>(
        "POST",
        "/api/v1/flows/import",
        { flows: EVERY_NODE_V0, message: "every node, saved before versions" },
        201,
      );
      assert.equal(imported.created, true);
      assertCurrent((await latest()).flows);
      assertCurrent((await nodeRedFlows(admin)).flows);
    });

    it("a deploy from an old editor (version 0 configs) is stored at the current versions", async () => {
      const renamed = EVERY_NODE_V0.map((node) => (node.id === "tag-write-setpoint-v0" ? { ...node, name: "ESP setpoint (renamed)" } : node));
      const response = await deployViaEditorApi(admin, renamed, { message: "old editor" });
      assert.equal(response.status, 200, await response.text());
      const stored = await latest();
      assert.equal(stored.message, "old editor");
      assertCurrent(stored.flows);
      assert.equal(byId(stored.flows, "tag-write-setpoint-v0").name, "ESP setpoint (renamed)");
    });

    it("revisions stored by an older Petroflow load migrated in memory and stay as stored; a newer node is refused alone", async () => {
      assert.ok(site && home);
      assert.equal(await site.stop(), 0);
      // What an older Petroflow left: a version 0 revision, then one with a node it did not know yet.
      const olderFlows = EVERY_NODE_V0;
      const withNewer = [...EVERY_NODE_V0, FROM_A_NEWER_PETROFLOW];
      const olderNumber = await home.withDatabase(async (db) => {
        const top = await db.query<{ number: number }>("SELECT max(number) AS number FROM flow_revisions");
        const previous = Number(top.rows[0]?.number ?? 0);
        for (const [offset, flows] of [olderFlows, withNewer].entries()) {
          await db.query(
            `INSERT INTO flow_revisions (id, site_id, number, parent, sha256, author, message, deployment_type, flows, node_count, credentials, created_by)
             VALUES ($1, 'SITE1', $2, $3, $4, 'older-petroflow', $5, 'full', $6::json, $7, NULL, 'older-petroflow')`,
            [newId(), previous + 1 + offset, previous + offset, flowsSha256(flows), `stored by an older Petroflow (${offset})`, JSON.stringify(flows), flows.length],
          );
        }
        return previous + 1;
      });
      await start();
      assert.ok(site);

      const running = (await nodeRedFlows(admin)).flows;
      assertCurrent(running.filter((node) => node.id !== FROM_A_NEWER_PETROFLOW.id));
      assert.deepEqual(byId(running, FROM_A_NEWER_PETROFLOW.id), FROM_A_NEWER_PETROFLOW, "a node this Petroflow cannot run is kept as stored");
      const refusedInLog = await poll(
        async () => site?.output() ?? "",
        (output) => output.includes("tag-write-from-a-newer-petroflow (tag-write) has config version 99, newer than the 2 this Petroflow knows"),
      );
      assert.ok(refusedInLog.satisfied, "the log names the refused node and why");
      const health = await poll(
        () => fetch(`${site?.url}/healthz`).then((response) => response.status),
        (status) => status === 200,
      );
      assert.equal(health.value, 200, "the rest of the site runs");

      const stored = await admin.json<Revision>("GET", `/api/v1/flows/revisions/${olderNumber + 1}`);
      assert.deepEqual(stored.flows, withNewer, "the stored revision is never rewritten");
      assert.equal(stored.author, "older-petroflow");
    });

    it("a rollback to a version 0 revision deploys it at the current versions; to one with a newer node, it is refused", async () => {
      const all = await revisions();
      const older = all.find((summary) => summary.message === "stored by an older Petroflow (0)");
      const newer = all.find((summary) => summary.message === "stored by an older Petroflow (1)");
      assert.ok(older && newer);
      const refused = await admin.request("POST", `/api/v1/flows/revisions/${newer.number}/rollback`, {});
      assert.equal(refused.status, 400);
      assert.match((await errorOf(refused)).message, /tag-write-from-a-newer-petroflow .* newer Petroflow/);

      const rolledBack = await admin.json<{ revision: RevisionSummary }>("POST", `/api/v1/flows/revisions/${older.number}/rollback`, {}, 201);
      const stored = await admin.json<Revision>("GET", `/api/v1/flows/revisions/${rolledBack.revision.number}`);
      assertCurrent(stored.flows);
      assertCurrent((await nodeRedFlows(admin)).flows);
    });
  });
}
