import type { FlowNode } from "./flow-validation.js";
import { stableStringify } from "./stable-json.js";

export interface PropertyChange {
  from: unknown;
  to: unknown;
}

export interface ChangedNode {
  id: string;
  type: string;
  name: string;
  properties: Record<string, PropertyChange>;
}

export interface RewiredNode {
  id: string;
  type: string;
  name: string;
  from: string[][];
  to: string[][];
}

export interface FlowDiff {
  added: FlowNode[];
  removed: FlowNode[];
  changed: ChangedNode[];
  rewired: RewiredNode[];
}

function displayName(node: FlowNode): string {
  if (typeof node.name === "string" && node.name) return node.name;
  if (typeof node.label === "string" && node.label) return node.label;
  return "";
}

function same(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

/**
 * What changed from one flow configuration to another, by node id. Wiring is
 * reported apart from other properties (`rewired`), since a changed
 * connection means something different to an engineer than a changed setting.
 * A property missing on one side shows as null.
 */
export function diffFlows(from: readonly FlowNode[], to: readonly FlowNode[]): FlowDiff {
  const before = new Map(from.map((node) => [node.id, node]));
  const after = new Map(to.map((node) => [node.id, node]));
  const diff: FlowDiff = { added: [], removed: [], changed: [], rewired: [] };
  for (const node of to) {
    const old = before.get(node.id);
    if (!old) {
      diff.added.push(node);
      continue;
    }
    const properties: Record<string, PropertyChange> = {};
    const keys = new Set([...Object.keys(old), ...Object.keys(node)]);
    for (const key of [...keys].sort()) {
      if (key === "wires" || key === "id") continue;
      if (!same(old[key], node[key])) properties[key] = { from: old[key] ?? null, to: node[key] ?? null };
    }
    if (Object.keys(properties).length > 0) {
      diff.changed.push({ id: node.id, type: node.type, name: displayName(node), properties });
    }
    const oldWires = old.wires ?? [];
    const newWires = node.wires ?? [];
    if (!same(oldWires, newWires)) {
      diff.rewired.push({ id: node.id, type: node.type, name: displayName(node), from: oldWires, to: newWires });
    }
  }
  for (const node of from) {
    if (!after.has(node.id)) diff.removed.push(node);
  }
  return diff;
}
