import { Type } from "@sinclair/typebox";
import express, { type Express, type Request, type Router } from "express";
import { HttpError, validationFailed } from "../http/errors.js";
import { inputGate } from "../http/input-gate.js";
import type { RouteRegistry } from "../http/route-registry.js";
import { checkInput, parseText } from "../input/schema-check.js";
import type { Logger } from "../observability/logger.js";
import type { SyncAgentStatus } from "./sync-agent.js";
import { SyncOwnershipError, SyncPushError, type SyncOwnership, type SyncPull, type SyncReceiver } from "./sync-receiver.js";
import { SyncPushRequestSchema } from "./sync-schema.js";
import { SyncSiteError, type SyncSites } from "./sync-sites.js";

/** 5,000 records of a few KiB each: the schema's batch limit, with room. */
const PUSH_BODY_LIMIT = "32mb";

const SiteIdSchema = Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$" });

function pushErrorToHttp(error: unknown, from: number): never {
  if (error instanceof SyncPushError) {
    switch (error.kind) {
      case "gap":
        // The agent resends from `expected` (runtime/sync/sync-agent.ts).
        throw new HttpError(409, "sync_gap", error.message, { field: "body.records", reason: "sequence_gap", params: { expected: error.expectedSequence ?? 0, from } });
      case "mismatch":
        throw new HttpError(409, "conflict", error.message, { field: "body.records", reason: "sequence_mismatch" });
      case "not_consecutive":
        throw new HttpError(400, "validation_failed", error.message, { field: "body.records", reason: "not_consecutive" });
      case "unknown_site":
        throw new HttpError(403, "forbidden", error.message, { field: "body.siteId", reason: "site_unknown" });
      case "disabled":
        throw new HttpError(403, "forbidden", error.message, { field: "body.siteId", reason: "site_disabled" });
    }
  }
  throw error;
}

/** The site a request's credential belongs to: 401 without one or for an unknown or revoked one, 403 for a disabled site. */
async function siteOfRequest(req: Request, sites: SyncSites): Promise<string> {
  const [scheme, token] = req.headers.authorization?.split(" ") ?? [];
  if (scheme?.toLowerCase() !== "bearer" || !token) throw new HttpError(401, "unauthenticated", "a site credential (Authorization: Bearer) is required");
  const credential = await sites.check(token);
  if (!credential.ok) throw new HttpError(401, "invalid_token", "the site credential is unknown or revoked");
  if (credential.disabled) throw new HttpError(403, "forbidden", `site ${credential.siteId} is disabled`, { field: "body.siteId", reason: "site_disabled" });
  return credential.siteId;
}

const PullQuerySchema = Type.Object(
  { after: Type.Integer({ minimum: 0 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })) },
  { additionalProperties: false },
);

/**
 * The routes a site calls (cloud role), authenticated by the site's own
 * credential (Bearer), never a user session: mounted ahead of the session
 * authentication, since a site credential is not a user token.
 * POST /api/v1/sync/push takes a site's batch.
 */
export function mountSyncSiteRoutes(app: Express, deps: { sites: SyncSites; receiver: SyncReceiver; pull: SyncPull; logger: Logger }): void {
  /**
   * GET /api/v1/sync/pull?after=N: the cloud-owned records (corporate
   * master data) changed after the cloud's sequence N, oldest first, for a
   * site to apply (docs/sync.md "Down from the cloud"). Same credential as
   * the push.
   */
  app.get("/api/v1/sync/pull", inputGate(), async (req, res) => {
    await siteOfRequest(req, deps.sites);
    const parsed = parseText(PullQuerySchema, { ...(req.query as Record<string, unknown>) }, "query");
    if ("problem" in parsed) throw validationFailed(parsed.problem);
    res.json(await deps.pull.after(parsed.value.after, parsed.value.limit ?? 1000));
  });

  app.post("/api/v1/sync/push", express.json({ limit: PUSH_BODY_LIMIT }), inputGate(), async (req, res) => {
    const siteId = await siteOfRequest(req, deps.sites);
    const checked = checkInput(SyncPushRequestSchema, req.body ?? {}, "body");
    if ("problem" in checked) throw validationFailed(checked.problem);
    const request = checked.value;
    if (request.siteId !== siteId) {
      throw new HttpError(403, "forbidden", `the credential is site ${siteId}'s, not ${request.siteId}'s`, {
        field: "body.siteId",
        reason: "site_mismatch",
        params: { siteId: request.siteId },
      });
    }
    const answer = await deps.receiver.push(request).catch((error: unknown) => pushErrorToHttp(error, request.records[0]?.sequence ?? 0));
    if (answer.conflicts.length > 0) deps.logger.warn({ siteId: request.siteId, conflicts: answer.conflicts.length }, "sync push: changes refused by ownership");
    res.json(answer);
  });
}

