import type { HistoryReader } from "../../../runtime/historian/history-types.js";
import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { bucketMsOf, chartMessages, requestOf, timesOf, type HistoryQueryConfig, type HistoryRequest, type NodeSeries } from "./history-query-logic.js";

type Config = NodeDefinition & HistoryQueryConfig;

async function seriesOf(history: HistoryReader, request: HistoryRequest): Promise<NodeSeries[]> {
  const { from, to, mode } = request;
  const range = { from, to };
  const out: NodeSeries[] = [];
  for (const path of request.paths) {
    const base = { path, mode, from, to };
    if (mode === "raw") out.push({ ...base, source: "raw", points: await history.raw(path, range, { limit: request.points }) });
    else if (mode === "buckets") {
      const bucketMs = bucketMsOf(request);
      const { source, buckets } = await history.buckets(path, range, bucketMs);
      out.push({ ...base, source, bucketMs, buckets });
    } else if (mode === "interpolated") out.push({ ...base, source: "raw", points: await history.interpolated(path, timesOf(request)) });
    else out.push({ ...base, source: "raw", discrete: await history.discrete(path, range) });
  }
  return out;
}

/**
 * On input, reads history of one or more tags (RED.settings.petroflow.history)
 * and sends it: as msg.payload (one series per path), or as Dashboard 2.0
 * ui-chart messages that replace the chart's data, so a ui-event or
 * ui-control "connect" can fill a chart with the past hours when it opens.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "history-query", function (this: NodeInstance, config: Config) {
    RED.nodes.createNode(this, config);
    const node = this;
    node.on("input", (msg, send, done) => {
      const fail = (error: unknown): void => {
        node.status({ fill: "red", shape: "ring", text: error instanceof Error ? error.message : String(error) });
        done(error instanceof Error ? error : new Error(String(error)));
      };
      let request: HistoryRequest;
      let history: HistoryReader;
      try {
        request = requestOf(config, msg, Date.now());
        const services = petroflowServices(RED);
        if (!services.history) throw new Error("the historian is not available in this runtime");
        history = services.history;
      } catch (error) {
        fail(error);
        return;
      }
      node.status({ fill: "blue", shape: "dot", text: "querying" });
      seriesOf(history, request).then((series) => {
        // One message per series, each its own send: the chart takes them in order (replace, then append).
        if (request.output === "chart") for (const message of chartMessages(series, request.chartValue)) send({ ...msg, ...message });
        else send({ ...msg, topic: request.paths.join(","), payload: series });
        node.status({});
        done();
      }, fail);
    });
  });
};
