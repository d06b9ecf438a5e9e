import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, createRestartableSite, type RestartableSite, type SiteProcess } from "../../../helpers/site-process.js";

const TAG_WRITER = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "fixtures", "flows", "tag-writer.json"), "utf8")) as unknown[];

/*
 * The site process runs the historian: a tag created with history on has
 * its live values stored, the last one held back by compression included,
 * once the site stops on SIGTERM.
 */
describe("historian in the site process (PGlite)", function () {
  this.timeout(120_000);
  let restartable: RestartableSite | undefined;
  let site: SiteProcess | undefined;

  before(async () => {
    restartable = await createRestartableSite("pglite", "petroflow-historian-site-");
    site = await restartable.start();
  });

  after(async () => {
    await site?.stop();
    await restartable?.dispose();
  });

  it("stores the values of a tag with history on, and flushes what compression held back on SIGTERM", async () => {
    const admin = new SiteClient(site!.url);
    await admin.login("admin", ADMIN_PASSWORD);
    const current = await admin.json<{ flows: unknown[] }>("GET", "/api/v1/flows/current");
    await admin.json("POST", "/api/v1/flows/import", { flows: [...current.flows, ...TAG_WRITER], message: "tag writer for tests" }, 201);
    const created = await admin.json<{ tag: { id: string; historyEnabled: boolean } }>(
      "POST",
      "/api/v1/tags",
      { path: "SITE1/HIST-01/PV", dataType: "float", historyEnabled: true, historyDeviation: 0.5 },
      201,
    );
    assert.equal(created.tag.historyEnabled, true);
    const written: number[] = [];
    for (const value of [10, 20, 10, 30]) {
      for (let attempt = 0; ; attempt++) {
        const response = await admin.request("POST", "/endpoints/set-tag", { path: "SITE1/HIST-01/PV", value });
        if (response.status === 200) break;
        assert.ok(attempt < 50, "the tag writer flow answers");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      written.push(value);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await site!.stop(), 0, "the site exits cleanly on SIGTERM");
    const stored = await restartable!.withDatabase((db) =>
      db.query<{ value_num: number }>("SELECT value_num FROM history WHERE tag_id = $1 ORDER BY ts", [created.tag.id]),
    );
    // A zigzag is on no straight line: every value is stored, the last one (held back) at shutdown.
    assert.deepEqual(stored.rows.map((row) => row.value_num), written);
  });
});
