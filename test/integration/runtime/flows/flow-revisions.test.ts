import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { AuditRecord } from "../../../../runtime/audit/audit-service.js";
import type { Database } from "../../../../runtime/db/database.js";
import { PGliteDatabase } from "../../../../runtime/db/pglite.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import type { FlowDiff } from "../../../../runtime/flows/flow-diff.js";
import type { FlowNode } from "../../../../runtime/flows/flow-validation.js";
import type { Revision, RevisionSummary } from "../../../../runtime/flows/revision-store.js";
import { flowsSha256 } from "../../../../runtime/flows/stable-json.js";
import { createPostgresDatabase } from "../../../helpers/databases.js";
import { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import {
  adminClient,
  createUser,
  deployViaEditorApi,
  endpointAnswers,
  errorOf,
  filesUnder,
  getText,
  loadFixture,
  NODE_RED_V2,
  nodeRedFlows,
  sessionAs,
  skipUnlessAvailable,
  tempDir,
  withGreeting,
} from "../../support.js";

const FLOW_MAX_BYTES = 20_000;
const GREETING_A = "Hello from revision A";
const GREETING_B = "Hello from revision B";
const SECRET_PASSWORD = "secret-pw-123";
const ENGINEER = "eng-ada";
const OPERATOR = "op-otto";

const DEFAULT_FLOWS = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "..", "flows", "default-site.json"), "utf8"),
) as FlowNode[];
const HELLO_V1 = loadFixture("hello-v1");
const HELLO_V2 = loadFixture("hello-v2");
const TANK_API = loadFixture("tank-api-request");

function node(flows: readonly FlowNode[], id: string): FlowNode {
  const found = flows.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`fixture has no node ${id}`);
  return found;
}

// Invalid flows, each refused for one reason.
const PROTO_FLOWS = '[{"id":"tab-proto","type":"tab","label":"Prototype","__proto__":{"polluted":"yes"}}]';
const DUPLICATE_FLOWS = [...HELLO_V2, { ...node(HELLO_V2, "change-hello"), name: "Second greeting" }];
const UNKNOWN_TYPE_FLOWS = [...HELLO_V2, { id: "pump-p101", type: "petroflow-no-such-pump", z: "tab-hello", wires: [] }];
const OVERSIZED_FLOWS = [{ id: "tab-oversized", type: "tab", label: "Oversized", info: "x".repeat(FLOW_MAX_BYTES + 1000) }];

const ids = (nodes: readonly FlowNode[]) => nodes.map((candidate) => candidate.id).sort();

