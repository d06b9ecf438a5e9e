import type { Settings } from "../../settings.js";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.js";
import type { Database } from "./database.js";
import { PGliteDatabase } from "./pglite.js";
import { initialisePGlite, tunePGliteConfig } from "./pglite-setup.js";
import { PostgresDatabase } from "./postgres.js";
import type { DatabaseTimeouts } from "./timeouts.js";
import path from "node:path";

export interface OpenedDatabase {
  db: Database;
  /** Closes the database and releases the data-dir lock. */
  close(): Promise<void>;
}

type DatabaseSettings = Pick<
  Settings,
  "databaseUrl" | "dataDir" | "dbConnectTimeoutMs" | "dbStatementTimeoutMs" | "dbQueryTimeoutMs" | "dbIdleInTransactionTimeoutMs" | "dbKeepAliveMs"
>;

/** The PostgreSQL timeouts the settings ask for. */
export function databaseTimeouts(settings: DatabaseSettings): DatabaseTimeouts {
  return {
    connectTimeoutMs: settings.dbConnectTimeoutMs,
    statementTimeoutMs: settings.dbStatementTimeoutMs,
    queryTimeoutMs: settings.dbQueryTimeoutMs,
    idleInTransactionTimeoutMs: settings.dbIdleInTransactionTimeoutMs,
    keepAliveMs: settings.dbKeepAliveMs,
  };
}

export interface OpenOptions {
  /** A pooled connection failed while idle (PostgreSQL): the pool replaces it; this reports it. */
  onBackgroundError?: (error: unknown) => void;
  /** Longest wait for the pool to end on close. */
  closeTimeoutMs?: number;
}

/** PostgreSQL when DATABASE_URL is set, otherwise PGlite in <dataDir>/pglite. */
export async function openDatabase(settings: DatabaseSettings, options: OpenOptions = {}): Promise<OpenedDatabase> {
  if (settings.databaseUrl) {
    const db = await PostgresDatabase.connect(settings.databaseUrl, { ...databaseTimeouts(settings), ...options });
    return { db, close: () => db.close() };
  }
  const lock: DataDirLock = acquireDataDirLock(settings.dataDir);
  try {
    const pgliteDir = path.join(settings.dataDir, "pglite");
    await initialisePGlite(pgliteDir);
    tunePGliteConfig(pgliteDir);
    const db = await PGliteDatabase.open(pgliteDir);
    return {
      db,
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
