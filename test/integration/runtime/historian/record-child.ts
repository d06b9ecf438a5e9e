/**
 * A process that records numbered history values until it is killed:
 * batches of 50, three records in flight at once. After each record
 * resolves (committed, or in the spool with fsync) it prints
 * `acked <first>-<last>`, so the parent knows what was acknowledged when
 * it sends SIGKILL. Value n has time base + n ms and value n.
 */
import { loadSettings } from "../../../../settings.js";
import { PostgresDatabase } from "../../../../runtime/db/postgres.js";
import { openHistorian } from "../../../../runtime/historian/open-historian.js";
import { createLogger } from "../../../../runtime/observability/logger.js";
import { TagStore } from "../../../../runtime/tags/tag-store.js";

const BATCH = 50;

async function main(): Promise<void> {
  const [dataDir, url, tagId, baseArg, firstArg] = process.argv.slice(2);
  if (!dataDir || !url || !tagId || !baseArg || !firstArg) throw new Error("usage: record-child <data dir> <database url> <tag id> <base ms> <first number>");
  const db = await PostgresDatabase.connect(url, { connectTimeoutMs: 500, queryTimeoutMs: 1500, statementTimeoutMs: 1200 });
  const settings = loadSettings({}, { dataDir, historyFlushMs: 20, historyWriteTimeoutMs: 300 });
  const history = await openHistorian({
    db,
    settings,
    tags: new TagStore(),
    policies: { idOf: () => tagId, historyPolicyOf: () => undefined },
    logger: createLogger("silent"),
  });
  const base = Number(baseArg);
  let next = Number(firstArg);
  process.stdout.write("ready\n");
  for (;;) {
    const records = [0, 1, 2].map(() => {
      const numbers = Array.from({ length: BATCH }, () => next++);
      const values = numbers.map((n) => ({ path: "SITE1/KILL/PV", value: { v: n, q: "good" as const, t: base + n } }));
      return history.historian.record(values).then(() => process.stdout.write(`acked ${numbers[0]}-${numbers.at(-1)}\n`));
    });
    await Promise.all(records);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
