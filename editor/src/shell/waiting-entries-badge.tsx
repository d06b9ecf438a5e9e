import { Badge, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { fetchWaitingEntries, waitingEntriesKey } from '../api/flow-entries';

/** How often the header asks: entries wait for minutes, not milliseconds. */
const REFRESH_MS = 5_000;

function isDatabaseUnavailable(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'database_unavailable' || error.status === 503);
}

/** Whole minutes (at least 1) for a tooltip: "the oldest waits 3 min". */
function ageMinutes(seconds: number): number {
  return Math.max(1, Math.round(seconds / 60));
}

/**
 * Shown in the header while entries recorded by flows (tank gauges, well
 * tests) wait in the site's spool for the database, and while the database
 * does not answer: operators then know those entries are kept, not lost.
 * Nothing is shown when all is written.
 */
export function WaitingEntriesBadge() {
  const { t } = useTranslation();
  const { data, error } = useQuery({ queryKey: waitingEntriesKey, queryFn: fetchWaitingEntries, refetchInterval: REFRESH_MS });
  const waiting = data?.waiting ?? 0;
  if (isDatabaseUnavailable(error)) {
    return (
      <Tooltip label={t('waitingEntries.unavailableHint')} multiline maw={320}>
        <Badge color="red" variant="light" data-testid="waiting-entries" data-state="unavailable">
          {t('waitingEntries.unavailable')}
        </Badge>
      </Tooltip>
    );
  }
  if (waiting === 0) return null;
  const hint =
    data?.oldestAgeSeconds != null
      ? `${t('waitingEntries.hint')} ${t('waitingEntries.oldest', { count: ageMinutes(data.oldestAgeSeconds) })}`
      : t('waitingEntries.hint');
  return (
    <Tooltip label={hint} multiline maw={320}>
      <Badge color="yellow" variant="light" data-testid="waiting-entries" data-state="waiting" data-count={waiting}>
        {t('waitingEntries.badge', { count: waiting })}
      </Badge>
    </Tooltip>
  );
}
