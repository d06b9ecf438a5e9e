import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { freePort } from "../../helpers/free-port.js";
import { committedResources, type K8sResource } from "../../helpers/k8s-manifests.js";
import { skipWithReason } from "../../helpers/skip-report.js";

/**
 * Smoke run of the edge overlay with `podman kube play` (docs/deploy-k8s.md
 * "Trying it with podman"): the PGlite variant, since no PostgreSQL image
 * can be pulled on these machines. The Petroflow image comes from
 * deploy/image/ (built here when missing), podman runs as those scripts set
 * it up (deploy/image/containers.conf: rootful, runc, explicit ulimits).
 */
const run = promisify(execFile);
const root = path.resolve(__dirname, "..", "..", "..");
const imageDir = path.join(root, "deploy", "image");
const BUILD_TIMEOUT_MS = 30 * 60_000;
const PODMAN_TIMEOUT_MS = 120_000;
// A cold start on PGlite took 43 s in this smoke run on a loaded 2-core box; the manifest's startup probe allows 180 s.
const READY_TIMEOUT_MS = 180_000;

interface PlayContainer {
  name: string;
  image: string;
  ports: { name?: string; containerPort: number; hostPort?: number }[];
  volumeMounts?: { name: string }[];
}
interface PlayDeployment extends K8sResource {
  spec: { template: { spec: { containers: PlayContainer[]; volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[] } } };
}

/**
 * The edge-pglite rendering with names made unique to this run (podman's
 * names are global on the machine, where other tests may play too) and the
 * http port published on a free host port.
 */
function playManifest(suffix: string, hostPort: number): { resources: K8sResource[]; volumes: string[]; container: string; image: string } {
  const resources = structuredClone(committedResources("edge-pglite"));
  const rename = (name: string) => `${name}-smoke-${suffix}`;
  const volumes: string[] = [];
  let container = "";
  let image = "";
  for (const resource of resources) {
    if (resource.kind === "PersistentVolumeClaim") {
      resource.metadata = { ...resource.metadata, name: rename(resource.metadata?.name ?? "") };
      volumes.push(resource.metadata.name ?? "");
    }
    if (resource.kind !== "Deployment") continue;
    const deployment = resource as PlayDeployment;
    const deploymentName = rename(deployment.metadata?.name ?? "");
    deployment.metadata = { ...deployment.metadata, name: deploymentName };
    const pod = deployment.spec.template.spec;
    for (const volume of pod.volumes) {
      if (volume.persistentVolumeClaim) volume.persistentVolumeClaim.claimName = rename(volume.persistentVolumeClaim.claimName);
      // podman 4.3 makes an emptyDir a volume named after it: keep ours apart from anyone else's.
      const renamed = rename(volume.name);
      for (const mount of pod.containers.flatMap((candidate) => candidate.volumeMounts ?? [])) if (mount.name === volume.name) mount.name = renamed;
      volume.name = renamed;
    }
    const site = pod.containers.find((candidate) => candidate.name === "petroflow");
    assert.ok(site, "no petroflow container in edge-pglite");
    const http = site.ports.find((port) => port.name === "http");
    assert.ok(http, "no http port");
    http.hostPort = hostPort;
    image = site.image;
    // podman names a played container <pod>-<container>, the pod <deployment>-pod-0.
    container = `${deploymentName}-pod-0-${site.name}`;
  }
  assert.ok(image, "no Deployment in edge-pglite");
  return { resources, volumes, container, image };
}

