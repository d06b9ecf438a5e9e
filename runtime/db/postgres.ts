import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFromStdin } from "pg-copy-streams";
import { encodeParams, type CopyQueryable, type Database, type QueryResult, type Queryable, type SqlValue } from "./database.js";
import { DatabaseAvailability, DatabaseUnavailableError, isDatabaseUnavailable, toDatabaseError } from "./database-errors.js";
import { DATABASE_TIMEOUT_DEFAULTS, postgresPoolConfig, retryAfterSecondsFor, type DatabaseTimeouts } from "./timeouts.js";
import { guardedQueryable, joinedWork } from "./unit-of-work.js";

// int8 (count(*), bigserial) as a JS number: our int8 values (revision
// numbers, counts) stay far below 2^53, and PGlite returns numbers too.
const INT8_OID = 20;
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string): unknown =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as pg.CustomTypesConfig["getTypeParser"],
};

export interface PostgresOptions extends Partial<DatabaseTimeouts> {
  /** Most connections in the pool. */
  max?: number;
  /** How long close() waits for the pool to end (it cannot end over a dead link). */
  closeTimeoutMs?: number;
  /** A connection failed outside any query (an idle client's socket): reported, the pool replaces it. */
  onBackgroundError?: (error: unknown) => void;
}

const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;

/**
 * Statements run as named prepared statements, so PostgreSQL parses and
 * plans a statement once per connection instead of on every call: on the
 * stock-move path that was a third of the server's CPU per request
 * (docs/performance.md). The texts are the code's own SQL, a bounded set;
 * past PREPARED_STATEMENTS_MAX distinct texts (a bug building SQL from
 * values would show here) the rest run unnamed, so server memory stays
 * bounded. Schema changes happen in migrations before any statement is
 * prepared; a connection pooler in transaction mode would not work with
 * this (docs/decisions.md).
 */
const PREPARED_STATEMENTS_MAX = 1000;
const PREPARED_TEXT_MAX_CHARS = 16_384;
const statementNames = new Map<string, string>();
function preparedName(sql: string): string | undefined {
  const known = statementNames.get(sql);
  if (known !== undefined) return known;
  if (statementNames.size >= PREPARED_STATEMENTS_MAX || sql.length > PREPARED_TEXT_MAX_CHARS) return undefined;
  const name = `petroflow_${statementNames.size}`;
  statementNames.set(sql, name);
  return name;
}


class PgQueryable implements Queryable {
  constructor(
    private readonly client: pg.Pool | pg.PoolClient,
    private readonly failed: (error: unknown) => unknown,
  ) {}
  async query<Row>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    try {
      const result = await this.client.query({ name: preparedName(sql), text: sql, values: encodeParams(params), types: typeParsers });
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw this.failed(error);
    }
  }
  async exec(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      throw this.failed(error);
    }
  }
}

export class PostgresDatabase implements Database {
  readonly kind = "postgres" as const;
  readonly availability = new DatabaseAvailability();
  private readonly queryable: PgQueryable;
  private readonly retryAfterSeconds: number;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresOptions & DatabaseTimeouts,
  ) {
    this.retryAfterSeconds = retryAfterSecondsFor(options);
    this.queryable = new PgQueryable(pool, (error) => this.failed(error));
  }

  static async connect(connectionString: string, options: PostgresOptions = {}): Promise<PostgresDatabase> {
    const settings = { ...DATABASE_TIMEOUT_DEFAULTS, ...options };
    const pool = new pg.Pool(postgresPoolConfig(connectionString, settings, options.max ?? 10));
    const database = new PostgresDatabase(pool, settings);
    // An idle client's connection dropping must not crash the process; the pool replaces it.
    pool.on("error", (error) => {
      database.availability.recordFailure();
      options.onBackgroundError?.(error);
    });
    try {
      await database.query("SELECT 1");
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }

  /** Driver errors as the rest of the site sees them: connection failures become DatabaseUnavailableError. */
  private failed(error: unknown): unknown {
    if (isDatabaseUnavailable(error)) this.availability.recordFailure();
    return toDatabaseError(error, this.retryAfterSeconds);
  }

  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    return (joinedWork(this) ?? this.queryable).query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return (joinedWork(this) ?? this.queryable).exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const joined = joinedWork(this);
    if (joined) return joined.transaction(fn);
    return this.clientTransaction((tx) => fn(tx));
  }

  /**
   * A transaction of its own (never joined to a unit of work) whose
   * queryable can COPY FROM STDIN: a pool client is needed for the stream.
   */
  copyTransaction<T>(fn: (tx: CopyQueryable) => Promise<T>): Promise<T> {
    return this.clientTransaction(fn);
  }

  private async clientTransaction<T>(fn: (tx: CopyQueryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failed(error);
    }
    // pg-pool listens for errors only on idle clients: a checked-out client
    // whose socket breaks emits 'error', which crashes the process unless
    // someone listens. The failure itself reaches the running query.
    let broken: unknown;
    const onError = (error: unknown) => {
      broken ??= error;
      this.availability.recordFailure();
    };
    client.on("error", onError);
    let open = true;
    const clientFailed = (error: unknown) => {
      // After a connection failure or a client-side query timeout the
      // client's protocol state is unknown: it must not go back to the pool.
      if (isDatabaseUnavailable(error)) broken ??= error;
      return this.failed(error);
    };
    const tx: CopyQueryable = {
      ...guardedQueryable(new PgQueryable(client, clientFailed), () => open),
      copyFrom: async (sql, data) => {
        if (!open) throw new Error("this transaction has already ended; the statement was not run");
        const stream = client.query(copyFromStdin(sql));
        // pg's query_timeout does not cover a COPY stream: over a partition it would wait for ever and hold the client.
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new DatabaseUnavailableError(`the database did not finish a COPY within ${this.options.queryTimeoutMs} ms`, this.retryAfterSeconds)),
            this.options.queryTimeoutMs,
          );
        });
        const copied = pipeline(Readable.from([data]), stream);
        copied.catch(() => undefined);
        try {
          await Promise.race([copied, expired]);
        } catch (error) {
          throw clientFailed(error);
        } finally {
          clearTimeout(timer);
        }
        return stream.rowCount;
      },
    };
    try {
      await tx.exec("BEGIN");
      const result = await fn(tx);
      await tx.exec("COMMIT");
      return result;
    } catch (error) {
      if (broken === undefined) {
        await tx.exec("ROLLBACK").catch((rollbackError: unknown) => {
          broken ??= rollbackError;
        });
      }
      throw error;
    } finally {
      open = false;
      // A truthy argument makes the pool destroy the client instead of reusing it.
      client.release(broken === undefined ? undefined : broken instanceof Error ? broken : new Error("the connection failed", { cause: broken }));
      client.off("error", onError);
    }
  }

  /**
   * Ends the pool, waiting at most closeTimeoutMs: over a blackholed link
   * the pool never hears back and pool.end() would wait for ever.
   */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
      this.pool.end().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => {
          clearTimeout(timer);
          resolve();
        },
      );
    });
    return this.closing;
  }
}
