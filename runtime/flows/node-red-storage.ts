import type { AuditService } from "../audit/audit-service.js";
import type { Database, Queryable } from "../db/database.js";
import { newId } from "../ids.js";
import type { Logger } from "../observability/logger.js";
import type { Metrics } from "../observability/metrics.js";
import { decryptJson, encryptJson } from "../secrets.js";
import { deployContext } from "./deploy-context.js";
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
}

export interface NodeRedStorage {
  module: NodeRedStorageModule;
  /** Node-RED's own editor tokens (password grant), for our HTTP gate. */
  lookupNodeRedSession(token: string): { user: string; expires: number } | null;
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

/**
 * Keeps Node-RED's flows, credentials, settings, sessions and library in the
 * database. Every saveFlows whose flows differ from the latest revision
 * appends a revision (with an audit row, in one transaction); identical
 * flows append nothing.
 */
export function createNodeRedStorage(options: NodeRedStorageOptions): NodeRedStorage {
  const { db, revisions, audit, metrics, logger } = options;
  let sessionsCache: Json = {};

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
        appendRevision(options.defaultFlows(), null),
      );
    },

    async getFlows() {
      return (await revisions.latest())?.flows ?? [];
    },

    async saveFlows(flows, user) {
      const checked = options.validate(flows);
      if (!checked.ok) {
        throw Object.assign(new Error(checked.message), { code: "invalid_flows", status: 400 });
      }
      await appendRevision(flows, user);
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
      await writeState(db, "settings", settings);
    },

    async getSessions() {
      const stored = await readState(db, "sessions");
      if (isPlainObject(stored) && typeof stored.sealed === "string") {
        try {
          const sessions = decryptJson(options.sessionsKey, stored.sealed);
          sessionsCache = isPlainObject(sessions) ? sessions : {};
        } catch {
          // A changed site secret: old editor sessions are void, users log in again.
          logger.warn("editor sessions could not be decrypted with the current secret; they were discarded");
          sessionsCache = {};
        }
      }
      return sessionsCache;
    },

    async saveSessions(sessions) {
      sessionsCache = sessions;
      await writeState(db, "sessions", { sealed: encryptJson(options.sessionsKey, sessions) });
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

  return {
    module,
    lookupNodeRedSession(token) {
      const session = sessionsCache[token];
      if (!isPlainObject(session) || typeof session.user !== "string" || typeof session.expires !== "number") return null;
      return session.expires > Date.now() ? { user: session.user, expires: session.expires } : null;
    },
  };
}
