/**
 * Startup time to ready and idle RSS: Petroflow (dist/runtime/main.js) on
 * PGlite and on PostgreSQL against stock Node-RED 5 (node_modules/node-red/
 * red.js), all with flows/default-site.json, in one run on one machine.
 *
 * Each start: spawn → poll until ready → 5 s idle → max VmRSS over 2 s →
 * SIGTERM → wait for exit. A cold start (fresh data dir / database: initdb and
 * migrations for ours) is measured once per variant, then WARM_RUNS warm
 * starts on the same data dir / database, taken round-robin across variants
 * so drift in machine load lands on all of them alike.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { formatMachine, type Benchmark, type BenchmarkContext, type BenchmarkReport, type TargetResult } from "./run.js";

const ROOT = path.resolve(__dirname, "..");
const OURS_ENTRY = path.join(ROOT, "dist", "runtime", "main.js");
const STOCK_ENTRY = path.join(ROOT, "node_modules", "node-red", "red.js");
const FLOWS_FILE = path.join(ROOT, "flows", "default-site.json");
const RESULTS_FILE = path.join(ROOT, "bench", "results", "startup-memory.json");

const WARM_RUNS = positiveInt(process.env.BENCH_WARM_RUNS, 3);
const START_TIMEOUT_MS = 60_000;
const IDLE_MS = 5_000;
const RSS_WINDOW_MS = 2_000;
const RSS_INTERVAL_MS = 250;
// Ours gives up on its own after PETROFLOW_SHUTDOWN_TIMEOUT_MS (8 s); past this the child is SIGKILLed and that is recorded.
const STOP_TIMEOUT_MS = 20_000;
const POLL_INTERVAL_MS = 20;
const PROBE_TIMEOUT_MS = 1_000;
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
const ADMIN_PASSWORD = "bench-password-1";

const TARGET_WARM_READY_MS = 5_000;
const TARGET_PGLITE_RSS_MIB = 400;
const TARGET_POSTGRES_RSS_OVER_STOCK_MIB = 50;

function positiveInt(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw && Number.isInteger(value) && value > 0 ? value : fallback;
}

type VariantId = "stock" | "pglite" | "postgres";

interface StartSample {
  kind: "cold" | "warm";
  readyMs: number;
  /** Max VmRSS over the sampling window, MiB. */
  idleRssMiB: number;
  rssSamplesMiB: number[];
  /** RssAnon and RssFile at the max sample, MiB. */
  rssAnonMiB: number;
  rssFileMiB: number;
  shutdownMs: number;
  exitCode: number | null;
  signal: string | null;
  /** True when SIGTERM was not enough and the bench had to SIGKILL. */
  killed: boolean;
}

interface Variant {
  id: VariantId;
  label: string;
  /** Why this variant did not run; set before or instead of any start. */
  skipped?: string;
  launch(port: number): { args: string[]; env: NodeJS.ProcessEnv };
  ready(port: number): Promise<boolean>;
  cold?: StartSample;
  warm: StartSample[];
}

interface Summary {
  coldReadyMs: number | null;
  coldIdleRssMiB: number | null;
  warmReadyMedianMs: number | null;
  warmReadyRangeMs: [number, number] | null;
  idleRssMedianMiB: number | null;
  idleRssRangeMiB: [number, number] | null;
  shutdownMedianMs: number | null;
  exitCodes: string;
}

// ---------------------------------------------------------------- cleanup

// Children and temp dirs still owned by the bench, so an interrupted run
// (Ctrl-C, a thrown error) leaves no server running and no data behind.
const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let dropDatabase: (() => Promise<void>) | undefined;

function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function removeTempDirs(): void {
  for (const dir of tempDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

function killAll(): void {
  for (const child of liveChildren) child.kill("SIGKILL");
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  removeTempDirs();
  process.stderr.write(`\nbench interrupted by ${signal}; children killed, temp dirs removed\n`);
  // The bench database is dropped if the server answers quickly; a stuck server must not hold the exit.
  const drop = dropDatabase?.() ?? Promise.resolve();
  void Promise.race([drop, sleep(3_000)])
    .catch(() => undefined)
    .then(() => process.exit(130));
}

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

interface ProbeResponse {
  status: number;
  body: string;
}

/** One GET on a fresh connection, so no keep-alive socket holds the server open at shutdown. */
function probe(port: number, urlPath: string): Promise<ProbeResponse | null> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: "127.0.0.1", port, path: urlPath, agent: false, headers: { connection: "close" }, timeout: PROBE_TIMEOUT_MS },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", () => resolve(null));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(null));
  });
}

