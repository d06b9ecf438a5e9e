import type { DatabaseAvailability } from "./database-errors.js";

/**
 * One interface over PostgreSQL (`pg`) and embedded PGlite, so every module
 * runs the same SQL and the same migrations on a server or in the data dir.
 */
export type SqlValue = string | number | boolean | null | Date | Buffer | readonly unknown[] | Record<string, unknown>;

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type DatabaseKind = "pglite" | "postgres";

/**
 * Inside a unit of work (runtime/db/unit-of-work.ts: a keyed API request),
 * query() and exec() run in the unit's transaction and transaction() is a
 * savepoint in it, so the whole request commits or rolls back as one.
 */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** When connection-level failures happened (never on PGlite: it has no connection to lose). */
  readonly availability: DatabaseAvailability;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * A transaction of its own (never joined to a unit of work) that can also
   * bulk-load with COPY FROM STDIN: the historian's writes.
   */
  copyTransaction<T>(fn: (tx: CopyQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A transaction that can also bulk-load rows with COPY ... FROM STDIN (the historian's writes). */
export interface CopyQueryable extends Queryable {
  /** Runs `sql` (a `COPY ... FROM STDIN`) with `data` (COPY text format) as its input; returns the rows copied. */
  copyFrom(sql: string, data: string): Promise<number>;
}

/**
 * The parameters of a statement written in parts ($1, $2, ... in the order
 * added), so parts written apart (a write and its audit and outbox rows)
 * can be joined into one statement: one round trip instead of one a part.
 */
export class StatementParams {
  readonly values: SqlValue[] = [];

  /** The placeholder that stands for `value` in the statement. */
  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** PostgreSQL's limit on bind parameters in one statement. */
const MAX_PARAMETERS = 65535;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Inserts many rows with multi-row VALUES statements, chunked under the bind
 * parameter limit. Table and column names are checked identifiers, never input.
 */
export async function bulkInsert(
  db: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly SqlValue[])[],
): Promise<number> {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`bulkInsert: invalid identifier ${JSON.stringify(name)}`);
  }
  if (columns.length === 0) throw new Error("bulkInsert: no columns");
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const params: SqlValue[] = [];
    const tuples = chunk.map((row) => {
      if (row.length !== columns.length) {
        throw new Error(`bulkInsert: row has ${row.length} values for ${columns.length} columns`);
      }
      const placeholders = row.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    const result = await db.query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}`, params);
    inserted += result.rowCount;
  }
  return inserted;
}

/**
 * Plain objects become JSON text (for json/jsonb parameters); arrays stay
 * arrays, which both drivers send as PostgreSQL arrays.
 */
export function encodeParams(params: readonly SqlValue[] | undefined): unknown[] {
  return (params ?? []).map((value) =>
    value !== null && typeof value === "object" && !(value instanceof Date) && !Buffer.isBuffer(value) && !Array.isArray(value)
      ? JSON.stringify(value)
      : value,
  );
}
