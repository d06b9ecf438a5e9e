import { Alert, Button, Code, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { auditKeys, fetchAudit, type AuditEntry } from '../../api/audit';
import { ErrorMessage } from '../../shell/error-message';
import { formatTimestamp } from '../../units/format-time';
import { auditQueryOf, EMPTY_FILTERS, filtersFromParams, filtersToParams, type AuditFilters, type FilterError } from './audit-filters';

const PAGE_SIZE = 50;

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const parts = [
    ['before', entry.before],
    ['after', entry.after],
    ['details', entry.details],
  ] as const;
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="audit-details">
      {parts
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([name, value]) => (
          <Stack key={name} gap={4}>
            <Text size="xs" fw={700}>
              {t(`audit.${name}`)}
            </Text>
            <Code block>{json(value)}</Code>
          </Stack>
        ))}
      {entry.ip !== null && (
        <Text size="xs" c="dimmed">
          {t('audit.ip', { ip: entry.ip })}
        </Text>
      )}
    </SimpleGrid>
  );
}

/** The audit log for admins: who did what to which entity, filtered and paged back in time. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<AuditFilters>(() => filtersFromParams(params));
  const [errors, setErrors] = useState<Partial<Record<'from' | 'to', FilterError>>>({});
  // Cursors of the pages before the one shown: the way back to newer entries.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [open, setOpen] = useState<string | null>(null);
  const before = cursors.at(-1) ?? null;
  const query = auditQueryOf(params, before, PAGE_SIZE);
  const page = useQuery({
    queryKey: auditKeys.page(query),
    queryFn: ({ signal }) => fetchAudit(query, signal),
    placeholderData: keepPreviousData,
  });

  const apply = (next: AuditFilters) => {
    const result = filtersToParams(next);
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setCursors([null]);
    setParams(result.params);
  };
  const set = (key: keyof AuditFilters, value: string) => {
    setFilters((current) => ({ ...current, [key]: value }));
    if (key === 'from' || key === 'to') setErrors((current) => ({ ...current, [key]: undefined }));
  };
  const input = (key: keyof AuditFilters, testId: string, type?: 'datetime-local') => (
    <TextInput
      label={t(`audit.filters.${key}`)}
      type={type}
      value={filters[key]}
      onChange={(event) => set(key, event.currentTarget.value)}
      error={(key === 'from' || key === 'to') && errors[key] !== undefined ? t(`audit.filterErrors.${errors[key]}`) : undefined}
      data-testid={testId}
    />
  );
  const entries = page.data?.entries ?? [];

  return (
    <Stack data-testid="audit-page">
      <Title order={2}>{t('audit.title')}</Title>
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            apply(filters);
          }}
        >
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
            {input('actor', 'audit-actor')}
            {input('action', 'audit-action-filter')}
            {input('entityType', 'audit-entity-type')}
            {input('entityId', 'audit-entity-id')}
            {input('from', 'audit-from', 'datetime-local')}
            {input('to', 'audit-to', 'datetime-local')}
          </SimpleGrid>
          <Group justify="flex-end" mt="sm">
            <Button
              variant="default"
              onClick={() => {
                setFilters(EMPTY_FILTERS);
                apply(EMPTY_FILTERS);
              }}
              data-testid="audit-clear"
            >
              {t('audit.clear')}
            </Button>
            <Button type="submit" data-testid="audit-apply">
              {t('audit.apply')}
            </Button>
          </Group>
        </form>
      </Paper>

      {page.isError && (
        <Alert color="red" title={t('audit.failed')}>
          <ErrorMessage error={page.error} />
        </Alert>
      )}
      {page.isPending && <Loader size="sm" />}
      {page.isSuccess &&
        (entries.length === 0 ? (
          <Text c="dimmed" data-testid="audit-empty">
            {t('audit.empty')}
          </Text>
        ) : (
          <Paper withBorder>
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing={6} highlightOnHover data-testid="audit-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.columns.time')}</Table.Th>
                    <Table.Th>{t('audit.columns.actor')}</Table.Th>
                    <Table.Th>{t('audit.columns.action')}</Table.Th>
                    <Table.Th>{t('audit.columns.entity')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody style={{ opacity: page.isPlaceholderData ? 0.6 : undefined }}>
                  {entries.map((entry) => (
                    <Fragment key={entry.id}>
                      <Table.Tr
                        data-testid="audit-row"
                        data-id={entry.id}
                        onClick={() => setOpen((current) => (current === entry.id ? null : entry.id))}
                        style={{ cursor: 'pointer' }}
                        aria-expanded={open === entry.id}
                      >
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(Date.parse(entry.occurredAt), i18n.language)}</Table.Td>
                        <Table.Td data-testid="audit-actor-cell">{entry.actor}</Table.Td>
                        <Table.Td ff="monospace" fz="sm" data-testid="audit-action">
                          {entry.action}
                        </Table.Td>
                        <Table.Td ff="monospace" fz="xs">
                          {entry.entityType === null ? '—' : `${entry.entityType} ${entry.entityId ?? ''}`}
                        </Table.Td>
                      </Table.Tr>
                      {open === entry.id && (
                        <Table.Tr>
                          <Table.Td colSpan={4}>
                            <EntryDetails entry={entry} />
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        ))}
      <Group justify="space-between">
        <Button
          variant="default"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((current) => current.slice(0, -1))}
          data-testid="audit-newer"
        >
          {t('audit.newer')}
        </Button>
        <Button
          variant="default"
          disabled={page.data?.next == null || page.isPlaceholderData}
          onClick={() => {
            const next = page.data?.next;
            if (next != null) setCursors((current) => [...current, next]);
          }}
          data-testid="audit-older"
        >
          {t('audit.older')}
        </Button>
      </Group>
    </Stack>
  );
}
