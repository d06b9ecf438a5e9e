import assert from "node:assert/strict";
import type { AuditRecord } from "../../../../runtime/audit/audit-service.js";
import { loginFrom, nodeRedTokenFrom, type ResponseFrom } from "../../../helpers/http-from.js";
import type { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, createUser, passwordFor, skipUnlessAvailable, type Backend } from "../../support.js";

const MAX_ATTEMPTS = 3;
const WINDOW_SECONDS = 900;

function countBy(responses: readonly ResponseFrom[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
}

function retryAfterOf(response: ResponseFrom): number {
  const value = Number(response.headers["retry-after"]);
  assert.ok(Number.isInteger(value) && value > 0 && value <= WINDOW_SECONDS, `Retry-After ${String(response.headers["retry-after"])}`);
  return value;
}

/**
 * The login limits as an attacker meets them: per address, counted
 * atomically, and never a way to lock the real user out from elsewhere.
 * Every caller address is a distinct 127.x.y.z, which Linux routes to
 * loopback, so one process plays many machines.
 */
for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`login limits (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let url = "";
    let admin!: SiteClient;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({
        backend,
        env: {
          PETROFLOW_LOGIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
          PETROFLOW_LOGIN_WINDOW_SECONDS: String(WINDOW_SECONDS),
          // The account's progressive delay, kept short so the suite stays quick.
          PETROFLOW_LOGIN_MAX_DELAY_SECONDS: "1",
        },
      });
      url = site.url;
      admin = await adminClient(url);
    });

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
    });

    async function failedLoginsOf(username: string): Promise<AuditRecord[]> {
      const audit = await admin.json<{ entries: AuditRecord[] }>("GET", `/api/v1/audit?action=auth.login_failed&actor=${username}&limit=1000`);
      return audit.entries;
    }

    it(`checks exactly ${MAX_ATTEMPTS} of 100 parallel wrong passwords from one address, as if they came one by one`, async () => {
      await createUser(admin, "parallel-probe", "viewer");
      const attempts = Array.from({ length: 100 }, () => loginFrom("127.0.0.1", url, "parallel-probe", "wrong-password"));
      const counts = countBy(await Promise.all(attempts));
      assert.deepEqual(counts, { 401: MAX_ATTEMPTS, 429: 100 - MAX_ATTEMPTS });
      assert.equal((await failedLoginsOf("parallel-probe")).length, MAX_ATTEMPTS, "only the attempts that were checked are audited");

      const right = await loginFrom("127.0.0.1", url, "parallel-probe", passwordFor("parallel-probe"));
      assert.equal(right.status, 429, "the address has used its attempts on this account, as it would have one by one");
      retryAfterOf(right);
    });

    it("lets the right password in from another address after one address used up its attempts (login API)", async () => {
      await createUser(admin, "far-user", "viewer");
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        assert.equal((await loginFrom("127.0.0.2", url, "far-user", "wrong-password")).status, 401, `failure ${attempt}`);
      }
      const blocked = await loginFrom("127.0.0.2", url, "far-user", passwordFor("far-user"));
      assert.equal(blocked.status, 429);
      retryAfterOf(blocked);

      const elsewhere = await loginFrom("127.0.0.3", url, "far-user", passwordFor("far-user"));
      assert.equal(elsewhere.status, 200, elsewhere.text);
    });

    it("applies the same policy to Node-RED's token endpoint: 429 with Retry-After for the address, never 500, and the right password in from elsewhere", async () => {
      await createUser(admin, "token-user", "engineer");
      // More failures on the account than Node-RED's own limit (5 per user, from any address) allows.
      for (const address of ["127.0.0.4", "127.0.0.5"]) {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          const refused = await nodeRedTokenFrom(address, url, "token-user", "wrong-password");
          assert.equal(refused.status, 403, `${address} failure ${attempt}: ${refused.text}`);
          assert.equal((JSON.parse(refused.text) as { error?: string }).error, "invalid_grant");
        }
      }
      const limited = await nodeRedTokenFrom("127.0.0.4", url, "token-user", passwordFor("token-user"));
      assert.equal(limited.status, 429, limited.text);
      retryAfterOf(limited);

      const granted = await nodeRedTokenFrom("127.0.0.6", url, "token-user", passwordFor("token-user"));
      assert.equal(granted.status, 200, granted.text);
      const grant = JSON.parse(granted.text) as { access_token?: unknown; token_type?: unknown };
      assert.equal(typeof grant.access_token, "string");
      assert.equal(grant.token_type, "Bearer");
      assert.equal((await failedLoginsOf("token-user")).length, 2 * MAX_ATTEMPTS);
    });

    it("counts the token endpoint and the login API against the same budget", async () => {
      await createUser(admin, "shared-budget", "engineer");
      assert.equal((await loginFrom("127.0.0.7", url, "shared-budget", "wrong-password")).status, 401);
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        assert.equal((await nodeRedTokenFrom("127.0.0.7", url, "shared-budget", "wrong-password")).status, 403);
      }
      assert.equal((await loginFrom("127.0.0.7", url, "shared-budget", passwordFor("shared-budget"))).status, 429);
    });

    it("protects an account attacked from many addresses with a growing delay, never a lock", async () => {
      await createUser(admin, "spray-target", "viewer");
      const attackers = Array.from({ length: 4 }, (_, index) => `127.0.1.${index + 1}`);
      for (const address of attackers) {
        for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
          const response = await loginFrom(address, url, "spray-target", "wrong-password");
          assert.equal(response.status, 401, `${address}: ${response.text}`);
        }
      }
      const owner = await loginFrom("127.0.1.100", url, "spray-target", passwordFor("spray-target"));
      assert.equal(owner.status, 200, owner.text);
    });

    it(`limits one address across accounts at ${10 * MAX_ATTEMPTS} failures, and only that address`, async () => {
      for (let attempt = 1; attempt <= 10 * MAX_ATTEMPTS; attempt++) {
        const response = await loginFrom("127.0.2.1", url, `nobody-${attempt}`, "wrong-password");
        assert.equal(response.status, 401, `attempt ${attempt}`);
      }
      const sprayer = await loginFrom("127.0.2.1", url, "admin", "wrong-password");
      assert.equal(sprayer.status, 429);
      retryAfterOf(sprayer);
      assert.equal((await loginFrom("127.0.2.2", url, "nobody-1", "wrong-password")).status, 401);
    });
  });
}
