import { detailsMessage, type ErrorDetails, type ErrorParams, type Reason } from "../error-contract.js";
import { fieldPath, inputProblem } from "../input/input-policy.js";

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

/** A refusal names the field (`flows.3.wires`) and the reason, as every API error does. */
export type FlowValidationResult = { ok: true; flows: FlowNode[] } | { ok: false; message: string; details: ErrorDetails };

/** Types the runtime handles itself rather than through the node registry. */
const STRUCTURAL_TYPES = new Set(["tab", "subflow", "group", "junction", "global-config", "comment", "unknown"]);
const FORBIDDEN_KEYS = new Set(["__proto__"]);
const ROOT = "flows";

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
  const firstDisabled = flows.findIndex((node) => disabled.has(node.type));
  if (firstDisabled >= 0) {
    const nodes = flows.filter((node) => disabled.has(node.type));
    const settings = [...new Set(nodes.map((node) => disabled.get(node.type) ?? ""))];
    return refuse(
      `${ROOT}.${firstDisabled}.type`,
      "disabled_node_type",
      { nodes: nodes.map((node) => `${node.id} (${node.type})`), setting: settings.join(", ") },
      `${nodes.map((node) => `${node.id} (${node.type})`).join(", ")}: this node type runs commands or touches files on the host ` +
        `and is turned off on this site (${settings.join(", ")}=true turns it on)`,
    );
  }
  if (options.functionModulesSetting === undefined) return null;
  const firstWithModules = flows.findIndex((node) => functionModules(node).length > 0);
  if (firstWithModules < 0) return null;
  const withModules = flows
    .map((node) => ({ id: node.id, modules: functionModules(node) }))
    .filter((node) => node.modules.length > 0);
  return refuse(
    `${ROOT}.${firstWithModules}.libs`,
    "function_modules_disabled",
    { nodes: withModules.map((node) => `${node.id} (${node.modules.join(", ")})`), setting: options.functionModulesSetting },
    `${withModules.map((node) => `${node.id} (function) loads ${node.modules.join(", ")}`).join("; ")}: ` +
      `function nodes may not load modules on this site (${options.functionModulesSetting}=true allows it)`,
  );
}

function refuse(field: string, reason: Reason, params?: ErrorParams, message?: string): FlowValidationResult {
  const details: ErrorDetails = params ? { field, reason, params } : { field, reason };
  return { ok: false, message: message ?? detailsMessage(details), details };
}

/** The first `__proto__` key, walked without recursion (the input policy has bounded the depth already). */
function findForbiddenKey(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: ROOT }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value: current, path } = next;
    if (current === null || typeof current !== "object") continue;
    const entries = Object.entries(current as Record<string, unknown>);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, child] = entries[index];
      if (FORBIDDEN_KEYS.has(key)) return fieldPath(path, key);
      stack.push({ value: child, path: fieldPath(path, key) });
    }
  }
  return null;
}

/** Node-RED's wires: one array per output, each of target node ids. */
function validWires(wires: unknown): boolean {
  return Array.isArray(wires) && wires.every((output) => Array.isArray(output) && output.every((id) => typeof id === "string" && id.length > 0));
}

/**
 * One flow (a tab with its nodes) as Node-RED's admin API takes it at
 * POST /flow and PUT /flow/:id: the input policy over the whole body and
 * the nodes' wires. Node-RED checks the rest, and storage checks the whole
 * configuration before it becomes a revision.
 */
export function validateFlowPart(body: unknown): FlowValidationResult | null {
  const problem = inputProblem(body, "body");
  if (problem) return refuse(problem.field, problem.reason, problem.params);
  if (body === null || typeof body !== "object") return refuse("body", "invalid_node");
  for (const list of ["nodes", "configs", "subflows"]) {
    const nodes = (body as Record<string, unknown>)[list];
    if (!Array.isArray(nodes)) continue;
    for (const [index, node] of nodes.entries()) {
      const wires = node !== null && typeof node === "object" ? (node as Record<string, unknown>).wires : undefined;
      if (wires !== undefined && !validWires(wires)) return refuse(`body.${list}.${index}.wires`, "invalid_wires");
    }
  }
  return null;
}

/** Validates flows given as JSON text (import files) or as parsed JSON (HTTP bodies). */
export function validateFlows(input: unknown, options: FlowValidationOptions): FlowValidationResult {
  let parsed = input;
  const tooLarge = () => refuse(ROOT, "too_large", { limit: options.maxBytes }, `flows are larger than the limit of ${options.maxBytes} bytes`);
  if (typeof input === "string") {
    if (Buffer.byteLength(input, "utf8") > options.maxBytes) return tooLarge();
    try {
      parsed = JSON.parse(input);
    } catch (error) {
      return refuse(ROOT, "not_json", undefined, `flows are not valid JSON: ${(error as Error).message}`);
    }
  }
  // Before anything recursive (the size check stringifies): depth, NUL, non-finite numbers.
  const problem = inputProblem(parsed, ROOT);
  if (problem) return refuse(problem.field, problem.reason, problem.params);
  if (typeof input !== "string" && Buffer.byteLength(JSON.stringify(input) ?? "", "utf8") > options.maxBytes) return tooLarge();
  if (!Array.isArray(parsed)) return refuse(ROOT, "not_an_array", undefined, "flows must be a JSON array of node objects");
  const forbidden = findForbiddenKey(parsed);
  if (forbidden) return refuse(forbidden, "forbidden_key", undefined, `forbidden key or structure at ${forbidden}`);
  const ids = new Set<string>();
  const subflowIds = new Set<string>();
  for (let index = 0; index < parsed.length; index++) {
    const node: unknown = parsed[index];
    const at = fieldPath(ROOT, index);
    if (node === null || typeof node !== "object" || Array.isArray(node)) return refuse(at, "invalid_node", undefined, `${at} is not an object`);
    const { id, type, wires } = node as Record<string, unknown>;
    if (typeof id !== "string" || id.length === 0) return refuse(fieldPath(at, "id"), "invalid_node", undefined, `${at} has no string id`);
    if (typeof type !== "string" || type.length === 0) {
      return refuse(fieldPath(at, "type"), "invalid_node", undefined, `node ${id} has no string type`);
    }
    if (ids.has(id)) return refuse(fieldPath(at, "id"), "duplicate_id", { id }, `node id ${id} is used more than once`);
    if (wires !== undefined && !validWires(wires)) {
      return refuse(fieldPath(at, "wires"), "invalid_wires");
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
    return refuse(ROOT, "unknown_type", { types }, `unknown node type${types.length > 1 ? "s" : ""}: ${types.join(", ")}`);
  }
  return { ok: true, flows: parsed as FlowNode[] };
}
