import assert from "node:assert/strict";
import type { AuditRecord } from "../../../../runtime/audit/audit-service.js";
import { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { adminClient, createUser, errorOf, passwordFor, sessionAs, skipUnlessAvailable, type Backend } from "../../support.js";

interface User {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  createdAt: string;
}

interface AuditPage {
  entries: AuditRecord[];
  next: string | null;
}

/**
 * What the users and audit screens stand on: an admin lists, creates,
 * changes, disables and resets users over the API, each change audited;
 * the audit log filters by user, action, entity and time, in pages.
 */
for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`user administration and the audit log API (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let url = "";
    let admin!: SiteClient;
    let startedAt = "";

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      url = site.url;
      admin = await adminClient(url);
      startedAt = new Date().toISOString();
    });

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
    });

    async function audit(query: string): Promise<AuditPage> {
      return admin.json<AuditPage>("GET", `/api/v1/audit?${query}`);
    }

    it("lists users and reads one, with 404 for a user that does not exist", async () => {
      const created = await createUser(admin, "uma-user", "operator");
      const listed = await admin.json<{ users: User[] }>("GET", "/api/v1/users");
      assert.deepEqual(
        listed.users.map((user) => user.username),
        ["admin", "uma-user"],
      );
      const one = await admin.json<{ user: User }>("GET", `/api/v1/users/${created.id}`);
      assert.equal(one.user.username, "uma-user");
      assert.equal(one.user.role, "operator");
      assert.equal(one.user.disabled, false);
      assert.ok(!Number.isNaN(Date.parse(one.user.createdAt)));
      const missing = await admin.request("GET", "/api/v1/users/01900000-0000-7000-8000-000000000000");
      assert.equal(missing.status, 404);
      assert.equal((await errorOf(missing)).code, "not_found");
    });

    it("resets a password: a generated one is shown once, the old one stops working, the change is audited", async () => {
      const created = await createUser(admin, "rex-reset", "viewer");
      const reset = await admin.json<{ user: User; password?: string }>("POST", `/api/v1/users/${created.id}/password`, {});
      assert.ok(reset.password && reset.password.length >= 16, "a generated password");
      const old = await new SiteClient(url).request("POST", "/api/v1/auth/login", { username: "rex-reset", password: passwordFor("rex-reset") });
      assert.equal(old.status, 401);
      await new SiteClient(url).login("rex-reset", reset.password);

      const chosen = await admin.json<{ user: User; password?: string }>("POST", `/api/v1/users/${created.id}/password`, { password: "chosen-by-admin" });
      assert.equal(chosen.password, undefined, "a chosen password is not echoed");
      await new SiteClient(url).login("rex-reset", "chosen-by-admin");
      const short = await admin.request("POST", `/api/v1/users/${created.id}/password`, { password: "short" });
      assert.equal(short.status, 400);

      const rows = await audit(`action=user.update&entityId=${created.id}`);
      assert.equal(rows.entries.length, 2);
      assert.deepEqual(rows.entries[0]?.details, { passwordChanged: true, revokedApiTokens: 0 });
      assert.ok(!JSON.stringify(rows).includes("chosen-by-admin"), "a password never reaches the audit log");
    });

    it("audits a role change with the role before and after, and the API tokens it revoked", async () => {
      const created = await createUser(admin, "rhea-role", "operator");
      const session = await sessionAs(url, "rhea-role");
      await session.json("POST", "/api/v1/auth/tokens", { name: "one" }, 201);
      await session.json("POST", "/api/v1/auth/tokens", { name: "two" }, 201);
      const changed = await admin.json<{ user: User }>("PATCH", `/api/v1/users/${created.id}`, { role: "engineer" });
      assert.equal(changed.user.role, "engineer");
      const rows = await audit(`action=user.update&entityType=user&entityId=${created.id}`);
      assert.equal(rows.entries.length, 1);
      const [row] = rows.entries;
      assert.equal((row?.before as User).role, "operator");
      assert.equal((row?.after as User).role, "engineer");
      assert.deepEqual(row?.details, { passwordChanged: false, revokedApiTokens: 2 });
      assert.equal(row?.actor, "admin");
    });

    it("keeps user administration to admins", async () => {
      const created = await createUser(admin, "eli-engineer", "engineer");
      const engineer = await sessionAs(url, "eli-engineer");
      for (const [method, path, body] of [
        ["GET", "/api/v1/users", undefined],
        ["GET", `/api/v1/users/${created.id}`, undefined],
        ["GET", `/api/v1/users/${created.id}/tokens`, undefined],
        ["POST", `/api/v1/users/${created.id}/password`, {}],
        ["PATCH", `/api/v1/users/${created.id}`, { role: "admin" }],
        ["GET", "/api/v1/audit", undefined],
        ["GET", "/api/v1/audit/actions", undefined],
      ] as const) {
        const response = await engineer.request(method, path, body);
        assert.equal(response.status, 403, `${method} ${path}`);
      }
    });

    it("filters the audit log by user, by action (exact or a prefix), by entity and by time", async () => {
      const byActor = await audit("actor=admin&limit=1000");
      assert.ok(byActor.entries.length > 0 && byActor.entries.every((entry) => entry.actor === "admin"));

      const creates = await audit("action=user.create&limit=1000");
      assert.ok(creates.entries.length >= 4 && creates.entries.every((entry) => entry.action === "user.create"));
      const userActions = await audit("actionPrefix=user.&limit=1000");
      assert.deepEqual([...new Set(userActions.entries.map((entry) => entry.action))].sort(), ["user.create", "user.update"]);
      const authActions = await audit("actionPrefix=auth.&limit=1000");
      assert.ok(authActions.entries.some((entry) => entry.action === "auth.login"));
      assert.ok(authActions.entries.every((entry) => entry.action.startsWith("auth.")));
      const literal = await audit("action=user_create&limit=1000");
      assert.deepEqual(literal.entries, [], "_ is no wildcard");

      const users = await audit("entityType=user&limit=1000");
      assert.ok(users.entries.every((entry) => entry.entityType === "user"));

      const before = await audit(`to=${encodeURIComponent(startedAt)}&limit=1000`);
      assert.ok(before.entries.length > 0, "the start-up rows (the first admin) are before the suite began");
      assert.ok(before.entries.every((entry) => entry.occurredAt < startedAt));
      const since = await audit(`from=${encodeURIComponent(startedAt)}&limit=1000`);
      assert.ok(since.entries.every((entry) => entry.occurredAt >= startedAt));
      assert.ok(!since.entries.some((entry) => before.entries.some((early) => early.id === entry.id)), "the ranges do not overlap");

      const actions = await admin.json<{ actions: string[] }>("GET", "/api/v1/audit/actions");
      assert.ok(["auth.login", "user.create", "user.update"].every((action) => actions.actions.includes(action)));
      assert.deepEqual(actions.actions, [...actions.actions].sort());
    });

    it("pages the filtered log newest first with `next`, and refuses bad filters with 400 naming the field", async () => {
      const all = await audit("actionPrefix=user.&limit=1000");
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const page: AuditPage = await audit(`actionPrefix=user.&limit=2${next ? `&before=${next}` : ""}`);
        assert.ok(page.entries.length <= 2);
        seen.push(...page.entries.map((entry) => entry.id));
        next = page.next;
      } while (next);
      assert.deepEqual(seen, all.entries.map((entry) => entry.id));

      for (const [query, field] of [
        ["from=yesterday", "from"],
        ["to=2025-13-01T00:00:00Z", "to"],
        ["limit=0", "limit"],
        ["before=not-a-uuid", "before"],
        [`from=${encodeURIComponent(new Date().toISOString())}&to=2020-01-01T00:00:00Z`, "from"],
      ] as const) {
        const response = await admin.request("GET", `/api/v1/audit?${query}`);
        assert.equal(response.status, 400, query);
        const error = await errorOf(response);
        assert.match(JSON.stringify(error), new RegExp(field), query);
      }
    });
  });
}
