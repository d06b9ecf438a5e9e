import type { Settings } from "../../settings.js";
import { acquireDataDirLock, type DataDirLock } from "./data-dir-lock.js";
import type { Database } from "./database.js";
import { PGliteDatabase } from "./pglite.js";
import { initialisePGlite, tunePGliteConfig } from "./pglite-setup.js";
import { PostgresDatabase } from "./postgres.js";
import path from "node:path";

export interface OpenedDatabase {
  db: Database;
  /** Closes the database and releases the data-dir lock. */
  close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set, otherwise PGlite in <dataDir>/pglite. */
export async function openDatabase(settings: Pick<Settings, "databaseUrl" | "dataDir">): Promise<OpenedDatabase> {
  if (settings.databaseUrl) {
    const db = await PostgresDatabase.connect(settings.databaseUrl);
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
