import '@xyflow/react/dist/style.css';
import { Box, Group, Stack, Text, Title } from '@mantine/core';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  type Edge,
  type FitViewOptions,
  type Node,
  type NodeTypes,
} from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { tagPath, type Field } from '../../api/field';
import { LiveStatusBadge } from '../../live/live-status-badge';
import { useLiveTags } from '../../live/use-live-tags';
import { AssetNodeView, LiftGroupView } from './asset-node';
import { FieldLiveContext } from './field-live';
import { layoutField, type LayoutEdge, type LayoutNode } from './field-layout';
import { WithField } from './field-query';
import { type AssetState } from './key-points';
import { BAD_HATCH, paletteVar, STATE_COLOR } from './state-palette';

// ReactFlow compares these by identity, so they must not be recreated per render.
const NODE_TYPES: NodeTypes = { asset: AssetNodeView, liftGroup: LiftGroupView };
const FIT_VIEW_OPTIONS: FitViewOptions = { maxZoom: 1, padding: 0.08 };
const LEGEND_STATES: readonly Exclude<AssetState, 'none' | 'unknown'>[] = ['running', 'stopped', 'tripped', 'shut-in'];

const EDGE_STYLE: Record<LayoutEdge['medium'], { stroke: string; strokeWidth: number; strokeDasharray?: string }> = {
  liquid: { stroke: paletteVar('blue', 7), strokeWidth: 2 },
  gas: { stroke: paletteVar('orange', 6), strokeWidth: 2, strokeDasharray: '7 5' },
};

function toFlowNode(node: LayoutNode): Node {
  // Groups are backdrops: only the wells inside them are interactive.
  const group = node.type === 'liftGroup';
  return { ...node, draggable: false, selectable: !group, focusable: !group, zIndex: group ? -1 : 0 };
}

function toFlowEdge(edge: LayoutEdge): Edge {
  const style = EDGE_STYLE[edge.medium];
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: 'smoothstep',
    style,
    markerEnd: { type: MarkerType.ArrowClosed, color: style.stroke },
    data: { medium: edge.medium },
  };
}

function Legend() {
  const { t } = useTranslation();
  return (
    <Group gap="md" data-testid="field-legend">
      {LEGEND_STATES.map((state) => (
        <Group key={state} gap={6} wrap="nowrap">
          <Box
            w={16}
            h={12}
            style={{
              border: `2px solid ${paletteVar(STATE_COLOR[state], 6)}`,
              background: paletteVar(STATE_COLOR[state], 0),
              borderRadius: 3,
            }}
          />
          <Text size="sm">{t(`field.state.${state}`)}</Text>
        </Group>
      ))}
      <Group gap={6} wrap="nowrap">
        <Box w={16} h={12} style={{ border: `2px dashed ${paletteVar('red', 7)}`, background: BAD_HATCH, borderRadius: 3 }} />
        <Text size="sm">{t('field.legend.badQuality')}</Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        <Box w={16} h={12} style={{ border: `2px dashed ${paletteVar('gray', 5)}`, background: paletteVar('gray', 0), borderRadius: 3 }} />
        <Text size="sm">{t('field.legend.stale')}</Text>
      </Group>
      {(['liquid', 'gas'] as const).map((medium) => (
        <Group key={medium} gap={6} wrap="nowrap">
          <svg width={28} height={10} aria-hidden>
            <line x1={0} y1={5} x2={28} y2={5} style={EDGE_STYLE[medium]} />
          </svg>
          <Text size="sm">{t(`field.legend.${medium}`)}</Text>
        </Group>
      ))}
    </Group>
  );
}

function FieldDiagram({ field }: { field: Field }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { nodes, edges, paths } = useMemo(() => {
    const layout = layoutField(field);
    return {
      nodes: layout.nodes.map(toFlowNode),
      edges: layout.edges.map(toFlowEdge),
      // Only the values on screen are subscribed, not every tag of the site.
      paths: layout.nodes.flatMap((node) =>
        node.type === 'asset'
          ? node.data.keyPoints.map((keyPoint) => tagPath(field.siteId, node.id, keyPoint.point))
          : [],
      ),
    };
  }, [field]);
  const values = useLiveTags(paths);
  const live = useMemo(() => ({ siteId: field.siteId, values }), [field.siteId, values]);
  const wells = useMemo(
    () => new Set(field.assets.filter((asset) => asset.kind === 'well').map((asset) => asset.id)),
    [field],
  );

  if (field.assets.length === 0) return <Text c="dimmed">{t('field.empty')}</Text>;
  return (
    <FieldLiveContext value={live}>
      <Box
        h="calc(100dvh - 190px)"
        mih={480}
        style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8 }}
        data-testid="field-diagram"
      >
        <ReactFlow
          aria-label={t('field.diagram')}
          nodes={nodes}
          edges={edges}
          nodeTypes={NODE_TYPES}
          fitView
          fitViewOptions={FIT_VIEW_OPTIONS}
          minZoom={0.1}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          onNodeClick={(_event, node) => {
            if (wells.has(node.id)) void navigate(`/field/wells/${encodeURIComponent(node.id)}`);
          }}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </Box>
    </FieldLiveContext>
  );
}

export function FieldPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('field.title')}</Title>
        <LiveStatusBadge />
      </Group>
      <Legend />
      <WithField>{(field) => <FieldDiagram field={field} />}</WithField>
    </Stack>
  );
}
