import { Box, Group, Text, Tree, UnstyledButton, useTree, type TreeNodeData } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssetTreeNode } from '../../api/assets';
import { ancestorIds, buildAssetTree, countWells, type AssetTreeItem } from './asset-tree';
import { STATUS_COLOR, useKindLabel } from './asset-labels';

function toTreeData(items: readonly AssetTreeItem[]): TreeNodeData[] {
  return items.map((item) => ({ value: item.node.id, label: item.node.code, children: toTreeData(item.children) }));
}

function collectItems(items: readonly AssetTreeItem[], into = new Map<string, AssetTreeItem>()): Map<string, AssetTreeItem> {
  for (const item of items) {
    into.set(item.node.id, item);
    collectItems(item.children, into);
  }
  return into;
}

interface AssetTreePanelProps {
  nodes: readonly AssetTreeNode[];
  /** null: the whole register. */
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

/** Field → site → well → equipment; choosing a node lists what hangs directly under it. */
export function AssetTreePanel({ nodes, selectedId, onSelect }: AssetTreePanelProps) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const roots = useMemo(() => buildAssetTree(nodes), [nodes]);
  const data = useMemo(() => toTreeData(roots), [roots]);
  const items = useMemo(() => collectItems(roots), [roots]);
  // What the user opened or folded; fields and sites not mentioned start open, so every well is in sight.
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const expandedState = useMemo(() => {
    const opened = nodes.filter((node) => node.kind === 'field' || node.kind === 'site').map((node): [string, boolean] => [node.id, true]);
    return { ...Object.fromEntries(opened), ...toggled };
  }, [nodes, toggled]);
  const tree = useTree({ expandedState, onExpandedStateChange: setToggled });
  // The chosen asset's branch opens (from a breadcrumb on a detail page, say): adjusted while
  // rendering when the choice or the register changes, as React advises, not in an effect.
  const [openedFor, setOpenedFor] = useState<{ nodes: readonly AssetTreeNode[]; selectedId: string | null } | null>(null);
  if (openedFor?.nodes !== nodes || openedFor.selectedId !== selectedId) {
    setOpenedFor({ nodes, selectedId });
    if (selectedId !== null) {
      const branch = ancestorIds(nodes, selectedId);
      setToggled((current) =>
        branch.every((id) => current[id] === true) ? current : { ...current, ...Object.fromEntries(branch.map((id): [string, boolean] => [id, true])) },
      );
    }
  }

  return (
    <Box data-testid="asset-tree">
      <UnstyledButton
        onClick={() => onSelect(null)}
        px={6}
        py={4}
        w="100%"
        bg={selectedId === null ? 'var(--mantine-primary-color-light)' : undefined}
        style={{ borderRadius: 'var(--mantine-radius-sm)' }}
        data-testid="asset-tree-all"
      >
        <Text size="sm" fw={600}>
          {t('assets.tree.all')}
        </Text>
      </UnstyledButton>
      {nodes.length === 0 ? (
        <Text size="sm" c="dimmed" p={6}>
          {t('assets.tree.empty')}
        </Text>
      ) : (
        <Tree
          data={data}
          tree={tree}
          levelOffset="md"
          // A click chooses the asset (and opens it); only the chevron folds a branch.
          expandOnClick={false}
          renderNode={({ node, expanded, hasChildren, elementProps }) => {
            const item = items.get(node.value);
            if (item === undefined) return null;
            const asset = item.node;
            const selected = asset.id === selectedId;
            const wells = asset.kind === 'field' || asset.kind === 'site' ? countWells(item) : null;
            return (
              <Group
                gap={6}
                wrap="nowrap"
                {...elementProps}
                onClick={(event) => {
                  elementProps.onClick(event);
                  if (hasChildren) tree.expand(asset.id);
                  onSelect(asset.id);
                }}
                py={3}
                px={4}
                bg={selected ? 'var(--mantine-primary-color-light)' : undefined}
                style={{ ...elementProps.style, borderRadius: 'var(--mantine-radius-sm)', cursor: 'pointer' }}
                title={`${kindLabel(asset)} — ${asset.name}`}
                data-testid={`asset-tree-node-${asset.code}`}
                data-selected={selected || undefined}
              >
                <UnstyledButton
                  w={14}
                  ta="center"
                  fz="xs"
                  c="dimmed"
                  disabled={!hasChildren}
                  onClick={(event) => {
                    event.stopPropagation();
                    tree.toggleExpanded(asset.id);
                  }}
                  aria-label={t(expanded ? 'assets.tree.collapse' : 'assets.tree.expand', { code: asset.code })}
                  aria-expanded={hasChildren ? expanded : undefined}
                  data-testid={`asset-tree-toggle-${asset.code}`}
                >
                  {hasChildren ? (expanded ? '▾' : '▸') : ''}
                </UnstyledButton>
                {asset.status !== undefined && (
                  <Box
                    w={8}
                    h={8}
                    bg={`var(--mantine-color-${STATUS_COLOR[asset.status]}-filled)`}
                    style={{ borderRadius: '50%', flex: 'none' }}
                    aria-label={t(`assets.status.${asset.status}`)}
                  />
                )}
                <Text
                  size="sm"
                  fw={asset.kind === 'well' ? 400 : 600}
                  ff={asset.kind === 'equipment' ? 'monospace' : undefined}
                  style={{ whiteSpace: 'nowrap', flex: 'none' }}
                >
                  {asset.code}
                </Text>
                <Text size="xs" c="dimmed" truncate style={{ flex: 1 }}>
                  {asset.name}
                </Text>
                {wells !== null && wells > 0 && (
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', flex: 'none' }}>
                    {t('assets.tree.wells', { count: wells })}
                  </Text>
                )}
              </Group>
            );
          }}
        />
      )}
    </Box>
  );
}
