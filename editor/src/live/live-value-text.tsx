import { Text, Tooltip, type MantineSize } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useUnitSystem } from '../shell/unit-system';
import { formatTimestamp } from '../units/format-time';
import { formatScalar } from '../units/units';
import type { LiveValue, Quality } from './live-protocol';
import { lastUpdate, stalenessOf, type Staleness } from './live-staleness';
import { useLiveStatus } from './use-live-tags';

/** How far a stale value fades: still readable, plainly not live. */
export const STALE_OPACITY = 0.55;

export const QUALITY_COLOR: Record<Quality, string | undefined> = {
  good: undefined,
  uncertain: 'orange.7',
  bad: 'red.7',
};

/** The text for a value in the user's units and language; a dash while none has arrived. */
export function useFormatLive(): (value: LiveValue | null | undefined, unit: string, preferred?: string | null) => string {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const labels = { true: t('live.true'), false: t('live.false'), none: t('live.none') };
  return (value, unit, preferred) =>
    value == null ? t('live.waiting') : formatScalar(value.v, unit, system, i18n.language, labels, preferred);
}

interface LiveValueTextProps {
  value: LiveValue | null | undefined;
  unit: string;
  /** The tag's own display unit, if it has one. */
  displayUnit?: string | null;
  testId: string;
  size?: MantineSize;
  fw?: number;
}

/** Why a value is not to be trusted and since when it was last reported, for a tooltip; null for a fresh value. */
function useStaleExplanation(): (value: LiveValue | null | undefined, staleness: Staleness | null) => string | null {
  const { t, i18n } = useTranslation();
  return (value, staleness) => {
    if (value == null || staleness === null || staleness === 'fresh') return null;
    const time = formatTimestamp(lastUpdate(value), i18n.language);
    const why = staleness === 'feedDown' ? t('live.stale.feedDown') : (value.reason ?? t(`live.quality.${value.q}`));
    return `${why}\n${t('live.lastUpdate', { time })}`;
  };
}

/**
 * A live value coloured by quality. A value that is not live (the feed is
 * down) or not good is faded, and its tooltip says why and when it was last
 * reported.
 */
export function LiveValueText({ value, unit, displayUnit, testId, size = 'sm', fw }: LiveValueTextProps) {
  const format = useFormatLive();
  const { state } = useLiveStatus();
  const explain = useStaleExplanation();
  const quality = value?.q;
  const staleness = stalenessOf(value, state);
  const explanation = explain(value, staleness);
  let color = quality === undefined ? 'dimmed' : QUALITY_COLOR[quality];
  if (staleness === 'feedDown') color = 'dimmed';
  return (
    <Tooltip label={explanation} disabled={explanation === null} multiline maw={320} style={{ whiteSpace: 'pre-line' }}>
      <Text
        span
        size={size}
        fw={fw}
        c={color}
        fs={quality === 'bad' ? 'italic' : undefined}
        data-testid={testId}
        data-quality={quality ?? 'none'}
        data-stale={staleness ?? 'none'}
        style={{
          fontVariantNumeric: 'tabular-nums',
          whiteSpace: 'nowrap',
          opacity: staleness === 'fresh' || staleness === null ? undefined : STALE_OPACITY,
        }}
      >
        {format(value, unit, displayUnit)}
      </Text>
    </Tooltip>
  );
}
