import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  committedResources,
  describeResource,
  kubectlAvailable,
  type K8sResource,
  type Overlay,
  OVERLAYS,
  parseManifests,
  renderedFile,
  renderOverlay,
  schemaProblems,
} from "../../helpers/k8s-manifests.js";
import { skipWithReason } from "../../helpers/skip-report.js";

/**
 * The K3s manifests (deploy/k8s/, docs/deploy-k8s.md): rendered with
 * `kubectl kustomize` where kubectl exists, else read from the committed
 * renderings; every resource checked against the Kubernetes schemas, then
 * against the deployment policy the docs state.
 */
const root = path.resolve(__dirname, "..", "..", "..");
const packageVersion = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;

/** Memory limits of all pods of an edge overlay: a 2 GiB box less the K3s agent and the OS (docs/deploy-k8s.md "Resources"). */
const EDGE_MEMORY_LIMITS_BUDGET_MIB = 1536;
/** Secrets the manifests may reference; created by hand on the cluster, never committed (docs/deploy-k8s.md "Secrets"). */
const EXTERNAL_SECRETS = new Set(["petroflow-secrets", "mosquitto-passwd"]);

interface Probe {
  httpGet?: { path?: string; port?: string | number };
  exec?: { command?: string[] };
  tcpSocket?: { port?: string | number };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string } };
}
interface Container {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
}
interface Volume {
  name: string;
  emptyDir?: object;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string };
  secret?: { secretName: string };
}
interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
  enableServiceLinks?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}
interface Deployment extends K8sResource {
  spec: {
    replicas?: number;
    strategy?: { type?: string };
    selector: { matchLabels?: Record<string, string> };
    template: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
  };
}

function deployments(resources: readonly K8sResource[]): Deployment[] {
  return resources.filter((resource): resource is Deployment => resource.kind === "Deployment");
}

function named<T extends K8sResource>(resources: readonly T[], kind: string, name: string): T {
  const found = resources.find((resource) => resource.kind === kind && resource.metadata?.name === name);
  assert.ok(found, `no ${kind}/${name}`);
  return found;
}

/** A Kubernetes quantity in base units (bytes, cores); only the suffixes the manifests may use. */
function quantity(value: string | number): number {
  if (typeof value === "number") return value;
  const match = /^([0-9]+(?:\.[0-9]+)?)(m|Ki|Mi|Gi)?$/.exec(value);
  assert.ok(match, `unsupported quantity ${value}`);
  const factor = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? ""] ?? 1;
  return Number(match[1]) * factor;
}

/** Every container of every Deployment: limits, probes, non-root, hardening, a pinned image. */
function containerProblems(resources: readonly K8sResource[]): string[] {
  const problems: string[] = [];
  for (const deployment of deployments(resources)) {
    const pod = deployment.spec.template.spec;
    const where = describeResource(deployment);
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod securityContext.runAsNonRoot is not true`);
    if (!((pod.securityContext?.runAsUser ?? 0) > 0)) problems.push(`${where}: pod runs as uid 0 or an unset uid (runAsNonRoot needs a numeric one)`);
    if (pod.enableServiceLinks !== false) problems.push(`${where}: enableServiceLinks is not false`);
    for (const container of pod.containers) {
      const at = `${where} container ${container.name}`;
      for (const resource of ["cpu", "memory"]) {
        const request = container.resources?.requests?.[resource];
        const limit = container.resources?.limits?.[resource];
        if (limit === undefined) problems.push(`${at}: no ${resource} limit`);
        if (request === undefined) problems.push(`${at}: no ${resource} request`);
        if (request !== undefined && limit !== undefined && quantity(request) > quantity(limit)) problems.push(`${at}: ${resource} request above its limit`);
      }
      for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"] as const) {
        if (!container[probe]) problems.push(`${at}: no ${probe}`);
      }
      const security = container.securityContext;
      if (security?.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (security?.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem is not true`);
      if (!security?.capabilities?.drop?.includes("ALL")) problems.push(`${at}: capabilities are not dropped (drop: [ALL])`);
      if (security?.runAsNonRoot === false) problems.push(`${at}: runAsNonRoot overridden to false`);
      const tag = /^[^@]+:([^:/@]+)$/.exec(container.image ?? "")?.[1];
      if (!tag) problems.push(`${at}: image ${container.image ?? "(none)"} has no tag`);
      else if (tag === "latest") problems.push(`${at}: image ${container.image} uses the latest tag`);
    }
  }
  return problems;
}

