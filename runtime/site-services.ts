import { AlarmKpiPublisher } from "./alarms/alarm-kpi-publisher.js";
import type { Settings } from "../settings.js";
import { AlarmDefinitionService } from "./alarms/alarm-definitions.js";
import { AlarmEngine } from "./alarms/alarm-engine.js";
import { registerAlarmMetrics } from "./alarms/alarm-metrics.js";
import { readPkiCertificates, SystemAlarmMonitors } from "./alarms/system-alarm-monitors.js";
import { wellSuppression } from "./alarms/well-suppression.js";
import { AuditService } from "./audit/audit-service.js";
import { AuthService, type Principal } from "./auth/auth-service.js";
import { LoginLimiter } from "./auth/login-limiter.js";
import type { Database } from "./db/database.js";
import { probeDatabase } from "./db/probe.js";
import { ModuleEventBus } from "./events/event-bus.js";
import { siteInfoFromSettings } from "./field/field-view.js";
import { FlowService, type FlowRuntime } from "./flows/flow-service.js";
import type { FlowNode } from "./flows/flow-validation.js";
import type { HostAccessPolicy } from "./flows/host-nodes.js";
import { createNodeRedStorage, type NodeRedStorage } from "./flows/node-red-storage.js";
import { RevisionStore } from "./flows/revision-store.js";
import type { AppOptions } from "./http/app.js";
import type { Logger } from "./observability/logger.js";
import { createMetrics, type Metrics } from "./observability/metrics.js";
import { opcUaPkiDir } from "./opcua-certs/pki-dir.js";
import { WEB_DIR } from "./paths.js";
import { Outbox } from "./sync/outbox.js";
import { SyncOwnership, SyncPull, SyncReceiver } from "./sync/sync-receiver.js";
import { SyncSites } from "./sync/sync-sites.js";
import { TagRegistry } from "./tags/tag-registry.js";
import { TagStore } from "./tags/tag-store.js";
import { TagWrites } from "./tags/tag-writes.js";
import { TrendViewService } from "./trend-views/trend-view-service.js";
import { petroflowNodeConfigRegistry } from "../nodes/shared/petroflow-node-migrations.js";
import { nodeConfigVersions, type NodeConfigVersions } from "../nodes/shared/versioned-node.js";
import { createErpModules, type ErpModules } from "../erp-modules/index.js";
import { openHistoryReading, type HistoryReading } from "./historian/history-reading.js";

/**
 * The site's services on a migrated database, wired to each other. main.ts
 * (the composition root) adds Node-RED, the server and the demo around them;
 * tests that run the HTTP app in-process build the same services, so they
 * test the site's wiring rather than a copy of it.
 */
export interface SiteServices {
  db: Database;
  settings: Settings;
  logger: Logger;
  metrics: Metrics;
  audit: AuditService;
  auth: AuthService;
  revisions: RevisionStore;
  tagRegistry: TagRegistry;
  tags: TagStore;
  /** Writes to devices through the nodes that own the tags (docs/setpoints.md). */
  tagWrites: TagWrites;
  events: ModuleEventBus;
  alarmDefinitions: AlarmDefinitionService;
  erp: ErpModules;
  /** The alarm engine (started) and the monitors that raise the runtime's own alarms; stopAlarms() ends both. */
  alarms: AlarmEngine;
  alarmMonitors: SystemAlarmMonitors;
  stopAlarms(): Promise<void>;
  trendViews: TrendViewService;
  /** Historian queries and the rollup job (main.ts starts and stops the job). */
  historyReading: HistoryReading;
  limiter: LoginLimiter;
  hostAccess: HostAccessPolicy;
  nodeConfigs: NodeConfigVersions;
  storage: NodeRedStorage;
  /** Who a Node-RED access token stands for, while its user may still log in. */
  resolveNodeRedToken: (token: string) => Promise<Principal | null>;
  /** The flow service over the runtime that runs the flows; the storage validates deploys through it from then on. */
  startFlowService(runtime: FlowRuntime): FlowService;
  /** Sync (docs/sync.md): the site's outbox (edge) and the cloud's store of sites, pushes, ownership and conflicts. */
  sync: { outbox: Outbox; sites: SyncSites; receiver: SyncReceiver; ownership: SyncOwnership; pull: SyncPull };
}

