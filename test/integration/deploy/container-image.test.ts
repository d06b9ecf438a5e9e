import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../helpers/free-port.js";
import { ADMIN_PASSWORD } from "../../helpers/site-process.js";
import { skipWithReason } from "../../helpers/skip-report.js";
import { adminClient, createUser, poll, sessionAs } from "../support.js";

/**
 * The image from deploy/image, built with podman and run as a site would run
 * it: demo on, data dir on a named volume, stopped with SIGTERM and started
 * again on the same volume (docs/deploy.md). Needs root, podman and
 * mmdebstrap, which .ci/run installs before setting PETROFLOW_IMAGE_TEST=1.
 */

const DEPLOY_IMAGE = path.resolve(__dirname, "..", "..", "..", "deploy", "image");
const run = promisify(execFile);

/** podman with the files the deploy scripts use (rootful, runc, explicit ulimits). */
const PODMAN_ENV = {
  ...process.env,
  CONTAINERS_CONF: path.join(DEPLOY_IMAGE, "containers.conf"),
  CONTAINERS_STORAGE_CONF: path.join(DEPLOY_IMAGE, "storage.conf"),
};

async function podman(args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run("podman", args, { env: PODMAN_ENV, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** podman's default stop timeout: a container still up after it is killed. */
const PODMAN_KILL_AFTER_S = 10;
/** The site's clean shutdown must leave most of that margin. */
const SHUTDOWN_DEADLINE_MS = 5_000;
/** A loaded 2-core CI machine took 51 s to migrate a new PGlite database and start the demo. */
const READY_TIMEOUT_MS = 240_000;

async function healthz(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    // Not listening yet (the port is published before the site binds it).
    return 0;
  }
}

async function waitUntilReady(url: string): Promise<void> {
  const ready = await poll(() => healthz(url), (status) => status === 200, READY_TIMEOUT_MS);
  assert.ok(ready.satisfied, `/healthz answered ${ready.value} after ${READY_TIMEOUT_MS / 1000} s`);
}

/** The time of the last log line with this message (the site logs JSON lines, pino's `time` in epoch ms). */
function logTime(logs: string, message: string): number {
  const times = logs
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { msg?: string; time?: number })
    .filter((entry) => entry.msg === message && typeof entry.time === "number")
    .map((entry) => entry.time as number);
  const last = times.at(-1);
  if (last === undefined) throw new Error(`no "${message}" in the log:\n${logs.split("\n").slice(-15).join("\n")}`);
  return last;
}

interface LiveTag {
  path: string;
  live: { v: unknown; q: string } | null;
}

async function liveValues(url: string): Promise<Map<string, unknown>> {
  const admin = await adminClient(url);
  const page = await admin.json<{ tags: LiveTag[] }>("GET", "/api/v1/tags?limit=500");
  return new Map(page.tags.filter((tag) => tag.live !== null && tag.live.q === "good").map((tag) => [tag.path, tag.live?.v]));
}

describe("the container image (deploy/image)", function () {
  const suffix = `${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  const tag = `localhost/petroflow:test-${suffix}`;
  const container = `petroflow-test-${suffix}`;
  const volume = `petroflow-test-data-${suffix}`;
  const persistedUser = "image-operator";
  let url = "";
  let built = false;
  let created = false;

  before(async function () {
    if (process.env.PETROFLOW_IMAGE_TEST !== "1") {
      skipWithReason(this, "PETROFLOW_IMAGE_TEST is not 1 (needs root, podman and mmdebstrap; .ci/run installs them and sets it)");
    }
    // Cold (no cached base or node_modules) it measured 4.5 min on a loaded machine.
    this.timeout(20 * 60_000);
    const started = Date.now();
    const { stdout } = await run("bash", [path.join(DEPLOY_IMAGE, "build-image.sh"), tag], { timeout: 19 * 60_000, maxBuffer: 64 * 1024 * 1024 });
    built = true;
    const sizeBytes = Number(stdout.trim().split("\n").at(-1));
    process.stdout.write(`      (image built in ${((Date.now() - started) / 1000).toFixed(0)} s, ${(sizeBytes / 2 ** 20).toFixed(0)} MiB)\n`);
    url = `http://127.0.0.1:${await freePort()}`;
  });

  after(async function () {
    this.timeout(120_000);
    // Only this tag goes: the base image and build-image.sh's cache tag keep the next build short.
    if (created) await podman(["rm", "--force", "--time", "0", container]).catch(() => undefined);
    if (created) await podman(["volume", "rm", "--force", volume]).catch(() => undefined);
    // By name: an image with other names (the cache tag) only loses this one.
    if (built) await podman(["rmi", tag]).catch(() => undefined);
  });

  it("declares a HEALTHCHECK on /healthz, a non-root user and the data dir as a volume", async function () {
    const config = JSON.parse(await podman(["image", "inspect", "--format", "{{json .Config}}", tag])) as {
      User?: string;
      Volumes?: Record<string, unknown>;
      Env?: string[];
    };
    assert.equal(config.User, "10001:10001");
    assert.deepEqual(Object.keys(config.Volumes ?? {}), ["/var/lib/petroflow"]);
    assert.ok(config.Env?.includes("PETROFLOW_DATA_DIR=/var/lib/petroflow"), JSON.stringify(config.Env));
    const health = JSON.parse(await podman(["image", "inspect", "--format", "{{json .HealthCheck}}", tag])) as { Test?: string[] } | null;
    assert.deepEqual(health?.Test, ["CMD", "/usr/local/bin/node", "/app/healthcheck.js"]);
  });

  it("runs the demo on a volume: login, live tags, healthy, as the service user", async function () {
    this.timeout(READY_TIMEOUT_MS + 120_000);
    const port = new URL(url).port;
    const started = Date.now();
    await podman([
      "run", "--detach", "--name", container,
      "--publish", `127.0.0.1:${port}:1880`,
      "--volume", `${volume}:/var/lib/petroflow`,
      "--env", `PETROFLOW_ADMIN_PASSWORD=${ADMIN_PASSWORD}`,
      "--env", "PETROFLOW_DEMO=true",
      "--env", "PETROFLOW_DEMO_BACKFILL_DAYS=0",
      tag,
    ]);
    created = true;
    await waitUntilReady(url);
    process.stdout.write(`      (first start ready in ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);

    // The demo's simulated field moves: some values differ a few seconds later.
    const before = await liveValues(url);
    assert.ok(before.size >= 50, `only ${before.size} demo tags have a good live value`);
    const moved = await poll(
      async () => {
        const now = await liveValues(url);
        return [...now].filter(([tagPath, value]) => before.has(tagPath) && before.get(tagPath) !== value).length;
      },
      (changed) => changed >= 10,
      30_000,
    );
    assert.ok(moved.satisfied, `only ${moved.value} of ${before.size} live tags changed in 30 s`);

    // `podman healthcheck run` runs the image's HEALTHCHECK command in the container.
    await podman(["healthcheck", "run", container]);
    assert.equal(await podman(["inspect", "--format", "{{.State.Health.Status}}", container]), "healthy");

    assert.equal(await podman(["exec", container, "/usr/local/bin/node", "-p", "process.getuid()"]), "10001");
    const dataDir = await podman(["exec", container, "/usr/local/bin/node", "-p", "const s = require('fs').statSync('/var/lib/petroflow'); `${s.uid} ${(s.mode & 0o777).toString(8)}`"]);
    assert.equal(dataDir, "10001 700");

    const admin = await adminClient(url);
    await createUser(admin, persistedUser, "operator");
  });

  it(`stops on SIGTERM: exit code 0 before podman's ${PODMAN_KILL_AFTER_S} s kill, shutdown under ${SHUTDOWN_DEADLINE_MS / 1000} s`, async function () {
    assert.ok(created, "the container did not start");
    this.timeout(60_000);
    const started = Date.now();
    await podman(["stop", "--time", String(PODMAN_KILL_AFTER_S), container]);
    const elapsedMs = Date.now() - started;
    const logs = await podman(["logs", container]);
    // 0, not 137: the site exited by itself, before podman's SIGKILL.
    assert.equal(await podman(["inspect", "--format", "{{.State.ExitCode}}", container]), "0", logs.split("\n").slice(-15).join("\n"));
    assert.doesNotMatch(logs, /shutdown took too long/);
    // The site's own shutdown, from its log's timestamps: podman's part grows with the machine's load.
    const shutdownMs = logTime(logs, "Petroflow stopped") - logTime(logs, "shutting down");
    process.stdout.write(`      (podman stop ${elapsedMs} ms, the site's shutdown ${shutdownMs} ms)\n`);
    assert.ok(shutdownMs < SHUTDOWN_DEADLINE_MS, `the site took ${shutdownMs} ms to shut down`);
  });

  it("starts again on the same volume with its data: the user made before the stop logs in", async function () {
    assert.ok(created, "the container did not start");
    this.timeout(READY_TIMEOUT_MS + 60_000);
    const started = Date.now();
    await podman(["start", container]);
    await waitUntilReady(url);
    process.stdout.write(`      (second start ready in ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    const operator = await sessionAs(url, persistedUser);
    const me = await operator.json<{ user: { username: string; role: string } }>("GET", "/api/v1/auth/me");
    assert.deepEqual([me.user.username, me.user.role], [persistedUser, "operator"]);
    // Once: the first start's admin creation did not run again on the kept database.
    const logs = await podman(["logs", container]);
    assert.equal(logs.split("created user admin").length - 1, 1, "the admin was created twice: the database did not persist");
  });
});
