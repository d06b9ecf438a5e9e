import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { loadSettings, redactSettings, SettingsError, type Settings } from "../settings.js";
import { ALL_MIGRATIONS } from "./db/migration-sources.js";
import { DataDirLockedError } from "./db/data-dir-lock.js";
import { MigrationError, migrate } from "./db/migrator.js";
import { openDatabase, type OpenedDatabase } from "./db/open.js";
import { backupBeforeUpgrade } from "./backup/upgrade-backup.js";
import { secretSourceOf } from "./backup/site-backup.js";
import { probeDatabase } from "./db/probe.js";
import type { FlowService } from "./flows/flow-service.js";
import type { FlowNode } from "./flows/flow-validation.js";
import { createNodeRedHost, type NodeRedHost } from "./flows/node-red-host.js";
import type { RevisionStore } from "./flows/revision-store.js";
import { createApp } from "./http/app.js";
import { createLogger, type Logger } from "./observability/logger.js";
import { DEFAULT_FLOWS_FILE, DEMO_FLOWS_FILE, PROJECT_ROOT } from "./paths.js";
import { DEMO_SITE_ID } from "./demo/demo-assets.js";
import { opcUaPkiDir } from "./opcua-certs/pki-dir.js";
import { loadSiteSecret } from "./secrets.js";
import { OWNER_ONLY_UMASK, tightenDataDir } from "./data-dir.js";
import { attachLiveHub } from "./http/live-hub.js";
import { SiteServer } from "./http/site-server.js";
import { setSecurityHeaders } from "./http/security-headers.js";
import { createUpgradeGate } from "./http/upgrade-gate.js";
import { principalFromRequest } from "./http/auth-middleware.js";
import type { LiveTags } from "./tags/tag-types.js";
import { ASSET_CHOICE_LIMIT, type PetroflowServices } from "../nodes/shared/petroflow-services.js";
import type { NodeConfigVersions } from "../nodes/shared/versioned-node.js";
import type { ErpModules } from "../erp-modules/index.js";
import { erpReadsOf } from "./erp-reads.js";
import { PETROFLOW_SDK_VERSION } from "../sdk/version.js";
import { defineNodeWith } from "../sdk/define-node.js";
import { maintenanceSettings } from "../erp-modules/maintenance/maintenance-settings.js";
import type { ModuleEventBus } from "./events/event-bus.js";
import { openFlowEntries, type FlowEntryServices } from "./flow-entries/open-flow-entries.js";
import type { HistoryPort } from "./historian/history-types.js";
import { openHistorian } from "./historian/open-historian.js";
import { createSiteServices, siteAppOptions } from "./site-services.js";
import type { Outbox } from "./sync/outbox.js";
import type { Registry } from "prom-client";
import { historyPort } from "./historian/history-reading.js";
import { loadSyncCredential, SyncAgent } from "./sync/sync-agent.js";
import { NodePackages } from "./node-packages/node-packages.js";
import { disabledNodeTypes } from "./flows/host-nodes.js";

export interface RunningSite {
  url: string;
  server: http.Server;
  opened: OpenedDatabase;
  nodeRed: NodeRedHost;
  /** Stops accepting requests, stops the flows, closes the database. */
  close(): Promise<void>;
}

/** What nodes get as RED.settings.petroflow: narrow service facades, never the database. */
function petroflowServicesFor(
  siteId: string,
  revisions: RevisionStore,
  tags: LiveTags,
  dataDir: string,
  events: ModuleEventBus,
  erp: ErpModules,
  flowEntries: FlowEntryServices,
  nodeConfigs: NodeConfigVersions,
  history: HistoryPort,
): PetroflowServices {
  return {
    sdkVersion: PETROFLOW_SDK_VERSION,
    siteId,
    nodeConfigs,
    defineNode: defineNodeWith(nodeConfigs),
    history,
    tags,
    events,
    production: erp.production,
    inventory: erp.inventory,
    gasLiftRuns: erp.optimization.gasLiftRuns,
    reservoir: { dca: erp.reservoir.dca },
    inflowPerformance: { compute: (request) => erp.reservoir.ipr.inflowPerformance(request) },
    maintenance: { workOrders: erp.maintenance.workOrders, alarmDelayMinutes: maintenanceSettings(erp.maintenance.context).alarmDelayMinutes },
    erpReads: erpReadsOf(erp),
    flowEntries: flowEntries.service,
    assets: {
      async list(filter) {
        // The tree is one light query over the site's register; list() has no equipment type filter.
        const nodes = await erp.assets.tree();
        return nodes
          .filter((node) => node.kind === filter.kind && (filter.equipmentType === undefined || node.equipmentType === filter.equipmentType))
          .slice(0, ASSET_CHOICE_LIMIT)
          .map(({ id, code, name }) => ({ id, code, name }));
      },
      idByCode: (code) => flowEntries.idByCode(code),
    },
    opcuaPkiDir: opcUaPkiDir(dataDir),
    dataDir,
    flows: {
      async latest() {
        const revision = await revisions.latestSummary();
        return revision
          ? { number: revision.number, sha256: revision.sha256, author: revision.author, message: revision.message, createdAt: revision.createdAt }
          : null;
      },
    },
  };
}