export interface SiteServicesOptions {
  db: Database;
  settings: Settings;
  logger: Logger;
  /** Key that seals Node-RED's editor sessions. */
  sessionsKey: Buffer;
  /** The shipped flows that become revision 1 on first start. */
  defaultFlows: () => FlowNode[];
}

export async function createSiteServices(options: SiteServicesOptions): Promise<SiteServices> {
  const { db, settings, logger } = options;
  const metrics = createMetrics();
  const audit = new AuditService(db, settings.siteId);
  const auth = new AuthService(db, audit, {
    siteId: settings.siteId,
    sessionTtlHours: settings.sessionTtlHours,
    onAccessListenerError: (error, event) =>
      logger.error({ err: error, userId: event.userId, reason: event.reason }, "closing a revoked user's access failed"),
  });
  const revisions = new RevisionStore(db);
  const tagRegistry = new TagRegistry(db, audit, settings.siteId);
  await tagRegistry.load();
  const tags = new TagStore({
    deadbandOf: (tagPath) => tagRegistry.deadbandOf(tagPath),
    onListenerError: (error, tagPath) => logger.warn({ err: error, tagPath }, "a tag subscriber failed"),
  });
  const outbox = new Outbox(db, settings.siteId);
  const events = new ModuleEventBus(settings.siteId, (error, event) => logger.warn({ err: error, event: event.type }, "a module event listener failed"));
  const historyReading = openHistoryReading(db, settings, logger);
  const erp = createErpModules({
    db,
    audit,
    outbox,
    events,
    siteId: settings.siteId,
    logger,
    settings,
    standardConditions: settings.standardConditions,
    productionDay: { timeZone: settings.siteTimeZone, startHour: settings.productionDayStartHour },
    tagHistory: { queries: historyReading.queries, mayRead: (path, role) => tagRegistry.mayRead(path, role) },
  });
  const alarms = new AlarmEngine({
    db,
    audit,
    tags,
    events,
    siteId: settings.siteId,
    logger,
    suppression: wellSuppression(erp.assets),
    maxShelveMinutes: settings.alarmMaxShelveMinutes,
  });
  await alarms.start();
  registerAlarmMetrics(metrics.registry, alarms);
  const alarmMonitors = new SystemAlarmMonitors({
    alarms,
    // Longer than /healthz's probe: a busy database is not an unreachable one.
    probeDatabase: () => probeDatabase(db, 5_000),
    logger,
    certificates: () => readPkiCertificates(opcUaPkiDir(settings.dataDir)),
    certificateWarnDays: settings.alarmCertificateWarnDays,
  });
  alarmMonitors.start();
  // An edge site tells the cloud its alarm KPIs per day (docs/corporate.md); the cloud's own alarms are not a site's.
  const alarmSummaries =
    settings.role === "edge" ? new AlarmKpiPublisher({ kpis: (from, to) => alarms.kpis(from, to), outbox, db, siteId: settings.siteId, logger }) : null;
  alarmSummaries?.start();
  const limiter = new LoginLimiter({
    maxAttempts: settings.loginMaxAttempts,
    windowSeconds: settings.loginWindowSeconds,
    maxDelaySeconds: settings.loginMaxDelaySeconds,
  });
  const hostAccess = { allowHostNodes: settings.allowHostNodes, allowFunctionModules: settings.allowFunctionModules };
  let flowService: FlowService | undefined;
  // Petroflow's own node types from the start; integrators' nodes add theirs as Node-RED loads them.
  const nodeConfigs = nodeConfigVersions(petroflowNodeConfigRegistry());
  const storage = createNodeRedStorage({
    db,
    siteId: settings.siteId,
    revisions,
    audit,
    metrics,
    logger,
    sessionsKey: options.sessionsKey,
    validate: (flows) => {
      if (!flowService) throw new Error("flow service not ready");
      return flowService.validate(flows);
    },
    defaultFlows: options.defaultFlows,
    nodeConfigs: nodeConfigs.registry,
  });
  // Node-RED's password-grant tokens are not tied to a browser session: they end with the user's access.
  auth.accessEvents.on(async (event) => {
    if (event.scope === "user") await storage.tokens.revokeUser(event.username);
  });
  return {
    db,
    settings,
    logger,
    metrics,
    audit,
    auth,
    revisions,
    tagRegistry,
    tags,
    tagWrites: new TagWrites(tags, (tagPath) => tagRegistry.writePolicyOf(tagPath), settings.role === "edge"),
    events,
    alarmDefinitions: new AlarmDefinitionService(db, audit, events, settings.siteId),
    erp,
    alarms,
    alarmMonitors,
    async stopAlarms() {
      alarmMonitors.stop();
      await alarmSummaries?.stop();
      await alarms.stop();
    },
    trendViews: new TrendViewService(db, audit, settings.siteId),
    historyReading,
    limiter,
    hostAccess,
    nodeConfigs,
    storage,
    resolveNodeRedToken: async (token) => {
      const session = await storage.tokens.lookup(token);
      if (!session) return null;
      const user = await auth.findUserByName(session.user);
      return user && !user.disabled ? { user, via: "node-red-token" } : null;
    },
    sync: { outbox, sites: new SyncSites(db, audit), receiver: new SyncReceiver(db), ownership: new SyncOwnership(db, audit), pull: new SyncPull(db, settings.siteId) },
    startFlowService(runtime) {
      flowService = new FlowService(revisions, runtime, settings.flowMaxBytes, nodeConfigs.registry, hostAccess);
      return flowService;
    },
  };
}

