import { PGlite } from "@electric-sql/pglite";

/** Child process of initialisePGlite: creates the cluster and exits, freeing initdb's memory. */
async function main(): Promise<void> {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error("usage: pglite-init-child <data dir>");
  const db = await PGlite.create(dataDir);
  await db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
