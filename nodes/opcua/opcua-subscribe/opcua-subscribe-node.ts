import type { NodeDefinition, NodeInstance, NodeRedRuntime, NodeStatus } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { notLiveReason } from "../shared/connection-state.js";
import { attachWorker, endpointConnection } from "../shared/endpoint-node.js";
import { ItemSubscription, type MappedValue } from "../shared/item-subscription.js";
import { parseItems, type OpcUaItem } from "../shared/items.js";
import { monitoringConfig } from "../shared/monitoring.js";
import { writeAndReadBack } from "../shared/tag-writer.js";

interface SubscribeConfig extends NodeDefinition {
  endpoint?: string;
  items?: string;
  writeTags?: boolean;
  sendMessages?: boolean;
}

/**
 * Monitors items while the endpoint is connected: values go to their tags
 * with mapped quality and/or out as messages. When the link breaks the tags
 * turn bad with the reason; the subscription lives on in the session that
 * node-opcua repairs, so the values queued on the server during the outage
 * arrive afterwards with their source timestamps. A new session (after the
 * endpoint gave up and connected afresh) gets a new subscription.
 */
export = function register(RED: NodeRedRuntime): void {
  RED.nodes.registerType("opcua-subscribe", function (this: NodeInstance, config: SubscribeConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let subscription: ItemSubscription | null = null;
    let detach: () => void = () => undefined;
    let removeWriters: (() => void)[] = [];
    let items: OpcUaItem[] = [];
    /** What the subscription's start showed (items accepted, refusals), shown again after a repaired session. */
    let itemsStatus: NodeStatus | undefined;
    const source = `opcua-subscribe:${node.id}`;

    const deliver = (item: OpcUaItem, value: MappedValue) => {
      if (config.writeTags && item.tag) petroflowServices(RED).tags.write(item.tag, value, source);
      if (config.sendMessages) node.send({ topic: item.tag ?? item.nodeId, payload: { ...item, ...value } });
    };
    const markBad = (reason: string) => {
      const paths = items.flatMap((item) => (item.tag ? [item.tag] : []));
      if (config.writeTags && paths.length > 0) petroflowServices(RED).tags.markBad(paths, reason);
    };
    const stop = async () => {
      const current = subscription;
      subscription = null;
      await current?.stop();
    };

    try {
      items = parseItems(config.items ?? "");
      if (items.length === 0) throw new Error("no items to monitor: list node ids in the settings");
      const monitoring = monitoringConfig(config);
      const connection = endpointConnection(RED, config.endpoint);
      // The subscription owns the tags it writes, so a setpoint write to one of them (faceplate, tag-write to the device) goes to its node.
      const tagWrites = config.writeTags ? petroflowServices(RED).tagWrites : undefined;
      removeWriters = items.flatMap((item) =>
        item.tag && tagWrites ? [tagWrites.registerWriter(item.tag, async ({ value }) => ({ readBack: await writeAndReadBack(connection.session(), item.nodeId, value) }))] : [],
      );
      detach = attachWorker(node, connection, (state, session) => {
        if (state.phase === "connected" && session && subscription?.belongsTo(session)) {
          // The session was repaired with its subscription: the outage's values are on their way.
          const resumed = subscription;
          resumed.resume().then(
            () => {
              if (subscription === resumed && itemsStatus) node.status(itemsStatus);
            },
            (error: unknown) => node.error(error),
          );
          return;
        }
        if (state.phase === "reconnecting") {
          subscription?.interrupted();
          markBad(notLiveReason(state, connection.config.endpointUrl) ?? state.reason);
          return;
        }
        if (state.phase === "connected" && session) {
          stop().catch((error: unknown) => node.error(error));
          const started = new ItemSubscription(items, monitoring, deliver);
          subscription = started;
          started.start(session).then(
            (accepted) => {
              if (subscription !== started) return;
              const { refusals } = started;
              if (refusals.length === 0) {
                itemsStatus = { fill: "green", shape: "dot", text: `${accepted}/${items.length} items` };
                node.status(itemsStatus);
              } else {
                // The tags (or messages) carry each refusal; the status names the first, the log all of them.
                itemsStatus = { fill: "yellow", shape: "dot", text: `${accepted}/${items.length} items; ${refusals[0].item.nodeId}: ${refusals[0].reason}` };
                node.status(itemsStatus);
                node.warn(`${refusals.length} of ${items.length} items refused: ${refusals.map(({ item, reason }) => `${item.nodeId}: ${reason}`).join("; ")}`);
              }
            },
            (error: unknown) => {
              if (subscription !== started) return;
              node.status({ fill: "red", shape: "ring", text: (error as Error).message });
              node.error(error);
            },
          );
          return;
        }
        stop().catch((error: unknown) => node.error(error));
        const reason = notLiveReason(state, connection.config.endpointUrl);
        if (reason && (state.phase === "backing-off" || state.phase === "closed")) markBad(reason);
      });
    } catch (error) {
      node.status({ fill: "red", shape: "ring", text: (error as Error).message });
      node.error(error);
    }

    node.on("close", (_removed, done) => {
      detach();
      for (const removeWriter of removeWriters) removeWriter();
      stop().then(done, (error: unknown) => {
        node.error(error);
        done();
      });
    });
  });
};
