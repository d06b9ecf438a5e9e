import type { Database } from "./database.js";
import { outsideUnitOfWork } from "./unit-of-work.js";

/** /healthz must answer within 2 s whatever the database does. */
export const HEALTH_PROBE_TIMEOUT_MS = 1_000;

const inFlight = new WeakMap<Database, Promise<boolean>>();

/**
 * True when the database answers `SELECT 1` within timeoutMs. A probe
 * still waiting (a blackholed link holds it until the query timeout) is
 * shared by the next callers instead of stacking more of them on the pool.
 * PGlite has no link to lose: a probe that waits there waits behind a
 * transaction (it is one connection), so the database is busy, not away;
 * only a failed query says it is unusable.
 */
export function probeDatabase(db: Database, timeoutMs = HEALTH_PROBE_TIMEOUT_MS): Promise<boolean> {
  let probe = inFlight.get(db);
  if (!probe) {
    const started = outsideUnitOfWork(() => db.query("SELECT 1")).then(
      () => true,
      () => false,
    );
    probe = started.finally(() => inFlight.delete(db));
    inFlight.set(db, probe);
  }
  const answered = probe;
  const busyMeans = db.kind === "pglite";
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(busyMeans), timeoutMs);
    void answered.then((ok) => {
      clearTimeout(timer);
      resolve(ok);
    });
  });
}
