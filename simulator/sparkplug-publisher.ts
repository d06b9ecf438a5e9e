/**
 * The simulated oilfield as a Sparkplug B Edge Node: devices are the
 * model's assets, metrics its points (float → Double, int → Int64, bool →
 * Boolean). Values are read every scan and published by exception;
 * writable points accept DCMD writes (→ model.write). Reuses the
 * sparkplug-edge node's pure logic and runtime. The caller advances the
 * model (model.step); this only reads and writes it.
 */
import { bdSeqFile, fileBdSeqStore } from "../nodes/sparkplug/shared/bdseq-store.js";
import { SparkplugEdgeRuntime } from "../nodes/sparkplug/shared/edge-runtime.js";
import type { MetricChange } from "../nodes/sparkplug/shared/edge-node-logic.js";
import { MqttSession } from "../nodes/sparkplug/shared/mqtt-session.js";
import type { MetricType } from "../nodes/sparkplug/shared/sparkplug-codec.js";
import type { OilfieldModel, PointDataType } from "./model/types.js";

export interface SparkplugPublisherOptions {
  brokerUrl: string;
  groupId: string;
  edgeNodeId: string;
  model: OilfieldModel;
  clientId?: string;
  primaryHostId?: string;
  /** How often the model is read, ms (default 1000). */
  scanMs?: number;
  /** Store-and-forward capacity in values (default 10000). */
  bufferSize?: number;
  reconnectPeriodMs?: number;
  /** Where bdSeq is kept across restarts; without it each start begins at 0. */
  stateDir?: string;
  onError?: (error: Error) => void;
}

export interface SparkplugPublisher {
  /** Connects and publishes this model (default: the one given at creation); resolves once the first births are queued for publishing. */
  start(model?: OilfieldModel): Promise<void>;
  close(): Promise<void>;
}

const TYPES: Record<PointDataType, MetricType> = { float: "Double", int: "Int64", bool: "Boolean" };

/** Every point's current value as metric changes (pure: the publisher's scan). */
export function scanModel(model: OilfieldModel): MetricChange[] {
  // The wall clock, not the model's accelerated one: see opcua-server.ts publish().
  const t = Date.now();
  return model.points.map((point) => ({ deviceId: point.asset, name: point.point, value: model.read(point.asset, point.point), t, type: TYPES[point.dataType] }));
}

export function createSparkplugPublisher(options: SparkplugPublisherOptions): SparkplugPublisher {
  const session = new MqttSession({
    url: options.brokerUrl,
    clientId: options.clientId ?? `petroflow-sim-${options.groupId}-${options.edgeNodeId}`,
    reconnectPeriodMs: options.reconnectPeriodMs ?? 2000,
  });
  const report = options.onError ?? ((error: Error) => process.stderr.write(`sparkplug publisher: ${error.message}\n`));
  let runtime: SparkplugEdgeRuntime | null = null;
  let timer: NodeJS.Timeout | null = null;

  return {
    start(model = options.model) {
      if (runtime) return Promise.reject(new Error("the Sparkplug publisher is already started"));
      const writable = new Set(model.points.filter((p) => p.writable).map((p) => `${p.asset}/${p.point}`));
      const bdSeqStore = options.stateDir === undefined ? undefined : fileBdSeqStore(bdSeqFile(options.stateDir, options.groupId, options.edgeNodeId), report);
      return new Promise<void>((resolve) => {
        const edge = new SparkplugEdgeRuntime(
          session,
          {
            groupId: options.groupId,
            edgeNodeId: options.edgeNodeId,
            bufferSize: options.bufferSize ?? 10000,
            ...(options.primaryHostId && { primaryHostId: options.primaryHostId }),
            ...(bdSeqStore && { bdSeqStore }),
          },
          {
            onWrites: (writes) => {
              for (const write of writes) {
                try {
                  if (write.deviceId === null || !writable.has(`${write.deviceId}/${write.name}`)) throw new Error(`${write.deviceId ?? "(node)"}/${write.name} is not writable`);
                  if (typeof write.value !== "number" && typeof write.value !== "boolean") throw new Error(`${write.deviceId}/${write.name}: value must be a number or boolean`);
                  model.write(write.deviceId, write.name, write.value);
                } catch (error) {
                  report(error instanceof Error ? error : new Error(String(error)));
                }
              }
              edge.change(scanModel(model));
            },
            onError: report,
            onActivity: () => {
              if (edge.logic.publishing) resolve();
            },
          },
        );
        runtime = edge;
        edge.start(scanModel(model));
        timer = setInterval(() => edge.change(scanModel(model)), options.scanMs ?? 1000);
      });
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      await runtime?.stop();
      runtime = null;
      await session.close();
    },
  };
}