function adminErrorToHttp(error: unknown): never {
  if (error instanceof SyncSiteError) {
    if (error.kind === "not_found") throw new HttpError(404, "not_found", error.message);
    if (error.kind === "conflict") throw new HttpError(409, "conflict", error.message, { field: "body.siteId", reason: "site_exists" });
    throw new HttpError(409, "invalid_state", error.message);
  }
  if (error instanceof SyncOwnershipError) {
    if (error.kind === "not_found") throw new HttpError(404, "not_found", error.message);
    throw new HttpError(409, "invalid_state", error.message, { field: "body.toOwner", reason: "same_owner" });
  }
  throw error;
}

const CredentialListSchema = Type.Array(
  Type.Object({
    id: Type.String({ format: "uuid" }),
    createdAt: Type.String({ format: "date-time" }),
    lastUsedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  }),
);
const SiteSchema = Type.Object({
  siteId: Type.String(),
  name: Type.String(),
  lastSequence: Type.Integer({ minimum: 0 }),
  lastContactAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  lastHealth: Type.Unknown(),
  disabledAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  credentials: CredentialListSchema,
});
const IssuedSchema = Type.Object({
  credentialId: Type.String({ format: "uuid" }),
  token: Type.String({ description: "shown once: give it to the site (PETROFLOW_SYNC_TOKEN or <data dir>/sync-credential)" }),
  revoked: Type.Array(Type.String({ format: "uuid" })),
});
const ConflictSchema = Type.Object({
  id: Type.String({ format: "uuid" }),
  siteId: Type.String(),
  sequence: Type.Union([Type.Integer(), Type.Null()]),
  entityType: Type.String(),
  entityId: Type.String({ format: "uuid" }),
  reason: Type.String(),
  incoming: Type.Unknown(),
  currentOwner: Type.Union([Type.String(), Type.Null()]),
  current: Type.Unknown(),
  createdAt: Type.String({ format: "date-time" }),
  resolvedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  resolvedBy: Type.Union([Type.String(), Type.Null()]),
  resolution: Type.Union([Type.String(), Type.Null()]),
});

