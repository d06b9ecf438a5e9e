import type { Edge, Node } from '@xyflow/react';
import type { FlowDiff, NodeRedNode, RewiredNode } from '../../api/flows';
import { wireStyle } from './diff-palette';

export type DiffStatus = 'added' | 'removed' | 'changed' | 'unchanged';
export type WireStatus = 'added' | 'removed' | 'rewired' | 'unchanged';

export type DiffNodeData = {
  label: string;
  nodeType: string;
  status: DiffStatus;
  rewired: boolean;
  /** Only groups carry a size in flow JSON; other nodes size to their label. */
  size: { width: number; height: number } | null;
};

export type DiffNode = Node<DiffNodeData, 'diff'>;
export type DiffEdge = Edge<{ status: WireStatus }>;

/** `config` collects nodes that live on no tab or subflow, such as broker configs. */
export type DiffContainerKind = 'tab' | 'subflow' | 'config';

export interface DiffContainer {
  id: string;
  kind: DiffContainerKind;
  /** Tab label or subflow name as written in the flows; empty for `config`. */
  label: string;
  status: DiffStatus;
  /** How many of this container's nodes are not `unchanged`. */
  changes: number;
  nodes: DiffNode[];
  edges: DiffEdge[];
}

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  rewired: number;
}

export interface DiffGraph {
  containers: DiffContainer[];
  counts: DiffCounts;
}

const CONFIG_CONTAINER_ID = '__config__';

/** Where nodes without coordinates go: rows of cells below the laid-out nodes. */
const GRID = { columns: 4, columnWidth: 220, rowHeight: 80, left: 120, gapBelow: 120 };

type Positioned = NodeRedNode & { x: number; y: number };

function hasPosition(node: NodeRedNode): node is Positioned {
  return Number.isFinite(node.x) && Number.isFinite(node.y);
}

function isContainer(node: NodeRedNode): boolean {
  return node.type === 'tab' || node.type === 'subflow';
}

function labelOf(node: NodeRedNode): string {
  for (const candidate of [node.name, node.label]) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
  }
  return node.type;
}

function groupSize(node: NodeRedNode): { width: number; height: number } | null {
  if (node.type !== 'group' || !Number.isFinite(node.w) || !Number.isFinite(node.h)) return null;
  return { width: Number(node.w), height: Number(node.h) };
}

function wiresOf(node: NodeRedNode): string[][] {
  return Array.isArray(node.wires) ? node.wires : [];
}

/**
 * Positions are node centres (the graph is drawn with nodeOrigin [0.5, 0.5]),
 * which is what Node-RED stores for ordinary nodes. Groups store their
 * top-left corner instead, so they are shifted by half their size.
 */
function layout(members: readonly NodeRedNode[]): Map<string, { x: number; y: number }> {
  const positions = new Map<string, { x: number; y: number }>();
  let bottom = Number.NEGATIVE_INFINITY;
  for (const node of members) {
    if (!hasPosition(node)) continue;
    const size = groupSize(node);
    positions.set(
      node.id,
      size ? { x: node.x + size.width / 2, y: node.y + size.height / 2 } : { x: node.x, y: node.y },
    );
    bottom = Math.max(bottom, node.y + (size?.height ?? 0));
  }
  const gridTop = Number.isFinite(bottom) ? bottom + GRID.gapBelow : 0;
  let cell = 0;
  for (const node of members) {
    if (positions.has(node.id)) continue;
    positions.set(node.id, {
      x: GRID.left + (cell % GRID.columns) * GRID.columnWidth,
      y: gridTop + Math.floor(cell / GRID.columns) * GRID.rowHeight,
    });
    cell += 1;
  }
  return positions;
}

function wireEdges(
  source: string,
  wires: readonly string[][],
  status: WireStatus,
  reachable: ReadonlySet<string>,
  keep: (port: number, target: string) => boolean = () => true,
): DiffEdge[] {
  const edges: DiffEdge[] = [];
  wires.forEach((targets, port) => {
    for (const target of targets) {
      // Wires never leave their tab; a target outside it is a dangling reference.
      if (!reachable.has(target) || !keep(port, target)) continue;
      edges.push({
        // Old and new wires between the same ports can both be drawn, so the
        // status is part of the id.
        id: `${source}:${port}>${target}:${status}`,
        source,
        target,
        data: { status },
        style: wireStyle(status),
        selectable: false,
      });
    }
  });
  return edges;
}

