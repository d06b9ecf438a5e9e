import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { parseAllDocuments } from "yaml";

/**
 * Reading, rendering and checking the Kubernetes manifests in deploy/k8s/
 * (docs/deploy-k8s.md). Used by the manifest test and the podman smoke test.
 */
const root = path.resolve(__dirname, "..", "..");
export const K8S_DIR = path.join(root, "deploy", "k8s");
export const OVERLAYS = ["edge", "edge-pglite", "cloud"] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** One Kubernetes object as YAML gives it; the schema check says whether it is one. */
export interface K8sResource {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

const KUBECTL_TIMEOUT_MS = 60_000;

export function kubectlAvailable(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore", timeout: KUBECTL_TIMEOUT_MS });
    return true;
  } catch {
    return false;
  }
}

export function renderedFile(overlay: Overlay): string {
  return path.join(K8S_DIR, "rendered", `${overlay}.yaml`);
}

/** `kubectl kustomize` of an overlay: what deploy/k8s/render.sh writes, less its header comment. */
export function renderOverlay(overlay: Overlay): string {
  return execFileSync("kubectl", ["kustomize", path.join(K8S_DIR, "overlays", overlay)], { encoding: "utf8", timeout: KUBECTL_TIMEOUT_MS });
}

/** The documents of a multi-document YAML text; a YAML error or a document that is no object throws. */
export function parseManifests(text: string): K8sResource[] {
  return parseAllDocuments(text).map((document, index) => {
    if (document.errors.length > 0) throw new Error(`document ${index}: ${document.errors.map((error) => error.message).join("; ")}`);
    const value: unknown = document.toJS();
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`document ${index} is not an object`);
    const resource = value as Partial<K8sResource>;
    if (typeof resource.apiVersion !== "string" || typeof resource.kind !== "string") {
      throw new Error(`document ${index} has no apiVersion and kind`);
    }
    return value as K8sResource;
  });
}

export function describeResource(resource: K8sResource): string {
  return `${resource.kind}/${resource.metadata?.name ?? "(no name)"}`;
}

/**
 * The kinds the manifests use, with their kubernetes-models class (runtime
 * schema) and interface (field names). A kind not listed here fails the
 * check rather than passing unvalidated.
 */
const KINDS: Record<string, { module: string; type: string; load: () => Promise<ModelClass> }> = {
  "v1/ConfigMap": { module: "kubernetes-models/v1/ConfigMap", type: "IConfigMap", load: async () => (await import("kubernetes-models/v1")).ConfigMap },
  "v1/Secret": { module: "kubernetes-models/v1/Secret", type: "ISecret", load: async () => (await import("kubernetes-models/v1")).Secret },
  "v1/Service": { module: "kubernetes-models/v1/Service", type: "IService", load: async () => (await import("kubernetes-models/v1")).Service },
  "v1/PersistentVolumeClaim": {
    module: "kubernetes-models/v1/PersistentVolumeClaim",
    type: "IPersistentVolumeClaim",
    load: async () => (await import("kubernetes-models/v1")).PersistentVolumeClaim,
  },
  "apps/v1/Deployment": { module: "kubernetes-models/apps/v1/Deployment", type: "IDeployment", load: async () => (await import("kubernetes-models/apps/v1")).Deployment },
  "policy/v1/PodDisruptionBudget": {
    module: "kubernetes-models/policy/v1/PodDisruptionBudget",
    type: "IPodDisruptionBudget",
    load: async () => (await import("kubernetes-models/policy/v1")).PodDisruptionBudget,
  },
  "autoscaling/v2/HorizontalPodAutoscaler": {
    module: "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
    type: "IHorizontalPodAutoscaler",
    load: async () => (await import("kubernetes-models/autoscaling/v2")).HorizontalPodAutoscaler,
  },
};

type ModelClass = new (data: never) => { validate(): void };

function kindKey(resource: K8sResource): string {
  return `${resource.apiVersion}/${resource.kind}`;
}

/**
 * Every problem the Kubernetes schemas find, one line each (empty: all
 * valid). Two checks: kubernetes-models' JSON-schema validators (types,
 * required fields, formats such as quantities), and the same package's
 * TypeScript interfaces, because the OpenAPI schemas allow unknown fields
 * and a key indented one level wrong is the commonest manifest mistake
 * (kubectl's strict field validation refuses it on a real cluster).
 */
export async function schemaProblems(resources: readonly K8sResource[]): Promise<string[]> {
  const problems: string[] = [];
  for (const resource of resources) {
    const kind = KINDS[kindKey(resource)];
    if (!kind) {
      problems.push(`${describeResource(resource)}: no schema for ${kindKey(resource)} (add it to KINDS in test/helpers/k8s-manifests.ts)`);
      continue;
    }
    const Model = await kind.load();
    try {
      new Model(resource as never).validate();
    } catch (error) {
      problems.push(`${describeResource(resource)}: ${(error as Error).message}`);
    }
  }
  problems.push(...unknownFieldProblems(resources));
  return problems;
}

/** Type-checks each resource as an object literal of its interface: excess property checks find unknown fields at any depth. */
function unknownFieldProblems(resources: readonly K8sResource[]): string[] {
  const files = new Map<string, { source: string; resource: K8sResource }>();
  resources.forEach((resource, index) => {
    const kind = KINDS[kindKey(resource)];
    if (!kind) return;
    const file = path.join(root, `__k8s_manifest_check_${index}.ts`);
    files.set(file, {
      resource,
      source: `import type { ${kind.type} } from "${kind.module}";\nexport const resource: ${kind.type} = ${JSON.stringify(resource, null, 1)};\n`,
    });
  });
  if (files.size === 0) return [];
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const virtual = files.get(path.resolve(fileName));
    return virtual ? ts.createSourceFile(fileName, virtual.source, languageVersion, true) : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => files.has(path.resolve(fileName)) || fileExists(fileName);
  host.readFile = (fileName) => files.get(path.resolve(fileName))?.source ?? readFile(fileName);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const virtual = diagnostic.file ? files.get(path.resolve(diagnostic.file.fileName)) : undefined;
    const where = virtual ? describeResource(virtual.resource) : (diagnostic.file?.fileName ?? "(program)");
    return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
  });
}

/** The committed rendering of an overlay, parsed. */
export function committedResources(overlay: Overlay): K8sResource[] {
  return parseManifests(fs.readFileSync(renderedFile(overlay), "utf8"));
}
