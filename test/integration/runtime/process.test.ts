import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createPostgresDatabase } from "../../helpers/databases.js";
import { SiteClient } from "../../helpers/http-client.js";
import { ADMIN_PASSWORD, startSiteProcess, type SiteProcess } from "../../helpers/site-process.js";
import { adminClient, bearerClientFrom, poll, runUntilExit, skipUnlessAvailable } from "../support.js";

const SIGTERM_DEADLINE_MS = 10_000;

for (const backend of ["pglite", "postgres"] as const) {
  describe(`the site process (${backend})`, function () {
    let site: SiteProcess | undefined;
    // Made here rather than by the helper so a second process can be pointed at it.
    let database: { url: string; drop(): Promise<void> } | undefined;
    let databaseUrl: string | undefined;

    before(async function () {
      skipUnlessAvailable(this, backend);
      this.timeout(120_000);
      if (backend === "postgres") {
        database = await createPostgresDatabase();
        databaseUrl = database.url;
      }
      site = await startSiteProcess({ backend, databaseUrl });
    });

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
      await database?.drop();
    });

    const running = (): SiteProcess => {
      assert.ok(site, "the site is not running");
      return site;
    };

    if (backend === "pglite") {
      it("refuses a second process on the same PGlite data dir: non-zero exit, 'in use by another Petroflow process'", async function () {
        this.timeout(60_000);
        const first = running();
        const second = await runUntilExit({ PORT: "0", HOST: "127.0.0.1", PETROFLOW_DATA_DIR: first.dataDir, PETROFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD });
        assert.notEqual(second.code, 0, second.output);
        assert.match(second.output, /in use by another Petroflow process/);
        assert.ok(second.output.includes(`pid ${first.child.pid}`), "the message names the process holding the data dir");

        // The refused process must leave the lock and the running site alone.
        assert.equal(fs.readFileSync(path.join(first.dataDir, "petroflow.lock"), "utf8").trim(), String(first.child.pid));
        const health = await fetch(`${first.url}/healthz`);
        assert.equal(health.status, 200);
      });
    } else {
      it("lets a second process, with a data dir of its own, share the PostgreSQL database", async function () {
        this.timeout(120_000);
        const first = running();
        assert.ok(databaseUrl, "the first site's DATABASE_URL");
        // A data dir holds one process's own state (its spool of waiting entries), so
        // the second has its own, with the same site secret (the key file, copied).
        const secondDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-second-"));
        fs.copyFileSync(path.join(first.dataDir, "secret.key"), path.join(secondDir, "secret.key"));
        fs.chmodSync(path.join(secondDir, "secret.key"), 0o600);
        const second = await startSiteProcess({ backend, dataDir: secondDir, databaseUrl });
        try {
          const health = await poll(
            () => fetch(`${second.url}/healthz`).then((response) => response.status),
            (status) => status === 200,
          );
          assert.equal(health.value, 200);
          // Both see the same users: the second one reads the first one's database.
          const admin = new SiteClient(second.url);
          await admin.login("admin", ADMIN_PASSWORD);
          assert.ok(admin.csrfToken);
        } finally {
          assert.equal(await second.stop(), 0);
          fs.rmSync(secondDir, { recursive: true, force: true });
        }
        assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
      });
    }

    it("refuses to start on a bad setting, naming the variable (PORT=abc, LOG_LEVEL=loud)", async function () {
      this.timeout(60_000);
      const base: Record<string, string> = {
        HOST: "127.0.0.1",
        PETROFLOW_DATA_DIR: running().dataDir,
        PETROFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      };
      for (const [variable, value] of [
        ["PORT", "abc"],
        ["LOG_LEVEL", "loud"],
      ] as const) {
        const exited = await runUntilExit({ PORT: "0", ...base, [variable]: value });
        assert.notEqual(exited.code, 0, `${variable}=${value}: ${exited.output}`);
        assert.match(exited.output, new RegExp(`Invalid setting ${variable}\\b`), exited.output);
      }
    });

    it("serves Prometheus metrics at /metrics to an admin API token, with deploy and process metrics", async function () {
      const admin = await bearerClientFrom(await adminClient(running().url), "prometheus-scraper");
      const response = await admin.request("GET", "/metrics");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
      const text = await response.text();
      assert.match(text, /^# TYPE petroflow_flow_deploys_total counter$/m);
      // First start recorded the shipped flows as a revision: one deploy counted.
      assert.match(text, /^petroflow_flow_deploys_total\{source="first-start"\} 1$/m);
      assert.match(text, /^petroflow_process_cpu_user_seconds_total \d/m);
      assert.match(text, /^petroflow_process_resident_memory_bytes \d/m);
    });

    it("lists the flows and auth paths in /api/v1/openapi.json for a logged-in user", async function () {
      const admin = await adminClient(running().url);
      const document = await admin.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>("GET", "/api/v1/openapi.json");
      assert.match(document.openapi, /^3\./);
      for (const [pathname, method] of [
        ["/api/v1/auth/login", "post"],
        ["/api/v1/auth/logout", "post"],
        ["/api/v1/auth/me", "get"],
        ["/api/v1/auth/tokens", "post"],
        ["/api/v1/flows/revisions", "get"],
        ["/api/v1/flows/revisions/{number}", "get"],
        ["/api/v1/flows/revisions/{from}/diff/{to}", "get"],
        ["/api/v1/flows/revisions/{number}/rollback", "post"],
        ["/api/v1/flows/import", "post"],
      ] as const) {
        assert.ok(document.paths[pathname]?.[method], `${method.toUpperCase()} ${pathname} is documented`);
      }
    });

    it("keeps the site secret in <dataDir>/secret.key with mode 0600", async function () {
      const stat = fs.statSync(path.join(running().dataDir, "secret.key"));
      assert.equal((stat.mode & 0o777).toString(8), "600");
    });

    it(`exits with code 0 within ${SIGTERM_DEADLINE_MS / 1000} s of SIGTERM`, async function () {
      this.timeout(SIGTERM_DEADLINE_MS + 5_000);
      const started = Date.now();
      const code = await running().stop();
      const elapsed = Date.now() - started;
      assert.equal(code, 0, running().output().slice(-2000));
      assert.ok(elapsed < SIGTERM_DEADLINE_MS, `took ${elapsed} ms`);
      assert.match(running().output(), /"msg":"Petroflow stopped"/);
    });
  });
}
