import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { FlowNode } from "../../../../runtime/flows/flow-validation.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, bearerClientFrom, deployViaEditorApi, errorOf, getText, loadFixture, poll } from "../../support.js";

const HOST_TYPES = ["exec", "file", "file in", "watch"];

/** A function node that asks for a Node.js module (its "Setup" tab). */
const FUNCTION_WITH_MODULE: FlowNode[] = [
  { id: "tab-fn-module", type: "tab", label: "Function with a module" },
  {
    id: "fn-child-process",
    type: "function",
    z: "tab-fn-module",
    name: "shell",
    func: "return msg;",
    outputs: 1,
    libs: [{ var: "cp", module: "child_process" }],
    x: 200,
    y: 60,
    wires: [[]],
  },
];

/** The node types in the editor's palette, as the editor loads them. */
async function paletteTypes(client: SiteClient): Promise<string[]> {
  const response = await client.request("GET", "/editor/nodes", undefined, { accept: "application/json" });
  assert.equal(response.status, 200);
  const sets = (await response.json()) as { types: string[]; enabled: boolean }[];
  return sets.filter((set) => set.enabled).flatMap((set) => set.types);
}

async function runningFlows(admin: SiteClient): Promise<FlowNode[]> {
  return (await admin.json<{ flows: FlowNode[] }>("GET", "/api/v1/flows/current")).flows;
}

/**
 * Nodes that run OS commands or touch the host's files are off unless the
 * site turns them on, and so are external modules in function nodes: an
 * engineer cannot hand every viewer a shell through `http in → exec`.
 */
describe("nodes that reach the host", function () {
  this.timeout(180_000);

  describe("on a site with the defaults", () => {
    let site: SiteProcess | undefined;
    let admin!: SiteClient;
    let engineerScript!: SiteClient;

    before(async () => {
      site = await startSiteProcess({ backend: "pglite" });
      admin = await adminClient(site.url);
      engineerScript = await bearerClientFrom(admin, "deploys");
    });

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
    });

    it("leaves them out of the editor's palette", async () => {
      const types = await paletteTypes(engineerScript);
      assert.ok(types.includes("function") && types.includes("http in"), "the palette is there");
      assert.deepEqual(types.filter((type) => HOST_TYPES.includes(type)), []);
    });

    it("refuses `http in → exec → http response` through import with a 400 naming the node and its type", async () => {
      const before = await runningFlows(admin);
      const response = await admin.request("POST", "/api/v1/flows/import", { flows: [...before, ...loadFixture("http-exec")], message: "a shell" });
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, "invalid_flows");
      assert.match(error.message, /exec-run \(exec\)/);
      assert.match(error.message, /PETROFLOW_ALLOW_HOST_NODES/);
      assert.equal((error.details as { reason?: string }).reason, "disabled_node_type");
      assert.deepEqual(await runningFlows(admin), before, "the running flows are untouched");
    });

    it("refuses the same flow deployed from the editor", async () => {
      const before = await runningFlows(admin);
      const response = await deployViaEditorApi(engineerScript, [...before, ...loadFixture("http-exec")]);
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, "invalid_flows");
      assert.equal((error.details as { reason?: string }).reason, "disabled_node_type");
      assert.match(error.message, /exec-run \(exec\)/);
      assert.deepEqual(await runningFlows(admin), before);
    });

    it("refuses a function node that loads a module, naming it", async () => {
      const before = await runningFlows(admin);
      const response = await admin.request("POST", "/api/v1/flows/import", { flows: [...before, ...FUNCTION_WITH_MODULE], message: "a module" });
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal((error.details as { reason?: string }).reason, "function_modules_disabled");
      assert.match(error.message, /fn-child-process/);
      assert.match(error.message, /child_process/);
    });
  });

  describe("on a site that turned them on", () => {
    let site: SiteProcess | undefined;
    let admin!: SiteClient;

    before(async () => {
      site = await startSiteProcess({
        backend: "pglite",
        env: { PETROFLOW_ALLOW_HOST_NODES: "true", PETROFLOW_ALLOW_FUNCTION_MODULES: "true" },
      });
      admin = await adminClient(site.url);
    });

    /** Restarts reuse the data dir, which dispose() then leaves: removed here. */
    let reusedDataDir: string | undefined;

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
      if (reusedDataDir) fs.rmSync(reusedDataDir, { recursive: true, force: true });
    });

    it("offers and runs them (which is why they are off by default: any logged-in user reaches this endpoint)", async () => {
      const script = await bearerClientFrom(admin, "host");
      for (const type of HOST_TYPES) assert.ok((await paletteTypes(script)).includes(type), type);
      const before = await runningFlows(admin);
      await admin.json("POST", "/api/v1/flows/import", { flows: [...before, ...loadFixture("http-exec"), ...FUNCTION_WITH_MODULE], message: "host nodes" }, 201);
      const file = path.join(site!.dataDir, "node-red", "package.json");
      const polled = await poll(
        () => getText(script, `/endpoints/run?file=${encodeURIComponent(file)}`, 2_000),
        (answer) => answer.status === 200 && answer.text.includes("petroflow-node-red-user-dir"),
      );
      assert.ok(polled.satisfied, `the exec node read a host file: ${JSON.stringify(polled.value)}`);
    });

    it("says at the next start, naming the nodes and the setting, when the deployed flows use what the site has since turned off", async () => {
      const dataDir = site!.dataDir;
      reusedDataDir = dataDir;
      assert.equal(await site!.stop(), 0);
      site = await startSiteProcess({ backend: "pglite", dataDir });
      const log = site.output();
      assert.match(log, /the deployed flows use what this site turned off: .*exec-run \(exec\).*PETROFLOW_ALLOW_HOST_NODES=true/);
      assert.equal((await fetch(`${site.url}/healthz`)).status, 503, "Node-RED does not start flows with a type it does not load");
      await site.stop();
      site = await startSiteProcess({ backend: "pglite", dataDir, env: { PETROFLOW_ALLOW_HOST_NODES: "true", PETROFLOW_ALLOW_FUNCTION_MODULES: "true" } });
      assert.doesNotMatch(site.output(), /turned off/);
    });
  });
});
