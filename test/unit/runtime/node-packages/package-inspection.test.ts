import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { c as createTar } from "tar";
import { inspectPackage, PackageRefusal } from "../../../../runtime/node-packages/package-inspection.js";

/** An npm pack-shaped tarball (everything under package/) of the given files. */
function tarball(files: Record<string, string>): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-inspect-"));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, "package", name)), { recursive: true });
      fs.writeFileSync(path.join(dir, "package", name), text);
    }
    const file = path.join(dir, "out.tgz");
    createTar({ gzip: true, cwd: dir, file, sync: true }, ["package"]);
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const manifest = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: "acme-nodes", version: "1.2.3", "node-red": { nodes: { flare: "flare.js" } }, ...extra });

async function refusal(bytes: Buffer): Promise<string> {
  try {
    await inspectPackage(bytes);
  } catch (error) {
    assert.ok(error instanceof PackageRefusal, String(error));
    return error.reason;
  }
  assert.fail("the package was accepted");
}

describe("node packages: reading a tarball before anything of it runs", () => {
  it("names the package, its version, its hash and the types its editor files register", async () => {
    const bytes = tarball({
      "package.json": manifest(),
      "flare.html": `<script>RED.nodes.registerType("acme-flare", {});</script><script>RED.nodes.registerType( 'acme-vent' , {})</script>`,
      "flare.js": "module.exports = () => {};",
    });
    const inspected = await inspectPackage(bytes);
    assert.deepEqual(inspected, {
      name: "acme-nodes",
      version: "1.2.3",
      sha256: crypto.createHash("sha256").update(bytes).digest("hex"),
      sizeBytes: bytes.length,
      types: ["acme-flare", "acme-vent"],
    });
  });

  it("refuses what is not an installable node package", async () => {
    assert.equal(await refusal(Buffer.from("not a tarball at all")), "not_a_tarball");
    assert.equal(await refusal(tarball({ "readme.md": "hi" })), "no_package_json");
    assert.equal(await refusal(tarball({ "package.json": manifest({ name: "../evil" }) })), "invalid_name");
    assert.equal(await refusal(tarball({ "package.json": manifest({ version: "latest" }) })), "invalid_version");
    assert.equal(await refusal(tarball({ "package.json": manifest({ "node-red": {} }) })), "not_a_node_package");
  });

  it("refuses dependencies that do not travel inside the tarball (the site installs offline)", async () => {
    assert.equal(await refusal(tarball({ "package.json": manifest({ dependencies: { lodash: "^4" } }) })), "dependencies_not_bundled");
    const bundled = await inspectPackage(tarball({ "package.json": manifest({ dependencies: { lodash: "^4" }, bundleDependencies: ["lodash"] }) }));
    assert.equal(bundled.name, "acme-nodes");
  });
});
