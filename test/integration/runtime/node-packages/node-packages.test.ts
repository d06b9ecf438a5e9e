import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { FlowNode } from "../../../../runtime/flows/flow-validation.js";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { bearerClientFrom, deployViaEditorApi } from "../../support.js";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..", "..", "..");
const TEMPLATE = path.join(ROOT, "templates", "node-template");
const NPM_CLI = path.join(ROOT, "node_modules", "npm", "bin", "npm-cli.js");
const CLI_JS = path.join(ROOT, "dist", "runtime", "cli.js");
const PACKAGE = "petroflow-node-tag-deadband";
/**
 * Every npm and site process of this test: a registry nobody answers, and
 * offline. Any attempt to download fails, so a pass proves nothing was.
 */
const OFFLINE_ENV = { npm_config_registry: "http://127.0.0.1:9/", npm_config_offline: "true", npm_config_update_notifier: "false" };

/** What the template's package needs in node_modules to build and test, taken from this repository's. */
const LINKED_MODULES = ["typescript", "mocha", "node-red", "node-red-node-test-helper", "@types"];

interface Packed {
  file: string;
  sha256: string;
}

/** A copy of the template in `dir`, its node_modules linked to this repository's (petroflow among them), built with tsc. */
async function buildTemplate(dir: string, edit?: (root: string) => void): Promise<void> {
  fs.cpSync(TEMPLATE, dir, { recursive: true, filter: (source) => !/node_modules|\.js$|\.tgz$/.test(source) });
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(ROOT, path.join(dir, "node_modules", "petroflow"));
  for (const name of LINKED_MODULES) fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name));
  edit?.(dir);
  await run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(dir, "tsconfig.json")], { timeout: 180_000 });
}

