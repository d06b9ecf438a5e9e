import { Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { oldestUpdate, worstStaleness } from '../../live/live-staleness';
import { LiveValueText, STALE_OPACITY } from '../../live/live-value-text';
import { useLiveStatus } from '../../live/use-live-tags';
import { formatTimestamp } from '../../units/format-time';
import { assetState, MAX_SHOWN_POINTS, worstQuality, type KeyPoint } from './key-points';
import { usePointValue } from './field-live';
import type { AssetNodeData, GroupNodeData } from './field-layout';
import { BAD_HATCH, paletteVar, STATE_COLOR } from './state-palette';

const HIDDEN_HANDLE: CSSProperties = { opacity: 0, pointerEvents: 'none' };

function KeyValueRow({ assetId, keyPoint }: { assetId: string; keyPoint: KeyPoint }) {
  const { t } = useTranslation();
  const valueOf = usePointValue();
  return (
    <Group justify="space-between" gap={6} wrap="nowrap" h={22}>
      <Text size="xs" c="dimmed" truncate title={keyPoint.point}>
        {t(`field.roles.${keyPoint.role}`)}
        {keyPoint.qualifier !== null && ` ${keyPoint.qualifier}`}
      </Text>
      <LiveValueText
        value={valueOf(assetId, keyPoint.point)}
        unit={keyPoint.unit}
        size="xs"
        fw={600}
        testId={`field-value-${assetId}-${keyPoint.point}`}
      />
    </Group>
  );
}

export function AssetNodeView({ data, width, height }: NodeProps<Node<AssetNodeData, 'asset'>>) {
  const { t, i18n } = useTranslation();
  const valueOf = usePointValue();
  const { state: feed } = useLiveStatus();
  const { asset, keyPoints } = data;
  const values = keyPoints.map((keyPoint) => valueOf(asset.id, keyPoint.point));
  const state = assetState(keyPoints, (point) => valueOf(asset.id, point));
  const quality = worstQuality(values);
  const staleness = worstStaleness(values, feed);
  // While the feed is down the last known state is shown faded and grey, never as a live green RUNNING.
  const feedDown = staleness === 'feedDown';
  const since = staleness === 'fresh' ? null : oldestUpdate(values);
  const reasons = keyPoints.flatMap((keyPoint, index) => {
    const value = values[index];
    return value?.q === 'bad' ? [`${keyPoint.point}: ${value.reason ?? t('live.quality.bad')}`] : [];
  });
  if (feedDown) reasons.unshift(t('field.staleState'));
  const color = feedDown ? 'gray' : STATE_COLOR[state];
  const bad = quality === 'bad' && !feedDown;
  const style: CSSProperties = {
    width,
    height,
    padding: '6px 10px',
    borderRadius: 8,
    border: `2px ${bad || feedDown ? 'dashed' : 'solid'} ${bad ? paletteVar('red', 7) : paletteVar(color, feedDown ? 5 : 6)}`,
    background: bad ? BAD_HATCH : paletteVar(color, 0),
    cursor: asset.kind === 'well' ? 'pointer' : 'default',
    boxSizing: 'border-box',
  };

  return (
    <Tooltip label={reasons.join('\n')} disabled={reasons.length === 0} multiline maw={360} style={{ whiteSpace: 'pre-line' }}>
      <div
        data-testid={`field-node-${asset.id}`}
        data-state={state}
        data-quality={quality ?? 'none'}
        data-stale={staleness ?? 'none'}
        style={style}
      >
        <Handle type="target" position={Position.Left} isConnectable={false} style={HIDDEN_HANDLE} />
        <Stack gap={0}>
          <Group justify="space-between" gap={4} wrap="nowrap">
            <Text size="sm" fw={700} truncate>
              {asset.id}
            </Text>
            {state !== 'none' && (
              <Badge
                size="xs"
                color={color}
                variant={feedDown ? 'outline' : state === 'running' ? 'filled' : 'light'}
                style={feedDown ? { opacity: STALE_OPACITY } : undefined}
                data-testid={`field-state-${asset.id}`}
                data-stale={feedDown}
              >
                {t(`field.state.${state}`)}
              </Badge>
            )}
          </Group>
          {since === null ? (
            <Text size="xs" c="dimmed" truncate title={asset.description}>
              {t(`field.kind.${asset.kind}`)} · {asset.description}
            </Text>
          ) : (
            <Text size="xs" c={feedDown ? 'dimmed' : 'orange.8'} truncate data-testid={`field-updated-${asset.id}`}>
              {t('live.lastUpdate', { time: formatTimestamp(since, i18n.language) })}
            </Text>
          )}
          {keyPoints.slice(0, MAX_SHOWN_POINTS).map((keyPoint) => (
            <KeyValueRow key={keyPoint.point} assetId={asset.id} keyPoint={keyPoint} />
          ))}
        </Stack>
        <Handle type="source" position={Position.Right} isConnectable={false} style={HIDDEN_HANDLE} />
      </div>
    </Tooltip>
  );
}

export function LiftGroupView({ data, width, height }: NodeProps<Node<GroupNodeData, 'liftGroup'>>) {
  const { t } = useTranslation();
  return (
    <div
      data-testid={`field-group-${data.liftType}`}
      style={{
        width,
        height,
        borderRadius: 10,
        border: `1px dashed ${paletteVar('gray', 5)}`,
        background: paletteVar('gray', 0),
        padding: '6px 14px',
        boxSizing: 'border-box',
      }}
    >
      <Text size="xs" fw={700} tt="uppercase" c="dimmed">
        {t(`field.lift.${data.liftType}`)} · {t('field.wellCount', { count: data.count })}
      </Text>
    </div>
  );
}
