import { Anchor, Badge, Card, Group, Stack, Text, Tooltip } from '@mantine/core';
import { memo, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FieldAsset } from '../../api/field';
import type { LiveValue } from '../../live/live-protocol';
import { oldestUpdate, worstStaleness } from '../../live/live-staleness';
import { LiveValueText, STALE_OPACITY } from '../../live/live-value-text';
import { useLiveStatus } from '../../live/use-live-tags';
import { formatTimestamp } from '../../units/format-time';
import { useKindLabel } from '../assets/asset-labels';
import { worstQuality, type AssetState, type KeyPoint } from './key-points';
import { BAD_HATCH, paletteVar, STATE_COLOR, stateLabelKey } from './state-palette';

/** A card has room for this many readings at a readable size; flags show as the state badge instead. */
export const MAX_CARD_VALUES = 3;

/** The readings a card shows: its numeric key points, first ones first. */
export function shownPoints(keyPoints: readonly KeyPoint[]): KeyPoint[] {
  return keyPoints.filter((keyPoint) => keyPoint.unit !== 'bool').slice(0, MAX_CARD_VALUES);
}

/** The route to an asset's page in the field (a well) or in the register (the rest). */
export function fieldAssetHref(asset: Pick<FieldAsset, 'kind' | 'code'>): string {
  const code = encodeURIComponent(asset.code);
  return asset.kind === 'well' ? `/field/wells/${code}` : `/assets/code/${code}`;
}

export function StateBadge({ state, feedDown, testId }: { state: Exclude<AssetState, 'none'>; feedDown: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      fz="xs"
      color={feedDown ? 'gray' : STATE_COLOR[state]}
      variant={feedDown ? 'outline' : state === 'running' ? 'filled' : 'light'}
      style={{ minWidth: 'max-content', ...(feedDown ? { opacity: STALE_OPACITY } : {}) }}
      data-testid={testId}
      data-state={state}
      data-stale={feedDown}
    >
      {t(stateLabelKey(state))}
    </Badge>
  );
}

interface AssetCardProps {
  asset: FieldAsset;
  keyPoints: readonly KeyPoint[];
  /** The live values of `keyPoints`, in their order. */
  values: readonly (LiveValue | undefined)[];
  state: AssetState;
  /** Code of the compressor feeding a gas-lift well's lift gas. */
  liftGasFrom?: string;
}

function AssetCardView({ asset, keyPoints, values, state, liftGasFrom }: AssetCardProps) {
  const { t, i18n } = useTranslation();
  const kindLabel = useKindLabel();
  const { state: feed } = useLiveStatus();
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
    border: `2px ${bad || feedDown ? 'dashed' : 'solid'} ${bad ? paletteVar('red', 7) : paletteVar(color, feedDown ? 5 : 6)}`,
    background: bad ? BAD_HATCH : paletteVar(color, 0),
    color: 'inherit',
  };
  const subtitle =
    asset.kind === 'well'
      ? [asset.liftType === undefined ? null : t(`assets.liftType.${asset.liftType}`), liftGasFrom === undefined ? null : `← ${liftGasFrom}`]
          .filter((part) => part !== null)
          .join(' ')
      : kindLabel({ kind: asset.kind, siteType: asset.siteType, equipmentType: asset.equipmentType });
  const valueIndex = new Map(keyPoints.map((keyPoint, index) => [keyPoint.point, index]));

  return (
    <Tooltip label={reasons.join('\n')} disabled={reasons.length === 0} multiline maw={360} style={{ whiteSpace: 'pre-line' }}>
      <Card
        component={Link}
        to={fieldAssetHref(asset)}
        padding="xs"
        radius="md"
        style={style}
        data-testid={`field-node-${asset.code}`}
        data-kind={asset.kind}
        data-state={state}
        data-register-status={asset.status ?? 'none'}
        data-quality={quality ?? 'none'}
        data-stale={staleness ?? 'none'}
      >
        <Stack gap={2}>
          <Group justify="space-between" gap={4} wrap="nowrap">
            <Text size="sm" fw={700} truncate title={asset.name}>
              {asset.code}
            </Text>
            {state !== 'none' && <StateBadge state={state} feedDown={feedDown} testId={`field-state-${asset.code}`} />}
          </Group>
          {since === null ? (
            <Text size="xs" c="dimmed" truncate title={asset.name}>
              {subtitle === '' ? asset.name : subtitle}
            </Text>
          ) : (
            <Text size="xs" c={feedDown ? 'dimmed' : 'orange.8'} truncate data-testid={`field-updated-${asset.code}`}>
              {t('live.lastUpdate', { time: formatTimestamp(since, i18n.language) })}
            </Text>
          )}
          {shownPoints(keyPoints).map((keyPoint) => (
            <Group key={keyPoint.point} justify="space-between" gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed" truncate title={keyPoint.point}>
                {t(`field.roles.${keyPoint.role}`)}
                {keyPoint.qualifier !== null && ` ${keyPoint.qualifier}`}
              </Text>
              <LiveValueText
                value={values[valueIndex.get(keyPoint.point) ?? -1]}
                unit={keyPoint.unit}
                size="sm"
                fw={600}
                testId={`field-value-${asset.code}-${keyPoint.point}`}
              />
            </Group>
          ))}
        </Stack>
      </Card>
    </Tooltip>
  );
}

function sameValues(a: readonly (LiveValue | undefined)[], b: readonly (LiveValue | undefined)[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * One asset: code, state, and its key readings. Only the cards whose values
 * changed re-render when the live feed ticks; with 200 wells that is what
 * keeps the overview's CPU low.
 */
export const AssetCard = memo(
  AssetCardView,
  (before, after) =>
    before.asset === after.asset &&
    before.keyPoints === after.keyPoints &&
    before.state === after.state &&
    before.liftGasFrom === after.liftGasFrom &&
    sameValues(before.values, after.values),
);

/** A link to a well or asset by code, for a group's route and its exceptions. */
export function CodeLink({ asset }: { asset: Pick<FieldAsset, 'kind' | 'code'> }) {
  return (
    <Anchor component={Link} to={fieldAssetHref(asset)} size="sm" fw={600}>
      {asset.code}
    </Anchor>
  );
}
