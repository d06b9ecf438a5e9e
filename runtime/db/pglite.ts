import { PGlite, type Transaction } from "@electric-sql/pglite";
import { encodeParams, type CopyQueryable, type Database, type QueryResult, type Queryable, type SqlValue } from "./database.js";
import { DatabaseAvailability } from "./database-errors.js";
import { joinedWork } from "./unit-of-work.js";


class PGliteQueryable implements Queryable {
  constructor(private readonly target: PGlite | Transaction) {}
  async query<Row>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    const result = await this.target.query<Row>(sql, encodeParams(params));
    // PGlite reports affectedRows 0 for a SELECT; pg's rowCount counts the rows returned.
    return { rows: result.rows, rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
  }
  async exec(sql: string): Promise<void> {
    await this.target.exec(sql);
  }
}

/**
 * Embedded PostgreSQL (WASM). Crash-safe but not power-loss-safe: it does not
 * fsync. Only one process may open a data dir; see data-dir-lock.ts.
 */
export class PGliteDatabase implements Database {
  readonly kind = "pglite" as const;
  readonly availability = new DatabaseAvailability();
  private readonly queryable: PGliteQueryable;

  private constructor(private readonly db: PGlite) {
    this.queryable = new PGliteQueryable(db);
  }

  /** dataDir undefined means in memory (tests). */
  static async open(dataDir?: string): Promise<PGliteDatabase> {
    const db = await PGlite.create(dataDir);
    return new PGliteDatabase(db);
  }

  /**
   * In memory, from a data dir dumped by dumpEmpty() (tests): about a third
   * of the time of an initdb, which every in-memory open otherwise runs.
   */
  static async openFromDump(dump: Blob): Promise<PGliteDatabase> {
    return new PGliteDatabase(await PGlite.create({ loadDataDir: dump }));
  }

  /** A fresh, empty in-memory cluster's data dir, for openFromDump. */
  static async dumpEmpty(): Promise<Blob> {
    const db = await PGlite.create();
    try {
      return await db.dumpDataDir("none");
    } finally {
      await db.close();
    }
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    return (joinedWork(this) ?? this.queryable).query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return (joinedWork(this) ?? this.queryable).exec(sql);
  }

  /**
   * PGlite is one connection: a transaction holds it whole, so code inside
   * must use the tx it is given (or run in a unit of work, which joins it);
   * a db.query() from outside waits until the transaction ends.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const joined = joinedWork(this);
    if (joined) return joined.transaction(fn);
    return this.db.transaction((tx) => fn(new PGliteQueryable(tx)));
  }

  /**
   * A transaction of its own whose COPY ... FROM STDIN reads its input from
   * PGlite's /dev/blob: about twice as fast as INSERT from unnest arrays.
   */
  copyTransaction<T>(fn: (tx: CopyQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => {
      const queryable = new PGliteQueryable(tx);
      return fn({
        query: (sql, params) => queryable.query(sql, params),
        exec: (sql) => queryable.exec(sql),
        async copyFrom(sql, data) {
          if (!/ FROM STDIN$/.test(sql)) throw new Error("copyFrom takes a COPY ... FROM STDIN statement");
          const result = await tx.query(sql.replace(/ FROM STDIN$/, " FROM '/dev/blob'"), [], { blob: new Blob([data]) });
          return result.affectedRows ?? 0;
        },
      });
    });
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
