import type { NodeDefinition, NodeInstance, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { asError, brokerSession } from "../shared/broker-lookup.js";
import { hostCommand, parseHostCommand } from "../shared/host-command.js";
import { HostLogic, hostStateMessage } from "../shared/host-logic.js";
import type { MqttSession } from "../shared/mqtt-session.js";
import { decodeSparkplug, encodeSparkplug } from "../shared/sparkplug-codec.js";
import { NAMESPACE, assertSparkplugId, parseTopic, stateTopic } from "../shared/sparkplug-topic.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import type { HostTagSite } from "./sparkplug-host-migrations.js";

interface SparkplugHostConfig extends NodeDefinition {
  broker?: string;
  groupId?: string;
  primaryHostId?: string;
  /** Version 2: "group" files metrics under the publishing group id (docs/telemetry-cloud.md). */
  tagSite?: HostTagSite;
}

/**
 * A Sparkplug B Host Application: follows edge node sessions, writes their
 * metrics into the tag store, marks them bad on death, asks for rebirths
 * on seq gaps and unknown aliases; as primary host it publishes STATE.
 * Input messages become NCMD/DCMD metric writes.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "sparkplug-host", function (this: NodeInstance, config: SparkplugHostConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    let session: MqttSession | null = null;
    let logic: HostLogic | null = null;
    let detach: (() => void) | null = null;
    let stopStatus: (() => void) | null = null;
    /** Device writers by tag path, one for each metric seen: the host owns the tags it writes (docs/setpoints.md). */
    const writers = new Map<string, () => void>();
    const hostId = config.primaryHostId || undefined;
    /** Timestamp of this session's online STATE; the Will carries the same one (the CONNECT time). */
    let stateTimestamp = Date.now();
    /**
     * The offline STATE, before a clean DISCONNECT (which suppresses the Will), stamped with the
     * disconnect time (Sparkplug 3.0), never older than the online STATE: edge nodes ignore older ones.
     */
    const goOffline = async (): Promise<void> => {
      if (hostId === undefined || !session?.connected) return;
      const offline = hostStateMessage(hostId, false, Math.max(Date.now(), stateTimestamp + 1));
      await session.publish(offline.topic, offline.payload, offline).catch(() => undefined);
    };
    const fail = (error: unknown) => {
      const err = asError(error);
      node.status({ fill: "red", shape: "ring", text: err.message });
      node.error(err);
    };
    try {
      const services = petroflowServices(RED);
      session = brokerSession(RED, config.broker);
      if (config.groupId) assertSparkplugId("group id", config.groupId);
      if (hostId !== undefined) assertSparkplugId("host id", hostId);
      const tags = services.tags;
      const history = services.history;
      if (!history) node.log("no historian in this runtime: historical Sparkplug metrics are written to the live tags when newer than their value");
      const hostLogic = new HostLogic({
        siteId: services.siteId, currentTime: (path) => tags.read(path)?.t, historicalToHistory: history !== undefined,
        siteFromGroup: config.tagSite === "group",
      });
      logic = hostLogic;
      const mqtt = session;
      // A setpoint write is a DCMD (NCMD for a node metric); the edge node's next DDATA is the read-back.
      const writeMetric = async ({ path, value }: { path: string; value: number | boolean }) => {
        const target = hostLogic.commandTargetOf(path);
        if (!target) throw new Error(`no Sparkplug metric reports ${path}`);
        const { groupId, edgeNodeId, deviceId, name } = target;
        const command = hostCommand(
          { groupId, edgeNodeId, ...(deviceId !== null && { deviceId }), metrics: { [name]: value } },
          (metric) => hostLogic.metricType(groupId, edgeNodeId, deviceId, metric),
          Date.now(),
        );
        await mqtt.publish(command.topic, encodeSparkplug(command.payload), { qos: 0, retain: false });
        return {};
      };
      const subscription = config.groupId ? `${NAMESPACE}/${config.groupId}/#` : `${NAMESPACE}/#`;
      stopStatus = mqtt.onStatus((status) => node.status(status));
      detach = mqtt.attach({
        ...(hostId !== undefined && {
          will: () => {
            stateTimestamp = Date.now();
            const { topic, payload, qos, retain } = hostStateMessage(hostId, false, stateTimestamp);
            return { topic, payload, qos, retain };
          },
        }),
        onConnect: () => {
          hostLogic.reset();
          const topics = hostId !== undefined ? [stateTopic(hostId), subscription] : [subscription];
          mqtt
            .subscribe(topics, 1)
            .then(async () => {
              if (hostId === undefined) return;
              const online = hostStateMessage(hostId, true, stateTimestamp);
              await mqtt.publish(online.topic, online.payload, online);
            })
            .catch(fail);
        },
        onMessage: (topic, payload) => {
          const parsed = parseTopic(topic);
          if (!parsed || parsed.kind !== "edge") return;
          if (config.groupId && parsed.groupId !== config.groupId) return;
          try {
            const outcome = hostLogic.handle(parsed, decodeSparkplug(payload), Date.now());
            if (outcome.refused !== undefined) {
              node.status({ fill: "yellow", shape: "ring", text: outcome.refused });
              node.warn(`Sparkplug message on ${topic} refused: ${outcome.refused}`);
              return;
            }
            if (outcome.writes.length > 0) tags.writeMany(outcome.writes, `sparkplug:${parsed.groupId}/${parsed.edgeNodeId}`);
            for (const { path } of outcome.metrics) if (!writers.has(path) && services.tagWrites) writers.set(path, services.tagWrites.registerWriter(path, writeMetric));
            if (outcome.history && history) {
              const values = outcome.history;
              history.record(values).catch((error: unknown) => {
                node.status({ fill: "red", shape: "ring", text: `historical values not stored: ${asError(error).message}` });
                node.error(new Error(`${values.length} historical Sparkplug values from ${parsed.groupId}/${parsed.edgeNodeId} could not be stored: ${asError(error).message}`));
              });
            }
            if (outcome.bad) tags.markBad(outcome.bad.paths, outcome.bad.reason);
            for (const { path, reason, t } of outcome.undecodable ?? []) tags.markBad([path], reason, t);
            if (outcome.rebirth) {
              node.warn(`asking for a rebirth: ${outcome.rebirth.reason}`);
              mqtt.publish(outcome.rebirth.topic, encodeSparkplug(outcome.rebirth.payload), { qos: 0, retain: false }).catch(fail);
            }
            if (outcome.metrics.length > 0 || outcome.bad) {
              node.send({
                topic,
                payload: { groupId: parsed.groupId, edgeNodeId: parsed.edgeNodeId, deviceId: parsed.deviceId, messageType: parsed.messageType, metrics: outcome.metrics, ...(outcome.bad && { dead: outcome.bad }) },
              });
            }
          } catch (error) {
            node.warn(`bad Sparkplug message on ${topic}: ${asError(error).message}`);
          }
        },
        beforeClose: goOffline,
      });
    } catch (error) {
      fail(error);
    }

    node.on("input", (msg, send, done) => {
      try {
        if (!session || !logic) throw new Error("the Sparkplug host is not configured");
        const request = parseHostCommand(msg.payload);
        const hostLogic = logic;
        const command = hostCommand(request, (name) => hostLogic.metricType(request.groupId, request.edgeNodeId, request.deviceId ?? null, name), Date.now());
        session.publish(command.topic, encodeSparkplug(command.payload), { qos: 0, retain: false }).then(
          () => {
            send({ ...msg, topic: command.topic });
            done();
          },
          (error: unknown) => {
            node.status({ fill: "red", shape: "ring", text: asError(error).message });
            done(asError(error));
          },
        );
      } catch (error) {
        node.status({ fill: "red", shape: "ring", text: asError(error).message });
        done(asError(error));
      }
    });

    node.on("close", (_removed, done) => {
      stopStatus?.();
      for (const removeWriter of writers.values()) removeWriter();
      writers.clear();
      const finish = () => {
        detach?.();
        done();
      };
      goOffline().then(finish, finish);
    });
  });
};
