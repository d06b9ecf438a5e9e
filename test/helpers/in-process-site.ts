import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Express, RequestHandler } from "express";
import supertest from "supertest";
import { AuditService } from "../../runtime/audit/audit-service.js";
import { AuthService } from "../../runtime/auth/auth-service.js";
import { LoginLimiter } from "../../runtime/auth/login-limiter.js";
import type { Role } from "../../runtime/auth/roles.js";
import type { Database } from "../../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../../runtime/db/migration-sources.js";
import { migrate } from "../../runtime/db/migrator.js";
import { ModuleEventBus } from "../../runtime/events/event-bus.js";
import { FieldTopologyRegistry } from "../../runtime/field/field-topology.js";
import { FlowService, type FlowRuntime } from "../../runtime/flows/flow-service.js";
import { createNodeRedStorage } from "../../runtime/flows/node-red-storage.js";
import { RevisionStore } from "../../runtime/flows/revision-store.js";
import { createApp } from "../../runtime/http/app.js";
import { createLogger } from "../../runtime/observability/logger.js";
import { createMetrics } from "../../runtime/observability/metrics.js";
import { WEB_DIR } from "../../runtime/paths.js";
import { TagRegistry } from "../../runtime/tags/tag-registry.js";
import { TagStore } from "../../runtime/tags/tag-store.js";
import { Outbox } from "../../runtime/sync/outbox.js";
import { petroflowNodeConfigRegistry } from "../../nodes/shared/petroflow-node-migrations.js";
import { nodeConfigVersions } from "../../nodes/shared/versioned-node.js";
import { createErpModules, type ErpModules } from "../../erp-modules/index.js";

/** Node types the stand-in runtime knows: Node-RED's core ones a test flow uses. */
const KNOWN_TYPES = new Set(["inject", "debug", "function", "change", "switch", "http in", "http response", "template", "delay"]);

export const SITE_ID = "SITE1";
const ADMIN_PASSWORD = "in-process-admin-password";

export interface InProcessSession {
  username: string;
  role: Role;
  /** A request with the session cookie and the CSRF header, as the web app sends it. */
  send(method: "get" | "post" | "patch" | "put" | "delete", url: string): supertest.Test;
}

export interface InProcessSite {
  app: Express;
  db: Database;
  erp: ErpModules;
  tagRegistry: TagRegistry;
  auth: AuthService;
  /** The OpenAPI document the app serves, built from the same route registry. */
  openApi(): Promise<Record<string, unknown>>;
  /** Requests without a session. */
  anonymous(): supertest.Agent;
  /** A user of that role (created on first use) with a browser session. */
  session(role: Role): Promise<InProcessSession>;
  close(): Promise<void>;
}

/**
 * The site's HTTP app, in this process, on a given database: the real
 * services, routes, input policy and error mapping, with one stand-in for
 * Node-RED (a deploy goes straight to the storage module, which is what
 * Node-RED's runtime calls). For tests that send many requests: supertest
 * against the app costs no process and no port per request.
 */
export async function startInProcessSite(db: Database): Promise<InProcessSite> {
  await migrate(db, ALL_MIGRATIONS);
  const logger = createLogger("silent");
  const metrics = createMetrics();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-in-process-"));
  const audit = new AuditService(db, SITE_ID);
  const auth = new AuthService(db, audit, { siteId: SITE_ID, sessionTtlHours: 12 });
  await auth.ensureInitialAdmin(ADMIN_PASSWORD);
  const revisions = new RevisionStore(db);
  const tagRegistry = new TagRegistry(db, audit, SITE_ID);
  await tagRegistry.load();
  const tags = new TagStore({ deadbandOf: (tagPath) => tagRegistry.deadbandOf(tagPath) });
  const outbox = new Outbox(db, SITE_ID);
  const events = new ModuleEventBus(SITE_ID, () => undefined);
  const erp = createErpModules({ db, audit, outbox, events, siteId: SITE_ID, logger });
  const nodeConfigs = nodeConfigVersions(petroflowNodeConfigRegistry());
  let flowService: FlowService | undefined;
  const storage = createNodeRedStorage({
    db,
    siteId: SITE_ID,
    revisions,
    audit,
    metrics,
    logger,
    sessionsKey: randomBytes(32),
    validate: (flows) => {
      if (!flowService) throw new Error("flow service not ready");
      return flowService.validate(flows);
    },
    defaultFlows: () => [],
    nodeConfigs: nodeConfigs.registry,
  });
  await storage.module.init({}, {});
  const runtime: FlowRuntime = {
    deploy: (flows, _credentials, user) => storage.module.saveFlows(flows, { username: user }),
    isKnownType: (type) => KNOWN_TYPES.has(type),
  };
  flowService = new FlowService(revisions, runtime, 5 * 1024 * 1024, nodeConfigs.registry);
  const notNodeRed: RequestHandler = (_req, res) => {
    res.status(404).end();
  };
  const app = createApp({
    db,
    logger,
    metrics,
    auth,
    audit,
    flows: flowService,
    limiter: new LoginLimiter({ maxAttempts: 1000, windowSeconds: 60, maxDelaySeconds: 1 }),
    nodeRedTokens: storage.tokens,
    sessionTtlHours: 12,
    webDir: WEB_DIR,
    flowMaxBytes: 5 * 1024 * 1024,
    secureCookies: false,
    version: "test",
    health: async () => ({ database: true, flows: true }),
    resolveNodeRedToken: async () => null,
    httpAdmin: notNodeRed,
    httpNode: notNodeRed,
    tagRegistry,
    liveTags: tags,
    site: { siteId: SITE_ID, name: "In-process test site", unitSystem: "metric" },
    topology: new FieldTopologyRegistry(),
    opcUaPkiDir: path.join(dataDir, "pki", "opcua"),
    erp,
    // Nothing waits in this site: it has no spool.
    flowEntries: { status: () => ({ waiting: 0, bytes: 0, oldestQueuedAt: null, oldestAgeSeconds: null, maxRecords: 1, maxBytes: 1, retrying: false, nextAttemptAt: null, refusedSinceStart: 0 }) },
    requestTimeoutMs: 40_000,
  });

  // One server for every request: supertest would otherwise listen anew for each.
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const agent = () => supertest(server);
  const sessions = new Map<Role, InProcessSession>();
  async function login(username: string, password: string, role: Role): Promise<InProcessSession> {
    const response = await agent().post("/api/v1/auth/login").send({ username, password });
    if (response.status !== 200) throw new Error(`login as ${username}: HTTP ${response.status} ${response.text}`);
    const cookie = String(response.headers["set-cookie"]?.[0] ?? "").split(";")[0] ?? "";
    const csrf = (response.body as { csrfToken: string }).csrfToken;
    return {
      username,
      role,
      send: (method, url) => {
        const request = agent()[method](url).set("Cookie", cookie);
        return method === "get" ? request : request.set("X-CSRF-Token", csrf);
      },
    };
  }

  async function session(role: Role): Promise<InProcessSession> {
    const known = sessions.get(role);
    if (known) return known;
    const username = role === "admin" ? "admin" : `${role}-in-process`;
    const password = role === "admin" ? ADMIN_PASSWORD : `${role}-password-123`;
    if (role !== "admin") await auth.createUser({ username, password, role }, "test");
    const created = await login(username, password, role);
    sessions.set(role, created);
    return created;
  }

  return {
    app,
    db,
    erp,
    tagRegistry,
    auth,
    async openApi() {
      const admin = await session("admin");
      return (await admin.send("get", "/api/v1/openapi.json").expect(200)).body as Record<string, unknown>;
    },
    session,
    anonymous: agent,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
