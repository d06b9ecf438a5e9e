/**
 * Checks a flow configuration before it can reach the runtime or the
 * revision history. Pure: the caller supplies which node types exist.
 */
export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  name?: string;
  wires?: string[][];
  [property: string]: unknown;
}

export type FlowValidationResult =
  | { ok: true; flows: FlowNode[] }
  | { ok: false; code: FlowValidationCode; message: string; details?: Record<string, unknown> };

export type FlowValidationCode =
  | "invalid_json"
  | "not_an_array"
  | "invalid_node"
  | "duplicate_id"
  | "forbidden_key"
  | "unknown_type"
  | "too_large"
  | "node_config_version"
  | "disabled_node_type"
  | "function_modules_disabled";

/** Types the runtime handles itself rather than through the node registry. */
const STRUCTURAL_TYPES = new Set(["tab", "subflow", "group", "junction", "global-config", "comment", "unknown"]);
const FORBIDDEN_KEYS = new Set(["__proto__"]);
const MAX_DEPTH = 64;

export interface FlowValidationOptions {
  maxBytes: number;
  isKnownType: (type: string) => boolean;
  /** Types this site turned off, each with the setting that turns it on (host-nodes.ts). */
  disabledTypes?: ReadonlyMap<string, string>;
  /** When set, function nodes may not load external modules (their "Setup" tab's `libs`); the refusal names this setting. */
  functionModulesSetting?: string;
}

/** A function node's external modules: Node-RED keeps them as `libs: [{var, module}]`. */
function functionModules(node: FlowNode): string[] {
  if (node.type !== "function" || !Array.isArray(node.libs)) return [];
  return node.libs.map((lib: unknown) => {
    const name = (lib as { module?: unknown } | null)?.module;
    return typeof name === "string" ? name : "(unnamed)";
  });
}

/** Refuses nodes the site turned off, naming each node, its type and the setting. */
function checkDisabledNodes(flows: FlowNode[], options: FlowValidationOptions): FlowValidationResult | null {
  const disabled = options.disabledTypes ?? new Map<string, string>();
  const nodes = flows.filter((node) => disabled.has(node.type)).map((node) => ({ id: node.id, type: node.type }));
  if (nodes.length > 0) {
    const settings = [...new Set(nodes.map((node) => disabled.get(node.type) ?? ""))];
    return {
      ok: false,
      code: "disabled_node_type",
      message:
        `${nodes.map((node) => `${node.id} (${node.type})`).join(", ")}: this node type runs commands or touches files on the host ` +
        `and is turned off on this site (${settings.join(", ")}=true turns it on)`,
      details: { nodes, settings },
    };
  }
  if (options.functionModulesSetting === undefined) return null;
  const withModules = flows
    .map((node) => ({ id: node.id, modules: functionModules(node) }))
    .filter((node) => node.modules.length > 0);
  if (withModules.length === 0) return null;
  return {
    ok: false,
    code: "function_modules_disabled",
    message:
      `${withModules.map((node) => `${node.id} (function) loads ${node.modules.join(", ")}`).join("; ")}: ` +
      `function nodes may not load modules on this site (${options.functionModulesSetting}=true allows it)`,
    details: { nodes: withModules },
  };
}

function findForbiddenKey(value: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path} (nested deeper than ${MAX_DEPTH} levels)`;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findForbiddenKey(value[index], `${path}[${index}]`, depth + 1);
      if (found) return found;
    }
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${path}.${key}`;
      const found = findForbiddenKey((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/** Validates flows given as JSON text (import files) or as parsed JSON (HTTP bodies). */
export function validateFlows(input: unknown, options: FlowValidationOptions): FlowValidationResult {
  let parsed = input;
  if (typeof input === "string") {
    if (Buffer.byteLength(input, "utf8") > options.maxBytes) {
      return { ok: false, code: "too_large", message: `flows are larger than the limit of ${options.maxBytes} bytes` };
    }
    try {
      parsed = JSON.parse(input);
    } catch (error) {
      return { ok: false, code: "invalid_json", message: `flows are not valid JSON: ${(error as Error).message}` };
    }
  } else if (Buffer.byteLength(JSON.stringify(input) ?? "", "utf8") > options.maxBytes) {
    return { ok: false, code: "too_large", message: `flows are larger than the limit of ${options.maxBytes} bytes` };
  }
  if (!Array.isArray(parsed)) {
    return { ok: false, code: "not_an_array", message: "flows must be a JSON array of node objects" };
  }
  const forbidden = findForbiddenKey(parsed, "flows", 0);
  if (forbidden) {
    return { ok: false, code: "forbidden_key", message: `forbidden key or structure at ${forbidden}`, details: { path: forbidden } };
  }
  const ids = new Set<string>();
  const subflowIds = new Set<string>();
  for (let index = 0; index < parsed.length; index++) {
    const node: unknown = parsed[index];
    if (node === null || typeof node !== "object" || Array.isArray(node)) {
      return { ok: false, code: "invalid_node", message: `flows[${index}] is not an object`, details: { index } };
    }
    const { id, type } = node as Record<string, unknown>;
    if (typeof id !== "string" || id.length === 0) {
      return { ok: false, code: "invalid_node", message: `flows[${index}] has no string id`, details: { index } };
    }
    if (typeof type !== "string" || type.length === 0) {
      return { ok: false, code: "invalid_node", message: `node ${id} has no string type`, details: { index, id } };
    }
    if (ids.has(id)) {
      return { ok: false, code: "duplicate_id", message: `node id ${id} is used more than once`, details: { id } };
    }
    ids.add(id);
    if (type === "subflow") subflowIds.add(id);
  }
  const disabled = checkDisabledNodes(parsed as FlowNode[], options);
  if (disabled) return disabled;
  const unknownTypes = new Set<string>();
  for (const node of parsed as FlowNode[]) {
    if (STRUCTURAL_TYPES.has(node.type)) continue;
    if (node.type.startsWith("subflow:")) {
      if (!subflowIds.has(node.type.slice("subflow:".length))) unknownTypes.add(node.type);
      continue;
    }
    if (!options.isKnownType(node.type)) unknownTypes.add(node.type);
  }
  if (unknownTypes.size > 0) {
    const types = [...unknownTypes].sort();
    return {
      ok: false,
      code: "unknown_type",
      message: `unknown node type${types.length > 1 ? "s" : ""}: ${types.join(", ")}`,
      details: { types },
    };
  }
  return { ok: true, flows: parsed as FlowNode[] };
}