for (const backend of ["pglite", "postgres"] as const) {
  // The tests run in order against one site and build on each other's
  // revisions, as an engineer's day would: deploy, diff, roll back, restart.
  describe(`flow revisions through the Node-RED admin API and /api/v1/flows (${backend})`, function () {
    let dataDir = "";
    let database: { url: string; drop(): Promise<void> } | undefined;
    let site: SiteProcess | undefined;
    const outputs: string[] = [];
    let engineerToken = "";
    let engineer!: SiteClient;
    let operator!: SiteClient;
    let admin!: SiteClient;
    let greeting = "";

    const start = async () => {
      site = await startSiteProcess({
        backend,
        dataDir,
        databaseUrl: database?.url,
        env: { PETROFLOW_FLOW_MAX_BYTES: String(FLOW_MAX_BYTES) },
      });
      admin = await adminClient(site.url);
      engineer = new SiteClient(site.url);
      engineer.bearer = engineerToken;
    };
    const stop = async () => {
      assert.ok(site);
      const code = await site.stop();
      outputs.push(site.output());
      return code;
    };
    const revisions = async () =>
      (await engineer.json<{ revisions: RevisionSummary[] }>("GET", "/api/v1/flows/revisions")).revisions;
    const revision = (number: number) => engineer.json<Revision>("GET", `/api/v1/flows/revisions/${number}`);
    const latestNumber = async () => (await revisions())[0]?.number ?? 0;

    before(async function () {
      skipUnlessAvailable(this, backend);
      this.timeout(120_000);
      dataDir = tempDir("petroflow-flows-");
      if (backend === "postgres") database = await createPostgresDatabase();
      await start();
      await createUser(admin, ENGINEER, "engineer");
      await createUser(admin, OPERATOR, "operator");
      const created = await (await sessionAs(admin.baseUrl, ENGINEER)).json<{ token: string }>(
        "POST",
        "/api/v1/auth/tokens",
        { name: "integration deploys" },
        201,
      );
      engineerToken = created.token;
      engineer.bearer = engineerToken;
      operator = await sessionAs(admin.baseUrl, OPERATOR);
    });

    after(async function () {
      this.timeout(60_000);
      await site?.dispose();
      await database?.drop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it("records the shipped flows/default-site.json as revision 1 by system on first start", async function () {
      const list = await revisions();
      assert.equal(list.length, 1);
      assert.equal(list[0]?.number, 1);
      assert.equal(list[0]?.author, "system");
      assert.equal(list[0]?.parent, null);
      assert.equal(list[0]?.message, "Shipped default flows");
      const first = await revision(1);
      assert.deepEqual(first.flows, DEFAULT_FLOWS);
      assert.equal(first.sha256, flowsSha256(DEFAULT_FLOWS));
    });

    it("makes a deploy through POST /editor/flows revision 2, authored by the deploying user, with the header's message", async function () {
      const response = await deployViaEditorApi(engineer, HELLO_V1, { message: "Add the hello endpoint" });
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as { rev?: unknown };
      assert.equal(typeof body.rev, "string", "Node-RED's v2 API answers with the new rev");

      const [latest] = await revisions();
      assert.equal(latest?.number, 2);
      assert.equal(latest?.parent, 1);
      assert.equal(latest?.author, ENGINEER);
      assert.equal(latest?.message, "Add the hello endpoint");
      assert.equal(latest?.deploymentType, "full");
      assert.equal(latest?.sha256, flowsSha256(HELLO_V1));

      const answer = await endpointAnswers(engineer, "/endpoints/hello", GREETING_A);
      assert.deepEqual(answer, { status: 200, text: GREETING_A });
      greeting = GREETING_A;
    });

    it("creates no revision when identical flows are deployed again", async function () {
      const response = await deployViaEditorApi(engineer, HELLO_V1, { message: "Deploy again without changes" });
      assert.equal(response.status, 200, await response.clone().text());
      const list = await revisions();
      assert.deepEqual(
        list.map((entry) => entry.number),
        [2, 1],
      );
    });

    it("lists revisions newest first with number, sha256, author, message and createdAt", async function () {
      const list = await revisions();
      assert.deepEqual(
        list.map((entry) => [entry.number, entry.author, entry.message]),
        [
          [2, ENGINEER, "Add the hello endpoint"],
          [1, "system", "Shipped default flows"],
        ],
      );
      for (const entry of list) {
        assert.match(entry.sha256, /^[0-9a-f]{64}$/);
        assert.ok(!Number.isNaN(Date.parse(entry.createdAt)), entry.createdAt);
        assert.equal("flows" in entry, false, "the list carries summaries only");
      }
      assert.ok(Date.parse(list[0]?.createdAt ?? "") >= Date.parse(list[1]?.createdAt ?? ""));
    });

    it("returns a revision's flows exactly as deployed from GET /api/v1/flows/revisions/2", async function () {
      const second = await revision(2);
      assert.equal(second.number, 2);
      assert.deepEqual(second.flows, HELLO_V1);
      assert.equal("credentials" in second, false, "credentials never leave the server");
    });

    it("diffs two revisions into added, removed, changed (property from/to) and rewired nodes", async function () {
      const response = await deployViaEditorApi(engineer, HELLO_V2, { message: "Tank alarm, drop legacy trace" });
      assert.equal(response.status, 200, await response.clone().text());
      assert.equal(await latestNumber(), 3);

      const diff = await engineer.json<FlowDiff & { from: number; to: number }>("GET", "/api/v1/flows/revisions/2/diff/3");
      const expected: FlowDiff & { from: number; to: number } = {
        from: 2,
        to: 3,
        added: [node(HELLO_V2, "debug-tank-alarm")],
        removed: [node(HELLO_V1, "debug-legacy-trace")],
        changed: [
          {
            id: "change-hello",
            type: "change",
            name: "Greeting",
            properties: { rules: { from: node(HELLO_V1, "change-hello").rules, to: node(HELLO_V2, "change-hello").rules } },
          },
        ],
        rewired: [
          {
            id: "inject-tank-level",
            type: "inject",
            name: "Manual tank level",
            from: [["debug-tank-level"]],
            to: [["debug-tank-level", "debug-tank-alarm"]],
          },
        ],
      };
      assert.deepEqual(diff, expected);

      // From the shipped flows to the first deploy every node was replaced.
      const first = await engineer.json<FlowDiff>("GET", "/api/v1/flows/revisions/1/diff/2");
      assert.deepEqual(ids(first.added), ids(HELLO_V1));
      assert.deepEqual(ids(first.removed), ids(DEFAULT_FLOWS));
      assert.deepEqual(first.changed, []);
      assert.deepEqual(first.rewired, []);
    });

    it("serves the new text after a deploy and the old text right after a rollback, without a restart", async function () {
      assert.ok(site);
      const pid = site.child.pid;
      const deployed = await endpointAnswers(engineer, "/endpoints/hello", GREETING_B);
      assert.deepEqual(deployed, { status: 200, text: GREETING_B });

      const rolledBack = await engineer.json<{ revision: RevisionSummary }>(
        "POST",
        "/api/v1/flows/revisions/2/rollback",
        { message: "Back to greeting A" },
        201,
      );
      assert.equal(rolledBack.revision.number, 4);
      assert.equal(rolledBack.revision.parent, 3);
      assert.equal(rolledBack.revision.author, ENGINEER);
      assert.equal(rolledBack.revision.message, "Back to greeting A");
      assert.equal(rolledBack.revision.sha256, (await revision(2)).sha256);

      const answer = await endpointAnswers(engineer, "/endpoints/hello", GREETING_A);
      assert.deepEqual(answer, { status: 200, text: GREETING_A });
      greeting = GREETING_A;
      assert.equal(site.child.pid, pid);
      assert.equal(site.child.exitCode, null, "a rollback must not restart the process");
    });

    it("refuses a rollback to the revision that is already running (409)", async function () {
      for (const number of [4, 2]) {
        const response = await engineer.request("POST", `/api/v1/flows/revisions/${number}/rollback`, {});
        assert.equal(response.status, 409, `rollback to ${number}`);
        assert.equal((await errorOf(response)).code, "already_running");
      }
      assert.equal(await latestNumber(), 4);
    });

    it("refuses a rollback by an operator (403)", async function () {
      const response = await operator.request("POST", "/api/v1/flows/revisions/3/rollback", {});
      assert.equal(response.status, 403);
      assert.equal((await errorOf(response)).code, "forbidden");
      assert.equal(await latestNumber(), 4);
      assert.deepEqual(await getText(engineer, "/endpoints/hello"), { status: 200, text: GREETING_A });
    });

    it("records deploys of type flows and nodes (Node-RED-Deployment-Type) as revisions too", async function () {
      for (const deploymentType of ["flows", "nodes"] as const) {
        const text = `Hello from a ${deploymentType} deploy`;
        const before = await latestNumber();
        const response = await deployViaEditorApi(engineer, withGreeting(HELLO_V2, text), {
          deploymentType,
          message: `Greeting via a ${deploymentType} deploy`,
        });
        assert.equal(response.status, 200, await response.clone().text());
        const [latest] = await revisions();
        assert.equal(latest?.number, before + 1, deploymentType);
        assert.equal(latest?.deploymentType, deploymentType);
        assert.equal(latest?.message, `Greeting via a ${deploymentType} deploy`);
        assert.equal(latest?.author, ENGINEER);
        assert.deepEqual(await endpointAnswers(engineer, "/endpoints/hello", text), { status: 200, text });
        greeting = text;
      }
    });

    const assertUntouched = async (before: number) => {
      assert.equal(await latestNumber(), before, "no revision for refused flows");
      assert.deepEqual(await getText(engineer, "/endpoints/hello"), { status: 200, text: greeting }, "the running flows stay");
    };

    it("refuses invalid flows at the Node-RED admin API with 400 naming the reason, leaving the running flows", async function () {
      const deep = "[".repeat(5_000) + "]".repeat(5_000);
      const cases: { name: string; body: string; status: number; code: string; reason?: string; mentions: string }[] = [
        { name: "bad JSON", body: '{"flows":[{"id":"tab-broken",', status: 400, code: "invalid_json", mentions: "JSON" },
        { name: "duplicate ids", body: JSON.stringify({ flows: DUPLICATE_FLOWS }), status: 400, code: "invalid_flows", reason: "duplicate_id", mentions: "change-hello" },
        {
          name: "unknown node type",
          body: JSON.stringify({ flows: UNKNOWN_TYPE_FLOWS }),
          status: 400,
          code: "invalid_flows",
          reason: "unknown_type",
          mentions: "petroflow-no-such-pump",
        },
        { name: "__proto__ key", body: `{"flows":${PROTO_FLOWS}}`, status: 400, code: "invalid_flows", reason: "forbidden_key", mentions: "__proto__" },
        {
          name: "flows nested past the depth limit",
          body: `{"flows":[{"id":"deep","type":"comment","x":${deep}}]}`,
          status: 400,
          code: "invalid_flows",
          reason: "too_deep",
          mentions: "deeper than 64",
        },
        {
          name: "wires that are not arrays of ids",
          body: JSON.stringify({ flows: [{ id: "tab-wires", type: "tab" }, { id: "inject-wires", type: "inject", z: "tab-wires", wires: "nowhere" }] }),
          status: 400,
          code: "invalid_flows",
          reason: "invalid_wires",
          mentions: "flows.1.wires",
        },
        {
          name: "body over PETROFLOW_FLOW_MAX_BYTES",
          body: JSON.stringify({ flows: OVERSIZED_FLOWS }),
          status: 413,
          code: "payload_too_large",
          mentions: "too large",
        },
      ];
      const before = await latestNumber();
      for (const testCase of cases) {
        const response = await engineer.request("POST", "/editor/flows", testCase.body, {
          ...NODE_RED_V2,
          "content-type": "application/json",
        });
        assert.equal(response.status, testCase.status, testCase.name);
        const error = await errorOf(response);
        assert.equal(error.code, testCase.code, testCase.name);
        if (testCase.reason) assert.equal(error.details?.reason, testCase.reason, testCase.name);
        assert.ok(error.message.includes(testCase.mentions), `${testCase.name}: ${error.message}`);
      }
      await assertUntouched(before);
    });

    it("refuses a flow with bad wires or nested past the limit at Node-RED's POST /editor/flow and PUT /editor/flow/:id", async function () {
      const before = await latestNumber();
      const headers = { ...NODE_RED_V2, "content-type": "application/json" };
      const badWires = JSON.stringify({ label: "Bad wires", nodes: [{ id: "part-inject", type: "inject", wires: "nowhere" }] });
      const deep = `{"label":"Deep","nodes":[{"id":"part-deep","type":"comment","x":${"[".repeat(5_000)}${"]".repeat(5_000)}}]}`;
      for (const [method, path, body, reason] of [
        ["POST", "/editor/flow", badWires, "invalid_wires"],
        ["POST", "/editor/flow", deep, "too_deep"],
        ["PUT", "/editor/flow/tab-hello", badWires, "invalid_wires"],
      ] as const) {
        const response = await engineer.request(method, path, body, headers);
        assert.equal(response.status, 400, `${method} ${path}`);
        const error = await errorOf(response);
        assert.deepEqual([error.code, error.details?.reason], ["invalid_flows", reason], `${method} ${path}`);
      }
      await assertUntouched(before);
    });

    it("refuses invalid flows at POST /api/v1/flows/import with 400 naming the reason, leaving the running flows", async function () {
      const wrap = (flows: string) => `{"message":"Import that must fail","flows":${flows}}`;
      const cases: { name: string; body: string; code: string; reason: string; mentions: string }[] = [
        { name: "bad JSON", body: wrap('[{"id":"tab-broken",'), code: "invalid_json", reason: "", mentions: "JSON" },
        { name: "duplicate ids", body: wrap(JSON.stringify(DUPLICATE_FLOWS)), code: "invalid_flows", reason: "duplicate_id", mentions: "change-hello" },
        {
          name: "unknown node type",
          body: wrap(JSON.stringify(UNKNOWN_TYPE_FLOWS)),
          code: "invalid_flows",
          reason: "unknown_type",
          mentions: "petroflow-no-such-pump",
        },
        { name: "__proto__ key", body: wrap(PROTO_FLOWS), code: "invalid_flows", reason: "forbidden_key", mentions: "__proto__" },
        { name: "flows over PETROFLOW_FLOW_MAX_BYTES", body: wrap(JSON.stringify(OVERSIZED_FLOWS)), code: "invalid_flows", reason: "too_large", mentions: "larger than" },
        { name: "flows nested past the depth limit", body: wrap(`[{"id":"deep","type":"comment","x":${"[".repeat(5_000)}${"]".repeat(5_000)}}]`), code: "validation_failed", reason: "too_deep", mentions: "deeper than 64" },
        { name: "wires that are not arrays of ids", body: wrap('[{"id":"t","type":"tab"},{"id":"i","type":"inject","z":"t","wires":[[1]]}]'), code: "invalid_flows", reason: "invalid_wires", mentions: "flows.1.wires" },
      ];
      const before = await latestNumber();
      for (const testCase of cases) {
        const response = await engineer.request("POST", "/api/v1/flows/import", testCase.body, { "content-type": "application/json" });
        assert.equal(response.status, 400, testCase.name);
        const error = await errorOf(response);
        assert.equal(error.code, testCase.code, testCase.name);
        if (testCase.reason) assert.equal(error.details?.reason, testCase.reason, testCase.name);
        assert.ok(error.message.includes(testCase.mentions), `${testCase.name}: ${error.message}`);
      }
      await assertUntouched(before);
    });

    it("imports valid flows through POST /api/v1/flows/import as a revision with the given message (201)", async function () {
      const before = await latestNumber();
      const imported = await engineer.json<{ created: boolean; revision: RevisionSummary }>(
        "POST",
        "/api/v1/flows/import",
        { flows: HELLO_V2, message: "Import from the engineering laptop" },
        201,
      );
      assert.equal(imported.created, true);
      assert.equal(imported.revision.number, before + 1);
      assert.equal(imported.revision.message, "Import from the engineering laptop");
      assert.equal(imported.revision.author, ENGINEER);
      assert.equal(imported.revision.sha256, flowsSha256(HELLO_V2));
      assert.deepEqual(await endpointAnswers(engineer, "/endpoints/hello", GREETING_B), { status: 200, text: GREETING_B });
      greeting = GREETING_B;

      const again = await engineer.json<{ created: boolean; revision: RevisionSummary }>(
        "POST",
        "/api/v1/flows/import",
        { flows: HELLO_V2, message: "The same import again" },
        200,
      );
      assert.equal(again.created, false);
      assert.equal(again.revision.number, before + 1);
    });

    it("keeps a node's credentials out of the flows and readable by the runtime", async function () {
      const response = await deployViaEditorApi(engineer, [...HELLO_V2, ...TANK_API], { message: "Tank gauge API with basic auth" });
      assert.equal(response.status, 200, await response.clone().text());
      const credentials = await engineer.json<Record<string, unknown>>("GET", "/editor/credentials/http-request/http-request-tank-api");
      assert.deepEqual(credentials, { user: "u", has_password: true });

      const current = await engineer.json<Revision>("GET", "/api/v1/flows/current");
      assert.equal(current.number, await latestNumber());
      const stored = node(current.flows, "http-request-tank-api");
      assert.equal("credentials" in stored, false, "credentials are split off the flow JSON");
      assert.equal(JSON.stringify(current).includes(SECRET_PASSWORD), false);
    });

    it("audits every revision with its source: deploys, the rollback and the import", async function () {
      const list = await revisions();
      const audit = await admin.json<{ entries: AuditRecord[] }>("GET", "/api/v1/audit?limit=1000");
      const byRevision = new Map(
        audit.entries.filter((entry) => entry.entityType === "flow_revision").map((entry) => [Number(entry.entityId), entry]),
      );
      assert.deepEqual([...byRevision.keys()].sort((a, b) => b - a), list.map((entry) => entry.number));
      assert.equal(byRevision.get(1)?.actor, "system");
      assert.equal(byRevision.get(2)?.action, "flows.deploy");
      assert.equal(byRevision.get(2)?.actor, ENGINEER);
      assert.equal(byRevision.get(4)?.action, "flows.rollback");
      const importedNumber = list.find((entry) => entry.message === "Import from the engineering laptop")?.number;
      assert.equal(byRevision.get(importedNumber ?? 0)?.action, "flows.import");
    });

    it("keeps the revisions across a restart and runs the latest one", async function () {
      this.timeout(120_000);
      const before = await revisions();
      const latest = await revision(before[0]?.number ?? 0);
      assert.equal(await stop(), 0);
      await start();

      assert.deepEqual(await revisions(), before);
      const running = await nodeRedFlows(engineer);
      assert.deepEqual(running.flows, latest.flows);
      assert.deepEqual(await endpointAnswers(engineer, "/endpoints/hello", greeting), { status: 200, text: greeting });
      const credentials = await engineer.json<Record<string, unknown>>("GET", "/editor/credentials/http-request/http-request-tank-api");
      assert.deepEqual(credentials, { user: "u", has_password: true }, "credentials still decrypt after a restart");
    });

    it(`stores the credential password (${SECRET_PASSWORD}) nowhere in clear`, async function () {
      this.timeout(60_000);
      // PGlite admits one process per data dir: the site must be gone before the test opens it.
      assert.equal(await stop(), 0);
      const db: Database =
        backend === "pglite" ? await PGliteDatabase.open(path.join(dataDir, "pglite")) : await PostgresDatabase.connect(database?.url ?? "");
      try {
        const state = await db.query<{ key: string; value: string }>("SELECT key, value::text AS value FROM node_red_state");
        const stored = await db.query<{ number: number; flows: string; credentials: string | null }>(
          "SELECT number, flows::text AS flows, credentials::text AS credentials FROM flow_revisions ORDER BY number",
        );
        const audit = await db.query<{ row: string }>("SELECT row_to_json(audit_log)::text AS row FROM audit_log");
        for (const row of state.rows) assert.equal(row.value.includes(SECRET_PASSWORD), false, `node_red_state ${row.key}`);
        for (const row of stored.rows) {
          assert.equal(row.flows.includes(SECRET_PASSWORD), false, `flow_revisions ${row.number} flows`);
          assert.equal((row.credentials ?? "").includes(SECRET_PASSWORD), false, `flow_revisions ${row.number} credentials`);
        }
        for (const row of audit.rows) assert.equal(row.row.includes(SECRET_PASSWORD), false, row.row);

        // Not vacuous: the credentials are there, sealed by Node-RED with the site's key.
        const sealed = state.rows.find((row) => row.key === "credentials");
        assert.deepEqual(Object.keys(JSON.parse(sealed?.value ?? "{}") as object), ["$"]);
        const last = stored.rows.at(-1);
        assert.deepEqual(Object.keys(JSON.parse(last?.credentials ?? "{}") as object), ["$"]);
      } finally {
        await db.close();
      }
      for (const output of outputs) assert.equal(output.includes(SECRET_PASSWORD), false, "the site's log");
      if (backend === "pglite") {
        const needle = Buffer.from(SECRET_PASSWORD);
        for (const file of filesUnder(dataDir)) {
          assert.equal(fs.readFileSync(file).includes(needle), false, `${path.relative(dataDir, file)} holds the password`);
        }
      }
    });
  });
}
