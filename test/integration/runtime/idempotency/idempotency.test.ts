import assert from "node:assert/strict";
import { SiteClient } from "../../../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { requestHash } from "../../../../runtime/idempotency/idempotency.js";
import { skipUnlessAvailable, type Backend } from "../../support.js";

describe("Idempotency-Key: request identity (pure)", () => {
  it("depends on method, URL (query string included) and body", () => {
    const base = requestHash("POST", "/api/v1/tags", { path: "SITE1/A/B" });
    assert.equal(base, requestHash("POST", "/api/v1/tags", { path: "SITE1/A/B" }));
    assert.notEqual(base, requestHash("PATCH", "/api/v1/tags", { path: "SITE1/A/B" }));
    assert.notEqual(base, requestHash("POST", "/api/v1/users", { path: "SITE1/A/B" }));
    assert.notEqual(base, requestHash("POST", "/api/v1/tags", { path: "SITE1/A/C" }));
    assert.notEqual(
      requestHash("POST", "/api/v1/reservoir/history/imports?unitSystem=metric", "well,date\n"),
      requestHash("POST", "/api/v1/reservoir/history/imports?unitSystem=oilfield", "well,date\n"),
      "the same body under other query options is another request",
    );
  });
});

for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`Idempotency-Key on mutating API calls (${backend})`, function () {
    this.timeout(60_000);
    let site: SiteProcess | undefined;
    let admin: SiteClient;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      admin = new SiteClient(site.url);
      await admin.login("admin", ADMIN_PASSWORD);
    });

    after(async () => {
      await site?.dispose();
    });

    it("replays the first response to a repeated request and acts once", async () => {
      const body = { path: "SITE1/WELL-101/THP", dataType: "float", unit: "kPa" };
      const first = await admin.request("POST", "/api/v1/tags", body, { "idempotency-key": "create-thp-1" });
      assert.equal(first.status, 201);
      const firstBody = await first.text();
      const second = await admin.request("POST", "/api/v1/tags", body, { "idempotency-key": "create-thp-1" });
      assert.equal(second.status, 201, "the replay answers like the first, not 409 duplicate");
      assert.equal(second.headers.get("idempotency-replayed"), "true");
      assert.equal(await second.text(), firstBody);
      const list = await admin.json<{ total: number }>("GET", "/api/v1/tags?prefix=SITE1/WELL-101/");
      assert.equal(list.total, 1);
    });

    it("replays a 4xx too, but refuses the key for a different request (422)", async () => {
      const bad = await admin.request("POST", "/api/v1/tags", { path: "bad path", dataType: "float" }, { "idempotency-key": "bad-1" });
      assert.equal(bad.status, 400);
      const again = await admin.request("POST", "/api/v1/tags", { path: "bad path", dataType: "float" }, { "idempotency-key": "bad-1" });
      assert.equal(again.status, 400);
      assert.equal(again.headers.get("idempotency-replayed"), "true");
      const reused = await admin.request("POST", "/api/v1/tags", { path: "SITE1/X/Y", dataType: "float" }, { "idempotency-key": "bad-1" });
      assert.equal(reused.status, 422);
    });

    it("covers CSV bodies and keeps keys per user", async () => {
      const csv = "path,dataType\nSITE1/TK-01/LEVEL,float\n";
      const first = await admin.request("POST", "/api/v1/tags/import", csv, { "content-type": "text/csv", "idempotency-key": "import-1" });
      assert.equal(first.status, 200);
      const replay = await admin.request("POST", "/api/v1/tags/import", csv, { "content-type": "text/csv", "idempotency-key": "import-1" });
      assert.equal(replay.headers.get("idempotency-replayed"), "true");
      assert.deepEqual(await replay.json(), { created: 1, updated: 0, rejected: [] });
      const other = await admin.request("POST", "/api/v1/tags/import", "path,dataType\nSITE1/TK-02/LEVEL,float\n", {
        "content-type": "text/csv",
        "idempotency-key": "import-1",
      });
      assert.equal(other.status, 422);
      await admin.json("POST", "/api/v1/users", { username: "ida-engineer", role: "engineer", password: "engineer-password" }, 201);
      const engineer = new SiteClient(site!.url);
      await engineer.login("ida-engineer", "engineer-password");
      const theirs = await engineer.request("POST", "/api/v1/tags/import", "path,dataType\nSITE1/TK-02/LEVEL,float\n", {
        "content-type": "text/csv",
        "idempotency-key": "import-1",
      });
      assert.equal(theirs.status, 200, "another user's key space is separate");
      assert.equal(theirs.headers.get("idempotency-replayed"), null);
    });

    it("refuses a malformed key", async () => {
      const response = await admin.request("POST", "/api/v1/tags", { path: "SITE1/A/B", dataType: "float" }, { "idempotency-key": "x".repeat(201) });
      assert.equal(response.status, 400);
    });
  });
}