interface RssReading {
  rssKiB: number;
  anonKiB: number;
  fileKiB: number;
}

/** VmRSS and its split: anonymous (heaps, WASM memory) vs file-backed (the node binary, mapped files). */
function readRss(pid: number): RssReading {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, "m").exec(status);
    if (!match) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssKiB: field("VmRSS"), anonKiB: field("RssAnon"), fileKiB: field("RssFile") };
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

interface Exit {
  code: number | null;
  signal: string | null;
  at: number;
}

// ---------------------------------------------------------------- one start

async function measureStart(variant: Variant, kind: "cold" | "warm"): Promise<StartSample> {
  const port = await freePort();
  const { args, env } = variant.launch(port);
  let output = "";
  const keep = (chunk: Buffer) => {
    // Only the tail matters (for a failure report); the pipe must still be drained or the child blocks.
    output = (output + chunk.toString("utf8")).slice(-16_384);
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  liveChildren.add(child);
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal, at: performance.now() }));
    // A spawn that fails emits "error" and maybe no "exit"; without this the start would wait out its timeout.
    child.once("error", (error) => {
      keep(Buffer.from(`spawn error: ${error.message}\n`));
      resolve({ code: null, signal: null, at: performance.now() });
    });
  });
  let exit: Exit | undefined;
  void exited.then((e) => {
    exit = e;
    liveChildren.delete(child);
  });
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const fail = (why: string) =>
    new Error(`${variant.label} ${kind} start on port ${port}: ${why}\n--- child output (tail) ---\n${output.trimEnd()}\n---`);

  try {
    const pid = child.pid;
    if (pid === undefined) throw fail("spawn failed");

    let readyMs: number | undefined;
    while (readyMs === undefined) {
      if (exit) throw fail(`exited before ready (code ${exit.code}, signal ${exit.signal})`);
      if (performance.now() - started > START_TIMEOUT_MS) throw fail(`not ready within ${START_TIMEOUT_MS} ms`);
      if (await variant.ready(port)) readyMs = performance.now() - started;
      else await sleep(POLL_INTERVAL_MS);
    }

    await Promise.race([sleep(IDLE_MS), exited]);
    const samples: RssReading[] = [];
    const windowEnd = performance.now() + RSS_WINDOW_MS;
    for (;;) {
      if (exit) throw fail(`exited while idle (code ${exit.code}, signal ${exit.signal})`);
      samples.push(readRss(pid));
      if (performance.now() >= windowEnd) break;
      await sleep(RSS_INTERVAL_MS);
    }

    const stopAt = performance.now();
    child.kill("SIGTERM");
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      exited,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    let final: Exit;
    if (stopped) {
      final = stopped;
    } else {
      killed = true;
      child.kill("SIGKILL");
      final = await exited;
    }
    const peak = samples.reduce((a, b) => (b.rssKiB > a.rssKiB ? b : a));
    return {
      kind,
      readyMs: Math.round(readyMs),
      idleRssMiB: mib(peak.rssKiB),
      rssSamplesMiB: samples.map((r) => mib(r.rssKiB)),
      rssAnonMiB: mib(peak.anonKiB),
      rssFileMiB: mib(peak.fileKiB),
      shutdownMs: Math.round(final.at - stopAt),
      exitCode: final.code,
      signal: final.signal,
      killed,
    };
  } finally {
    if (!exit) {
      child.kill("SIGKILL");
      await exited;
    }
  }
}

// ---------------------------------------------------------------- variants

function stockVariant(): Variant {
  const userDir = makeTempDir("petroflow-bench-stock-");
  const flowsFile = path.join(userDir, "flows.json");
  fs.copyFileSync(FLOWS_FILE, flowsFile);
  // Only what keeps the comparison fair: loopback only, and the same
  // runtime features off that Petroflow turns off (no diagnostics endpoint,
  // no telemetry, no projects) and the same log level. The rest is stock.
  fs.writeFileSync(
    path.join(userDir, "settings.js"),
    `module.exports = ${JSON.stringify(
      {
        uiHost: "127.0.0.1",
        flowFile: "flows.json",
        logging: { console: { level: "warn", metrics: false, audit: false } },
        diagnostics: { enabled: false, ui: false },
        runtimeState: { enabled: false, ui: false },
        telemetry: { enabled: false, updateNotification: false },
        editorTheme: { projects: { enabled: false }, tours: false },
        externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
      },
      null,
      2,
    )};\n`,
  );
  return {
    id: "stock",
    label: "stock Node-RED 5",
    warm: [],
    launch: (port) => ({
      args: [STOCK_ENTRY, "--userDir", userDir, "--port", String(port), flowsFile],
      env: { ...baseEnv(), NODE_RED_DISABLE_TELEMETRY: "1" },
    }),
    // The flows' HTTP-in endpoint answering means the server listens and the flows run.
    async ready(port) {
      const res = await probe(port, "/site-status");
      return res?.status === 200 && res.body.includes("running");
    },
  };
}