async function podman(args: string[], env: NodeJS.ProcessEnv, timeout = PODMAN_TIMEOUT_MS): Promise<string> {
  const { stdout } = await run("podman", args, { env, timeout, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function healthz(port: number): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return undefined; // not listening yet
  }
}

describe("deploy/k8s: the edge overlay under podman kube play", function () {
  this.timeout(BUILD_TIMEOUT_MS + 2 * READY_TIMEOUT_MS);
  let workDir = "";
  let playFile = "";
  let volumes: string[] = [];
  let env: NodeJS.ProcessEnv = {};

  before(function () {
    if (process.env.PETROFLOW_IMAGE_TEST !== "1") skipWithReason(this, "PETROFLOW_IMAGE_TEST=1 not set (needs root, podman and the image build)");
    for (const file of ["containers.conf", "storage.conf", "build-image.sh"]) {
      assert.ok(fs.existsSync(path.join(imageDir, file)), `deploy/image/${file} is missing: the image and podman set-up come from deploy/image/`);
    }
    env = { ...process.env, CONTAINERS_CONF: path.join(imageDir, "containers.conf"), CONTAINERS_STORAGE_CONF: path.join(imageDir, "storage.conf") };
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-kube-play-"));
  });

  after(async function () {
    if (playFile) {
      // Down even when the test failed half way; errors here must not hide the test's own.
      await podman(["kube", "down", playFile], env).catch((error: Error) => process.stdout.write(`  podman kube down: ${error.message}\n`));
      for (const volume of volumes) await podman(["volume", "rm", "--force", volume], env).catch(() => undefined);
    }
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("plays edge-pglite: /healthz answers ok from a read-only, non-root container with limits, and it comes down", async () => {
    const hostPort = await freePort();
    const manifest = playManifest(randomBytes(4).toString("hex"), hostPort);
    volumes = manifest.volumes;

    const exists = await podman(["image", "exists", manifest.image], env).then(
      () => true,
      () => false,
    );
    if (!exists) {
      process.stdout.write(`  ${manifest.image} not found: building it with deploy/image/build-image.sh\n`);
      await run(path.join(imageDir, "build-image.sh"), [manifest.image], { cwd: root, env, timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
    }

    playFile = path.join(workDir, "edge-pglite.yaml");
    fs.writeFileSync(playFile, manifest.resources.map((resource) => stringify(resource)).join("---\n"));
    await podman(["kube", "play", playFile], env);

    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last: Awaited<ReturnType<typeof healthz>>;
    while (Date.now() < deadline) {
      last = await healthz(hostPort);
      if (last?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    if (last?.status !== 200) {
      const logs = await podman(["logs", "--tail", "40", manifest.container], env).catch((error: Error) => error.message);
      assert.fail(`/healthz did not answer 200 within ${READY_TIMEOUT_MS} ms (last: ${JSON.stringify(last)}); logs:\n${logs}`);
    }
    assert.deepEqual([last.body.status, last.body.database, last.body.flows], ["ok", "ok", "started"]);

    // What the manifest asked for is what podman ran.
    const [inspected] = JSON.parse(await podman(["container", "inspect", manifest.container], env)) as {
      Config: { User: string };
      HostConfig: { ReadonlyRootfs: boolean; Memory: number };
      Mounts: { Name?: string; Destination: string }[];
    }[];
    assert.ok(inspected);
    assert.equal(inspected.HostConfig.ReadonlyRootfs, true);
    assert.equal(inspected.Config.User.split(":")[0], "10001");
    assert.equal(inspected.HostConfig.Memory, 1024 ** 3);
    assert.ok(
      inspected.Mounts.some((mount) => mount.Destination === "/var/lib/petroflow" && mount.Name === manifest.volumes[0]),
      `the data dir is not on the claim's volume: ${JSON.stringify(inspected.Mounts)}`,
    );

    // The site's state is on the claim: rootful podman keeps the volume on the host.
    const mountpoint = (await podman(["volume", "inspect", "--format", "{{.Mountpoint}}", manifest.volumes[0] ?? ""], env)).trim();
    for (const file of ["site/secret.key", "site/pglite/PG_VERSION"]) {
      assert.ok(fs.existsSync(path.join(mountpoint, file)), `${file} is not on the claim's volume (${mountpoint})`);
    }

    await podman(["kube", "down", playFile], env);
    playFile = "";
    const after = await podman(["ps", "--all", "--filter", `name=${manifest.container}`, "--format", "{{.Names}}"], env);
    assert.equal(after.trim(), "", "the container is still there after kube down");
    for (const volume of volumes) await podman(["volume", "rm", "--force", volume], env);
  });
});
