import { Group, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { isDay, isMonth, monthOf } from './corporate-format';

/** The month range in the address (?from=&to=), the 12 months up to this one by default. */
export function useMonthRange(): { fromMonth: string; toMonth: string; set: (key: 'from' | 'to', value: string) => void } {
  const [params, setParams] = useSearchParams();
  // The defaults follow the day the screen opened, not every render.
  const [now] = useState(() => new Date());
  const from = params.get('from');
  const to = params.get('to');
  return {
    fromMonth: isMonth(from) ? from : monthOf(now, 11),
    toMonth: isMonth(to) ? to : monthOf(now),
    set: (key, value) => {
      const next = new URLSearchParams(params);
      next.set(key, value);
      setParams(next, { replace: true });
    },
  };
}

/** The day range in the address (?fromDay=&toDay=), the last 30 UTC days by default. */
export function useDayRange(): { fromDay: string; toDay: string; set: (key: 'fromDay' | 'toDay', value: string) => void } {
  const [params, setParams] = useSearchParams();
  const [{ today, monthAgo }] = useState(() => {
    const now = Date.now();
    return { today: new Date(now).toISOString().slice(0, 10), monthAgo: new Date(now - 29 * 86_400_000).toISOString().slice(0, 10) };
  });
  const from = params.get('fromDay');
  const to = params.get('toDay');
  return {
    fromDay: isDay(from) ? from : monthAgo,
    toDay: isDay(to) ? to : today,
    set: (key, value) => {
      const next = new URLSearchParams(params);
      next.set(key, value);
      setParams(next, { replace: true });
    },
  };
}

export function MonthRangeInputs({ fromMonth, toMonth, onChange }: { fromMonth: string; toMonth: string; onChange: (key: 'from' | 'to', value: string) => void }) {
  const { t } = useTranslation();
  return (
    <Group gap="md" align="flex-end">
      <TextInput type="month" label={t('corporate.filters.fromMonth')} value={fromMonth} w={170} data-testid="corporate-from-month" onChange={(event) => isMonth(event.currentTarget.value) && onChange('from', event.currentTarget.value)} />
      <TextInput type="month" label={t('corporate.filters.toMonth')} value={toMonth} w={170} data-testid="corporate-to-month" onChange={(event) => isMonth(event.currentTarget.value) && onChange('to', event.currentTarget.value)} />
    </Group>
  );
}