/** npm pack, offline, scripts off (the test built it already). */
async function pack(dir: string, destination: string): Promise<Packed> {
  const { stdout } = await run(process.execPath, [NPM_CLI, "pack", "--ignore-scripts", "--json", "--pack-destination", destination], {
    cwd: dir,
    env: { ...process.env, ...OFFLINE_ENV },
    timeout: 120_000,
  });
  const [result] = JSON.parse(stdout) as { filename: string }[];
  assert.ok(result, `npm pack printed ${stdout}`);
  const file = path.join(destination, result.filename);
  return { file, sha256: crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex") };
}

function setVersion(dir: string, version: string): void {
  const manifest = path.join(dir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(manifest, JSON.stringify({ ...pkg, version }, null, 2));
}

async function cli(site: SiteProcess, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI_JS, ...args], {
      env: { ...process.env, ...OFFLINE_ENV, PETROFLOW_URL: site.url, PETROFLOW_USER: "admin", PETROFLOW_PASSWORD: ADMIN_PASSWORD },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** An admin with an API token: Node-RED's admin API (/editor/…) takes bearer tokens, not the web app's session. */
async function adminClient(site: SiteProcess): Promise<SiteClient> {
  const session = new SiteClient(site.url);
  await session.login("admin", ADMIN_PASSWORD);
  return bearerClientFrom(session, "node-packages-test");
}

/** http in → tag-deadband → (both outputs) msg.deadband → http response. */
function deadbandFlow(): FlowNode[] {
  return [
    { id: "tab1", type: "tab", label: "deadband" },
    { id: "in1", z: "tab1", type: "http in", url: "/deadband", method: "get", wires: [["num1"]] },
    { id: "num1", z: "tab1", type: "change", rules: [{ t: "set", p: "payload", pt: "msg", to: "$number(payload.v)", tot: "jsonata" }], wires: [["db1"]] },
    { id: "db1", z: "tab1", type: "tag-deadband", version: 2, path: "SITE1/SDK-TEST/PT", deadbandEu: 1, wires: [["out1"], ["out1"]] },
    { id: "out1", z: "tab1", type: "change", rules: [{ t: "set", p: "payload", pt: "msg", to: "deadband", tot: "msg" }], wires: [["res1"]] },
    { id: "res1", z: "tab1", type: "http response", wires: [] },
  ];
}

interface Outcome {
  written: boolean;
  live: unknown;
  by: string;
}

async function send(client: SiteClient, value: number): Promise<Outcome> {
  return client.json<Outcome>("GET", `/endpoints/deadband?v=${value}`);
}

async function untilDeployed(client: SiteClient): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await client.request("GET", "/endpoints/deadband?v=0");
    await response.text();
    if (response.status === 200 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("node packages: build the template, pack it, install it offline into a running site (docs/sdk.md)", function () {
  this.timeout(900_000);
  let work: string;
  let v1: Packed;
  let v2: Packed;
  let refused: Packed;

  before(async function () {
    for (const built of [CLI_JS, path.join(ROOT, "dist", "sdk", "index.d.ts")]) {
      if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build:server first`);
    }
    work = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-node-packages-"));
    await buildTemplate(path.join(work, "v1"));
    // The template's own test (node-red-node-test-helper against Petroflow's tag store and config registry).
    const { stdout } = await run(process.execPath, [path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js"), "test/tag-deadband.test.js"], {
      cwd: path.join(work, "v1"),
      timeout: 120_000,
    });
    assert.match(stdout, /2 passing/);
    v1 = await pack(path.join(work, "v1"), work);
    await buildTemplate(path.join(work, "v2"), (dir) => setVersion(dir, "1.1.0"));
    v2 = await pack(path.join(work, "v2"), work);
    // A package that also registers `exec`, a type this site turns off (PETROFLOW_ALLOW_HOST_NODES).
    await buildTemplate(path.join(work, "bad"), (dir) => {
      const manifest = path.join(dir, "package.json");
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as Record<string, unknown>;
      fs.writeFileSync(manifest, JSON.stringify({ ...pkg, name: "petroflow-node-shell" }, null, 2));
      fs.appendFileSync(path.join(dir, "nodes", "tag-deadband", "tag-deadband.html"), '\n<script type="text/javascript">RED.nodes.registerType("exec", { category: "x", defaults: {} });</script>\n');
    });
    refused = await pack(path.join(work, "bad"), work);
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("is refused, by the CLI, the API and the palette manager, on a site that did not turn it on", async () => {
    const site = await startSiteProcess({ backend: "pglite", env: OFFLINE_ENV });
    try {
      const result = await cli(site, ["nodes", "install", v1.file]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /installing node packages is off on this site.*PETROFLOW_ALLOW_NODE_INSTALL=true/);
      const client = await adminClient(site);
      const settings = await client.json<{ externalModules?: { palette?: { allowInstall?: boolean; allowUpload?: boolean } } }>("GET", "/editor/settings");
      assert.equal(settings.externalModules?.palette?.allowInstall, false, "the palette manager offers no install");
      const form = new FormData();
      form.append("tarball", new Blob([fs.readFileSync(v1.file)]), path.basename(v1.file));
      const upload = await client.request("POST", "/editor/nodes", form);
      assert.equal(upload.status, 403);
      assert.match(((await upload.json()) as { message: string }).message, /PETROFLOW_ALLOW_NODE_INSTALL/);
      const listed = await client.json<{ installAllowed: boolean; packages: unknown[] }>("GET", "/api/v1/node-packages");
      assert.deepEqual(listed, { installAllowed: false, packages: [] });
    } finally {
      await site.dispose();
    }
  });

  it("installs offline and audited, runs in a deployed flow, refuses disabled types, upgrades and removes", async () => {
    const env = { ...OFFLINE_ENV, PETROFLOW_ALLOW_NODE_INSTALL: "true" };
    let site = await startSiteProcess({ backend: "pglite", env });
    const dataDir = site.dataDir;
    try {
      // Install through the CLI.
      const installed = await cli(site, ["nodes", "install", v1.file]);
      assert.equal(installed.code, 0, installed.stderr);
      assert.match(installed.stdout, new RegExp(`installed ${PACKAGE}@1\\.0\\.0 \\(sha256 ${v1.sha256}\\): tag-deadband`));
      const listedByCli = await cli(site, ["nodes", "list"]);
      assert.match(listedByCli.stdout, new RegExp(`${PACKAGE}@1\\.0\\.0  tag-deadband`));
      // No install script ran and nothing came from a registry: the package sits in the user dir, from its tarball.
      const userPackage = JSON.parse(fs.readFileSync(path.join(dataDir, "node-red", "package.json"), "utf8")) as { dependencies?: Record<string, string> };
      assert.match(userPackage.dependencies?.[PACKAGE] ?? "", /^file:nodes\//);

      let client = await adminClient(site);
      const settings = await client.json<{ externalModules?: { palette?: { allowInstall?: boolean; allowUpload?: boolean } } }>("GET", "/editor/settings");
      assert.equal(settings.externalModules?.palette?.allowUpload, true, "the palette manager offers tarball upload");
      const deployed = await deployViaEditorApi(client, deadbandFlow());
      assert.equal(deployed.status, 200, await deployed.text());
      await untilDeployed(client);
      // The probe above wrote 0; from there: +100 written, +0.5 held back, +2 written.
      assert.deepEqual(await send(client, 100), { written: true, live: 0, deadbandEu: 1, by: `${PACKAGE}@1.0.0` });
      assert.equal((await send(client, 100.5)).written, false);
      assert.deepEqual(await send(client, 102), { written: true, live: 100, deadbandEu: 1, by: `${PACKAGE}@1.0.0` });

      const audit = await client.json<{ entries: { actor: string; action: string; entityId: string; details: { sha256: string } }[] }>(
        "GET",
        "/api/v1/audit?actionPrefix=node_package.&limit=10",
      );
      assert.deepEqual(
        audit.entries.map((entry) => [entry.action, entry.actor, entry.entityId, entry.details.sha256]),
        [["node_package.install", "admin", PACKAGE, v1.sha256]],
      );

      // A package registering a type on the disabled list: refused through the palette manager, audited, not installed.
      const form = new FormData();
      form.append("tarball", new Blob([fs.readFileSync(refused.file)]), path.basename(refused.file));
      const upload = await client.request("POST", "/editor/nodes", form);
      const uploadBody = (await upload.json()) as { code: string; message: string };
      assert.equal(upload.status, 400, JSON.stringify(uploadBody));
      assert.equal(uploadBody.code, "node_package_disabled_type");
      assert.match(uploadBody.message, /exec.*PETROFLOW_ALLOW_HOST_NODES/);
      const afterRefusal = await client.json<{ packages: { name: string }[] }>("GET", "/api/v1/node-packages");
      assert.deepEqual(afterRefusal.packages.map((installed) => installed.name), [PACKAGE]);

      // The same version again is a conflict; a new one is an upgrade that runs from the next start.
      const again = await client.request("POST", "/api/v1/node-packages", new Uint8Array(fs.readFileSync(v1.file)), { "content-type": "application/gzip" });
      assert.equal(again.status, 409, await again.text());
      const upgraded = await cli(site, ["nodes", "install", v2.file]);
      assert.equal(upgraded.code, 0, upgraded.stderr);
      assert.match(upgraded.stdout, /upgraded petroflow-node-tag-deadband@1\.1\.0.*\nthe new version runs from the site's next start/);

      await site.stop();
      site = await startSiteProcess({ backend: "pglite", env, dataDir });
      client = await adminClient(site);
      await untilDeployed(client);
      assert.equal((await send(client, 200)).by, `${PACKAGE}@1.1.0`);

      // Removing a package whose node a deployed flow uses is refused; once the flow no longer does, it goes.
      const inUse = await cli(site, ["nodes", "remove", PACKAGE]);
      assert.equal(inUse.code, 1);
      assert.match(inUse.stderr, /could not be removed/);
      // The palette manager's remove takes the same path.
      const paletteRemove = await client.request("DELETE", `/editor/nodes/${PACKAGE}`);
      const paletteBody = (await paletteRemove.json()) as { code: string; message: string };
      assert.equal(paletteRemove.status, 409, JSON.stringify(paletteBody));
      assert.equal(paletteBody.code, "node_package_remove_failed");
      const emptied = await deployViaEditorApi(client, [{ id: "tab1", type: "tab", label: "deadband" }]);
      assert.equal(emptied.status, 200, await emptied.text());
      const removed = await cli(site, ["nodes", "remove", PACKAGE]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.match(removed.stdout, /removed petroflow-node-tag-deadband@1\.1\.0/);
      assert.deepEqual((await client.json<{ packages: unknown[] }>("GET", "/api/v1/node-packages")).packages, []);

      const trail = await client.json<{ entries: { action: string; actor: string; details: { sha256?: string } | null }[] }>(
        "GET",
        "/api/v1/audit?actionPrefix=node_package.&limit=10",
      );
      assert.deepEqual(
        trail.entries.map((entry) => [entry.action, entry.actor, entry.details?.sha256 ?? null]).reverse(),
        [
          ["node_package.install", "admin", v1.sha256],
          ["node_package.refused", "admin", refused.sha256],
          ["node_package.upgrade", "admin", v2.sha256],
          ["node_package.remove", "admin", null],
        ],
      );
    } finally {
      await site.dispose();
    }
  });
});
