/**
 * Sparkplug B decode throughput: realistic DDATA payloads (50 metrics by
 * alias: pressures, temperatures, flows as Double, counters as Int64,
 * states as Boolean, each with a timestamp, a few with a bad Quality)
 * decoded on one core for ~5 s with sparkplug-payload alone, then through
 * the host's path (decode, seq check, alias resolution, tag path mapping,
 * tag writes built). Target: ≥ 100,000 metrics/s per core on the host path.
 * `node --import tsx bench/run.ts sparkplug-decode`.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { decodePayload } from "sparkplug-payload/lib/sparkplugbpayload.js";
import { HostLogic } from "../nodes/sparkplug/shared/host-logic.js";
import { decodeSparkplug, encodeSparkplug } from "../nodes/sparkplug/shared/sparkplug-codec.js";
import type { MetricType, SparkplugMetric } from "../nodes/sparkplug/shared/sparkplug-codec.js";
import { parseTopic } from "../nodes/sparkplug/shared/sparkplug-topic.js";
import type { EdgeTopic } from "../nodes/sparkplug/shared/sparkplug-topic.js";
import type { Benchmark } from "./run.js";

const METRICS_PER_MESSAGE = 50;
const TARGET_METRICS_PER_SECOND = 100_000;
const DURATION_MS = 5000;

function metricType(index: number): MetricType {
  if (index < 30) return "Double";
  return index < 40 ? "Int64" : "Boolean";
}

function value(index: number, step: number): number | boolean {
  const type = metricType(index);
  if (type === "Boolean") return (index + step) % 7 !== 0;
  if (type === "Int64") return 1000 + index * 17 + step;
  return 1200 + index * 3.25 + Math.sin(step + index) * 15;
}

function topic(value: string): EdgeTopic {
  const parsed = parseTopic(value);
  if (!parsed || parsed.kind !== "edge") throw new Error(`not an edge topic: ${value}`);
  return parsed;
}

export async function runSparkplugDecodeBench(): Promise<{ name: string; lines: string[]; passed: boolean }> {
  const t0 = Date.now();
  const birthMetrics: SparkplugMetric[] = Array.from({ length: METRICS_PER_MESSAGE }, (_, i) => ({ name: `Point_${i}`, alias: 100 + i, type: metricType(i), value: value(i, 0), timestamp: t0 }));
  const birth = encodeSparkplug({ timestamp: t0, seq: 1, metrics: birthMetrics });
  // 256 DDATA messages with consecutive seq 2, 3, … 255, 0, 1: cycling through them never looks like a gap.
  const messages = Array.from({ length: 256 }, (_, step) =>
    encodeSparkplug({
      timestamp: t0 + step * 1000,
      seq: (step + 2) % 256,
      metrics: birthMetrics.map((m, i) => ({ alias: m.alias, type: m.type, value: value(i, step + 1), timestamp: t0 + step * 1000, ...(i % 25 === 24 && { quality: 0 }) })),
    }),
  );
  const host = new HostLogic({ siteId: "SITE1" });
  host.handle(topic("spBv1.0/G/NBIRTH/EDGE1"), decodeSparkplug(encodeSparkplug({ timestamp: t0, seq: 0, metrics: [{ name: "bdSeq", type: "Int64", value: 0 }] })), t0);
  const ddataTopic = topic("spBv1.0/G/DDATA/EDGE1/WELL-101");
  host.handle(topic("spBv1.0/G/DBIRTH/EDGE1/WELL-101"), decodeSparkplug(birth), t0);

  const measure = (step: (bytes: Buffer) => number): { rate: number; messages: number } => {
    let metrics = 0;
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < DURATION_MS) {
      for (let i = 0; i < 256; i++) metrics += step(messages[i]);
      count += 256;
      elapsed = performance.now() - start;
    }
    return { rate: metrics / (elapsed / 1000), messages: count };
  };

  let resolved = 0;
  const library = measure((bytes) => decodePayload(bytes).metrics?.length ?? 0);
  const hostPath = measure((bytes) => {
    const outcome = host.handle(ddataTopic, decodeSparkplug(bytes), t0);
    if (outcome.rebirth) throw new Error(`unexpected rebirth: ${outcome.rebirth.reason}`);
    resolved += outcome.writes.length;
    return outcome.writes.length;
  });
  if (resolved === 0) throw new Error("the host path resolved no metrics");

  const cpus = os.cpus();
  const passed = hostPath.rate >= TARGET_METRICS_PER_SECOND;
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  const lines = [
    `machine: ${cpus[0]?.model.trim() ?? "unknown"}, ${cpus.length} cores, Node ${process.version} (one core used)`,
    `payload: DDATA, ${METRICS_PER_MESSAGE} metrics by alias (30 Double, 10 Int64, 10 Boolean, timestamps, 2 with Quality), ${messages[0].length} bytes`,
    `sparkplug-payload decodePayload only:        ${fmt(library.rate)} metrics/s (${fmt(library.messages)} messages in ~${DURATION_MS / 1000} s)`,
    `decode + seq + alias resolution + tag paths: ${fmt(hostPath.rate)} metrics/s (${fmt(hostPath.messages)} messages in ~${DURATION_MS / 1000} s)`,
    `target ≥ ${fmt(TARGET_METRICS_PER_SECOND)} metrics/s per core on the host path: ${passed ? "PASS" : "FAIL"}`,
  ];
  return { name: "sparkplug-decode", lines, passed };
}

export const benchmark: Benchmark = {
  name: "sparkplug-decode",
  async run() {
    const result = await runSparkplugDecodeBench();
    return {
      lines: result.lines,
      targets: [{ target: `≥ ${TARGET_METRICS_PER_SECOND} metrics/s per core (decode + alias resolution)`, status: result.passed ? "PASS" : "FAIL", detail: result.lines[3].trim() }],
    };
  },
};