function edgesFor(
  node: NodeRedNode,
  status: DiffStatus,
  rewired: RewiredNode | undefined,
  reachable: ReadonlySet<string>,
): DiffEdge[] {
  if (status === 'removed') return wireEdges(node.id, wiresOf(node), 'removed', reachable);
  const current = wireEdges(
    node.id,
    wiresOf(node),
    status === 'added' ? 'added' : rewired ? 'rewired' : 'unchanged',
    reachable,
  );
  if (!rewired) return current;
  const dropped = wireEdges(
    node.id,
    rewired.from,
    'removed',
    reachable,
    (port, target) => !(rewired.to[port] ?? []).includes(target),
  );
  return [...current, ...dropped];
}

/**
 * Builds one graph per tab, subflow and (if any) the configuration nodes, out
 * of the nodes of the `to` revision plus the nodes removed since `from`.
 */
export function buildDiffGraph(diff: FlowDiff, toFlows: readonly NodeRedNode[]): DiffGraph {
  const rewiredById = new Map(diff.rewired.map((node) => [node.id, node]));
  const statusById = new Map<string, DiffStatus>();
  // Later writes win: a node both added and rewired is reported as added.
  for (const node of diff.changed) statusById.set(node.id, 'changed');
  for (const node of diff.rewired) statusById.set(node.id, 'changed');
  for (const node of diff.added) statusById.set(node.id, 'added');
  for (const node of diff.removed) statusById.set(node.id, 'removed');
  const statusOf = (id: string): DiffStatus => statusById.get(id) ?? 'unchanged';

  const toIds = new Set(toFlows.map((node) => node.id));
  const everything = [...toFlows, ...diff.removed.filter((node) => !toIds.has(node.id))];

  const containerNodes = [
    ...everything.filter((node) => node.type === 'tab'),
    ...everything.filter((node) => node.type === 'subflow'),
  ];
  const members = new Map<string, NodeRedNode[]>(containerNodes.map((node) => [node.id, []]));
  const configMembers: NodeRedNode[] = [];
  for (const node of everything) {
    if (isContainer(node)) continue;
    const bucket = node.z === undefined ? undefined : members.get(node.z);
    (bucket ?? configMembers).push(node);
  }

  const build = (id: string, kind: DiffContainerKind, label: string, nodes: readonly NodeRedNode[]): DiffContainer => {
    const positions = layout(nodes);
    const reachable = new Set(nodes.map((node) => node.id));
    // Groups go first so that, drawn in array order, they sit behind their nodes.
    const ordered = [...nodes].sort((a, b) => Number(b.type === 'group') - Number(a.type === 'group'));
    const graphNodes = ordered.map((node): DiffNode => {
      const size = groupSize(node);
      return {
        id: node.id,
        type: 'diff',
        position: positions.get(node.id) ?? { x: 0, y: 0 },
        data: {
          label: labelOf(node),
          nodeType: node.type,
          status: statusOf(node.id),
          rewired: rewiredById.has(node.id),
          size,
        },
        draggable: false,
        connectable: false,
      };
    });
    return {
      id,
      kind,
      label,
      status: kind === 'config' ? 'unchanged' : statusOf(id),
      changes: graphNodes.filter((node) => node.data.status !== 'unchanged').length,
      nodes: graphNodes,
      edges: ordered.flatMap((node) => edgesFor(node, statusOf(node.id), rewiredById.get(node.id), reachable)),
    };
  };

  const containers = containerNodes.map((node) =>
    build(node.id, node.type === 'tab' ? 'tab' : 'subflow', labelOf(node), members.get(node.id) ?? []),
  );
  if (configMembers.length > 0) containers.push(build(CONFIG_CONTAINER_ID, 'config', '', configMembers));

  return {
    containers,
    counts: {
      added: diff.added.length,
      removed: diff.removed.length,
      changed: diff.changed.length,
      rewired: diff.rewired.length,
    },
  };
}
