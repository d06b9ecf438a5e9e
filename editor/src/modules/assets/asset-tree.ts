import type { AssetKind, AssetTreeNode } from '../../api/assets';

export interface AssetTreeItem {
  node: AssetTreeNode;
  children: AssetTreeItem[];
}

const KIND_ORDER: Record<AssetKind, number> = { field: 0, site: 1, well: 2, equipment: 3 };

// Codes carry numbers (WELL-9, WELL-10): compare them as a person reads them.
const codeOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Under one parent: wells before the site's own equipment, then by code. */
function compareNodes(a: AssetTreeNode, b: AssetTreeNode): number {
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || codeOrder.compare(a.code, b.code);
}

/**
 * The nested tree of the flat /assets/tree answer. A node whose parent is not
 * in the list (or that sits in a parent loop) becomes a root rather than
 * disappearing: the screen must show every asset the server sent.
 */
export function buildAssetTree(nodes: readonly AssetTreeNode[]): AssetTreeItem[] {
  const items = new Map<string, AssetTreeItem>();
  for (const node of nodes) items.set(node.id, { node, children: [] });
  const roots: AssetTreeItem[] = [];
  for (const item of items.values()) {
    const parent = item.node.parentId === null ? undefined : items.get(item.node.parentId);
    if (parent === undefined || parent === item) roots.push(item);
    else parent.children.push(item);
  }
  const reached = new Set<string>();
  const visit = (item: AssetTreeItem) => {
    reached.add(item.node.id);
    item.children.sort((a, b) => compareNodes(a.node, b.node));
    for (const child of item.children) visit(child);
  };
  for (const root of roots) visit(root);
  // Members of a parent loop are reachable from no root: detach the first one met so the rest hang under it.
  for (const item of items.values()) {
    if (reached.has(item.node.id)) continue;
    for (const other of items.values()) {
      other.children = other.children.filter((child) => child !== item);
    }
    roots.push(item);
    visit(item);
  }
  return roots.sort((a, b) => compareNodes(a.node, b.node));
}

/** The ids from the root down to the asset's parent (empty for a root or an unknown id). */
export function ancestorIds(nodes: readonly AssetTreeNode[], id: string): string[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const path: string[] = [];
  const seen = new Set<string>([id]);
  let parentId = byId.get(id)?.parentId ?? null;
  while (parentId !== null && !seen.has(parentId)) {
    const parent = byId.get(parentId);
    if (parent === undefined) break;
    seen.add(parentId);
    path.unshift(parentId);
    parentId = parent.parentId;
  }
  return path;
}

/** Wells anywhere below the item (the item itself included when it is one). */
export function countWells(item: AssetTreeItem): number {
  return (item.node.kind === 'well' ? 1 : 0) + item.children.reduce((sum, child) => sum + countWells(child), 0);
}

/** Which kinds an asset of `kind` may hang under: the register's hierarchy. */
export function parentKindsFor(kind: AssetKind): readonly AssetKind[] {
  switch (kind) {
    case 'field':
      return [];
    case 'site':
      return ['field'];
    case 'well':
      return ['site'];
    case 'equipment':
      return ['well', 'site'];
  }
}

/** The kinds that may be created under an asset of `kind`. */
export function childKindsFor(kind: AssetKind): AssetKind[] {
  const kinds: AssetKind[] = ['site', 'well', 'equipment'];
  return kinds.filter((child) => parentKindsFor(child).includes(kind));
}

/**
 * The assets an asset of `kind` may be placed under, ordered by code. Parents
 * are always of a higher kind, so an asset is never offered itself or
 * anything below it.
 */
export function parentCandidates(nodes: readonly AssetTreeNode[], kind: AssetKind): AssetTreeNode[] {
  const allowed = parentKindsFor(kind);
  return nodes.filter((node) => allowed.includes(node.kind)).sort((a, b) => codeOrder.compare(a.code, b.code));
}
