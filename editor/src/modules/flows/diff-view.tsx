import '@xyflow/react/dist/style.css';
import { Badge, Box, Group, Stack, Tabs, Text } from '@mantine/core';
import { Background, Controls, ReactFlow, type FitViewOptions, type NodeOrigin, type NodeTypes } from '@xyflow/react';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlowDiff, NodeRedNode } from '../../api/flows';
import { buildDiffGraph, type DiffContainer, type DiffCounts, type DiffStatus } from './diff-graph';
import { DiffNodeView } from './diff-node';
import { paletteVar, STATUS_COLOR, wireStyle } from './diff-palette';
import { PropertyDiffPanel } from './property-diff-panel';

// ReactFlow compares these by identity, so they must not be recreated per render.
const NODE_TYPES: NodeTypes = { diff: DiffNodeView };
// Node-RED coordinates are node centres.
const NODE_ORIGIN: NodeOrigin = [0.5, 0.5];
// Small flows would otherwise be blown up to fill the canvas.
const FIT_VIEW_OPTIONS: FitViewOptions = { maxZoom: 1, padding: 0.15 };

const STATUSES: readonly DiffStatus[] = ['added', 'removed', 'changed', 'unchanged'];
const COUNTED: readonly (keyof DiffCounts)[] = ['added', 'removed', 'changed', 'rewired'];
const COUNT_COLOR: Record<keyof DiffCounts, string> = { ...STATUS_COLOR, rewired: 'orange' };

function DiffSummary({ counts }: { counts: DiffCounts }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="diff-summary">
      <Text fw={600}>{t('flows.diff.summary')}:</Text>
      {COUNTED.map((key) => (
        <Badge key={key} color={COUNT_COLOR[key]} variant="light" data-testid={`diff-count-${key}`}>
          {t(`flows.diff.${key}`)}: {counts[key]}
        </Badge>
      ))}
    </Group>
  );
}

function DiffLegend() {
  const { t } = useTranslation();
  const wires = [
    { key: 'rewired', label: t('flows.diff.rewiredWire'), style: wireStyle('rewired') },
    { key: 'removed', label: t('flows.diff.removedWire'), style: wireStyle('removed') },
  ] as const;
  return (
    <Group gap="md" data-testid="diff-legend" aria-label={t('flows.diff.legend')}>
      {STATUSES.map((status) => (
        <Group key={status} gap={6} wrap="nowrap">
          <Box
            w={16}
            h={12}
            style={{
              border: `2px ${status === 'removed' ? 'dashed' : 'solid'} ${paletteVar(STATUS_COLOR[status], 6)}`,
              background: paletteVar(STATUS_COLOR[status], 1),
              borderRadius: 3,
            }}
          />
          <Text size="sm">{t(`flows.diff.${status}`)}</Text>
        </Group>
      ))}
      {wires.map((wire) => (
        <Group key={wire.key} gap={6} wrap="nowrap">
          <svg width={28} height={10} aria-hidden>
            <line x1={0} y1={5} x2={28} y2={5} style={wire.style} />
          </svg>
          <Text size="sm">{wire.label}</Text>
        </Group>
      ))}
    </Group>
  );
}

function DiffCanvas({ container, selectedId, onSelect }: {
  container: DiffContainer;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const nodes = useMemo(
    () => container.nodes.map((node) => ({ ...node, selected: node.id === selectedId })),
    [container, selectedId],
  );
  if (container.nodes.length === 0) {
    return (
      <Text c="dimmed" py="xl" ta="center">
        {t('flows.diff.emptyTab')}
      </Text>
    );
  }
  return (
    <Box h={560} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}>
      <ReactFlow
        aria-label={t('flows.diff.graph')}
        nodes={nodes}
        edges={container.edges}
        nodeTypes={NODE_TYPES}
        nodeOrigin={NODE_ORIGIN}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.05}
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_event, node) => onSelect(node.data.status === 'changed' ? node.id : null)}
        onPaneClick={() => onSelect(null)}
      >
        <Background gap={20} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </Box>
  );
}

function containerTitle(container: DiffContainer, t: TFunction): string {
  if (container.kind === 'config') return t('flows.diff.configNodes');
  if (container.kind === 'subflow') return t('flows.diff.subflow', { name: container.label });
  return container.label;
}

interface DiffViewProps {
  diff: FlowDiff;
  toFlows: readonly NodeRedNode[];
}

export function DiffView({ diff, toFlows }: DiffViewProps) {
  const { t } = useTranslation();
  const graph = useMemo(() => buildDiffGraph(diff, toFlows), [diff, toFlows]);
  const firstChanged = graph.containers.find((c) => c.changes > 0 || c.status !== 'unchanged');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const active = graph.containers.find((c) => c.id === activeId) ?? firstChanged ?? graph.containers[0];
  const changedById = useMemo(() => new Map(diff.changed.map((n) => [n.id, n])), [diff]);
  const rewiredById = useMemo(() => new Map(diff.rewired.map((n) => [n.id, n])), [diff]);
  const selectedChanged = selectedId === null ? undefined : changedById.get(selectedId);
  const selectedRewired = selectedId === null ? undefined : rewiredById.get(selectedId);
  const panelOpen = selectedChanged !== undefined || selectedRewired !== undefined;
  const unchanged = COUNTED.every((key) => graph.counts[key] === 0);

  return (
    <Stack gap="sm">
      <DiffSummary counts={graph.counts} />
      <DiffLegend />
      <Text size="sm" c="dimmed">
        {unchanged ? t('flows.diff.noChanges') : t('flows.diff.hint')}
      </Text>
      {active && (
        <Tabs
          value={active.id}
          onChange={(value) => {
            setActiveId(value);
            setSelectedId(null);
          }}
          keepMounted={false}
        >
          <Tabs.List aria-label={t('flows.diff.tabs')}>
            {graph.containers.map((container) => (
              <Tabs.Tab
                key={container.id}
                value={container.id}
                data-testid={`diff-tab-${container.id}`}
                data-diff-status={container.status}
                c={container.status === 'unchanged' ? undefined : paletteVar(STATUS_COLOR[container.status], 8)}
                td={container.status === 'removed' ? 'line-through' : undefined}
                rightSection={
                  container.changes > 0 ? (
                    <Badge size="sm" circle color={STATUS_COLOR.changed}>
                      {container.changes}
                    </Badge>
                  ) : undefined
                }
              >
                {containerTitle(container, t)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {graph.containers.map((container) => (
            <Tabs.Panel key={container.id} value={container.id} pt="sm" pos="relative">
              <DiffCanvas container={container} selectedId={selectedId} onSelect={setSelectedId} />
              {panelOpen && (
                // Laid over the canvas rather than beside it: shrinking the
                // canvas would leave the fitted viewport cut off.
                <Box
                  pos="absolute"
                  top="var(--mantine-spacing-sm)"
                  right={0}
                  w={{ base: '100%', sm: 420 }}
                  style={{ zIndex: 5 }}
                >
                  <PropertyDiffPanel
                    changed={selectedChanged}
                    rewired={selectedRewired}
                    onClose={() => setSelectedId(null)}
                  />
                </Box>
              )}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
    </Stack>
  );
}
