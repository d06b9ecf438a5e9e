import { Alert, Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Freshness } from '../../api/corporate';
import { ageLevel, ageParts } from './corporate-format';

const COLORS = { never: 'gray', fresh: 'blue', stale: 'yellow', old: 'red' } as const;

/** "12 min ago" in the user's language; "never synced" without data. */
export function useAgeText(): (freshness: Freshness) => string {
  const { t } = useTranslation();
  return (freshness) => {
    if (freshness.ageSeconds === null) return t('corporate.age.never');
    const { unit, count } = ageParts(freshness.ageSeconds);
    return t(`corporate.age.${unit}`, { count });
  };
}

/** The banner every remote screen carries: the copy is read-only and as old as the site's last sync. */
export function DataAgeBanner({ freshness, siteName, testId }: { freshness: Freshness; siteName: string; testId: string }) {
  const { t } = useTranslation();
  const ago = useAgeText();
  return (
    <Alert color={COLORS[ageLevel(freshness)]} data-testid={testId}>
      <Text size="sm" fw={600}>
        {freshness.asOf === null ? t('corporate.banner.never', { site: siteName }) : t('corporate.banner.asOf', { site: siteName, age: ago(freshness) })}
      </Text>
      <Text size="sm">
        {freshness.asOf === null ? t('corporate.banner.readOnly') : t('corporate.banner.readOnlyAt', { at: freshness.asOf.slice(0, 16).replace('T', ' ') })}
      </Text>
    </Alert>
  );
}

/** A small badge with the age, for tables. */
export function AgeBadge({ freshness, testId }: { freshness: Freshness; testId: string }) {
  const ago = useAgeText();
  return (
    <Badge variant="light" color={COLORS[ageLevel(freshness)]} data-testid={testId}>
      {ago(freshness)}
    </Badge>
  );
}
