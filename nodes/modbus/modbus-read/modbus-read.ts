import type { NodeDefinition, NodeInstance, NodeMessage, NodeRedRuntime } from "../../shared/node-red-types.js";
import { petroflowServices } from "../../shared/petroflow-services.js";
import { deviceOf, stateStatus } from "../modbus-device/device-handle.js";
import { integerIn, parsePoints } from "../shared/point.js";
import { DEFAULT_REPROBE_MS, LearnedReadPlan } from "./learned-plan.js";
import type { PollOutput } from "./poll-output.js";
import { checkTagPaths, pollOutput, pollStatus } from "./poll-output.js";
import { registerPetroflowType } from "../../shared/versioned-node.js";
import { writablePoints, writePoint } from "./point-writer.js";

interface ModbusReadConfig extends NodeDefinition {
  device?: string;
  interval?: number | string;
  points?: unknown;
  maxGap?: number | string;
  tagPrefix?: string;
  /** Where values go: the tag store, one message per poll, or both. */
  output?: "tags" | "message" | "both";
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Polls a list of points from one Modbus device at a fixed rate, coalesced
 * into as few requests as the protocol and the device's map allow; writes
 * them to the tag store and/or sends one message per poll. An input message
 * polls at once.
 */
export = function register(RED: NodeRedRuntime): void {
  registerPetroflowType(RED, "modbus-read", function (this: NodeInstance, config: ModbusReadConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const configure = () => {
      const device = deviceOf(RED, config.device);
      const points = parsePoints(config.points);
      const output = config.output ?? "both";
      const prefix = output === "message" ? "" : (config.tagPrefix ?? "").trim().replace(/\/+$/, "");
      return {
        device,
        points,
        paths: checkTagPaths(points, prefix),
        plan: new LearnedReadPlan(points, { maxGap: integerIn(config.maxGap, 0, 124, "max gap", 10) }, { reprobeMs: DEFAULT_REPROBE_MS }),
        intervalMs: integerIn(config.interval, 10, 86_400_000, "interval (ms)", 1000),
        toMessage: output !== "tags",
        tags: output === "message" ? undefined : petroflowServices(RED).tags,
        tagWrites: output === "message" ? undefined : petroflowServices(RED).tagWrites,
      };
    };
    let setup: ReturnType<typeof configure>;
    try {
      setup = configure();
    } catch (error) {
      node.status({ fill: "red", shape: "ring", text: asError(error).message });
      node.error(asError(error).message);
      node.on("input", (_msg, _send, done) => done(asError(error)));
      return;
    }
    const { device, points, paths, plan, intervalMs, toMessage, tags, tagWrites } = setup;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    // Polls run one after another: an input's poll waits for the timer's, never overlaps it.
    let chain: Promise<unknown> = Promise.resolve();
    let lastReported: string | undefined;

    const apply = (result: PollOutput, msg: NodeMessage, send: (msg: NodeMessage) => void) => {
      if (tags) {
        tags.writeMany(result.writes, node.id);
        for (const [reason, badPaths] of result.bad) tags.markBad(badPaths, reason);
      }
      node.status(pollStatus(result, device.label));
      if (toMessage) {
        const out: NodeMessage = { ...msg, topic: msg.topic ?? (config.name || device.label), payload: result.payload, quality: result.quality };
        if (result.quality !== "good") out.errors = result.errors;
        send(out);
      }
    };

    const runPoll = (): Promise<PollOutput> => {
      const next = chain.then(async () => pollOutput(points, paths, await plan.poll((request) => device.execute(request), Date.now()), Date.now()));
      chain = next.catch(() => undefined);
      return next;
    };

    const tick = async () => {
      const started = Date.now();
      try {
        const result = await runPoll();
        if (stopped) return;
        apply(result, {}, (msg) => node.send(msg));
        // Reported when the reason changes, not every poll: a dead device must not flood the log.
        const reason = Object.values(result.errors)[0];
        if (reason !== undefined && reason !== lastReported) node.error(reason, { payload: result.payload, errors: result.errors });
        lastReported = reason;
      } catch (error) {
        if (!stopped) node.error(asError(error).message);
      } finally {
        // Fixed rate, not fixed delay: the poll's own time comes out of the interval.
        if (!stopped) timer = setTimeout(() => void tick(), Math.max(0, intervalMs - (Date.now() - started)));
      }
    };

    const deregister = device.register((state) => {
      if (state.kind !== "connected") node.status(stateStatus(state, device.label));
    });
    void tick();
    // The poller owns its tags, so a setpoint write to one of them (faceplate, tag-write to the device) goes to its device.
    const writers = writablePoints(points, paths).map(({ point, path }) =>
      tagWrites?.registerWriter(path, async ({ value }) => {
        const readBack = await writePoint(point, value, (request) => device.execute(request));
        // What the device now holds is the tag's value: no need to wait for the next poll.
        if (readBack !== null) tags?.write(path, { v: readBack }, node.id);
        return { readBack };
      }),
    );

    node.on("input", (msg, send, done) => {
      runPoll().then(
        (result) => {
          if (stopped) return done();
          apply(result, msg, send);
          const reason = Object.values(result.errors)[0];
          done(reason === undefined ? undefined : new Error(reason));
        },
        (error: unknown) => done(asError(error)),
      );
    });

    node.on("close", (removed, done) => {
      stopped = true;
      clearTimeout(timer);
      deregister();
      for (const removeWriter of writers) removeWriter?.();
      // A deleted poller leaves no value looking live; a redeploy rewrites them at once.
      if (removed && tags) tags.markBad(paths.filter((path): path is string => path !== undefined), "no longer polled");
      done();
    });
  });
};
