/**
 * `npm run bench`: runs every benchmark in bench/ (each *.ts file here but
 * this one exports `benchmark`), prints what each measured and a summary of
 * the targets. Exit code 1 when a target failed, 2 when a benchmark could not
 * run at all. Names on the command line pick benchmarks:
 * `node --import tsx bench/run.ts startup-memory`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type TargetStatus = "PASS" | "FAIL" | "SKIPPED";

export interface TargetResult {
  target: string;
  status: TargetStatus;
  detail: string;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  totalMemoryMiB: number;
  node: string;
  platform: string;
  date: string;
  /** 1, 5 and 15 minute load averages when the run began: other work on the box skews the timings. */
  loadAverage: [number, number, number];
}

export interface BenchmarkContext {
  machine: MachineInfo;
  /** Progress lines, printed as they come so a long run shows it is alive. */
  log: (line: string) => void;
}

export interface BenchmarkReport {
  /** The benchmark's table and notes, printed as they are. */
  lines: string[];
  targets: TargetResult[];
}

export interface Benchmark {
  name: string;
  run(context: BenchmarkContext): Promise<BenchmarkReport>;
}

// Node-RED 5 and Petroflow need Node 22; system node here is 20, and numbers
// taken under another major would not compare with the published ones.
const MIN_NODE_MAJOR = 22;

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100) as [number, number, number],
  };
}

export function formatMachine(machine: MachineInfo): string {
  return (
    `machine: ${machine.cpu}, ${machine.cores} cores, ${(machine.totalMemoryMiB / 1024).toFixed(1)} GiB RAM, ` +
    `Node ${machine.node}, ${machine.platform}, ${machine.date}, load ${machine.loadAverage.join(" ")}`
  );
}

function isBenchmark(value: unknown): value is Benchmark {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.name === "string" && typeof candidate.run === "function";
}

async function loadBenchmarks(dir: string, only: readonly string[]): Promise<Benchmark[]> {
  const self = path.basename(__filename);
  const files = fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && file !== self)
    .sort();
  const benchmarks: Benchmark[] = [];
  for (const file of files) {
    const loaded: unknown = await import(pathToFileURL(path.join(dir, file)).href);
    const exported = typeof loaded === "object" && loaded !== null ? (loaded as Record<string, unknown>).benchmark : undefined;
    // A file here that is not a benchmark is a mistake worth hearing about, not skipping silently.
    if (!isBenchmark(exported)) throw new Error(`bench/${file} does not export a \`benchmark\` ({ name, run })`);
    if (only.length === 0 || only.includes(exported.name)) benchmarks.push(exported);
  }
  const unknown = only.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length) throw new Error(`no benchmark named ${unknown.join(", ")}`);
  return benchmarks;
}

async function main(): Promise<number> {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < MIN_NODE_MAJOR) {
    process.stderr.write(
      `bench needs Node ${MIN_NODE_MAJOR}+ (this is ${process.version}); ` +
        `run it with the project's node: export PATH=$PWD/node_modules/.bin:$PATH\n`,
    );
    return 2;
  }
  const machine = machineInfo();
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(formatMachine(machine));

  const benchmarks = await loadBenchmarks(__dirname, process.argv.slice(2));
  const targets: Array<TargetResult & { benchmark: string }> = [];
  let broken = false;
  for (const benchmark of benchmarks) {
    print(`\n=== ${benchmark.name} ===`);
    try {
      const report = await benchmark.run({ machine, log: (line) => print(`  … ${line}`) });
      print("");
      for (const line of report.lines) print(line);
      for (const target of report.targets) targets.push({ ...target, benchmark: benchmark.name });
    } catch (error) {
      broken = true;
      print(`\n${benchmark.name} FAILED TO RUN: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  print("\n=== targets ===");
  for (const t of targets) print(`${t.status.padEnd(7)} ${t.benchmark}: ${t.target} — ${t.detail}`);
  if (broken) return 2;
  return targets.some((t) => t.status === "FAIL") ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