/** Names that must resolve inside the overlay: config maps, claims, services' pods and ports; secrets only the external ones, none committed. */
function referenceProblems(resources: readonly K8sResource[]): string[] {
  const problems: string[] = [];
  const has = (kind: string, name: string) => resources.some((resource) => resource.kind === kind && resource.metadata?.name === name);
  for (const resource of resources) {
    if (resource.kind === "Secret") problems.push(`${describeResource(resource)}: a Secret is committed; create it on the cluster (docs/deploy-k8s.md)`);
  }
  for (const deployment of deployments(resources)) {
    const where = describeResource(deployment);
    const podLabels = deployment.spec.template.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels ?? {})) {
      if (podLabels[key] !== value) problems.push(`${where}: selector ${key}=${value} does not match its pod template`);
    }
    const pod = deployment.spec.template.spec;
    for (const volume of pod.volumes ?? []) {
      if (volume.persistentVolumeClaim && !has("PersistentVolumeClaim", volume.persistentVolumeClaim.claimName)) {
        problems.push(`${where}: claim ${volume.persistentVolumeClaim.claimName} is not in the overlay`);
      }
      if (volume.configMap && !has("ConfigMap", volume.configMap.name)) problems.push(`${where}: config map ${volume.configMap.name} is not in the overlay`);
      if (volume.secret && !EXTERNAL_SECRETS.has(volume.secret.secretName)) problems.push(`${where}: unknown secret ${volume.secret.secretName}`);
    }
    for (const container of pod.containers) {
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !has("ConfigMap", source.configMapRef.name)) problems.push(`${where}: config map ${source.configMapRef.name} is not in the overlay`);
        if (source.secretRef) problems.push(`${where}: envFrom a whole Secret; name each key instead`);
      }
      for (const variable of container.env ?? []) {
        const secret = variable.valueFrom?.secretKeyRef;
        if (secret && !EXTERNAL_SECRETS.has(secret.name)) problems.push(`${where}: ${variable.name} from unknown secret ${secret.name}`);
        if (/PASSWORD|SECRET/.test(variable.name) && variable.value !== undefined) problems.push(`${where}: ${variable.name} has a literal value`);
        // A password in a URL only through $(VAR), from a secretKeyRef defined before it.
        if (variable.value && /:\/\/[^:/@]+:(?!\$\()[^@]*@/.test(variable.value)) problems.push(`${where}: ${variable.name} has a literal password in its URL`);
      }
    }
  }
  for (const service of resources.filter((resource) => resource.kind === "Service")) {
    const spec = service.spec as { selector?: Record<string, string>; ports: { targetPort?: string | number }[] };
    const target = deployments(resources).find((deployment) =>
      Object.entries(spec.selector ?? {}).every(([key, value]) => deployment.spec.template.metadata?.labels?.[key] === value),
    );
    if (!target) {
      problems.push(`${describeResource(service)}: selects no Deployment's pods`);
      continue;
    }
    const portNames = new Set(target.spec.template.spec.containers.flatMap((container) => (container.ports ?? []).map((port) => port.name)));
    for (const port of spec.ports) {
      if (typeof port.targetPort === "string" && !portNames.has(port.targetPort)) problems.push(`${describeResource(service)}: target port ${port.targetPort} is not a container port`);
    }
  }
  return problems;
}

/** Deployments on a ReadWriteOnce claim: one replica, Recreate (an old and a new pod never share the data). */
function claimProblems(resources: readonly K8sResource[]): string[] {
  return deployments(resources).flatMap((deployment) => {
    if (!deployment.spec.template.spec.volumes?.some((volume) => volume.persistentVolumeClaim)) return [];
    const problems: string[] = [];
    if ((deployment.spec.replicas ?? 1) !== 1) problems.push(`${describeResource(deployment)}: ${deployment.spec.replicas} replicas on a claim`);
    if (deployment.spec.strategy?.type !== "Recreate") problems.push(`${describeResource(deployment)}: strategy ${deployment.spec.strategy?.type ?? "RollingUpdate (default)"} on a claim`);
    return problems;
  });
}

