import assert from "node:assert/strict";
import type { Item, Location, StockMove } from "../../../../erp-modules/inventory/schema.js";
import type { AuditRecord } from "../../../../runtime/audit/audit-service.js";
import type { UserGrant } from "../../../../runtime/auth/grants.js";
import type { ManagedUser } from "../../../../runtime/auth/schema.js";
import { SiteClient } from "../../../helpers/http-client.js";
import { startSiteProcess, type SiteProcess } from "../../../helpers/site-process.js";
import { createBattery, viaApi } from "../../erp-modules/erp-fixtures.js";
import { adminClient, bearerClientFrom, createUser, errorOf, passwordFor, sessionAs, skipUnlessAvailable, type Backend } from "../../support.js";

interface Session {
  user: { id: string; username: string; role: string; grants: UserGrant[] };
}

interface Order {
  id: string;
  status: string;
  rowVersion: number;
}

interface OpenApiOperation {
  "x-petroflow-role": string;
  "x-petroflow-permission"?: string;
}

/**
 * Functional permissions over HTTP (docs/permissions.md): an admin sets a
 * user's grants with the users API, each change audited with the grants
 * before and after; a grant lets a viewer do one job (store moves,
 * work-order labour) and nothing beside it.
 */
for (const backend of ["pglite", "postgres"] as Backend[]) {
  describe(`grants: functional permissions (${backend})`, function () {
    this.timeout(120_000);
    let site: SiteProcess | undefined;
    let url = "";
    let admin!: SiteClient;

    before(async function () {
      skipUnlessAvailable(this, backend);
      site = await startSiteProcess({ backend });
      url = site.url;
      admin = await adminClient(url);
    });

    after(async function () {
      this.timeout(30_000);
      await site?.dispose();
    });

    async function grantsAuditOf(userId: string): Promise<AuditRecord[]> {
      const page = await admin.json<{ entries: AuditRecord[] }>("GET", `/api/v1/audit?entityType=user&entityId=${userId}&limit=100`);
      return page.entries;
    }

    it("creates a user with grants, replaces the set, and audits each change with the grants before and after", async () => {
      const created = await admin.json<{ user: ManagedUser }>(
        "POST",
        "/api/v1/users",
        { username: "gus-grants", role: "viewer", password: passwordFor("gus-grants"), grants: [{ grant: "buyer" }, { grant: "approver", approvalLimit: 5000 }] },
        201,
      );
      assert.deepEqual(created.user.grants, [{ grant: "approver", approvalLimit: 5000 }, { grant: "buyer" }]);
      const id = created.user.id;

      const replaced = await admin.json<{ user: ManagedUser }>("PATCH", `/api/v1/users/${id}`, { grants: [{ grant: "approver", approvalLimit: 12500.5 }, { grant: "storekeeper" }] });
      assert.deepEqual(replaced.user.grants, [{ grant: "approver", approvalLimit: 12500.5 }, { grant: "storekeeper" }]);
      assert.equal(replaced.user.role, "viewer", "a grant change leaves the role alone");
      const listed = await admin.json<{ users: ManagedUser[] }>("GET", "/api/v1/users");
      assert.deepEqual(listed.users.find((user) => user.id === id)?.grants, replaced.user.grants);

      const emptied = await admin.json<{ user: ManagedUser }>("PATCH", `/api/v1/users/${id}`, { grants: [] });
      assert.deepEqual(emptied.user.grants, []);

      const rows = await grantsAuditOf(id);
      assert.deepEqual(
        rows.map((row) => [row.action, (row.before as ManagedUser | null)?.grants ?? null, (row.after as ManagedUser).grants]),
        [
          ["user.update", [{ grant: "approver", approvalLimit: 12500.5 }, { grant: "storekeeper" }], []],
          ["user.update", [{ grant: "approver", approvalLimit: 5000 }, { grant: "buyer" }], [{ grant: "approver", approvalLimit: 12500.5 }, { grant: "storekeeper" }]],
          ["user.create", null, [{ grant: "approver", approvalLimit: 5000 }, { grant: "buyer" }]],
        ],
      );
    });

    it("refuses a bad grant set with a 400 naming the field, and stores nothing of it", async () => {
      const { id } = await createUser(admin, "bea-bad-grants", "operator");
      await admin.json("PATCH", `/api/v1/users/${id}`, { grants: [{ grant: "technician" }] });
      for (const [grants, field, reason] of [
        [[{ grant: "approver" }], "grants.0.approvalLimit", "approval_limit_required"],
        [[{ grant: "technician" }, { grant: "buyer", approvalLimit: 100 }], "grants.1.approvalLimit", "approval_limit_only_for_approver"],
        [[{ grant: "buyer" }, { grant: "buyer" }], "grants.1.grant", "repeated"],
        [[{ grant: "approver", approvalLimit: -1 }], "body.grants.0.approvalLimit", "below_minimum"],
        [[{ grant: "approver", approvalLimit: "5000" }], "body.grants.0.approvalLimit", "wrong_type"],
        [[{ grant: "accountant" }], "body.grants.0.grant", undefined],
        [[{ grant: "buyer", note: "x" }], "body.grants.0.note", "not_allowed"],
      ] as const) {
        const response = await admin.request("PATCH", `/api/v1/users/${id}`, { grants });
        assert.equal(response.status, 400, JSON.stringify(grants));
        const error = await errorOf(response);
        assert.equal(error.details?.field, field, JSON.stringify(grants));
        if (reason) assert.equal(error.details?.reason, reason, JSON.stringify(grants));
      }
      const create = await admin.request("POST", "/api/v1/users", { username: "no-limit", role: "viewer", grants: [{ grant: "approver" }] });
      assert.equal(create.status, 400);
      assert.equal((await errorOf(create)).details?.field, "grants.0.approvalLimit");
      const missing = await admin.request("GET", "/api/v1/users");
      assert.ok(!((await missing.json()) as { users: ManagedUser[] }).users.some((user) => user.username === "no-limit"), "a refused create stores no user");
      const kept = await admin.json<{ user: ManagedUser }>("GET", `/api/v1/users/${id}`);
      assert.deepEqual(kept.user.grants, [{ grant: "technician" }]);
    });

    it("keeps grant changes to admins", async () => {
      const { id } = await createUser(admin, "ed-engineer", "engineer");
      const engineer = await sessionAs(url, "ed-engineer");
      const response = await engineer.request("PATCH", `/api/v1/users/${id}`, { grants: [{ grant: "approver", approvalLimit: 1_000_000 }] });
      assert.equal(response.status, 403);
      const kept = await admin.json<{ user: ManagedUser }>("GET", `/api/v1/users/${id}`);
      assert.deepEqual(kept.user.grants, []);
    });

    it("a viewer with the storekeeper grant posts stock moves, by session and by API token; without it, a 403 names the permission", async () => {
      const engineer = await (async () => {
        await createUser(admin, "eve-engineer", "engineer");
        return sessionAs(url, "eve-engineer");
      })();
      const store = await engineer.json<Location>("POST", "/api/v1/inventory/locations", { code: "WH-G", name: "Grant store", kind: "warehouse" }, 201);
      const item = await engineer.json<Item>(
        "POST",
        "/api/v1/inventory/items",
        { code: "GASKET-G", name: "Flange gasket", category: "spare_part", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" },
        201,
      );
      const receipt = { itemId: item.id, toLocationId: store.id, quantity: 4, unitCost: 25, currency: "USD" };

      const { id } = await createUser(admin, "sara-store", "viewer");
      const plainViewer = await sessionAs(url, "sara-store");
      const refused = await plainViewer.request("POST", "/api/v1/inventory/receipts", receipt);
      assert.equal(refused.status, 403);
      const error = await errorOf(refused);
      assert.equal(error.code, "forbidden");
      assert.match(error.message, /operator role or the storekeeper permission/);

      await admin.json("PATCH", `/api/v1/users/${id}`, { grants: [{ grant: "storekeeper" }] });
      // The same session: every request reads the user's grants afresh.
      const received = await plainViewer.json<StockMove>("POST", "/api/v1/inventory/receipts", receipt, 201);
      assert.equal(received.createdBy, "sara-store");
      const token = await bearerClientFrom(plainViewer, "store scanner");
      await token.json<StockMove>("POST", "/api/v1/inventory/issues", { itemId: item.id, fromLocationId: store.id, quantity: 1, costObject: { type: "well", id: "W-7" } }, 201);

      const adjust = await plainViewer.request("POST", "/api/v1/inventory/adjustments", { itemId: item.id, locationId: store.id, quantityDelta: -1, notes: "lost" });
      assert.equal(adjust.status, 403, "writing stock off stays with an engineer");
      const newItem = await plainViewer.request("POST", "/api/v1/inventory/items", { code: "X", name: "X", category: "other", baseUnit: "ea", tracking: "none", owner: "site", currency: "USD" });
      assert.equal(newItem.status, 403);
      const workOrder = await plainViewer.request("POST", "/api/v1/maintenance/work-orders/01900000-0000-7000-8000-000000000000/labour", { technician: "x", hours: 1, workedOn: "2026-12-01" });
      assert.equal(workOrder.status, 403, "the storekeeper grant opens the store only");
    });

    it("a viewer with the technician grant starts, logs labour on and finishes a work order, but does not approve it", async () => {
      const battery = await createBattery(viaApi(admin), { field: "FIELD-G", site: "BAT-G", wells: { "WELL-G1": "esp" }, tank: "TK-G" });
      const opened = await admin.json<Order>("POST", "/api/v1/maintenance/work-orders", { equipmentId: battery.wells[0].id, title: "Replace seal" }, 201);

      const { id } = await createUser(admin, "tom-tech", "viewer");
      await admin.json("PATCH", `/api/v1/users/${id}`, { grants: [{ grant: "technician" }] });
      const technician = await sessionAs(url, "tom-tech");
      const approve = await technician.request("POST", `/api/v1/maintenance/work-orders/${opened.id}/transition`, { rowVersion: opened.rowVersion, to: "approved" });
      assert.equal(approve.status, 403);
      assert.equal((await errorOf(approve)).details?.reason, "needs_role");

      const approved = await admin.json<Order>("POST", `/api/v1/maintenance/work-orders/${opened.id}/transition`, { rowVersion: opened.rowVersion, to: "approved" });
      const started = await technician.json<Order>("POST", `/api/v1/maintenance/work-orders/${opened.id}/transition`, { rowVersion: approved.rowVersion, to: "in_progress" });
      assert.equal(started.status, "in_progress");
      await technician.json<Order>("POST", `/api/v1/maintenance/work-orders/${opened.id}/labour`, { technician: "Tom", hours: 2.5, workedOn: "2026-12-01" });
      const current = await technician.json<Order & { labour: { technician: string; hours: number; createdBy: string }[] }>("GET", `/api/v1/maintenance/work-orders/${opened.id}`);
      assert.deepEqual(
        current.labour.map((entry) => [entry.technician, entry.hours]),
        [["Tom", 2.5]],
      );
      const done = await technician.json<Order>("POST", `/api/v1/maintenance/work-orders/${opened.id}/transition`, { rowVersion: current.rowVersion, to: "done" });
      assert.equal(done.status, "done");

      const plan = await technician.request("POST", "/api/v1/maintenance/plans", { equipmentId: battery.wells[0].id, name: "x", kind: "calendar", intervalDays: 30 });
      assert.equal(plan.status, 403, "plans stay with an engineer");
      const receipt = await technician.request("POST", "/api/v1/inventory/receipts", {});
      assert.equal(receipt.status, 403, "the technician grant opens work orders only");
    });

    it("grants survive a re-login and come with the signed-in user", async () => {
      const { id } = await createUser(admin, "rae-relogin", "viewer");
      await admin.json("PATCH", `/api/v1/users/${id}`, { grants: [{ grant: "approver", approvalLimit: 750 }, { grant: "technician" }] });
      const first = await sessionAs(url, "rae-relogin");
      const me = await first.json<Session>("GET", "/api/v1/auth/me");
      assert.deepEqual(me.user.grants, [{ grant: "approver", approvalLimit: 750 }, { grant: "technician" }]);
      await first.json("POST", "/api/v1/auth/logout", undefined, 204);

      const again = new SiteClient(url);
      const login = await again.request("POST", "/api/v1/auth/login", { username: "rae-relogin", password: passwordFor("rae-relogin") });
      assert.equal(login.status, 200);
      assert.deepEqual(((await login.json()) as Session).user.grants, [{ grant: "approver", approvalLimit: 750 }, { grant: "technician" }]);
    });

    it("the OpenAPI document says which routes a grant opens", async () => {
      const document = await admin.json<{ paths: Record<string, Record<string, OpenApiOperation>> }>("GET", "/api/v1/openapi.json");
      const receipts = document.paths["/api/v1/inventory/receipts"]?.post;
      assert.deepEqual([receipts?.["x-petroflow-role"], receipts?.["x-petroflow-permission"]], ["operator", "storekeeper"]);
      const labour = document.paths["/api/v1/maintenance/work-orders/{id}/labour"]?.post;
      assert.deepEqual([labour?.["x-petroflow-role"], labour?.["x-petroflow-permission"]], ["operator", "technician"]);
      const plans = document.paths["/api/v1/maintenance/plans"]?.post;
      assert.equal(plans?.["x-petroflow-permission"], undefined);
    });
  });
}
