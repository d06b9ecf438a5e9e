import type { NodeConfigRegistry } from "../../nodes/shared/node-config-versions.js";
import { randomBytes } from "node:crypto";
import type { AuditService } from "../audit/audit-service.js";
import type { Database, Queryable } from "../db/database.js";
import { isDatabaseUnavailable } from "../db/database-errors.js";
import { newId } from "../ids.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { decryptJson, encryptJson } from "../secrets.js";
import { deployContext } from "./deploy-context.js";
import { migrateOnLoad } from "./flow-config-versions.js";
import type { FlowNode, FlowValidationResult } from "./flow-validation.js";
import type { RevisionStore } from "./revision-store.js";
import { flowsSha256 } from "./stable-json.js";

type Json = Record<string, unknown>;

/** Node-RED's storage API, as its runtime calls it (own properties, promises). */
export interface NodeRedStorageModule {
  init(settings: unknown, runtime: unknown): Promise<void>;
  getFlows(): Promise<FlowNode[]>;
  saveFlows(flows: FlowNode[], user?: { username?: string } | null): Promise<void>;
  getCredentials(): Promise<Json>;
  saveCredentials(credentials: Json): Promise<void>;
  getSettings(): Promise<Json>;
  saveSettings(settings: Json): Promise<void>;
  getSessions(): Promise<Json>;
  saveSessions(sessions: Json): Promise<void>;
  getLibraryEntry(type: string, path: string): Promise<string | (string | Json)[]>;
  saveLibraryEntry(type: string, path: string, meta: Json, body: string): Promise<void>;
}

export interface NodeRedStorageOptions {
  db: Database;
  siteId: string;
  revisions: RevisionStore;
  audit: AuditService;
  metrics: Metrics;
  logger: Logger;
  /** Key that seals Node-RED's editor sessions (they hold bearer tokens). */
  sessionsKey: Buffer;
  /** Last line of defence: flows that fail this never become a revision. */
  validate: (flows: unknown) => FlowValidationResult;
  /** The shipped flows that become revision 1 on first start. */
  defaultFlows: () => FlowNode[];
  /** Versioned node configs: stored flows are migrated as they load (in memory; revisions never change). */
  nodeConfigs: NodeConfigRegistry;
}

/**
 * Node-RED's access tokens (its editor sessions). They live in one object
 * that Node-RED's own token check reads too (getSessions hands it the same
 * object), so a token issued or revoked here is issued or revoked for
 * Node-RED at once.
 */
export interface NodeRedTokens {
  /** Who a token belongs to while it is valid, or null. */
  lookup(token: string): Promise<{ user: string; expires: number } | null>;
  /** A password-grant token, as Node-RED would have issued it. */
  issue(username: string, client: string, scope: string, ttlSeconds: number): Promise<{ token: string; expiresInSeconds: number }>;
  /** Ends every token of a user (any letter case); resolves with how many. */
  revokeUser(username: string): Promise<number>;
}

export interface NodeRedStorage {
  module: NodeRedStorageModule;
  tokens: NodeRedTokens;
}

async function readState(db: Queryable, key: string): Promise<unknown> {
  const result = await db.query<{ value: unknown }>("SELECT value FROM node_red_state WHERE key = $1", [key]);
  const value = result.rows[0]?.value;
  return typeof value === "string" ? JSON.parse(value) : value;
}

async function writeState(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO node_red_state (key, value, updated_at) VALUES ($1, $2::json, now())
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function normaliseLibraryPath(path: string): string {
  return path.replace(/^\/+/, "").replace(/\/+$/, "");
}

/** How often a state Node-RED could not save, or its sessions it could not read, is tried again while the database is away. */
const RETRY_WHILE_UNAVAILABLE_MS = 2_000;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Node-RED saves its settings and editor sessions from timers and
 * fire-and-forget calls that do not handle a rejection (session expiry,
 * the node registry), and Node 22 ends the process on an unhandled
 * rejection. So these saves never reject: the value Node-RED holds in
 * memory stays in force, and while the database is away the latest value
 * is written again until it lands.
 */
function writeBehind(db: Database, key: string, logger: Logger): (value: unknown) => Promise<void> {
  let latest: unknown;
  let retry: NodeJS.Timeout | undefined;
  // Writes run one after the other, so an older value never lands after a newer one.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (): Promise<void> => (queue = queue.then(persist));
  const persist = async (): Promise<void> => {
    try {
      await writeState(db, key, latest);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) {
        logger.error({ err: error, key }, "Node-RED state could not be saved");
        return;
      }
      logger.warn({ err: error, key }, "Node-RED state could not be saved while the database is unavailable; trying again");
      retry ??= setTimeout(() => {
        retry = undefined;
        void enqueue();
      }, RETRY_WHILE_UNAVAILABLE_MS).unref();
    }
  };
  return (value) => {
    latest = value;
    return enqueue();
  };
}

