import pg from "pg";
import { encodeParams, type Database, type QueryResult, type Queryable, type SqlValue } from "./database.js";

// int8 (count(*), bigserial) as a JS number: our int8 values (revision
// numbers, counts) stay far below 2^53, and PGlite returns numbers too.
const INT8_OID = 20;
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string): unknown =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};


class PgQueryable implements Queryable {
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}
  async query<Row>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    const result = await this.client.query({ text: sql, values: encodeParams(params), types: typeParsers });
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
}

export class PostgresDatabase implements Database {
  readonly kind = "postgres" as const;
  private readonly queryable: PgQueryable;

  private constructor(private readonly pool: pg.Pool) {
    this.queryable = new PgQueryable(pool);
  }

  static async connect(connectionString: string, options: { max?: number } = {}): Promise<PostgresDatabase> {
    const pool = new pg.Pool({ connectionString, max: options.max ?? 10, application_name: "petroflow" });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on("error", () => undefined);
    const database = new PostgresDatabase(pool);
    await database.query("SELECT 1");
    return database;
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    return this.queryable.query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.queryable.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PgQueryable(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
