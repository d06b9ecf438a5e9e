import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Express, RequestHandler } from "express";
import supertest from "supertest";
import { loadSettings, type Settings } from "../../settings.js";
import type { AuthService } from "../../runtime/auth/auth-service.js";
import type { Role } from "../../runtime/auth/roles.js";
import type { Database } from "../../runtime/db/database.js";
import { ALL_MIGRATIONS } from "../../runtime/db/migration-sources.js";
import { migrate } from "../../runtime/db/migrator.js";
import type { FlowRuntime } from "../../runtime/flows/flow-service.js";
import { createApp } from "../../runtime/http/app.js";
import { createLogger } from "../../runtime/observability/logger.js";
import { createSiteServices, siteAppOptions, type SiteServices } from "../../runtime/site-services.js";
import type { TagRegistry } from "../../runtime/tags/tag-registry.js";
import type { TagStore } from "../../runtime/tags/tag-store.js";
import type { TagWrites } from "../../runtime/tags/tag-writes.js";
import type { ErpModules } from "../../erp-modules/index.js";

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
  /** http://127.0.0.1:<port> of the one server every request goes to (a sync agent under test posts here). */
  url: string;
  db: Database;
  erp: ErpModules;
  tagRegistry: TagRegistry;
  /** The live store and the device write path, for a test that plays a device node. */
  tags: TagStore;
  tagWrites: TagWrites;
  auth: AuthService;
  /** Every service of the site (the alarm engine, the tag store, the event bus...). */
  services: SiteServices;
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
/** `overrides`: settings a test needs besides the defaults (the cloud role, a language). */
export async function startInProcessSite(db: Database, overrides: Partial<Settings> = {}): Promise<InProcessSite> {
  await migrate(db, ALL_MIGRATIONS);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-in-process-"));
  // The environment is left out so a developer's PETROFLOW_* variables cannot change the tests.
  const settings = loadSettings(
    {},
    { dataDir, siteId: SITE_ID, siteName: "In-process test site", logLevel: "silent", loginMaxAttempts: 1000, loginWindowSeconds: 60, loginMaxDelaySeconds: 1, ...overrides },
  );
  const site = await createSiteServices({ db, settings, logger: createLogger(settings.logLevel), sessionsKey: randomBytes(32), defaultFlows: () => [] });
  const { auth, erp, tagRegistry, storage } = site;
  await auth.ensureInitialAdmin(ADMIN_PASSWORD);
  await storage.module.init({}, {});
  const runtime: FlowRuntime = {
    deploy: (flows, _credentials, user) => storage.module.saveFlows(flows, { username: user }),
    isKnownType: (type) => KNOWN_TYPES.has(type),
  };
  const notNodeRed: RequestHandler = (_req, res) => {
    res.status(404).end();
  };
  const app = createApp(
    siteAppOptions(site, {
      flows: site.startFlowService(runtime),
      // Nothing waits in this site: it has no spool.
      flowEntries: { status: () => ({ waiting: 0, bytes: 0, oldestQueuedAt: null, oldestAgeSeconds: null, maxRecords: 1, maxBytes: 1, retrying: false, nextAttemptAt: null, refusedSinceStart: 0 }) },
      version: "test",
      health: async () => ({ database: true, flows: true }),
      httpAdmin: notNodeRed,
      httpNode: notNodeRed,
    }),
  );

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

  const address = server.address();
  return {
    app,
    url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`,
    db,
    erp,
    tagRegistry,
    tags: site.tags,
    tagWrites: site.tagWrites,
    auth,
    services: site,
    async openApi() {
      const admin = await session("admin");
      return (await admin.send("get", "/api/v1/openapi.json").expect(200)).body as Record<string, unknown>;
    },
    session,
    anonymous: agent,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await site.stopAlarms();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
