import express, { type Express, type RequestHandler } from "express";
import type { AlarmDefinitionService } from "../alarms/alarm-definitions.js";
import { registerAlarmDefinitionRoutes } from "../alarms/definition-routes.js";
import type { AuditService } from "../audit/audit-service.js";
import { registerAuditRoutes } from "../audit/routes.js";
import type { AuthService } from "../auth/auth-service.js";
import type { LoginLimiter } from "../auth/login-limiter.js";
import { registerAuthRoutes } from "../auth/routes.js";
import type { FlowService } from "../flows/flow-service.js";
import type { NodeRedTokens } from "../flows/node-red-storage.js";
import { registerFlowRoutes } from "../flows/routes.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { authenticate, principalOf, requireLogin } from "./auth-middleware.js";
import { editorRouter } from "./editor-gate.js";
import { errorHandler, sendError } from "./errors.js";
import { inputGate } from "./input-gate.js";
import { RouteRegistry } from "./route-registry.js";
import { requestDeadline } from "./request-deadline.js";
import { webRouter } from "./web.js";
import type { Principal } from "../auth/auth-service.js";
import type { Database } from "../db/database.js";
import { idempotency } from "../idempotency/idempotency.js";
import { registerOpcUaCertificateRoutes } from "../opcua-certs/routes.js";
import type { SiteInfo } from "../field/field-schema.js";
import { registerFieldRoutes } from "../field/routes.js";
import { registerTagRoutes } from "../tags/routes.js";
import type { TagRegistry } from "../tags/tag-registry.js";
import type { LiveTags } from "../tags/tag-types.js";
import type { TagWrites } from "../tags/tag-writes.js";
import { registerTagWriteRoute } from "../tags/write-routes.js";
import type { ErpModules } from "../../erp-modules/index.js";
import type { FlowEntryWaiting } from "../flow-entries/schema.js";
import { registerFlowEntryRoutes } from "../flow-entries/routes.js";
import type { AlarmEngine } from "../alarms/alarm-engine.js";
import { registerAlarmRoutes } from "../alarms/routes.js";
import { registerTrendViewRoutes } from "../trend-views/routes.js";
import type { TrendViewService } from "../trend-views/trend-view-service.js";
import type { HistoryQueries } from "../historian/history-queries.js";
import { registerHistoryRoutes } from "../historian/routes.js";
import type { SyncAgentStatus } from "../sync/sync-agent.js";
import type { SyncOwnership, SyncPull, SyncReceiver } from "../sync/sync-receiver.js";
import type { SyncSites } from "../sync/sync-sites.js";
import { mountSyncSiteRoutes, registerSyncAdminRoutes, registerSyncStatusRoute } from "../sync/routes.js";
import type { NodePackages } from "../node-packages/node-packages.js";
import { NODE_PACKAGE_MAX_BYTES } from "../node-packages/package-inspection.js";
import { registerNodePackageRoutes, TARBALL_MEDIA_TYPES } from "../node-packages/routes.js";

export interface Health {
  database: boolean;
  flows: boolean;
}

export interface AppOptions {
  db: Database;
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  audit: AuditService;
  flows: FlowService;
  limiter: LoginLimiter;
  nodeRedTokens: NodeRedTokens;
  sessionTtlHours: number;
  webDir: string;
  flowMaxBytes: number;
  secureCookies: boolean;
  version: string;
  health: () => Promise<Health>;
  resolveNodeRedToken: (token: string) => Promise<Principal | null>;
  httpAdmin: RequestHandler;
  httpNode: RequestHandler;
  tagRegistry: TagRegistry;
  liveTags: LiveTags;
  /** The device write path (setpoints): POST /tags/:id/write. */
  tagWrites: TagWrites;
  site: SiteInfo;
  opcUaPkiDir: string;
  erp: ErpModules;
  alarmDefinitions: AlarmDefinitionService;
  alarms: AlarmEngine;
  history: HistoryQueries;
  /** The flow-entry spool's state, for GET /api/v1/flow-entries/waiting. */
  flowEntries: { status(): FlowEntryWaiting };
  /** Every request (but HTTP-in endpoints of flows) answers within this: past it, 503 request_timeout. */
  requestTimeoutMs: number;
  /** Saved trend views (GET/POST/PATCH/DELETE /api/v1/trend-views). */
  trendViews: TrendViewService;
  /** Sync (docs/sync.md): the cloud role receives pushes and administers sites; the edge role reports its agent. */
  sync: {
    role: "edge" | "cloud";
    sites: SyncSites;
    receiver: SyncReceiver;
    ownership: SyncOwnership;
    pull: SyncPull;
  };
  /** The edge's sync agent, null when sync is not configured. */
  syncStatus?: () => SyncAgentStatus | null;
  /** Node packages from tarballs (docs/sdk.md); absent where no Node-RED runs, and then refused. */
  nodePackages?: NodePackages;
}