function oursVariant(id: "pglite" | "postgres", label: string, databaseUrl?: string): Variant {
  const dataDir = makeTempDir(`petroflow-bench-${id}-`);
  return {
    id,
    label,
    warm: [],
    launch: (port) => {
      const env: NodeJS.ProcessEnv = {
        ...baseEnv(),
        PORT: String(port),
        HOST: "127.0.0.1",
        PETROFLOW_DATA_DIR: dataDir,
        PETROFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
        // The same flows as stock: the demo oilfield (simulator and its flows) is not part of the comparison.
        PETROFLOW_DEMO: "false",
        LOG_LEVEL: "warn",
      };
      if (databaseUrl) env.DATABASE_URL = databaseUrl;
      return { args: [OURS_ENTRY], env };
    },
    // /endpoints/site-status needs a login; /healthz says the same: database up and flows started.
    async ready(port) {
      const res = await probe(port, "/healthz");
      if (res?.status !== 200) return false;
      try {
        return (JSON.parse(res.body) as { flows?: unknown }).flows === "started";
      } catch {
        return false;
      }
    },
  };
}

/** The bench's own environment minus anything that would change what the children do. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("PETROFLOW_") || key.startsWith("NODE_RED_") || key === "DATABASE_URL" || key === "NODE_OPTIONS") {
      delete env[key];
    }
  }
  // Ours reads these; an inherited PORT/HOST/LOG_LEVEL must not leak in.
  delete env.PORT;
  delete env.HOST;
  delete env.LOG_LEVEL;
  return env;
}

// ---------------------------------------------------------------- PostgreSQL

interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000, application_name: "petroflow-bench" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh database on the bench server, or the reason there is none. */
async function createBenchDatabase(): Promise<BenchDatabase | { skip: string }> {
  const source = process.env.BENCH_DATABASE_URL
    ? "BENCH_DATABASE_URL"
    : process.env.TEST_DATABASE_URL
      ? "TEST_DATABASE_URL"
      : `the default ${DEFAULT_DATABASE_URL}`;
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || DEFAULT_DATABASE_URL;
  const name = `petroflow_bench_${randomBytes(4).toString("hex")}`;
  try {
    await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    return { skip: `PostgreSQL at ${source} is not reachable or refused CREATE DATABASE: ${error instanceof Error ? error.message : String(error)}` };
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      await withClient(serverUrl, async (client) => {
        // WITH (FORCE) (PostgreSQL 13+) ends a connection a SIGKILLed child may have left.
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => client.query(`DROP DATABASE IF EXISTS ${name}`));
      });
    },
  };
}

// ---------------------------------------------------------------- report

