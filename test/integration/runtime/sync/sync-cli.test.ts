import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { skipWithReason } from "../../../helpers/skip-report.js";

const CLI_JS = path.resolve(__dirname, "..", "..", "..", "..", "dist", "runtime", "cli.js");
const run = promisify(execFile);

/** `petroflow sync …` on the cloud's database (PGlite in a temp data dir: the cloud is not running). */
describe("petroflow sync (CLI)", function () {
  this.timeout(300_000);
  let dataDir = "";
  const cli = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [CLI_JS, "sync", ...args], {
      env: { PATH: process.env.PATH ?? "", PETROFLOW_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      timeout: 120_000,
    });
    return stdout;
  };

  before(function () {
    if (!fs.existsSync(CLI_JS)) skipWithReason(this, `${CLI_JS} is missing: run npm run build:server first`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-sync-cli-"));
  });

  after(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("registers a site, issues a credential once, rotates and revokes it, and lists what stays valid", async () => {
    assert.match(await cli("site", "add", "NORTH", "--name", "North field"), /registered site NORTH/);
    const issued = await cli("credential", "issue", "NORTH");
    const first = /credential ([0-9a-f-]{36}) for NORTH\ntoken: (pfsync_\S+)/.exec(issued);
    assert.ok(first, issued);
    const rotated = /credential ([0-9a-f-]{36})/.exec(await cli("credential", "rotate", "NORTH"));
    assert.ok(rotated);
    assert.match(await cli("sites"), new RegExp(`NORTH\\tNorth field\\tlast sequence 0\\tlast contact never\\tcredentials ${first[1]},${rotated[1]}`));
    assert.match(await cli("credential", "revoke", first[1]), /revoked/);
    const listed = await cli("sites");
    assert.ok(!listed.includes(first[1]), listed);
    assert.ok(!listed.includes(first[2]), "a token is never listed");
    await assert.rejects(cli("credential", "revoke", first[1]), /no unrevoked credential/);
    await assert.rejects(cli("credential", "revoke", "not-a-uuid"), /a credential id is a UUID/);
  });
});
