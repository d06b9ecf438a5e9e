import type { Database, DatabaseKind, Queryable } from "./database.js";

/**
 * A Database whose every statement runs inside one open transaction, so
 * code written against Database (services that open transactions of their
 * own) can be made part of a larger one: their transactions become
 * savepoints. A failure inside one rolls back only its part, as it would
 * have alone, and nothing is committed until the outer transaction is.
 * Statements run one at a time, as on any transaction's connection.
 */
export function withinTransaction(tx: Queryable, kind: DatabaseKind): Database {
  let savepoints = 0;
  return {
    kind,
    query: (sql, params) => tx.query(sql, params),
    exec: (sql) => tx.exec(sql),
    async transaction(fn) {
      savepoints += 1;
      const name = `nested_${savepoints}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        // If even this fails the outer transaction is broken and rolls back whole: the first error is the one to report.
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
        throw error;
      }
    },
    close: () => Promise.reject(new Error("a database bound to a transaction is closed by the transaction's owner")),
  };
}