/** What the HTTP app takes from the flow runtime that serves it (Node-RED, or a test's stand-in). */
export type AppHost = Pick<AppOptions, "flows" | "flowEntries" | "version" | "health" | "httpAdmin" | "httpNode" | "nodePackages"> &
  Partial<Pick<AppOptions, "syncStatus">>;

/** The HTTP app's options: the site's services and settings, and what its host runs. */
export function siteAppOptions(site: SiteServices, host: AppHost): AppOptions {
  const { settings } = site;
  return {
    db: site.db,
    logger: site.logger,
    metrics: site.metrics,
    auth: site.auth,
    audit: site.audit,
    flows: host.flows,
    limiter: site.limiter,
    nodeRedTokens: site.storage.tokens,
    sessionTtlHours: settings.sessionTtlHours,
    webDir: WEB_DIR,
    flowMaxBytes: settings.flowMaxBytes,
    secureCookies: settings.secureCookies,
    version: host.version,
    health: host.health,
    resolveNodeRedToken: site.resolveNodeRedToken,
    httpAdmin: host.httpAdmin,
    httpNode: host.httpNode,
    tagRegistry: site.tagRegistry,
    liveTags: site.tags,
    tagWrites: site.tagWrites,
    site: siteInfoFromSettings(settings),
    opcUaPkiDir: opcUaPkiDir(settings.dataDir),
    erp: site.erp,
    alarmDefinitions: site.alarmDefinitions,
    alarms: site.alarms,
    history: site.historyReading.queries,
    flowEntries: host.flowEntries,
    requestTimeoutMs: settings.requestTimeoutMs,
    trendViews: site.trendViews,
    sync: { role: settings.role, ...site.sync },
    ...(host.syncStatus ? { syncStatus: host.syncStatus } : {}),
    nodePackages: host.nodePackages,
  };
}
