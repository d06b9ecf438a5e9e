import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * PostgreSQL's buffer cache inside PGlite's WASM heap. initdb writes 128MB,
 * which alone puts an idle site near 400 MiB RSS; 16MB measured 232-256 MiB
 * (docs/performance.md). A site that outgrows it belongs on PostgreSQL.
 */
export const PGLITE_SHARED_BUFFERS = "16MB";

const SETTING_LINE = /^\s*shared_buffers\s*=.*$/m;

/** Sets shared_buffers in an existing PGlite data dir (idempotent). */
export function tunePGliteConfig(dataDir: string): void {
  const conf = path.join(dataDir, "postgresql.conf");
  if (!fs.existsSync(conf)) return;
  const text = fs.readFileSync(conf, "utf8");
  const wanted = `shared_buffers = ${PGLITE_SHARED_BUFFERS}\t\t# set by Petroflow (runtime/db/pglite-setup.ts)`;
  const next = SETTING_LINE.test(text) ? text.replace(SETTING_LINE, wanted) : `${text}\n${wanted}\n`;
  if (next !== text) fs.writeFileSync(conf, next);
}

/**
 * Creates a new PGlite cluster in a short-lived child process. initdb inside
 * the site process would leave its peak memory (100-300 MiB) in the process
 * for good: WASM memory is never given back.
 */
export async function initialisePGlite(dataDir: string): Promise<void> {
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return;
  const script = path.join(__dirname, `pglite-init-child${path.extname(__filename)}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, script, dataDir], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`creating the PGlite database in ${dataDir} failed (exit ${code}): ${stderr.trim()}`))));
  });
}