function memoryLimitsMiB(resources: readonly K8sResource[]): number {
  const bytes = deployments(resources).reduce(
    (sum, deployment) =>
      sum +
      (deployment.spec.replicas ?? 1) *
        deployment.spec.template.spec.containers.reduce((podSum, container) => podSum + quantity(container.resources?.limits?.memory ?? 0), 0),
    0,
  );
  return bytes / 1024 ** 2;
}

function petroflowContainer(resources: readonly K8sResource[]): Container {
  const container = named(deployments(resources), "Deployment", "petroflow").spec.template.spec.containers.find((candidate) => candidate.name === "petroflow");
  assert.ok(container, "no petroflow container");
  return container;
}

function config(resources: readonly K8sResource[]): Record<string, string> {
  const map = resources.find((resource) => resource.kind === "ConfigMap" && resource.metadata?.name?.startsWith("petroflow-config"));
  assert.ok(map, "no petroflow-config ConfigMap");
  return map.data as Record<string, string>;
}

describe("deploy/k8s: the K3s manifests", function () {
  // Rendering runs kubectl three times and the schema check a TypeScript program: seconds each on a loaded box.
  this.timeout(180_000);
  const withKubectl = kubectlAvailable();
  const resources = new Map<Overlay, K8sResource[]>();
  const rendered = new Map<Overlay, string>();

  before(function () {
    for (const overlay of OVERLAYS) {
      if (withKubectl) {
        const text = renderOverlay(overlay);
        rendered.set(overlay, text);
        resources.set(overlay, parseManifests(text));
      } else {
        resources.set(overlay, committedResources(overlay));
      }
    }
    if (!withKubectl) process.stdout.write("\n  kubectl not found: checking the committed renderings in deploy/k8s/rendered/\n");
  });

  const of = (overlay: Overlay): K8sResource[] => {
    const found = resources.get(overlay);
    assert.ok(found, `${overlay} was not loaded`);
    return found;
  };

  for (const overlay of OVERLAYS) {
    it(`${overlay}: deploy/k8s/rendered/${overlay}.yaml is what kubectl kustomize renders`, function () {
      if (!withKubectl) skipWithReason(this, "kubectl not found; the committed rendering is checked instead (run deploy/k8s/render.sh where kubectl exists)");
      // Compared as objects: another kubectl version may lay the same YAML out differently.
      assert.deepEqual(
        parseManifests(fs.readFileSync(renderedFile(overlay), "utf8")),
        parseManifests(rendered.get(overlay) ?? ""),
        `run deploy/k8s/render.sh and commit deploy/k8s/rendered/${overlay}.yaml`,
      );
    });
  }

  it("every resource of every overlay validates against the Kubernetes schemas", async () => {
    const all = OVERLAYS.flatMap((overlay) => of(overlay));
    assert.ok(all.length >= 20, `only ${all.length} resources`);
    assert.deepEqual(await schemaProblems(all), []);
  });

  for (const overlay of OVERLAYS) {
    describe(overlay, () => {
      it("every container has requests and limits, all three probes, a non-root hardened context and a pinned image", () => {
        assert.deepEqual(containerProblems(of(overlay)), []);
      });

      it("every name it references resolves, and it commits no Secret", () => {
        assert.deepEqual(referenceProblems(of(overlay)), []);
      });

      it("a Deployment on a volume claim has one replica and Recreate", () => {
        assert.deepEqual(claimProblems(of(overlay)), []);
      });

      it("the site process probes /healthz on its http port and runs the package's version", () => {
        const container = petroflowContainer(of(overlay));
        for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
          assert.deepEqual(probe?.httpGet, { path: "/healthz", port: "http" });
        }
        assert.equal(container.image, `localhost/petroflow:${packageVersion}`);
      });
    });
  }

  for (const overlay of ["edge", "edge-pglite"] as const) {
    it(`${overlay}: one site process on a claim, Recreate, within the 2 GiB box's memory budget`, () => {
      const site = named(deployments(of(overlay)), "Deployment", "petroflow");
      assert.equal(site.spec.replicas, 1);
      assert.equal(site.spec.strategy?.type, "Recreate");
      const data = site.spec.template.spec.volumes?.find((volume) => volume.name === "data");
      assert.equal(data?.persistentVolumeClaim?.claimName, "petroflow-data");
      const limits = memoryLimitsMiB(of(overlay));
      assert.ok(limits <= EDGE_MEMORY_LIMITS_BUDGET_MIB, `${limits} MiB of memory limits > ${EDGE_MEMORY_LIMITS_BUDGET_MIB}`);
    });
  }

  it("edge: PostgreSQL beside the site, its URL built from the Secret", () => {
    const resources = of("edge");
    named(deployments(resources), "Deployment", "postgres");
    const env = petroflowContainer(resources).env ?? [];
    const password = env.findIndex((variable) => variable.name === "PETROFLOW_DB_PASSWORD");
    const url = env.findIndex((variable) => variable.name === "DATABASE_URL");
    assert.deepEqual(env[password]?.valueFrom?.secretKeyRef, { name: "petroflow-secrets", key: "db-password" });
    // $(VAR) expands only variables defined earlier in the list.
    assert.ok(password >= 0 && password < url, "PETROFLOW_DB_PASSWORD must come before DATABASE_URL");
    assert.equal(env[url]?.value, "postgres://petroflow:$(PETROFLOW_DB_PASSWORD)@postgres:5432/petroflow");
  });

  it("edge-pglite: the site process alone, no DATABASE_URL (PGlite in the data dir)", () => {
    const resources = of("edge-pglite");
    assert.deepEqual(
      deployments(resources).map((deployment) => deployment.metadata?.name),
      ["petroflow"],
    );
    assert.ok(!(petroflowContainer(resources).env ?? []).some((variable) => variable.name === "DATABASE_URL"));
    assert.ok(!("DATABASE_URL" in config(resources)));
  });

  it("cloud: stateless replicas in the cloud role with a shared secret, a PDB, an HPA, PostgreSQL and a broker", () => {
    const resources = of("cloud");
    const site = named(deployments(resources), "Deployment", "petroflow");
    assert.ok((site.spec.replicas ?? 1) >= 2, "fewer than 2 replicas");
    assert.equal(site.spec.strategy?.type, "RollingUpdate");
    assert.ok(site.spec.template.spec.volumes?.find((volume) => volume.name === "data")?.emptyDir, "the data dir is not an emptyDir");
    assert.equal(config(resources).PETROFLOW_ROLE, "cloud");
    const secret = (petroflowContainer(resources).env ?? []).find((variable) => variable.name === "PETROFLOW_SECRET");
    assert.deepEqual(secret?.valueFrom?.secretKeyRef, { name: "petroflow-secrets", key: "site-secret" });
    const pdb = named(resources, "PodDisruptionBudget", "petroflow") as K8sResource & { spec: { selector: { matchLabels: Record<string, string> } } };
    assert.deepEqual(pdb.spec.selector.matchLabels, site.spec.selector.matchLabels);
    const hpa = named(resources, "HorizontalPodAutoscaler", "petroflow") as K8sResource & { spec: { scaleTargetRef: { kind: string; name: string }; minReplicas: number } };
    assert.deepEqual([hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name], ["Deployment", "petroflow"]);
    assert.equal(hpa.spec.minReplicas, site.spec.replicas);
    named(deployments(resources), "Deployment", "postgres");
    named(deployments(resources), "Deployment", "mosquitto");
    named(resources, "Service", "mosquitto");
    const env = petroflowContainer(resources).env ?? [];
    const mqttPassword = env.findIndex((variable) => variable.name === "PETROFLOW_MQTT_PASSWORD");
    const mqttUrl = env.findIndex((variable) => variable.name === "PETROFLOW_MQTT_URL");
    assert.deepEqual(env[mqttPassword]?.valueFrom?.secretKeyRef, { name: "petroflow-secrets", key: "mqtt-password" });
    assert.ok(mqttPassword >= 0 && mqttPassword < mqttUrl, "PETROFLOW_MQTT_PASSWORD must come before PETROFLOW_MQTT_URL");
    assert.equal(env[mqttUrl]?.value, "mqtt://petroflow:$(PETROFLOW_MQTT_PASSWORD)@mosquitto:1883");
  });

  describe("the checks refuse broken manifests", () => {
    const edge = () => structuredClone(of("edge"));
    const site = (resources: K8sResource[]) => named(deployments(resources), "Deployment", "petroflow");

    it("the schema check refuses wrong types, missing required fields, bad quantities, unknown fields and unknown kinds", async () => {
      const broken = (name: string, change: (deployment: Deployment) => void): Deployment => {
        const deployment = structuredClone(site(of("edge")));
        deployment.metadata = { ...deployment.metadata, name };
        change(deployment);
        return deployment;
      };
      const cases: K8sResource[] = [
        broken("replicas-as-text", (deployment) => Object.assign(deployment.spec, { replicas: "one" })),
        broken("container-without-name", (deployment) => Reflect.deleteProperty(deployment.spec.template.spec.containers[0], "name")),
        broken("memory-as-words", (deployment) => Object.assign(deployment.spec.template.spec.containers[0].resources!.limits!, { memory: "a lot" })),
        broken("misspelt-probe", (deployment) => Object.assign(deployment.spec.template.spec.containers[0], { livenessprobe: {} })),
        broken("field-one-level-too-deep", (deployment) => Object.assign(deployment.spec.template, { containers: [] })),
        { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "not-in-kinds" } },
      ];
      const problems = await schemaProblems(cases);
      for (const resource of cases) {
        assert.ok(
          problems.some((problem) => problem.startsWith(`${describeResource(resource)}:`)),
          `${describeResource(resource)} passed; problems: ${problems.join(" | ")}`,
        );
      }
    });

    it("the policy refuses a container without limits or probes, an unpinned image, root, a committed Secret, a password in a URL and a rolling claim", () => {
      const resources = edge();
      const container = site(resources).spec.template.spec.containers[0];
      delete container.resources!.limits;
      delete container.livenessProbe;
      container.image = "localhost/petroflow:latest";
      site(resources).spec.template.spec.securityContext = { runAsNonRoot: false, runAsUser: 0 };
      site(resources).spec.strategy = { type: "RollingUpdate" };
      resources.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "petroflow-secrets" }, stringData: { "db-password": "x" } });
      container.env = [{ name: "DATABASE_URL", value: "postgres://petroflow:hunter2@postgres:5432/petroflow" }];
      const problems = [...containerProblems(resources), ...referenceProblems(resources), ...claimProblems(resources)].join("\n");
      for (const expected of ["no cpu limit", "no memory limit", "no livenessProbe", "uses the latest tag", "runAsNonRoot is not true", "uid 0", "a Secret is committed", "strategy RollingUpdate on a claim", "DATABASE_URL has a literal password"]) {
        assert.ok(problems.includes(expected), `no "${expected}" in:\n${problems}`);
      }
      const untagged = edge();
      site(untagged).spec.template.spec.containers[0].image = "localhost/petroflow";
      assert.match(containerProblems(untagged).join("\n"), /has no tag/);
    });

    it("the reference check refuses a dangling claim, config map and service port", () => {
      const resources = edge().filter((resource) => resource.kind !== "PersistentVolumeClaim" && resource.kind !== "ConfigMap");
      const service = named(resources, "Service", "petroflow") as K8sResource & { spec: { ports: { targetPort: string }[] } };
      service.spec.ports[0].targetPort = "https";
      const problems = referenceProblems(resources).join("\n");
      for (const expected of ["claim petroflow-data is not in the overlay", "config map petroflow-config", "target port https is not a container port"]) {
        assert.ok(problems.includes(expected), `no "${expected}" in:\n${problems}`);
      }
    });
  });
});