/**
 * The site's HTTP surface. Order matters: /healthz and the login page are
 * the only things an anonymous caller reaches.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);

  app.use((req, res, next) => {
    const end = options.metrics.httpRequestDuration.startTimer();
    res.on("finish", () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl}${routePath}` : req.baseUrl || "unmatched";
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });
  // HTTP-in endpoints belong to the flows, whose authors decide how long they take.
  app.use(requestDeadline(options.requestTimeoutMs, (path) => path.startsWith("/endpoints/")));

  app.get("/healthz", async (_req, res) => {
    const health = await options.health();
    const ok = health.database && health.flows;
    // The cloud being away does not make the site unhealthy: the state is detail, not the verdict.
    const sync = options.syncStatus?.();
    res.status(ok ? 200 : 503).json({
      status: ok ? "ok" : "unavailable",
      database: health.database ? "ok" : "unreachable",
      flows: health.flows ? "started" : "not started",
      ...(sync ? { sync: { state: sync.state, pending: sync.pending, lagSeconds: Math.round(sync.lagSeconds) } } : {}),
      version: options.version,
    });
  });

  // A site's push carries the site's credential, not a user's: it is authenticated before, and apart from, sessions.
  if (options.sync.role === "cloud") mountSyncSiteRoutes(app, { ...options.sync, logger: options.logger });

  app.use(
    authenticate({
      auth: options.auth,
      resolveNodeRedToken: options.resolveNodeRedToken,
      // Logins: a forged one only logs the victim in as someone else.
      csrfExempt: (req) => req.method === "POST" && (req.path === "/api/v1/auth/login" || req.path === "/editor/auth/token"),
    }),
  );

  app.get("/metrics", requireLogin("/login"), async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });

  const api = express.Router();
  // Anonymous callers get the site-wide answer (a login redirect for a browser
  // navigation, 401 JSON otherwise) before any route; only login is public.
  const loginFirst = requireLogin("/login");
  api.use((req, res, next) => {
    if (principalOf(res) || (req.method === "POST" && req.path === "/auth/login")) next();
    else loginFirst(req, res, next);
  });
  const routes = new RouteRegistry(principalOf);
  registerAuthRoutes(api, routes, {
    auth: options.auth,
    limiter: options.limiter,
    metrics: options.metrics,
    secureCookies: options.secureCookies,
  });
  registerFlowRoutes(api, routes, options.flows);
  registerAuditRoutes(api, routes, options.audit);
  registerTagRoutes(api, routes, options.tagRegistry, options.liveTags);
  registerAlarmDefinitionRoutes(api, routes, options.alarmDefinitions);
  registerTagWriteRoute(api, routes, { registry: options.tagRegistry, live: options.liveTags, writes: options.tagWrites, audit: options.audit });
  registerFieldRoutes(api, routes, { site: options.site, assets: options.erp.assets, tags: options.tagRegistry });
  registerOpcUaCertificateRoutes(api, routes, options.opcUaPkiDir, options.audit);
  options.erp.registerRoutes(api, routes);
  registerFlowEntryRoutes(api, routes, options.flowEntries);
  registerAlarmRoutes(api, routes, options.alarms, (tagPath, role) => options.tagRegistry.mayRead(tagPath, role));
  registerTrendViewRoutes(api, routes, options.trendViews);
  registerHistoryRoutes(api, routes, options.history, (path, role) => options.tagRegistry.mayRead(path, role));
  if (options.sync.role === "cloud") registerSyncAdminRoutes(api, routes, options.sync);
  else registerSyncStatusRoute(api, routes, options.syncStatus ?? (() => null));
  registerNodePackageRoutes(api, routes, options.nodePackages);
  api.get("/openapi.json", requireLogin("/login"), (_req, res) => {
    res.json(routes.openApiDocument({ title: "Petroflow API", version: options.version }));
  });
  api.use((req, res) => {
    if (!principalOf(res)) sendError(res, 401, "unauthenticated", "login required");
    else sendError(res, 404, "not_found", `no API route ${req.method} ${req.originalUrl}`);
  });
  app.use(
    "/api/v1",
    express.json({ limit: options.flowMaxBytes + 64 * 1024 }),
    // CSV uploads (tag import); parsed here so an Idempotency-Key covers their body too.
    express.text({ type: ["text/csv", "text/plain", "application/csv"], limit: options.flowMaxBytes }),
    // Node package tarballs (petroflow nodes install); only that route reads a binary body.
    express.raw({ type: TARBALL_MEDIA_TYPES, limit: NODE_PACKAGE_MAX_BYTES }),
    inputGate(),
    idempotency({
      db: options.db,
      logger: options.logger,
      // Rollback and import deploy through Node-RED, which commits the revision itself.
      outsideUnitOfWork: (req) => req.method === "POST" && req.path.startsWith("/flows/"),
    }),
    api,
  );

  app.use(
    "/editor",
    editorRouter({
      auth: options.auth,
      limiter: options.limiter,
      metrics: options.metrics,
      nodeRedTokens: options.nodeRedTokens,
      tokenTtlSeconds: Math.round(options.sessionTtlHours * 3600),
      validate: (flows) => options.flows.validate(flows),
      flowMaxBytes: options.flowMaxBytes,
      httpAdmin: options.httpAdmin,
      databaseAvailability: options.db.availability,
      nodePackages: options.nodePackages,
    }),
  );
  app.use("/endpoints", requireLogin("/login"), options.httpNode);

  app.use(webRouter(options.webDir));
  app.use(requireLogin("/login"), (req, res) => sendError(res, 404, "not_found", `nothing at ${req.path}`));
  app.use(errorHandler(options.logger));
  return app;
}
