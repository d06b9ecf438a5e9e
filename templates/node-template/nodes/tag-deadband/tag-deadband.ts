import type { NodeConfigMigration, NodeDefinition, NodeInstance, PetroflowNodeRed, PetroflowServices, TagScalar } from "petroflow/sdk";
import packageJson from "../../package.json";

/** The node's config at its current version (2). */
interface TagDeadbandConfig extends NodeDefinition {
  /** The tag to write, `<site>/<asset>/<point>`; empty: msg.topic. */
  path: string;
  /** How far (in the tag's engineering unit) a value must move from the tag's live value to be written. */
  deadbandEu: number;
}

/**
 * Config versions (docs/sdk.md "Config versions"): version 1 is the shape
 * the node had when it was first published; version 2 gave the deadband
 * its unit in its name. A flow saved with version 1 runs unchanged.
 */
const MIGRATIONS: readonly NodeConfigMigration[] = [
  { to: 1, summary: "the first published shape", up: (config) => config },
  {
    to: 2,
    summary: "deadband becomes deadbandEu (engineering units)",
    up: ({ deadband, ...rest }) => ({ ...rest, deadbandEu: Number(deadband ?? 0) }),
  },
];

/** The SDK major this package is built for; a runtime with another major refuses it with a clear message. */
const SDK_MAJOR = 1;

function servicesOf(RED: PetroflowNodeRed): PetroflowServices {
  const services = RED.settings.petroflow;
  if (!services) throw new Error("tag-deadband needs the Petroflow runtime (RED.settings.petroflow is missing)");
  if (Number(services.sdkVersion.split(".")[0]) !== SDK_MAJOR) {
    throw new Error(`tag-deadband is built for Petroflow SDK ${SDK_MAJOR}.x; this runtime provides ${services.sdkVersion}`);
  }
  return services;
}

/** Whether `value` should be written over `live`: numbers past the deadband, anything else when it differs. */
function movesPastDeadband(value: TagScalar, live: TagScalar | undefined, deadbandEu: number): boolean {
  if (live === undefined) return true;
  if (typeof value === "number" && typeof live === "number") return Math.abs(value - live) > deadbandEu;
  return value !== live;
}

function asScalar(payload: unknown): TagScalar {
  if (payload === null || typeof payload === "number" || typeof payload === "boolean" || typeof payload === "string") return payload;
  throw new Error(`msg.payload must be a number, boolean, string or null, not ${typeof payload}`);
}

/**
 * tag-deadband: writes msg.payload to a live tag only when it moved past
 * the deadband from the tag's live value. Output 1: written; output 2:
 * held back. Both carry msg.deadband = { written, live, deadbandEu, by }.
 */
export = function register(RED: PetroflowNodeRed): void {
  const services = servicesOf(RED);
  services.defineNode<TagDeadbandConfig>(RED, {
    type: "tag-deadband",
    configVersion: 2,
    migrations: MIGRATIONS,
    create(this: NodeInstance, config) {
      RED.nodes.createNode(this, config);
      const node = this;
      node.on("input", (msg, send, done) => {
        try {
          const path = config.path || (typeof msg.topic === "string" ? msg.topic : "");
          if (!path) throw new Error("no tag path: set one on the node or send msg.topic");
          const value = asScalar(msg.payload);
          const live = services.tags.read(path);
          const written = movesPastDeadband(value, live?.v, config.deadbandEu);
          if (written) services.tags.write(path, { v: value }, `node:${node.id}`);
          const outcome = { written, live: live?.v ?? null, deadbandEu: config.deadbandEu, by: `${packageJson.name}@${packageJson.version}` };
          node.status(written ? { fill: "green", shape: "dot", text: `${path} = ${String(value)}` } : { fill: "grey", shape: "ring", text: `held ${String(value)}` });
          send(written ? [{ ...msg, deadband: outcome }, null] : [null, { ...msg, deadband: outcome }]);
          done();
        } catch (error) {
          node.status({ fill: "red", shape: "ring", text: error instanceof Error ? error.message : String(error) });
          done(error instanceof Error ? error : new Error(String(error)));
        }
      });
    },
  });
};
