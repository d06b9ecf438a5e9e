import { Alert, Badge, Button, Group, Loader, Pagination, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALARM_PRIORITIES, alarmKeys, fetchJournal, journalCsvUrl, type AlarmPriority, type JournalQuery } from '../../api/alarms';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { formatTimestamp } from '../../units/format-time';
import { instantFromInput } from '../production/dates';
import { PRIORITY_COLOR } from './alarm-list';
import { formatAlarmValue, useTagUnits } from './alarm-units';

const PAGE_SIZE = 100;

interface JournalFilters {
  /** datetime-local text, local time. */
  from: string;
  to: string;
  area: string;
  priority: AlarmPriority | '';
  tagPath: string;
  search: string;
}

const EMPTY: JournalFilters = { from: '', to: '', area: '', priority: '', tagPath: '', search: '' };

/** The filters as the API takes them, or which time is not one. */
function queryOf(filters: JournalFilters): { query: Omit<JournalQuery, 'limit' | 'offset'> } | { error: 'from' | 'to' } {
  const from = filters.from.trim() === '' ? null : instantFromInput(filters.from);
  if (filters.from.trim() !== '' && from === null) return { error: 'from' };
  const to = filters.to.trim() === '' ? null : instantFromInput(filters.to);
  if (filters.to.trim() !== '' && to === null) return { error: 'to' };
  return { query: { from, to, area: filters.area, priority: filters.priority, tagPath: filters.tagPath, search: filters.search } };
}

/** The append-only alarm journal: every transition, who did it and why, searchable and exported as CSV with the same filters. */
export function JournalPanel() {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const [filters, setFilters] = useState<JournalFilters>(EMPTY);
  const [applied, setApplied] = useState<Omit<JournalQuery, 'limit' | 'offset'>>({ from: null, to: null, area: '', priority: '', tagPath: '', search: '' });
  const [timeError, setTimeError] = useState<'from' | 'to' | null>(null);
  const [page, setPage] = useState(1);
  const query: JournalQuery = { ...applied, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const journal = useQuery({
    queryKey: alarmKeys.journal(query),
    queryFn: ({ signal }) => fetchJournal(query, signal),
    placeholderData: keepPreviousData,
  });
  const entries = journal.data?.entries ?? [];
  const units = useTagUnits(entries.flatMap((entry) => (entry.tagPath === null ? [] : [entry.tagPath])));
  const labels = { true: t('alarms.true'), false: t('alarms.false'), none: '—' };
  const pages = Math.max(1, Math.ceil((journal.data?.total ?? 0) / PAGE_SIZE));

  const apply = (next: JournalFilters) => {
    const result = queryOf(next);
    if ('error' in result) {
      setTimeError(result.error);
      return;
    }
    setTimeError(null);
    setApplied(result.query);
    setPage(1);
  };
  const text = (key: keyof JournalFilters, testId: string, type?: 'datetime-local') => (
    <TextInput
      label={t(`alarms.journal.filters.${key}`)}
      type={type}
      value={filters[key]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setFilters((current) => ({ ...current, [key]: value }));
      }}
      error={timeError === key ? t('alarms.journal.notATime') : undefined}
      data-testid={testId}
    />
  );

  return (
    <Stack data-testid="alarm-journal">
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            apply(filters);
          }}
        >
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
            {text('from', 'journal-from', 'datetime-local')}
            {text('to', 'journal-to', 'datetime-local')}
            {text('area', 'journal-area')}
            <Select
              label={t('alarms.journal.filters.priority')}
              placeholder={t('alarms.filters.all')}
              data={ALARM_PRIORITIES.map((value) => ({ value, label: t(`alarms.priority.${value}`) }))}
              value={filters.priority === '' ? null : filters.priority}
              onChange={(value) => setFilters((current) => ({ ...current, priority: (value ?? '') }))}
              clearable
              data-testid="journal-priority"
            />
            {text('tagPath', 'journal-tag')}
            {text('search', 'journal-search')}
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button
              variant="default"
              onClick={() => {
                setFilters(EMPTY);
                apply(EMPTY);
              }}
            >
              {t('alarms.journal.clear')}
            </Button>
            <Button component="a" href={journalCsvUrl(query)} download variant="light" data-testid="journal-export">
              {t('alarms.journal.export')}
            </Button>
            <Button type="submit" data-testid="journal-apply">
              {t('alarms.journal.apply')}
            </Button>
          </Group>
        </form>
      </Paper>
      {journal.isError && (
        <Alert color="red" title={t('alarms.journal.failed')}>
          <ErrorMessage error={journal.error} />
        </Alert>
      )}
      {journal.isPending && <Loader size="sm" />}
      {journal.isSuccess &&
        (entries.length === 0 ? (
          <Text c="dimmed" data-testid="journal-empty">
            {t('alarms.journal.empty')}
          </Text>
        ) : (
          <Paper withBorder>
            <Table.ScrollContainer minWidth={900}>
              <Table striped verticalSpacing={4} data-testid="journal-table" style={{ opacity: journal.isPlaceholderData ? 0.6 : undefined }}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('alarms.columns.time')}</Table.Th>
                    <Table.Th>{t('alarms.columns.priority')}</Table.Th>
                    <Table.Th>{t('alarms.columns.tag')}</Table.Th>
                    <Table.Th>{t('alarms.columns.message')}</Table.Th>
                    <Table.Th>{t('alarms.journal.transition')}</Table.Th>
                    <Table.Th ta="right">{t('alarms.columns.value')}</Table.Th>
                    <Table.Th>{t('alarms.journal.user')}</Table.Th>
                    <Table.Th>{t('alarms.journal.comment')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((entry) => (
                    <Table.Tr key={entry.id} data-testid="journal-row" data-transition={entry.transition}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(Date.parse(entry.at), i18n.language)}</Table.Td>
                      <Table.Td>
                        <Badge size="sm" variant="light" color={PRIORITY_COLOR[entry.priority]}>
                          {t(`alarms.priority.${entry.priority}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td ff="monospace" fz="sm">
                        {entry.tagPath ?? t('alarms.system')}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={2}>
                          {entry.message}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{t(`alarms.transition.${entry.transition}`)}</Text>
                      </Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {formatAlarmValue(entry.value, entry.tagPath === null ? undefined : units.get(entry.tagPath), system, i18n.language, labels)}
                      </Table.Td>
                      <Table.Td>{entry.user ?? ''}</Table.Td>
                      <Table.Td>
                        <Text size="xs">{entry.comment ?? ''}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        ))}
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('alarms.journal.count', { count: journal.data?.total ?? 0 })}
        </Text>
        {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" />}
      </Group>
    </Stack>
  );
}
