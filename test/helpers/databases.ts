import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Database } from "../../runtime/db/database.js";
import { PGliteDatabase } from "../../runtime/db/pglite.js";
import { PostgresDatabase } from "../../runtime/db/postgres.js";

export interface DatabaseTarget {
  name: "pglite" | "postgres";
  /** Why this target cannot run here, or null when it can. */
  unavailable: string | null;
  /** A fresh, empty database. */
  create(): Promise<TestDatabase>;
}

export interface TestDatabase {
  db: Database;
  /** For tests that start a whole site process on it (postgres only). */
  url?: string;
  drop(): Promise<void>;
}

/** A new empty database on the TEST_DATABASE_URL server, dropped afterwards. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set");
  const name = `petroflow_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

let emptyPGliteDump: Promise<Blob> | undefined;

/** initdb once per test process: every fresh PGlite database starts from its dump (1 s instead of 3). */
function emptyPGlite(): Promise<Blob> {
  emptyPGliteDump ??= PGliteDatabase.dumpEmpty();
  return emptyPGliteDump;
}

export const databaseTargets: DatabaseTarget[] = [
  {
    name: "pglite",
    unavailable: null,
    async create() {
      const db = await PGliteDatabase.openFromDump(await emptyPGlite());
      return { db, drop: () => db.close() };
    },
  },
  {
    name: "postgres",
    unavailable: process.env.TEST_DATABASE_URL ? null : "TEST_DATABASE_URL is not set (no PostgreSQL server)",
    async create() {
      const created = await createPostgresDatabase();
      const db = await PostgresDatabase.connect(created.url);
      return {
        db,
        url: created.url,
        async drop() {
          await db.close();
          await created.drop();
        },
      };
    },
  },
];
