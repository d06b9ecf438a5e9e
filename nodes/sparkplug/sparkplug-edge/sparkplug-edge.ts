import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import type { TagUpdate } from "../../shared/petroflow-services.js";
import path from "node:path";
import { asError, brokerSession } from "../shared/broker-lookup.js";
import { bdSeqFile, fileBdSeqStore } from "../shared/bdseq-store.js";
import { changeFromTag, tagPathOfWrite } from "../shared/edge-tag-mapping.js";
import type { EdgeTagMapping } from "../shared/edge-tag-mapping.js";
import { SparkplugEdgeRuntime } from "../shared/edge-runtime.js";
import { DurableChangeBuffer } from "../shared/durable-buffer.js";
import { assertSparkplugId } from "../shared/sparkplug-topic.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";

interface SparkplugEdgeConfig extends NodeDefinition {
  broker?: string;
  groupId?: string;
  edgeNodeId?: string;
  tagPattern?: string;
  nodeAsset?: string;
  primaryHostId?: string;
  bufferSize?: number | string;
  writeTags?: boolean;
}

/**
 * Publishes live tags as a Sparkplug B Edge Node: NBIRTH/DBIRTH with
 * aliases, NDATA/DDATA by exception, NDEATH as the Will, store-and-forward
 * while the broker or the primary host is away. Host commands (NCMD/DCMD)
 * write the tag and leave the node as a message.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "sparkplug-edge", function (this: NodeInstance, config: SparkplugEdgeConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let runtime: SparkplugEdgeRuntime | null = null;
    let buffer: DurableChangeBuffer | null = null;
    let starting: Promise<void> = Promise.resolve();
    let closing = false;
    const cleanups: (() => void)[] = [];
    try {
      const services = petroflowServices(RED);
      const session = brokerSession(RED, config.broker);
      const groupId = config.groupId ?? "";
      const edgeNodeId = config.edgeNodeId ?? "";
      assertSparkplugId("group id", groupId);
      assertSparkplugId("edge node id", edgeNodeId);
      const mapping: EdgeTagMapping = config.nodeAsset ? { nodeAsset: config.nodeAsset } : {};
      const pattern = config.tagPattern || `${services.siteId}/#`;
      const siteOfAsset = new Map<string, string>();
      const track = (update: TagUpdate) => {
        siteOfAsset.set(update.path.split("/")[1], update.path.split("/")[0]);
        return changeFromTag(update, mapping);
      };
      const showStatus = () => {
        if (!runtime) return;
        const logic = runtime.logic;
        const buffered = logic.buffered > 0 || logic.dropped > 0 ? `, buffered ${logic.buffered}${logic.dropped > 0 ? ` (dropped ${logic.dropped})` : ""}` : "";
        if (logic.publishing) node.status({ fill: "green", shape: "dot", text: `online, bdSeq ${logic.bdSeq.current}${buffered}` });
        else node.status({ fill: "yellow", shape: "ring", text: `${session.connected ? "waiting for primary host" : session.connectionState}${buffered}` });
      };
      // Node-RED's user dir (in Petroflow: <data dir>/node-red) outlives the process, so bdSeq goes on after a restart.
      const userDir = typeof RED.settings.userDir === "string" ? RED.settings.userDir : undefined;
      if (userDir === undefined) node.warn("no Node-RED user dir: bdSeq starts at 0 again after a restart");
      const bdSeqStore = userDir === undefined ? undefined : fileBdSeqStore(bdSeqFile(path.join(userDir, "sparkplug-edge"), groupId, edgeNodeId), (error) => node.warn(error.message));
      const bufferSize = Number(config.bufferSize) > 0 ? Number(config.bufferSize) : 10000;
      const start = (durable: DurableChangeBuffer | null): void => {
        runtime = new SparkplugEdgeRuntime(
          session,
          {
            groupId,
            edgeNodeId,
            bufferSize,
            ...(durable && { buffer: durable }),
            ...(config.primaryHostId && { primaryHostId: config.primaryHostId }),
            ...(bdSeqStore && { bdSeqStore }),
          },
          {
            onWrites: (writes) => {
              for (const write of writes) {
                const path = tagPathOfWrite(write, siteOfAsset, mapping);
                if (path === undefined) continue;
                try {
                  if (config.writeTags !== false) services.tags.write(path, { v: write.value }, `sparkplug:${groupId}/${edgeNodeId}`);
                  node.send({ topic: path, payload: write.value, sparkplug: { groupId, edgeNodeId, deviceId: write.deviceId, metric: write.name } });
                } catch (error) {
                  node.error(asError(error));
                }
              }
            },
            onRejected: (what) => node.warn(`command for unknown metrics ignored: ${what.join(", ")}`),
            onReplayed: (count) => durable?.confirm(count),
            onError: (error) => {
              node.status({ fill: "red", shape: "ring", text: error.message });
              node.error(error);
            },
            onActivity: showStatus,
          },
        );
        const edge = runtime;
        cleanups.push(session.onStatus(showStatus));
        edge.start(services.tags.match(pattern).map(track));
        cleanups.push(services.tags.subscribe(pattern, (update) => edge.change([track(update)])));
      };
      // The buffer lives in <data dir>/spool/sparkplug-<node id>: a restart or a redeploy (same node id) replays what waited.
      if (services.dataDir === undefined) {
        node.warn("no Petroflow data dir: the store-and-forward buffer is kept in memory only and a restart loses it");
        start(null);
      } else {
        const dir = path.join(services.dataDir, "spool", `sparkplug-${node.id.replace(/[^A-Za-z0-9_.-]/g, "_")}`);
        starting = DurableChangeBuffer.open({
          dir,
          name: `sparkplug-${node.id}`,
          capacity: bufferSize,
          onError: (error) => node.warn(`store-and-forward buffer: ${error.message}`),
        }).then(
          (durable) => {
            buffer = durable;
            if (closing) return;
            if (durable.size > 0) node.log(`${durable.size} buffered values from before the restart wait to be replayed`);
            start(durable);
          },
          (error: unknown) => {
            // Without its spool the node still publishes live values; only a restart's buffer is at stake.
            node.error(new Error(`store-and-forward buffer at ${dir} could not be opened (kept in memory only): ${asError(error).message}`));
            if (!closing) start(null);
          },
        );
      }
    } catch (error) {
      node.status({ fill: "red", shape: "ring", text: asError(error).message });
      node.error(error);
    }
    node.on("close", (_removed, done) => {
      closing = true;
      const stopping = (async () => {
        await starting;
        for (const cleanup of cleanups) cleanup();
        await runtime?.stop();
        // After NDEATH: what still waits is written to the spool for the next start.
        await buffer?.close();
      })();
      stopping.then(done, (error: unknown) => {
        node.error(error);
        done();
      });
    });
  });
};
