import { Alert, Badge, Button, Group, List, Paper, SegmentedControl, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  fetchAllocationRuns,
  FLUIDS,
  productionKeys,
  runAllocation,
  type AllocationRunCreate,
  type AllocationRun,
} from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { allocationPeriod, allocationRequest, newestFirst, reasonRequired, runsOverlapping, type PeriodMode } from './allocation-form';
import { formatDateTime, formatDay } from './dates';
import { serverFieldErrors } from './entry-forms';
import { EmptyRow } from './empty-row';
import { DateInput, MonthInput, useProductionParams } from './production-filters';
import { ProductionPage } from './production-page';
import { fluidVolumeUnit } from './quantities';
import { keyForSubmission, type Submission } from './submission-key';
import { PriorPeriodBadge, RunFlags } from './report-accounting';

function RunRows({ runs }: { runs: AllocationRun[] }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const versionOf = (id: string | null) => runs.find((run) => run.id === id)?.version;
  return runs.map((run) => (
    <Table.Tr key={run.id} data-testid={`allocation-run-${run.periodStart}-v${run.version}`}>
      <Table.Td>
        {run.periodStart === run.periodEnd
          ? formatDay(run.periodStart, i18n.language)
          : `${formatDay(run.periodStart, i18n.language)} – ${formatDay(run.periodEnd, i18n.language)}`}
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Text size="sm">v{run.version}</Text>
          {run.restates !== null && (
            <Badge size="sm" color="orange" variant="light">
              {t('production.allocation.restates', { version: versionOf(run.restates) ?? '?' })}
            </Badge>
          )}
          {run.priorPeriodAdjustment && <PriorPeriodBadge />}
        </Group>
        {run.reason !== null && run.reason !== '' && (
          <Text size="xs" c="dimmed">
            {run.reason}
          </Text>
        )}
      </Table.Td>
      {FLUIDS.map((fluid) => (
        <Table.Td key={fluid} ta="right">
          <Text size="sm" data-testid={`allocation-run-${fluid}-allocated`}>
            {formatQuantity(run.totals[fluid].allocatedM3, fluidVolumeUnit(fluid), system, i18n.language)}
          </Text>
          <Text size="xs" c="dimmed">
            {t('production.allocation.measured', {
              value: formatQuantity(run.totals[fluid].measuredM3, fluidVolumeUnit(fluid), system, i18n.language),
            })}
          </Text>
        </Table.Td>
      ))}
      <Table.Td>
        {run.warnings.length === 0 ? (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ) : (
          <List size="xs" data-testid="allocation-run-warnings">
            {run.warnings.map((warning) => (
              <List.Item key={warning}>{warning}</List.Item>
            ))}
          </List>
        )}
        <RunFlags runId={run.id} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{formatDateTime(run.createdAt, i18n.language)}</Text>
        <Text size="xs" c="dimmed">
          {run.createdBy}
        </Text>
      </Table.Td>
    </Table.Tr>
  ));
}

/**
 * Allocation (prorrateo) of the site's measured volumes to its wells from
 * approved well tests and uptime. A second run over a period is a
 * restatement: it needs a reason and keeps the earlier run.
 */
