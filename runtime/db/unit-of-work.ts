import { AsyncLocalStorage } from "node:async_hooks";
import type { Database, QueryResult, Queryable, SqlValue } from "./database.js";

/**
 * A unit of work is one transaction that everything a piece of code does
 * with one database joins, without passing the transaction around: a keyed
 * API request (runtime/idempotency) runs as one, so its Idempotency-Key
 * claim, every business write and the stored response commit together or
 * not at all. AsyncLocalStorage carries it through the request's async
 * calls; the drivers ask joinedWork() before using their own connection.
 */

/** A transaction handle that refuses to run once its transaction has ended (a late caller must not reach a pooled client someone else now owns). */
export function guardedQueryable(target: Queryable, isOpen: () => boolean): Queryable {
  const refuse = () => new Error("this transaction has already ended; the statement was not run");
  return {
    query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
      return isOpen() ? target.query<Row>(sql, params) : Promise.reject(refuse());
    },
    exec(sql: string): Promise<void> {
      return isOpen() ? target.exec(sql) : Promise.reject(refuse());
    },
  };
}

class WorkState {
  open = true;
  savepoints = 0;
  /** Sibling savepoint sections run one after the other: interleaved savepoints on one connection would nest by accident. */
  sections: Promise<void> = Promise.resolve();
  readonly afterCommit: (() => void)[] = [];
  readonly tx: Queryable;

  constructor(
    readonly owner: Database,
    tx: Queryable,
  ) {
    this.tx = guardedQueryable(tx, () => this.open);
  }
}

interface Scope {
  work: WorkState;
  /** True inside a savepoint section: a nested transaction() nests directly instead of queueing behind itself. */
  inSection: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/** The open unit of work the caller runs in, as seen by one database's driver. */
export class JoinedWork implements Queryable {
  constructor(private readonly scope: Scope) {}

  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<QueryResult<Row>> {
    return this.scope.work.tx.query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.scope.work.tx.exec(sql);
  }

  /** A transaction inside the unit of work: a savepoint, rolled back alone when fn throws. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const { work } = this.scope;
    if (!work.open) throw new Error("this transaction has already ended; the statement was not run");
    if (this.scope.inSection) return this.savepoint(fn);
    const previous = work.sections;
    let finished!: () => void;
    work.sections = new Promise<void>((resolve) => (finished = resolve));
    await previous;
    try {
      return await scopes.run({ work, inSection: true }, () => this.savepoint(fn));
    } finally {
      finished();
    }
  }

  private async savepoint<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const { tx } = this.scope.work;
    // A generated name, never input.
    const name = `petroflow_sp_${++this.scope.work.savepoints}`;
    await tx.exec(`SAVEPOINT ${name}`);
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      // If this fails too the connection is gone, and the unit of work fails with it.
      await tx
        .exec(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`)
        .catch(() => undefined);
      throw error;
    }
    await tx.exec(`RELEASE SAVEPOINT ${name}`);
    return result;
  }
}

/**
 * The unit of work of `db` the caller runs in, if any. Once it has ended,
 * code still running in its context (an aborted request's handler) gets a
 * refusal, never the pool: a write that escaped the rolled-back unit would
 * commit on its own, and the client's retry would then make it twice.
 */
export function joinedWork(db: Database): JoinedWork | undefined {
  const scope = scopes.getStore();
  return scope && scope.work.owner === db ? new JoinedWork(scope) : undefined;
}

/**
 * Runs `hook` once the caller's unit of work has committed, and never if it
 * rolls back; outside a unit of work, at once. For effects the database
 * cannot undo: module events, in-memory caches of committed rows.
 */
export function afterCommit(hook: () => void): void {
  const scope = scopes.getStore();
  if (scope?.work.open) scope.work.afterCommit.push(hook);
  else hook();
}

/** Runs fn outside any unit of work (its own transactions commit on their own): a flow deploy, which Node-RED cannot roll back. */
export function outsideUnitOfWork<T>(fn: () => T): T {
  return scopes.exit(fn);
}

export interface UnitOfWorkOptions {
  /** Aborting rolls the unit of work back at once (a request past its deadline), whatever its code still awaits. */
  signal?: AbortSignal;
  /** An afterCommit hook threw (they should not): reported, the others still run. */
  onHookError?: (error: unknown) => void;
}

function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  // Whatever the work does after an abort only meets a closed transaction; its outcome is nobody's.
  work.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error("the unit of work was aborted"));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * Runs `work` as one transaction of `db` that every db.query(),
 * db.exec() and db.transaction() made in its async context joins. Commits
 * when work resolves, rolls back when it throws or the signal aborts; the
 * afterCommit hooks run only after the commit.
 */
export async function unitOfWork<T>(db: Database, work: (tx: Queryable) => Promise<T>, options: UnitOfWorkOptions = {}): Promise<T> {
  let state: WorkState | undefined;
  const result = await db.transaction(async (tx) => {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error("the unit of work was aborted");
    const current = new WorkState(db, tx);
    state = current;
    try {
      return await abortable(
        scopes.run({ work: current, inSection: false }, () => work(current.tx)),
        options.signal,
      );
    } finally {
      current.open = false;
    }
  });
  for (const hook of state?.afterCommit ?? []) {
    try {
      hook();
    } catch (error) {
      options.onHookError?.(error);
    }
  }
  return result;
}
