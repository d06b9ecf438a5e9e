import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { Database, Queryable } from "../db/database.js";
import { appliedMigrations, type AppliedMigration } from "../db/migrator.js";

/**
 * A logical dump of the site's schema made by the app itself, the same way
 * on PGlite and PostgreSQL (pg_dump is not on every box, and a PGlite data
 * dir cannot be loaded into a server): every table's rows as JSON lines,
 * the sequences' positions, the partitions that exist, and the migrations
 * that built the schema. A restore rebuilds that schema with the same
 * migrations, so the dump carries data, never DDL of its own.
 */
export interface TableDump {
  name: string;
  columns: string[];
  rows: number;
  /** Path of its JSON-lines file, relative to the dump directory. */
  file: string;
}

export interface SequenceDump {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface PartitionDump {
  name: string;
  parent: string;
  bound: string;
}

export interface DatabaseDump {
  kind: Database["kind"];
  migrations: AppliedMigration[];
  tables: TableDump[];
  sequences: SequenceDump[];
  partitions: PartitionDump[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** The only partition bounds a restore creates: the historian's daily ranges, or a default partition. */
const PARTITION_BOUND = /^(DEFAULT|FOR VALUES FROM \('[0-9: +.-]+'\) TO \('[0-9: +.-]+'\))$/;
const FETCH_ROWS = 2000;
const LOAD_ROWS = 1000;
const LEDGER = "schema_migrations";

export class DumpError extends Error {}

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new DumpError(`unexpected table or column name ${JSON.stringify(name)}`);
  return `"${name}"`;
}

async function listTables(tx: Queryable): Promise<string[]> {
  const result = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`,
  );
  return result.rows.map((row) => row.name).filter((name) => name !== LEDGER);
}

async function listColumns(tx: Queryable, table: string): Promise<string[]> {
  // Generated columns are computed again on insert; they cannot be written.
  const result = await tx.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_attribute a
      WHERE a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass
        AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum`,
    [table],
  );
  return result.rows.map((row) => row.name);
}

async function listSequences(tx: Queryable): Promise<SequenceDump[]> {
  const names = await tx.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'S' ORDER BY c.relname`,
  );
  const sequences: SequenceDump[] = [];
  for (const { name } of names.rows) {
    const state = await tx.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text AS last_value, is_called FROM ${identifier(name)}`,
    );
    const row = state.rows[0];
    if (row) sequences.push({ name, lastValue: row.last_value, isCalled: row.is_called });
  }
  return sequences;
}

async function listPartitions(tx: Queryable): Promise<PartitionDump[]> {
  const result = await tx.query<PartitionDump>(
    `SELECT c.relname AS name, p.relname AS parent, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class p ON p.oid = i.inhparent
      WHERE n.nspname = current_schema() AND c.relispartition AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  return result.rows;
}

/**
 * Writes the dump into `dir` (created), all in one REPEATABLE READ, READ
 * ONLY transaction: every table is read at the same instant, so a running
 * site on PostgreSQL can be backed up without stopping it.
 */
export async function dumpDatabase(db: Database, dir: string): Promise<DatabaseDump> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const dump: DatabaseDump = {
      kind: db.kind,
      migrations: await appliedMigrations(tx),
      tables: [],
      sequences: await listSequences(tx),
      partitions: await listPartitions(tx),
    };
    for (const table of await listTables(tx)) {
      const columns = await listColumns(tx, table);
      const file = `${table}.jsonl`;
      const fd = fs.openSync(path.join(dir, file), "w", 0o600);
      let rows = 0;
      try {
        // A cursor keeps memory flat on a large history table.
        await tx.query(
          `DECLARE petroflow_backup NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS r FROM (SELECT ${columns.map(identifier).join(", ")} FROM ${identifier(table)}) t`,
        );
        for (;;) {
          const batch = await tx.query<{ r: string }>(`FETCH FORWARD ${FETCH_ROWS} FROM petroflow_backup`);
          if (batch.rows.length === 0) break;
          fs.writeSync(fd, batch.rows.map((row) => `${row.r}\n`).join(""));
          rows += batch.rows.length;
        }
        await tx.query("CLOSE petroflow_backup");
      } finally {
        fs.closeSync(fd);
      }
      dump.tables.push({ name: table, columns, rows, file });
    }
    return dump;
  });
}

/** True when the current schema holds any table: a restore then needs --force. */
export async function schemaHasTables(db: Queryable): Promise<boolean> {
  const result = await db.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')`,
  );
  return Number(result.rows[0]?.count ?? 0) > 0;
}

/** Drops everything in the current schema (a forced restore starts from nothing). */
export async function emptySchema(db: Queryable): Promise<void> {
  const schema = await db.query<{ name: string }>("SELECT current_schema() AS name");
  const name = schema.rows[0]?.name;
  if (!name) throw new DumpError("no current schema to restore into");
  await db.exec(`DROP SCHEMA ${identifier(name)} CASCADE; CREATE SCHEMA ${identifier(name)}`);
}

async function* lineBatches(file: string, size: number): AsyncGenerator<string[]> {
  const lines = readline.createInterface({ input: fs.createReadStream(file, "utf8"), crlfDelay: Infinity });
  let batch: string[] = [];
  for await (const line of lines) {
    if (line === "") continue;
    batch.push(line);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Loads a dump into a schema the migrations of `dump.migrations` just
 * built, in one transaction: rows migrations seeded are replaced by the
 * dump's, triggers (append-only guards, foreign keys) are off while rows
 * go in (session_replication_role, which needs a superuser on PostgreSQL),
 * partitions are created first and sequences set last.
 */
export async function loadDatabase(db: Database, dir: string, dump: DatabaseDump): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = replica");
    const present = new Set(await listTables(tx));
    for (const table of dump.tables) {
      if (!present.has(table.name)) throw new DumpError(`table ${table.name} of the backup is not in the schema its migrations built`);
    }
    if (dump.tables.length > 0) await tx.exec(`TRUNCATE ${dump.tables.map((table) => identifier(table.name)).join(", ")}`);
    for (const partition of dump.partitions) {
      if (!PARTITION_BOUND.test(partition.bound)) throw new DumpError(`partition ${partition.name} has a bound a restore does not create: ${partition.bound}`);
      await tx.exec(`CREATE TABLE IF NOT EXISTS ${identifier(partition.name)} PARTITION OF ${identifier(partition.parent)} ${partition.bound}`);
    }
    for (const table of dump.tables) {
      const columns = table.columns.map(identifier).join(", ");
      let loaded = 0;
      for await (const lines of lineBatches(path.join(dir, table.file), LOAD_ROWS)) {
        const result = await tx.query(
          `INSERT INTO ${identifier(table.name)} (${columns}) OVERRIDING SYSTEM VALUE
             SELECT ${columns} FROM json_populate_recordset(NULL::${identifier(table.name)}, $1::json)`,
          [`[${lines.join(",")}]`],
        );
        loaded += result.rowCount;
      }
      if (loaded !== table.rows) throw new DumpError(`table ${table.name}: ${loaded} rows loaded, the backup says ${table.rows}`);
    }
    for (const sequence of dump.sequences) {
      await tx.query(`SELECT setval((quote_ident(current_schema()) || '.' || quote_ident($1))::regclass, $2::bigint, $3)`, [
        sequence.name,
        sequence.lastValue,
        sequence.isCalled,
      ]);
    }
  });
}