export function AllocationPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { site, date, month, today, update } = useProductionParams('closedDay');
  const [mode, setMode] = useState<PeriodMode>('day');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const runs = useQuery({
    queryKey: productionKeys.runs(site, null),
    queryFn: ({ signal }) => fetchAllocationRuns(site, null, signal),
    enabled: site !== '',
  });
  const form = { mode, date, month, reason };
  const known = runs.data?.items ?? [];
  const period = allocationPeriod(form, today);
  const needsReason = reasonRequired(known, form, today);
  const covering = period === null ? [] : runsOverlapping(known, period.periodStart, period.periodEnd);

  // A run whose answer was lost is re-sent with the same key: the server answers with that run instead of restating it.
  const submission = useRef<Submission | null>(null);
  const run = useMutation({
    mutationFn: ({ request, key }: { request: AllocationRunCreate; key: string }) => runAllocation(request, key),
    onSuccess: async () => {
      submission.current = null;
      setReason('');
      await queryClient.invalidateQueries({ queryKey: productionKeys.all });
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) submission.current = null;
      if (!(error instanceof ApiError) || error.status !== 400) return;
      if (serverFieldErrors(error.details, { reason: 'reason' }).fields.reason === undefined) return;
      // Someone else allocated the period since the list was read: this run is a restatement after all.
      setReasonError(t('production.allocation.reasonNeeded'));
      await queryClient.invalidateQueries({ queryKey: productionKeys.runs(site, null) });
    },
  });
  const failureOnReason = run.error instanceof ApiError && run.error.status === 400 && reasonError !== null;

  return (
    <ProductionPage
      testId="production-allocation"
      title={t('production.allocation.title')}
      intro={t('production.allocation.intro')}
      site={site}
      onSiteChange={(value) => update('site', value)}
    >
      {site !== '' && (
        <Paper withBorder p="md">
          {/* Without the browser's own required-field bubble, the translated message shows on the field. */}
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const result = allocationRequest(form, site, known, today);
              run.reset();
              if ('error' in result) {
                setReasonError(result.error === 'reason' ? t('production.allocation.reasonNeeded') : null);
                return;
              }
              setReasonError(null);
              submission.current = keyForSubmission(submission.current, result.request);
              run.mutate({ request: result.request, key: submission.current.key });
            }}
            data-testid="allocation-form"
          >
            <Stack gap="sm">
              <Group align="flex-end">
                <SegmentedControl
                  value={mode}
                  onChange={(value) => setMode(value === 'month' ? 'month' : 'day')}
                  data={[
                    { value: 'day', label: t('production.allocation.day') },
                    { value: 'month', label: t('production.allocation.month') },
                  ]}
                  data-testid="allocation-mode"
                />
                {mode === 'day' ? (
                  <DateInput value={date} onChange={(value) => update('date', value)} />
                ) : (
                  <MonthInput value={month} onChange={(value) => update('month', value)} />
                )}
              </Group>
              {covering.length > 0 && (
                <Alert color="orange" data-testid="allocation-restatement">
                  {t('production.allocation.restatement', { version: Math.max(...covering.map((earlier) => earlier.version)) })}
                </Alert>
              )}
              <Textarea
                label={t('production.allocation.reason')}
                description={needsReason ? t('production.allocation.reasonHint') : t('production.allocation.reasonOptional')}
                required={needsReason}
                autosize
                minRows={2}
                value={reason}
                onChange={(event) => {
                  setReason(event.currentTarget.value);
                  setReasonError(null);
                }}
                error={reasonError}
                data-testid="allocation-reason"
              />
              {run.isError && !failureOnReason && (
                <Alert color="red" title={t('production.allocation.failed')} data-testid="allocation-error">
                  <ErrorMessage error={run.error} />
                </Alert>
              )}
              {run.isSuccess && (
                <Alert color="green" data-testid="allocation-done">
                  {t('production.allocation.done', { version: run.data.version })}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button type="submit" loading={run.isPending} disabled={period === null} data-testid="allocation-run">
                  {needsReason ? t('production.allocation.restate') : t('production.allocation.run')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}

      {runs.isError && <ErrorMessage error={runs.error} />}
      {runs.isSuccess && (
        <>
          <Title order={3}>{t('production.allocation.runs')}</Title>
          <Paper withBorder>
            <Table.ScrollContainer minWidth={960}>
              <Table striped verticalSpacing={6} data-testid="allocation-runs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('production.allocation.period')}</Table.Th>
                    <Table.Th>{t('production.allocation.version')}</Table.Th>
                    {FLUIDS.map((fluid) => (
                      <Table.Th key={fluid} ta="right">
                        {t(`production.fluids.${fluid}`)}
                      </Table.Th>
                    ))}
                    <Table.Th>{t('production.allocation.warnings')}</Table.Th>
                    <Table.Th>{t('production.allocation.createdAt')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {runs.data.items.length === 0 ? (
                    <EmptyRow colSpan={7} text={t('production.allocation.empty')} py="md" />
                  ) : (
                    <RunRows runs={newestFirst(runs.data.items)} />
                  )}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        </>
      )}
    </ProductionPage>
  );
}