function summarize(variant: Variant): Summary {
  const warm = variant.warm;
  const all = [variant.cold, ...warm].filter((s): s is StartSample => s !== undefined);
  const ready = warm.map((s) => s.readyMs);
  const rss = warm.map((s) => s.idleRssMiB);
  return {
    coldReadyMs: variant.cold?.readyMs ?? null,
    coldIdleRssMiB: variant.cold?.idleRssMiB ?? null,
    warmReadyMedianMs: warm.length ? Math.round(median(ready)) : null,
    warmReadyRangeMs: warm.length ? [Math.min(...ready), Math.max(...ready)] : null,
    idleRssMedianMiB: warm.length ? Math.round(median(rss) * 10) / 10 : null,
    idleRssRangeMiB: warm.length ? [Math.min(...rss), Math.max(...rss)] : null,
    shutdownMedianMs: warm.length ? Math.round(median(warm.map((s) => s.shutdownMs))) : null,
    exitCodes: all.map((s) => (s.killed ? "KILLED" : s.exitCode === null ? String(s.signal) : String(s.exitCode))).join(","),
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const line = (row: string[]) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join("  ");
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

const fmtRange = (range: [number, number] | null, digits = 0) =>
  range ? `${range[0].toFixed(digits)}–${range[1].toFixed(digits)}` : "-";
const signed = (value: number, digits = 1) => `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;

function check(target: string, measured: number | null, limit: number | null, unit: string, skipped?: string): TargetResult {
  if (skipped) return { target, status: "SKIPPED", detail: skipped };
  if (measured === null || limit === null) return { target, status: "SKIPPED", detail: "not measured" };
  const digits = unit === "ms" ? 0 : 1;
  return {
    target,
    status: measured <= limit ? "PASS" : "FAIL",
    detail: `${measured.toFixed(digits)} ${unit} vs limit ${limit.toFixed(digits)} ${unit} (${signed(measured - limit, digits)} ${unit})`,
  };
}

function buildReport(variants: Variant[], machineLine: string): { lines: string[]; targets: TargetResult[]; summaries: Record<string, Summary> } {
  const summaries: Record<string, Summary> = {};
  for (const v of variants) summaries[v.id] = summarize(v);
  const rows: string[][] = [
    [
      "variant",
      "cold ready ms",
      "cold idle RSS MiB",
      `warm ready ms (median of ${WARM_RUNS}) [range]`,
      "warm idle RSS MiB (median) [range]",
      "shutdown ms (median)",
      "exit codes",
    ],
  ];
  for (const v of variants) {
    const s = summaries[v.id];
    if (v.skipped) {
      rows.push([v.label, "SKIPPED", "-", "-", "-", "-", "-"]);
      continue;
    }
    rows.push([
      v.label,
      String(s.coldReadyMs ?? "-"),
      s.coldIdleRssMiB === null ? "-" : s.coldIdleRssMiB.toFixed(1),
      s.warmReadyMedianMs === null ? "-" : `${s.warmReadyMedianMs} [${fmtRange(s.warmReadyRangeMs)}]`,
      s.idleRssMedianMiB === null ? "-" : `${s.idleRssMedianMiB.toFixed(1)} [${fmtRange(s.idleRssRangeMiB, 1)}]`,
      String(s.shutdownMedianMs ?? "-"),
      s.exitCodes || "-",
    ]);
  }
  const lines = [machineLine, ...table(rows), ""];

  const stock = summaries.stock;
  for (const v of variants.filter((x) => x.id !== "stock" && !x.skipped)) {
    const s = summaries[v.id];
    if (stock?.idleRssMedianMiB && s.idleRssMedianMiB !== null && stock.warmReadyMedianMs && s.warmReadyMedianMs !== null) {
      lines.push(
        `${v.label} / stock (warm medians): RSS ×${(s.idleRssMedianMiB / stock.idleRssMedianMiB).toFixed(2)} ` +
          `(${signed(s.idleRssMedianMiB - stock.idleRssMedianMiB)} MiB), ` +
          `ready ×${(s.warmReadyMedianMs / stock.warmReadyMedianMs).toFixed(2)} (${signed(s.warmReadyMedianMs - stock.warmReadyMedianMs, 0)} ms)`,
      );
    }
  }
  for (const v of variants.filter((x) => x.skipped)) {
    lines.push(`!!! ${v.label} SKIPPED: ${v.skipped}`);
  }

  const pglite = variants.find((v) => v.id === "pglite");
  const postgres = variants.find((v) => v.id === "postgres");
  const ps = summaries.pglite;
  const pg = summaries.postgres;
  const plus = (value: number | null | undefined) => (value === null || value === undefined ? null : value + TARGET_POSTGRES_RSS_OVER_STOCK_MIB);
  const targets: TargetResult[] = [
    check(`warm idle RSS on PGlite ≤ ${TARGET_PGLITE_RSS_MIB} MiB`, ps?.idleRssMedianMiB ?? null, TARGET_PGLITE_RSS_MIB, "MiB", pglite?.skipped),
    check(
      `warm idle RSS on PostgreSQL ≤ stock + ${TARGET_POSTGRES_RSS_OVER_STOCK_MIB} MiB`,
      pg?.idleRssMedianMiB ?? null,
      plus(stock?.idleRssMedianMiB),
      "MiB",
      postgres?.skipped,
    ),
    check(`warm ready on PGlite ≤ ${TARGET_WARM_READY_MS} ms`, ps?.warmReadyMedianMs ?? null, TARGET_WARM_READY_MS, "ms", pglite?.skipped),
    check(`warm ready on PostgreSQL ≤ ${TARGET_WARM_READY_MS} ms`, pg?.warmReadyMedianMs ?? null, TARGET_WARM_READY_MS, "ms", postgres?.skipped),
    // The RSS targets name no start, and a new site runs in its first-start state until it is restarted.
    check(`idle RSS after the first (cold) start on PGlite ≤ ${TARGET_PGLITE_RSS_MIB} MiB`, ps?.coldIdleRssMiB ?? null, TARGET_PGLITE_RSS_MIB, "MiB", pglite?.skipped),
    check(
      `idle RSS after the first (cold) start on PostgreSQL ≤ stock cold + ${TARGET_POSTGRES_RSS_OVER_STOCK_MIB} MiB`,
      pg?.coldIdleRssMiB ?? null,
      plus(stock?.coldIdleRssMiB),
      "MiB",
      postgres?.skipped,
    ),
  ];
  // A start that did not exit 0 on SIGTERM is a finding even when the numbers pass.
  for (const v of variants.filter((x) => !x.skipped)) {
    const bad = [v.cold, ...v.warm].filter((s) => s && (s.killed || s.exitCode !== 0));
    if (bad.length) {
      targets.push({ target: `${v.label} exits 0 on SIGTERM`, status: "FAIL", detail: `exit codes ${summaries[v.id].exitCodes}` });
    }
  }
  for (const t of targets) lines.push(`${t.status.padEnd(7)} ${t.target}: ${t.detail}`);
  return { lines, targets, summaries };
}

// ---------------------------------------------------------------- run

async function run(context: BenchmarkContext): Promise<BenchmarkReport> {
  for (const file of [OURS_ENTRY, STOCK_ENTRY, FLOWS_FILE]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing${file === OURS_ENTRY ? " (npm run build:server)" : ""}`);
  }
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let database: BenchDatabase | undefined;
  try {
    const variants: Variant[] = [stockVariant(), oursVariant("pglite", "Petroflow on PGlite")];
    const created = await createBenchDatabase();
    if ("skip" in created) {
      const postgres = oursVariant("postgres", "Petroflow on PostgreSQL");
      postgres.skipped = created.skip;
      variants.push(postgres);
      context.log(`!!! PostgreSQL variant SKIPPED: ${created.skip}`);
      context.log("!!! set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server where CREATE DATABASE is allowed");
    } else {
      database = created;
      dropDatabase = () => created.drop();
      variants.push(oursVariant("postgres", "Petroflow on PostgreSQL", created.url));
      context.log(`PostgreSQL: created database ${created.name}`);
    }
    const active = variants.filter((v) => !v.skipped);

    for (const v of active) {
      v.cold = await measureStart(v, "cold");
      context.log(`${v.label} cold: ready ${v.cold.readyMs} ms, idle RSS ${v.cold.idleRssMiB} MiB, shutdown ${v.cold.shutdownMs} ms`);
    }
    for (let round = 1; round <= WARM_RUNS; round++) {
      for (const v of active) {
        const sample = await measureStart(v, "warm");
        v.warm.push(sample);
        context.log(`${v.label} warm ${round}/${WARM_RUNS}: ready ${sample.readyMs} ms, idle RSS ${sample.idleRssMiB} MiB, shutdown ${sample.shutdownMs} ms`);
      }
    }

    const machineLine = formatMachine(context.machine);
    const report = buildReport(variants, machineLine);
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.writeFileSync(
      RESULTS_FILE,
      `${JSON.stringify(
        {
          benchmark: "startup-memory",
          machine: context.machine,
          method: {
            warmRuns: WARM_RUNS,
            idleMs: IDLE_MS,
            rssWindowMs: RSS_WINDOW_MS,
            rssIntervalMs: RSS_INTERVAL_MS,
            startTimeoutMs: START_TIMEOUT_MS,
            flows: path.relative(ROOT, FLOWS_FILE),
            ready: { stock: "GET /site-status → 200", ours: 'GET /healthz → 200 with flows "started"' },
          },
          variants: variants.map((v) => ({ id: v.id, label: v.label, skipped: v.skipped ?? null, cold: v.cold ?? null, warm: v.warm, summary: report.summaries[v.id] })),
          targets: report.targets,
          table: report.lines,
        },
        null,
        2,
      )}\n`,
    );
    report.lines.push(`load average at the end: ${os.loadavg().map((load) => load.toFixed(2)).join(" ")}`);
    report.lines.push(`results: ${path.relative(ROOT, RESULTS_FILE)}`);
    return { lines: report.lines, targets: report.targets };
  } finally {
    killAll();
    removeTempDirs();
    dropDatabase = undefined;
    if (database) {
      await database.drop().catch((error: unknown) => {
        process.stderr.write(`could not drop bench database ${database?.name}: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    }
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

export const benchmark: Benchmark = { name: "startup-memory", run };