/**
 * A site upgraded with flows that use nodes now turned off (host nodes, function
 * modules) would only hear from Node-RED that it waits for missing types, or see
 * function nodes fail: say which nodes and which setting, once, at start.
 */
async function warnAboutTurnedOffNodes(flows: FlowService, revisions: RevisionStore, logger: Logger): Promise<void> {
  const deployed = await revisions.latest();
  if (!deployed) return;
  const checked = flows.validate(deployed.flows);
  if (!checked.ok && (checked.details.reason === "disabled_node_type" || checked.details.reason === "function_modules_disabled")) {
    logger.error({ revision: deployed.number, field: checked.details.field }, `the deployed flows use what this site turned off: ${checked.message}`);
  }
}

function readDefaultFlows(file: string): FlowNode[] {
  if (!fs.existsSync(file)) return [];
  return JSON.parse(fs.readFileSync(file, "utf8")) as FlowNode[];
}

/**
 * The edge's sync agent when PETROFLOW_SYNC_URL and a credential are set
 * (docs/sync.md); nothing leaves the site otherwise. The cloud role pushes
 * nowhere.
 */
function startSyncAgent(
  settings: Settings,
  logger: Logger,
  outbox: Outbox,
  registry: Registry,
  appVersion: string,
  spoolBytes: () => number,
): SyncAgent | undefined {
  if (settings.role !== "edge" || !settings.syncUrl) return undefined;
  const token = loadSyncCredential(settings.dataDir, settings.syncToken);
  if (!token) {
    logger.error("PETROFLOW_SYNC_URL is set but the site has no sync credential (PETROFLOW_SYNC_TOKEN or <data dir>/sync-credential): nothing is pushed");
    return undefined;
  }
  const agent = new SyncAgent({
    outbox,
    siteId: settings.siteId,
    url: settings.syncUrl,
    token,
    batchSize: settings.syncBatchSize,
    intervalMs: settings.syncIntervalMs,
    timeoutMs: settings.syncTimeoutMs,
    retryMaxMs: settings.syncRetryMaxMs,
    appVersion,
    spoolBytes,
    logger,
    registry,
  });
  agent.start();
  logger.info({ url: settings.syncUrl }, "sync agent started");
  return agent;
}