/**
 * Keeps Node-RED's flows, credentials, settings, sessions and library in the
 * database. Every saveFlows whose flows differ from the latest revision
 * appends a revision (with an audit row, in one transaction); identical
 * flows append nothing.
 */
export function createNodeRedStorage(options: NodeRedStorageOptions): NodeRedStorage {
  const { db, revisions, audit, metrics, logger } = options;
  // The one sessions object, shared with Node-RED's token module.
  let sessions: Promise<Json> | undefined;
  const saveSettingsState = writeBehind(db, "settings", logger);
  const saveSessionsState = writeBehind(db, "sessions", logger);

  /**
   * Node-RED asks for its sessions once and keeps the answer for good, a
   * rejection too (its editor logins would never work again), so the first
   * load waits for the database instead of failing.
   */
  function loadSessions(): Promise<Json> {
    sessions ??= (async () => {
      let stored: unknown;
      for (;;) {
        try {
          stored = await readState(db, "sessions");
          break;
        } catch (error) {
          if (!isDatabaseUnavailable(error)) throw error;
          logger.warn({ err: error }, "editor sessions cannot be read while the database is unavailable; waiting for it");
          await pause(RETRY_WHILE_UNAVAILABLE_MS);
        }
      }
      if (!isPlainObject(stored) || typeof stored.sealed !== "string") return {};
      try {
        const opened = decryptJson(options.sessionsKey, stored.sealed);
        return isPlainObject(opened) ? opened : {};
      } catch {
        // A changed site secret: old editor sessions are void, users log in again.
        logger.warn("editor sessions could not be decrypted with the current secret; they were discarded");
        return {};
      }
    })().catch((error: unknown) => {
      // Not loaded: the next call tries again.
      sessions = undefined;
      throw error;
    });
    return sessions;
  }

  /** Saves the sessions as they are now (in memory they already count); a write the database cannot take is tried again. */
  function persistSessions(current: Json): Promise<void> {
    return saveSessionsState({ sealed: encryptJson(options.sessionsKey, current) });
  }

  async function appendRevision(flows: FlowNode[], user: { username?: string } | null | undefined): Promise<void> {
    const context = deployContext.getStore();
    const sha256 = flowsSha256(flows);
    const author = user?.username ?? context?.author ?? "system";
    const created = await db.transaction(async (tx) => {
      const latest = await revisions.latestSummary(tx);
      if (latest?.sha256 === sha256) return null;
      const number = (latest?.number ?? 0) + 1;
      const source = context?.source ?? "admin-api";
      const message =
        context?.message ?? (source === "editor" ? `Deploy from the editor (${context?.deploymentType ?? "full"})` : `Deploy (${source})`);
      let credentials = (await readState(tx, "credentials")) ?? null;
      if (context?.credentials) {
        credentials = context.credentials;
        await writeState(tx, "credentials", credentials);
      }
      await tx.query(
        `INSERT INTO flow_revisions (id, site_id, number, parent, sha256, author, message, deployment_type,
           flows, node_count, credentials, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::json, $10, $11::json, $12)`,
        [
          newId(),
          options.siteId,
          number,
          latest?.number ?? null,
          sha256,
          author,
          message,
          context?.deploymentType ?? null,
          JSON.stringify(flows),
          flows.length,
          credentials === null ? null : JSON.stringify(credentials),
          author,
        ],
      );
      await audit.record(
        {
          actor: author,
          action: source === "rollback" ? "flows.rollback" : source === "import" ? "flows.import" : "flows.deploy",
          entityType: "flow_revision",
          entityId: String(number),
          before: latest ? { number: latest.number, sha256: latest.sha256 } : null,
          after: { number, sha256, nodeCount: flows.length },
          details: { source, message, deploymentType: context?.deploymentType ?? null },
          ip: context?.ip,
        },
        tx,
      );
      return { number, source };
    });
    if (created) {
      if (context) context.createdRevision = created.number;
      metrics.deploys.inc({ source: created.source });
      logger.info({ revision: created.number, author, source: created.source }, "flows saved as a new revision");
    } else {
      logger.info({ sha256 }, "deployed flows are identical to the latest revision; no new revision");
    }
  }

  const module: NodeRedStorageModule = {
    async init() {
      if (await revisions.latestSummary()) return;
      // The node registry is not loaded yet, so types cannot be checked here;
      // the shipped flows are checked by the test suite instead.
      await deployContext.run({ source: "first-start", author: "system", message: "Shipped default flows" }, () =>
        appendRevision(migrateOnLoad(options.nodeConfigs, options.defaultFlows(), logger), null),
      );
    },

    async getFlows() {
      return migrateOnLoad(options.nodeConfigs, (await revisions.latest())?.flows ?? [], logger);
    },

    async saveFlows(flows, user) {
      const checked = options.validate(flows);
      if (!checked.ok) {
        throw Object.assign(new Error(checked.message), { code: "invalid_flows", status: 400 });
      }
      // What validation passes is migrated: a revision holds current node config versions.
      await appendRevision(checked.flows, user);
    },

    async getCredentials() {
      const stored = await readState(db, "credentials");
      return isPlainObject(stored) ? stored : {};
    },

    async saveCredentials(credentials) {
      // Node-RED encrypts with our credentialSecret and hands us {"$": ...};
      // anything else would be credentials in clear, which never reach the database.
      const keys = Object.keys(credentials);
      if (keys.length > 0 && !(keys.length === 1 && keys[0] === "$")) {
        throw new Error("refusing to store unencrypted credentials");
      }
      await writeState(db, "credentials", credentials);
    },

    async getSettings() {
      const stored = await readState(db, "settings");
      return isPlainObject(stored) ? stored : {};
    },

    async saveSettings(settings) {
      await saveSettingsState(settings);
    },

    getSessions() {
      return loadSessions();
    },

    async saveSessions(saved) {
      // Node-RED passes back the object getSessions gave it; adopt it whatever it is
      // (without waiting for a load: during an outage that would wait for the database).
      sessions = Promise.resolve(saved);
      await persistSessions(saved);
    },

    async getLibraryEntry(type, path) {
      const exactPaths = type === "flows" && !path.endsWith(".json") ? [path, `${path}.json`] : [path];
      for (const candidate of exactPaths) {
        const exact = await db.query<{ body: string }>("SELECT body FROM node_red_library WHERE type = $1 AND path = $2", [
          type,
          normaliseLibraryPath(candidate),
        ]);
        if (exact.rows[0] && !candidate.endsWith("/")) return exact.rows[0].body;
      }
      const folder = normaliseLibraryPath(path);
      const prefix = folder ? `${folder}/` : "";
      const children = await db.query<{ path: string; meta: Json | string }>(
        "SELECT path, meta FROM node_red_library WHERE type = $1 AND starts_with(path, $2) ORDER BY path",
        [type, prefix],
      );
      const folders = new Set<string>();
      const files: Json[] = [];
      for (const row of children.rows) {
        const rest = row.path.slice(prefix.length);
        const slash = rest.indexOf("/");
        if (slash >= 0) folders.add(rest.slice(0, slash));
        else files.push({ ...(typeof row.meta === "string" ? (JSON.parse(row.meta) as Json) : row.meta), fn: rest });
      }
      if (folders.size === 0 && files.length === 0 && folder !== "" && !path.endsWith("/")) {
        throw new Error(`Library entry not found: ${type}/${path}`);
      }
      return [...[...folders].sort(), ...files];
    },

    async saveLibraryEntry(type, path, meta, body) {
      const stored = normaliseLibraryPath(type === "flows" && !path.endsWith(".json") ? `${path}.json` : path);
      await db.query(
        `INSERT INTO node_red_library (type, path, meta, body, updated_at) VALUES ($1, $2, $3::json, $4, now())
         ON CONFLICT (type, path) DO UPDATE SET meta = excluded.meta, body = excluded.body, updated_at = now()`,
        [type, stored, JSON.stringify(meta ?? {}), body],
      );
    },
  };

  const tokens: NodeRedTokens = {
    async lookup(token) {
      const all = await loadSessions();
      const session = Object.hasOwn(all, token) ? all[token] : undefined;
      if (!isPlainObject(session) || typeof session.user !== "string" || typeof session.expires !== "number") return null;
      return session.expires > Date.now() ? { user: session.user, expires: session.expires } : null;
    },

    async issue(username, client, scope, ttlSeconds) {
      const all = await loadSessions();
      // Node-RED's own format: 128 random bytes, base64.
      const token = randomBytes(128).toString("base64");
      const expires = Date.now() + ttlSeconds * 1000;
      all[token] = { user: username, client, scope, accessToken: token, expires };
      await persistSessions(all);
      return { token, expiresInSeconds: ttlSeconds };
    },

    async revokeUser(username) {
      const all = await loadSessions();
      const name = username.toLowerCase();
      let revoked = 0;
      for (const [token, session] of Object.entries(all)) {
        const expired = isPlainObject(session) && typeof session.expires === "number" && session.expires <= Date.now();
        if (expired || (isPlainObject(session) && typeof session.user === "string" && session.user.toLowerCase() === name)) {
          delete all[token];
          if (!expired) revoked++;
        }
      }
      await persistSessions(all);
      return revoked;
    },
  };

  return { module, tokens };
}
