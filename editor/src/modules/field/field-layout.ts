import type { Asset, AssetKind, Field, LiftType } from '../../api/field';
import { keyPointsOf, MAX_SHOWN_POINTS, type KeyPoint } from './key-points';

/**
 * The plant laid out left to right in the order the fluids flow: gas-lift
 * compressor, wells grouped by lift type, manifold, separators, tanks.
 */
export const NODE_WIDTH = 210;
const HEADER_HEIGHT = 48;
const ROW_HEIGHT = 22;
const NODE_PADDING = 10;
const COLUMN_GAP = 90;
const ROW_GAP = 24;
const GROUP_PADDING = 14;
const GROUP_HEADER = 30;
const GROUP_GAP = 28;

const COLUMN_OF: Record<AssetKind, number> = {
  compressor: 0,
  well: 1,
  manifold: 2,
  'test-separator': 3,
  'production-separator': 3,
  tank: 4,
};
// Within a column: the test separator above the production one.
const KIND_ORDER: readonly AssetKind[] = [
  'compressor',
  'well',
  'manifold',
  'test-separator',
  'production-separator',
  'tank',
];
const LIFT_ORDER: readonly (LiftType | 'none')[] = ['esp', 'gas-lift', 'rod-pump', 'none'];

export interface AssetNodeData extends Record<string, unknown> {
  asset: Asset;
  keyPoints: KeyPoint[];
}

export interface GroupNodeData extends Record<string, unknown> {
  liftType: LiftType | 'none';
  count: number;
}

interface Placed {
  id: string;
  position: { x: number; y: number };
  width: number;
  height: number;
  /** Positions of nodes in a group are relative to the group. */
  parentId?: string;
}

export type LayoutNode =
  | (Placed & { type: 'asset'; data: AssetNodeData })
  | (Placed & { type: 'liftGroup'; data: GroupNodeData });

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
  /** Lines to or from the compressor carry lift gas; the rest carry well fluids. */
  medium: 'gas' | 'liquid';
}

export interface FieldLayout {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export function nodeHeight(keyPoints: readonly KeyPoint[]): number {
  return HEADER_HEIGHT + Math.min(keyPoints.length, MAX_SHOWN_POINTS) * ROW_HEIGHT + NODE_PADDING;
}

export function groupId(liftType: LiftType | 'none'): string {
  return `lift-group-${liftType}`;
}

function byKindThenId(a: Asset, b: Asset): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.id.localeCompare(b.id);
}

interface Block {
  nodes: LayoutNode[];
  height: number;
  /** Where a gas line into this block should meet it, relative to its top. */
  gasLiftCentre?: number;
}

function assetNode(asset: Asset, x: number, y: number, parentId?: string): LayoutNode {
  const keyPoints = keyPointsOf(asset);
  const node: LayoutNode = {
    id: asset.id,
    type: 'asset',
    position: { x, y },
    width: NODE_WIDTH,
    height: nodeHeight(keyPoints),
    data: { asset, keyPoints },
  };
  return parentId === undefined ? node : { ...node, parentId };
}

function stack(assets: readonly Asset[], x: number): Block {
  const nodes: LayoutNode[] = [];
  let y = 0;
  for (const asset of assets) {
    const node = assetNode(asset, x, y);
    nodes.push(node);
    y += node.height + ROW_GAP;
  }
  return { nodes, height: Math.max(0, y - ROW_GAP) };
}

function wellGroups(wells: readonly Asset[], x: number): Block {
  const nodes: LayoutNode[] = [];
  let y = 0;
  let gasLiftCentre: number | undefined;
  for (const liftType of LIFT_ORDER) {
    const members = wells.filter((well) => (well.liftType ?? 'none') === liftType);
    if (members.length === 0) continue;
    const id = groupId(liftType);
    const children: LayoutNode[] = [];
    let innerY = GROUP_HEADER;
    for (const well of members) {
      const child = assetNode(well, GROUP_PADDING, innerY, id);
      children.push(child);
      innerY += child.height + ROW_GAP;
    }
    const height = innerY - ROW_GAP + GROUP_PADDING;
    // A parent has to come before its children for the diagram library.
    nodes.push(
      {
        id,
        type: 'liftGroup',
        position: { x, y },
        width: NODE_WIDTH + 2 * GROUP_PADDING,
        height,
        data: { liftType, count: members.length },
      },
      ...children,
    );
    if (liftType === 'gas-lift') gasLiftCentre = y + height / 2;
    y += height + GROUP_GAP;
  }
  return { nodes, height: Math.max(0, y - GROUP_GAP), gasLiftCentre };
}

function shift(nodes: readonly LayoutNode[], dy: number): LayoutNode[] {
  return nodes.map((node) =>
    node.parentId === undefined ? { ...node, position: { x: node.position.x, y: node.position.y + dy } } : node,
  );
}

export function layoutField(field: Field): FieldLayout {
  const assets = [...field.assets].sort(byKindThenId);
  const columns = new Map<number, Asset[]>();
  for (const asset of assets) {
    const column = COLUMN_OF[asset.kind];
    columns.set(column, [...(columns.get(column) ?? []), asset]);
  }

  // Empty columns (a site without a compressor) close up instead of leaving a gap.
  const blocks: { column: number; block: Block }[] = [];
  let x = 0;
  for (const column of [...columns.keys()].sort((a, b) => a - b)) {
    const members = columns.get(column) ?? [];
    const block = column === COLUMN_OF.well ? wellGroups(members, x) : stack(members, x);
    blocks.push({ column, block });
    const width = column === COLUMN_OF.well ? NODE_WIDTH + 2 * GROUP_PADDING : NODE_WIDTH;
    x += width + COLUMN_GAP;
  }

  // Every column is centred on the tallest, except the compressor, which sits
  // level with the gas-lift wells it feeds.
  const tallest = Math.max(0, ...blocks.map(({ block }) => block.height));
  const wells = blocks.find(({ column }) => column === COLUMN_OF.well)?.block;
  const wellsTop = wells === undefined ? 0 : (tallest - wells.height) / 2;
  const nodes = blocks.flatMap(({ column, block }) => {
    const centred = (tallest - block.height) / 2;
    const top =
      column === COLUMN_OF.compressor && wells?.gasLiftCentre !== undefined
        ? wellsTop + wells.gasLiftCentre - block.height / 2
        : centred;
    return shift(block.nodes, top);
  });

  const kindOf = new Map(field.assets.map((asset) => [asset.id, asset.kind]));
  const edges = field.links
    .filter((link) => kindOf.has(link.from) && kindOf.has(link.to))
    .map((link): LayoutEdge => {
      const gas = kindOf.get(link.from) === 'compressor' || kindOf.get(link.to) === 'compressor';
      return { id: `${link.from}->${link.to}`, source: link.from, target: link.to, medium: gas ? 'gas' : 'liquid' };
    });
  // A link listed twice would give the diagram two edges with one id.
  return { nodes, edges: [...new Map(edges.map((edge) => [edge.id, edge])).values()] };
}