/** Opens the database, migrates, builds the services, starts Node-RED and listens. */
export async function startSite(settings: Settings, logger: Logger): Promise<RunningSite> {
  const started = Date.now();
  logger.info({ settings: redactSettings(settings) }, "starting Petroflow");
  fs.mkdirSync(settings.dataDir, { recursive: true, mode: 0o700 });
  const found = tightenDataDir(settings.dataDir);
  if (found.loose > 0) {
    logger.warn(
      { dataDir: settings.dataDir, loose: found.loose, examples: found.examples },
      "data dir entries were readable by other users; they are now owner-only (0700 directories, 0600 files)",
    );
  }
  const opened = await openDatabase(settings, {
    onBackgroundError: (error) => logger.warn({ err: error }, "an idle database connection failed; the pool replaces it"),
    // pool.end() cannot finish over a dead link; the rest of the shutdown needs its time too.
    closeTimeoutMs: Math.floor(settings.shutdownTimeoutMs / 4),
  });
  try {
    const { db } = opened;
    // PGlite creates its files 0666 whatever the umask.
    const created = tightenDataDir(settings.dataDir);
    if (created.failed.length > 0) {
      logger.warn({ dataDir: settings.dataDir, failed: created.failed }, "some data dir entries could not be made owner-only");
    }
    const upgradeBackup = await backupBeforeUpgrade({
      db,
      dataDir: settings.dataDir,
      siteId: settings.siteId,
      secretSource: secretSourceOf(settings.dataDir, settings.secret),
      sources: ALL_MIGRATIONS,
      keep: settings.upgradeBackupsKept,
    });
    if (upgradeBackup) logger.info({ file: upgradeBackup }, "backup taken before migrating (the rollback path: docs/upgrading.md)");
    const migrations = await migrate(db, ALL_MIGRATIONS);
    if (migrations.applied.length) logger.info({ applied: migrations.applied }, "database migrated");
    logger.info({ database: db.kind }, "database ready");

    const secret = loadSiteSecret(settings.dataDir, settings.secret, (message) => logger.warn(message));
    logger.info({ source: secret.source }, "site secret loaded");
    const site = await createSiteServices({
      db,
      settings,
      logger,
      sessionsKey: secret.derive("node-red-sessions"),
      defaultFlows: () => [
        ...readDefaultFlows(DEFAULT_FLOWS_FILE),
        ...(settings.demo && settings.siteId === DEMO_SITE_ID ? readDefaultFlows(DEMO_FLOWS_FILE) : []),
      ],
    });
    const { auth, tagRegistry, tags, events, erp, hostAccess, resolveNodeRedToken } = site;
    const admin = await auth.ensureInitialAdmin(settings.adminPassword);
    if (admin.generatedPassword) {
      // Printed once, on the console only, so the first user can log in.
      process.stdout.write(
        `\n  First start: created user "admin" with password ${admin.generatedPassword}\n` +
          `  (shown once; set PETROFLOW_ADMIN_PASSWORD to choose it)\n\n`,
      );
    } else if (admin.created) {
      logger.info("created user admin with the password from PETROFLOW_ADMIN_PASSWORD");
    }

    site.historyReading.rollups.start();
    // Meter plans coming due open work orders (docs/erp-maintenance.md "Plans").
    erp.maintenance.plans.start();
    // The failure-code catalogue's starting set, once per site (docs/erp-maintenance.md "Failure codes").
    await erp.maintenance.failureCodes.ensureSeeded();
    const flowEntries = await openFlowEntries({ settings, production: erp.production, audit: site.audit, assets: erp.assets, logger, metrics: site.metrics });
    const history = await openHistorian({ db, settings, tags, policies: tagRegistry, logger, metrics: site.metrics, alarms: site.alarms });
    site.alarmMonitors.watchFlowEntrySpool(() => flowEntries.service.status());
    // Node-RED needs the server at init; the app is attached once it exists.
    const server = new SiteServer();
    server.beforeEveryRequest(setSecurityHeaders);
    if (hostAccess.allowHostNodes || hostAccess.allowFunctionModules) {
      logger.warn(hostAccess, "flows may run commands or use files on this host (PETROFLOW_ALLOW_HOST_NODES / PETROFLOW_ALLOW_FUNCTION_MODULES)");
    }
    const userDir = path.join(settings.dataDir, "node-red");
    fs.mkdirSync(userDir, { recursive: true });
    // Node-RED reads the user dir's package.json for installed palette modules.
    const userPackage = path.join(userDir, "package.json");
    if (!fs.existsSync(userPackage)) {
      fs.writeFileSync(userPackage, JSON.stringify({ name: "petroflow-node-red-user-dir", private: true }, null, 2));
    }
    const nodeRed = createNodeRedHost({
      server,
      userDir,
      nodesDirs: [PROJECT_ROOT],
      storage: site.storage.module,
      credentialSecret: secret.derive("node-red-credentials").toString("hex"),
      auth,
      sessionTtlHours: settings.sessionTtlHours,
      flowMaxBytes: settings.flowMaxBytes,
      hostAccess,
      allowNodeInstall: settings.allowNodeInstall,
      logger,
      services: {
        ...petroflowServicesFor(settings.siteId, site.revisions, tags, settings.dataDir, events, erp, flowEntries, site.nodeConfigs, historyPort(site.historyReading.queries, history.historian)),
        alarms: site.alarms,
        tagWrites: site.tagWrites,
      },
      authenticateRequest: async (req) => {
        const principal = await principalFromRequest(req, { auth, resolveNodeRedToken });
        return principal === "invalid" ? null : principal;
      },
    });
    const flowService = site.startFlowService(nodeRed.runtime);
    if (settings.allowNodeInstall) logger.warn("admins may install node packages from tarballs on this site (PETROFLOW_ALLOW_NODE_INSTALL)");
    const nodePackages = new NodePackages({
      enabled: settings.allowNodeInstall,
      disabledTypes: disabledNodeTypes(hostAccess),
      modules: nodeRed.modules,
      audit: site.audit,
      logger,
    });
    await warnAboutTurnedOffNodes(flowService, site.revisions, logger);

    const syncAgent = startSyncAgent(settings, logger, site.sync.outbox, site.metrics.registry, nodeRed.version, () =>
      history.spool.depth().bytes + flowEntries.service.status().bytes,
    );

    const app = createApp(
      siteAppOptions(site, {
        flows: flowService,
        flowEntries: flowEntries.service,
        version: nodeRed.version,
        health: async () => ({
          database: await probeDatabase(db),
          flows: nodeRed.flowsStarted(),
        }),
        httpAdmin: nodeRed.httpAdmin,
        httpNode: nodeRed.httpNode,
        ...(syncAgent ? { syncStatus: () => syncAgent.status() } : {}),
        nodePackages,
      }),
    );
    server.on("request", app);
    const upgrades = createUpgradeGate({
      authenticate: (req) => principalFromRequest(req, { auth, resolveNodeRedToken }),
      access: auth.accessEvents,
      logger,
    });
    server.gateUpgrades(upgrades.gate);
    const liveHub = attachLiveHub(server, {
      tags,
      authenticate: async (req) => upgrades.principalOf(req) ?? null,
      mayRead: (tagPath, role) => tagRegistry.mayRead(tagPath, role),
      maxRateHz: settings.liveMaxRateHz,
      logger,
      access: auth.accessEvents,
    });

    // Before the flows start: the demo flows read the simulator's ports from the environment.
    const demoEnabled = settings.demo && settings.siteId === DEMO_SITE_ID;
    if (settings.demo && !demoEnabled) logger.warn(`the demo oilfield is written for site ${DEMO_SITE_ID}; not started for ${settings.siteId}`);
    // Loaded only when wanted: the simulator brings node-opcua's server (~80 MiB).
    const demo = demoEnabled
      ? await (await import("./demo/demo-site.js")).startDemo(
          {
            siteId: settings.siteId,
            dataDir: settings.dataDir,
            modbusPort: settings.simModbusPort,
            opcUaPort: settings.simOpcUaPort,
            timeFactor: settings.simTimeFactor,
            mqttUrl: settings.mqttUrl,
            embeddedMqttPort: settings.embeddedMqttPort,
            backfillDays: settings.demoBackfillDays,
            firstFaultDelayMs: settings.demoFirstFaultDelaySeconds * 1000,
          },
          { tags: tagRegistry, db, events, logger, history: history.historian },
        ).catch((error: unknown) => {
          // A busy simulator port must not keep the site itself from starting.
          logger.error({ err: error }, "the demo oilfield could not start; the site runs without it (PETROFLOW_DEMO=false silences this)");
          return undefined;
        })
      : undefined;
    if (!(await nodeRed.start(30_000))) {
      logger.warn("flows did not report started within 30 s; serving anyway (see /healthz)");
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(settings.port, settings.host, () => resolve());
    });
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : settings.port;
    const url = `http://${settings.host === "0.0.0.0" ? "localhost" : settings.host}:${port}`;
    logger.info({ url, startupMs: Date.now() - started }, "Petroflow ready");
    demo?.afterReady();

    let closing: Promise<void> | undefined;
    return {
      url,
      server,
      opened,
      nodeRed,
      close() {
        closing ??= (async () => {
          // First: its push in flight is aborted; what it did not get acknowledged goes next start.
          await syncAgent?.stop();
          liveHub.close();
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          await nodeRed.stop();
          // Before the historian: the demo's backfill records through it.
          await demo?.close();
          // After the flows: nothing writes tags any more; held values are stored, queued ones written or spooled.
          await history.close();
          await site.historyReading.rollups.stop();
          await erp.maintenance.plans.stop();
          await flowEntries.close();
          // A forecast shortfall check an allocation run started reads the database: let it finish before the database closes.
          await site.erp.reservoir.idle();
          server.closeAllConnections();
          await stopped;
          await site.stopAlarms();
          await opened.close();
          logger.info("Petroflow stopped");
        })();
        return closing;
      },
    };
  } catch (error) {
    await opened.close().catch(() => undefined);
    throw error;
  }
}

