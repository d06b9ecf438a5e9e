import { Text, Tooltip, type MantineSize } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useUnitSystem } from '../shell/unit-system';
import { formatScalar } from '../units/units';
import type { LiveValue, Quality } from './live-protocol';

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

/** A live value coloured by quality; the reason a value is not good is in its tooltip. */
export function LiveValueText({ value, unit, displayUnit, testId, size = 'sm', fw }: LiveValueTextProps) {
  const { t } = useTranslation();
  const format = useFormatLive();
  const quality = value?.q;
  const reason = quality === undefined || quality === 'good' ? null : (value?.reason ?? t(`live.quality.${quality}`));
  return (
    <Tooltip label={reason} disabled={reason === null} multiline maw={320}>
      <Text
        span
        size={size}
        fw={fw}
        c={quality === undefined ? 'dimmed' : QUALITY_COLOR[quality]}
        fs={quality === 'bad' ? 'italic' : undefined}
        data-testid={testId}
        data-quality={quality ?? 'none'}
        style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      >
        {format(value, unit, displayUnit)}
      </Text>
    </Tooltip>
  );
}
