import { Anchor, Badge } from '@mantine/core';
import { memo, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FieldAsset } from '../../api/field';
import type { LiveValue } from '../../live/live-protocol';
import type { Quality } from '../../live/live-protocol';
import { oldestUpdate, stalenessOf, worstStaleness } from '../../live/live-staleness';
import { STALE_OPACITY, useFormatLive } from '../../live/live-value-text';
import { useLiveStatus } from '../../live/use-live-tags';
import { formatTimestamp } from '../../units/format-time';
import { useKindLabel } from '../assets/asset-labels';
import { FLAG_UNITS, worstQuality, type AssetState, type KeyPoint } from './key-points';
import { BAD_HATCH, paletteVar, STATE_COLOR, stateLabelKey } from './state-palette';

/** A card has room for this many readings at a readable size; flags show as the state badge instead. */
export const MAX_CARD_VALUES = 3;

/** The readings a card shows: its numeric key points, first ones first. */
export function shownPoints(keyPoints: readonly KeyPoint[]): KeyPoint[] {
  return keyPoints.filter((keyPoint) => !FLAG_UNITS.includes(keyPoint.unit)).slice(0, MAX_CARD_VALUES);
}

/** LiveValueText's colours by quality, as CSS. */
const QUALITY_TEXT: Record<Quality, string | undefined> = {
  good: undefined,
  uncertain: 'var(--mantine-color-orange-7)',
  bad: 'var(--mantine-color-red-7)',
};

/** The route to an asset's page in the field (a well) or in the register (the rest). */
export function fieldAssetHref(asset: Pick<FieldAsset, 'kind' | 'code'>): string {
  const code = encodeURIComponent(asset.code);
  return asset.kind === 'well' ? `/field/wells/${code}` : `/assets/code/${code}`;
}

function StateBadgeView({ state, feedDown, testId }: { state: Exclude<AssetState, 'none'>; feedDown: boolean; testId: string }) {
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

/** Its props are plain values: a card re-rendering with new readings leaves an unchanged badge alone. */
export const StateBadge = memo(StateBadgeView);

interface AssetCardProps {
  asset: FieldAsset;
  keyPoints: readonly KeyPoint[];
  /** The live values of `keyPoints`, in their order. */
  values: readonly (LiveValue | undefined)[];
  state: AssetState;
  /** Code of the compressor feeding a gas-lift well's lift gas. */
  liftGasFrom?: string;
}

const CARD_STYLE: CSSProperties = {
  display: 'flex',
  flexDirection: 'column',
  gap: 2,
  padding: '6px 10px',
  borderRadius: 'var(--mantine-radius-md)',
  color: 'inherit',
  textDecoration: 'none',
  minWidth: 0,
  // A changed reading re-lays out its card only, and cards off screen are not laid out or painted at all:
  // with 200 cards open that was most of the remaining CPU (style, layout and paint, not script).
  contain: 'content',
  contentVisibility: 'auto',
  containIntrinsicSize: 'auto 96px',
};
const ROW_STYLE: CSSProperties = { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 6, minWidth: 0 };
const TRUNCATE: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 };
const DIMMED = 'var(--mantine-color-dimmed)';

/**
 * Plain elements, not Mantine's Card, Text and Tooltip: 200 of these re-render
 * every second, and the components' per-render cost was most of the page's CPU
 * (bench/field-overview.ts). Reasons for bad values show as the native tooltip.
 */
function AssetCardView({ asset, keyPoints, values, state, liftGasFrom }: AssetCardProps) {
  const { t, i18n } = useTranslation();
  const kindLabel = useKindLabel();
  const format = useFormatLive();
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
    ...CARD_STYLE,
    border: `2px ${bad || feedDown ? 'dashed' : 'solid'} ${bad ? paletteVar('red', 7) : paletteVar(color, feedDown ? 5 : 6)}`,
    background: bad ? BAD_HATCH : paletteVar(color, 0),
  };
  const subtitle =
    asset.kind === 'well'
      ? [asset.liftType === undefined ? null : t(`assets.liftType.${asset.liftType}`), liftGasFrom === undefined ? null : `← ${liftGasFrom}`]
          .filter((part) => part !== null)
          .join(' ')
      : kindLabel({ kind: asset.kind, siteType: asset.siteType, equipmentType: asset.equipmentType });
  const valueIndex = new Map(keyPoints.map((keyPoint, index) => [keyPoint.point, index]));

  return (
    <Link
      to={fieldAssetHref(asset)}
      style={style}
      title={reasons.length === 0 ? undefined : reasons.join('\n')}
      data-testid={`field-node-${asset.code}`}
      data-kind={asset.kind}
      data-state={state}
      data-register-status={asset.status ?? 'none'}
      data-quality={quality ?? 'none'}
      data-stale={staleness ?? 'none'}
    >
      <div style={ROW_STYLE}>
        <span style={{ ...TRUNCATE, fontSize: 'var(--mantine-font-size-sm)', fontWeight: 700 }} title={asset.name}>
          {asset.code}
        </span>
        {state !== 'none' && <StateBadge state={state} feedDown={feedDown} testId={`field-state-${asset.code}`} />}
      </div>
      {since === null ? (
        <span style={{ ...TRUNCATE, fontSize: 'var(--mantine-font-size-xs)', color: DIMMED }}>{subtitle === '' ? asset.name : subtitle}</span>
      ) : (
        <span
          style={{ ...TRUNCATE, fontSize: 'var(--mantine-font-size-xs)', color: feedDown ? DIMMED : 'var(--mantine-color-orange-8)' }}
          data-testid={`field-updated-${asset.code}`}
        >
          {t('live.lastUpdate', { time: formatTimestamp(since, i18n.language) })}
        </span>
      )}
      {shownPoints(keyPoints).map((keyPoint) => {
        const value = values[valueIndex.get(keyPoint.point) ?? -1];
        const valueStaleness = stalenessOf(value, feed);
        const faded = valueStaleness !== null && valueStaleness !== 'fresh';
        return (
          <div key={keyPoint.point} style={ROW_STYLE}>
            <span style={{ ...TRUNCATE, fontSize: 'var(--mantine-font-size-xs)', color: DIMMED }} title={keyPoint.point}>
              {t(`field.roles.${keyPoint.role}`)}
              {keyPoint.qualifier !== null && ` ${keyPoint.qualifier}`}
            </span>
            <span
              style={{
                fontSize: 'var(--mantine-font-size-sm)',
                fontWeight: 600,
                whiteSpace: 'nowrap',
                fontVariantNumeric: 'tabular-nums',
                color: value === undefined || valueStaleness === 'feedDown' ? DIMMED : QUALITY_TEXT[value.q],
                fontStyle: value?.q === 'bad' ? 'italic' : undefined,
                opacity: faded ? STALE_OPACITY : undefined,
              }}
              data-testid={`field-value-${asset.code}-${keyPoint.point}`}
              data-quality={value?.q ?? 'none'}
              data-stale={valueStaleness ?? 'none'}
            >
              {format(value, keyPoint.unit)}
            </span>
          </div>
        );
      })}
    </Link>
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