/** The cloud's admin API over sites, credentials, ownership and conflicts (docs/sync.md). Admin only; every change audited. */
export function registerSyncAdminRoutes(router: Router, routes: RouteRegistry, deps: { sites: SyncSites; ownership: SyncOwnership }): void {
  const { sites, ownership } = deps;
  routes.add(router, {
    method: "get",
    path: "/sync/sites",
    summary: "Sites that push to this cloud: last contact, last sequence, health, credentials (never the tokens)",
    tags: ["sync"],
    role: "admin",
    schemas: { responses: { 200: Type.Object({ sites: Type.Array(SiteSchema) }) } },
    handler: async ({ res }) => {
      res.json({ sites: await sites.list() });
    },
  });
  routes.add(router, {
    method: "post",
    path: "/sync/sites",
    summary: "Register a site",
    tags: ["sync"],
    role: "admin",
    audit: { actions: ["sync.site.add"], rows: { 201: 1 } },
    schemas: {
      body: Type.Object({ siteId: SiteIdSchema, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      responses: { 201: Type.Object({ siteId: Type.String() }), 409: null },
    },
    handler: async ({ res, body, principal }) => {
      await sites.add(body.siteId, body.name, principal.user.username).catch(adminErrorToHttp);
      res.status(201).json({ siteId: body.siteId });
    },
  });
  routes.add(router, {
    method: "patch",
    path: "/sync/sites/:siteId",
    summary: "Disable a site (its pushes are refused with 403 until enabled again; what it sent is kept) or enable it",
    tags: ["sync"],
    role: "admin",
    audit: { actions: ["sync.site.disable", "sync.site.enable"], rows: { 204: 1 } },
    schemas: {
      params: Type.Object({ siteId: SiteIdSchema }),
      body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }),
      responses: { 204: null, 404: null },
    },
    handler: async ({ res, params, body, principal }) => {
      await sites.setDisabled(params.siteId, body.disabled, principal.user.username).catch(adminErrorToHttp);
      res.status(204).end();
    },
  });
  routes.add(router, {
    method: "post",
    path: "/sync/sites/:siteId/credentials",
    summary: "Issue a site credential (shown once). With revokeOthers, the site's other credentials are revoked at once (a leak); else they stay valid until revoked (rotation)",
    tags: ["sync"],
    role: "admin",
    audit: { actions: ["sync.credential.issue", "sync.credential.revoke"], rows: { 201: "any" } },
    schemas: {
      params: Type.Object({ siteId: SiteIdSchema }),
      body: Type.Object({ revokeOthers: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      responses: { 201: IssuedSchema, 404: null },
    },
    handler: async ({ res, params, body, principal }) => {
      const issued = await sites.rotate(params.siteId, principal.user.username, body.revokeOthers === true).catch(adminErrorToHttp);
      res.setHeader("Cache-Control", "no-store");
      res.status(201).json(issued);
    },
  });
  routes.add(router, {
    method: "post",
    path: "/sync/credentials/:id/revoke",
    summary: "Revoke a site credential: pushes with it are refused (401) from now on",
    tags: ["sync"],
    role: "admin",
    audit: { actions: ["sync.credential.revoke"], rows: { 204: 1 } },
    schemas: { params: Type.Object({ id: Type.String({ format: "uuid" }) }), responses: { 204: null, 404: null } },
    handler: async ({ res, params, principal }) => {
      await sites.revoke(params.id, principal.user.username).catch(adminErrorToHttp);
      res.status(204).end();
    },
  });
  routes.add(router, {
    method: "post",
    path: "/sync/ownership-transfers",
    summary: "Hand an entity (a well, say) to another owner from effectiveAt on; the old owner's later changes become ownership_moved conflicts",
    tags: ["sync"],
    role: "admin",
    audit: { actions: ["sync.ownership.transfer"], rows: { 201: 1 } },
    schemas: {
      body: Type.Object(
        {
          entityType: Type.String({ minLength: 1, maxLength: 64 }),
          entityId: Type.String({ format: "uuid" }),
          toOwner: Type.String({ pattern: "^([A-Z0-9][A-Z0-9_-]{0,31}|cloud)$" }),
          effectiveAt: Type.Optional(Type.String({ format: "date-time" })),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
      responses: { 201: Type.Object({ id: Type.String({ format: "uuid" }), fromOwner: Type.String() }), 404: null, 409: null },
    },
    handler: async ({ res, body, principal }) => {
      const moved = await ownership
        .transfer({ ...body, effectiveAt: body.effectiveAt ? new Date(body.effectiveAt) : new Date() }, principal.user.username)
        .catch(adminErrorToHttp);
      res.status(201).json(moved);
    },
  });
  routes.add(router, {
    method: "get",
    path: "/sync/conflicts",
    summary: "Changes refused by ownership, with both versions",
    tags: ["sync"],
    role: "engineer",
    schemas: {
      query: Type.Object({
        open: Type.Optional(Type.Boolean()),
        siteId: Type.Optional(SiteIdSchema),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      }),
      responses: { 200: Type.Object({ conflicts: Type.Array(ConflictSchema) }) },
    },
    handler: async ({ res, query }) => {
      res.json({ conflicts: await ownership.conflicts({ open: query.open, siteId: query.siteId, limit: query.limit ?? 200 }) });
    },
  });
  routes.add(router, {
    method: "post",
    path: "/sync/conflicts/:id/resolve",
    summary: "Resolve a conflict: keep the owner's version or take the refused one, with a reason",
    tags: ["sync"],
    role: "admin",
    audit: { actions: ["sync.conflict.resolve"], rows: { 200: 1 } },
    schemas: {
      params: Type.Object({ id: Type.String({ format: "uuid" }) }),
      body: Type.Object(
        { choice: Type.Union([Type.Literal("keep_current"), Type.Literal("take_incoming")]), reason: Type.String({ minLength: 1, maxLength: 500 }) },
        { additionalProperties: false },
      ),
      responses: { 200: Type.Object({ conflict: ConflictSchema }), 404: null },
    },
    handler: async ({ res, params, body, principal }) => {
      res.json({ conflict: await ownership.resolve(params.id, body.choice, body.reason, principal.user.username).catch(adminErrorToHttp) });
    },
  });
}

const StatusSchema = Type.Object({
  configured: Type.Boolean({ description: "false when PETROFLOW_SYNC_URL or the credential is not set: nothing leaves the site" }),
  state: Type.String(),
  pending: Type.Integer({ minimum: 0 }),
  acknowledgedThrough: Type.Integer({ minimum: 0 }),
  lastSuccessAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lagSeconds: Type.Number({ minimum: 0 }),
  nextAttemptAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
  conflictsReported: Type.Integer({ minimum: 0 }),
});

/** GET /api/v1/sync/status (edge role): what the sync agent is doing. */
export function registerSyncStatusRoute(router: Router, routes: RouteRegistry, status: () => SyncAgentStatus | null): void {
  routes.add(router, {
    method: "get",
    path: "/sync/status",
    summary: "The site's sync agent: state, rows waiting, last success, lag",
    tags: ["sync"],
    role: "viewer",
    schemas: { responses: { 200: StatusSchema } },
    handler: async ({ res }) => {
      const current = status();
      res.json(
        current
          ? { configured: true, ...current }
          : {
              configured: false,
              state: "off",
              pending: 0,
              acknowledgedThrough: 0,
              lastSuccessAt: null,
              lastError: null,
              lagSeconds: 0,
              nextAttemptAt: null,
              conflictsReported: 0,
            },
      );
    },
  });
}