/** `npm start`: settings from the environment, clean exit on SIGTERM/SIGINT. */
export async function main(): Promise<void> {
  // Before anything is written: files the site creates are the service user's alone.
  process.umask(OWNER_ONLY_UMASK);
  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (error) {
    process.stderr.write(`${error instanceof SettingsError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const logger = createLogger(settings.logLevel);
  // Last resort only: every database call has its own error path. Node 22
  // would end the process here; a site box must keep running, and the log
  // line says which promise was forgotten.
  process.on("unhandledRejection", (reason) => {
    logger.error({ err: reason }, "BUG: unhandled promise rejection (the process keeps running)");
  });
  // Until the site is up there is nothing to stop cleanly: a signal ends the
  // process as the default action would. Without this, Node as PID 1 in a
  // container ignores SIGTERM and the runtime kills it after its timeout.
  const duringStartup = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, "signal during startup; exiting before the site is up");
    process.exit(128 + os.constants.signals[signal]);
  };
  process.once("SIGTERM", duringStartup);
  process.once("SIGINT", duringStartup);
  let site: RunningSite;
  try {
    site = await startSite(settings, logger);
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof MigrationError) {
      logger.fatal(error.message);
      process.stderr.write(`${error.message}\n`);
    } else {
      logger.fatal({ err: error }, "Petroflow failed to start");
    }
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      process.exit(1);
    }, settings.shutdownTimeoutMs);
    timer.unref();
    site.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.off("SIGTERM", duringStartup);
  process.off("SIGINT", duringStartup);
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

if (require.main === module) {
  void main();
}
