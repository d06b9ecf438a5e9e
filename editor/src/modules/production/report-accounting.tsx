/**
 * The accounting parts of the report pages (issue 10): per-well ratios, the
 * flags of the day or month, the month's close state with a "Close month"
 * action for engineers, and the prior-period adjustment badge.
 */
import { Alert, Badge, Button, Group, List, Paper, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { closeMonth, fetchAllocationRun, fetchMonthState, monthStateKey, productionKeys, type Flag } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber, toDisplay, type UnitSystem } from '../../units/units';
import { keyForSubmission, type Submission } from './submission-key';

interface Ratios {
  waterCutPercent: number | null;
  gorSm3PerM3: number | null;
  worM3PerM3: number | null;
}

/** GOR in the unit system: Sm3/m3, or scf/bbl (Mscf per Sm3 × 1000 over bbl per m3, from the units module). */
export function gorDisplay(gorSm3PerM3: number, system: UnitSystem): number {
  if (system === 'metric') return gorSm3PerM3;
  return (gorSm3PerM3 * toDisplay(1, 'Sm3', system).value * 1000) / toDisplay(1, 'm3', system).value;
}

function gorUnit(system: UnitSystem): string {
  return system === 'metric' ? 'Sm³/m³' : 'scf/bbl';
}

/** Water cut, GOR and WOR per well; "—" where there is no denominator. */
export function RatiosTable({ wells, testId }: { wells: readonly { wellId: string; code: string; ratios: Ratios }[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const show = (value: number | null, decimals: number) => (value === null ? '—' : formatNumber(value, decimals, i18n.language));
  return (
    <Paper withBorder p="sm">
      <Title order={5}>{t('production.accounting.ratios')}</Title>
      {/* On a phone the table scrolls inside its card, never the page. */}
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing={4} data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('production.report.well')}</Table.Th>
              <Table.Th ta="right">{t('production.accounting.waterCut')} (%)</Table.Th>
              <Table.Th ta="right">{`${t('production.accounting.gor')} (${gorUnit(system)})`}</Table.Th>
              <Table.Th ta="right">{t('production.accounting.wor')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {wells.map((well) => (
              <Table.Tr key={well.wellId} data-testid={`${testId}-${well.code}`}>
                <Table.Td>{well.code}</Table.Td>
                <Table.Td ta="right">{show(well.ratios.waterCutPercent, 1)}</Table.Td>
                <Table.Td ta="right">{show(well.ratios.gorSm3PerM3 === null ? null : gorDisplay(well.ratios.gorSm3PerM3, system), 0)}</Table.Td>
                <Table.Td ta="right">{show(well.ratios.worM3PerM3, 2)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** One flag as a sentence in the user's language and units. */
function FlagLine({ flag }: { flag: Flag }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const n = (value: number, decimals: number) => formatNumber(value, decimals, i18n.language);
  const fluid = flag.fluid === null ? '' : t(`production.fluids.${flag.fluid}`);
  const unit = flag.fluid === 'gas' ? 'Sm3' : 'm3';
  const volume = (value: number | null) => (value === null ? '—' : `${n(toDisplay(value, unit, system).value, 1)} ${displayUnitLabel(unit, system)}`);
  switch (flag.kind) {
    case 'check_meter_deviation':
      return t('production.accounting.flagCheckMeter', { date: flag.date, fluid, check: volume(flag.checkM3), fiscal: volume(flag.fiscalM3), value: n(flag.value, 2), max: n(flag.max, 2) });
    case 'allocation_factor':
      return t('production.accounting.flagFactor', { date: flag.date, fluid, value: n(flag.value, 3), min: n(flag.min ?? 0, 2), max: n(flag.max, 2) });
    case 'stale_well_test':
      return t('production.accounting.flagStaleTest', { date: flag.date, well: flag.wellCode ?? '', testDate: flag.testDate ?? '', value: flag.value, max: flag.max });
  }
}

export function FlagList({ flags, testId }: { flags: readonly Flag[]; testId: string }) {
  const { t } = useTranslation();
  if (flags.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {t('production.accounting.noFlags')}
      </Text>
    );
  }
  return (
    <Alert color="yellow" title={t('production.accounting.flags', { count: flags.length })} data-testid={testId}>
      <List size="sm">
        {flags.map((flag) => (
          <List.Item key={`${flag.kind}-${flag.date}-${flag.fluid ?? ''}-${flag.wellId ?? ''}`}>
            <FlagLine flag={flag} />
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** A run's flags, read with its detail when asked for (a run list may be long). */
export function RunFlags({ runId }: { runId: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const detail = useQuery({ queryKey: ['production', 'run', runId], queryFn: ({ signal }) => fetchAllocationRun(runId, signal), enabled: open });
  if (!open) {
    return (
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)} data-testid={`allocation-run-flags-${runId}`}>
        {t('production.accounting.showFlags')}
      </Button>
    );
  }
  if (detail.isError) return <ErrorMessage error={detail.error} />;
  return detail.data === undefined ? null : <FlagList flags={detail.data.flags} testId={`allocation-run-flag-list-${runId}`} />;
}

export function PriorPeriodBadge() {
  const { t } = useTranslation();
  return (
    <Badge size="sm" color="grape" variant="light" data-testid="prior-period-badge">
      {t('production.accounting.priorPeriod')}
    </Badge>
  );
}

/** The month's close state; an engineer may close an open month (the server says which days are missing). */
export function MonthCloseBar({ site, month }: { site: string; month: string }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  // A resend of the same close (its answer lost) reuses its Idempotency-Key.
  const [submission, setSubmission] = useState<Submission | null>(null);
  const state = useQuery({ queryKey: monthStateKey(site, month), queryFn: ({ signal }) => fetchMonthState(site, month, signal), enabled: site !== '' });
  const close = useMutation({
    mutationFn: () => {
      const next = keyForSubmission(submission, { site, month, reason });
      setSubmission(next);
      return closeMonth(site, month, reason, next.key);
    },
    onSuccess: (closed) => {
      client.setQueryData(monthStateKey(site, month), closed);
      void client.invalidateQueries({ queryKey: productionKeys.all });
    },
  });
  if (state.data === undefined) return null;
  const closedAt = state.data.closedAt === null ? '' : new Date(state.data.closedAt).toLocaleString(i18n.language);
  return (
    <Paper withBorder p="sm" data-testid="month-close">
      <Group justify="space-between">
        {state.data.closed ? (
          <Badge color="green" variant="light" data-testid="month-close-state">
            {t('production.accounting.closed', { by: state.data.closedBy ?? '', at: closedAt })}
          </Badge>
        ) : (
          <Badge color="gray" variant="light" data-testid="month-close-state">
            {t('production.accounting.open')}
          </Badge>
        )}
        {!state.data.closed && hasRole(user.role, 'engineer') && (
          <Group gap="xs" align="end">
            <TextInput size="xs" label={t('production.accounting.closeReason')} value={reason} onChange={(event) => setReason(event.currentTarget.value)} />
            <Button size="xs" loading={close.isPending} onClick={() => close.mutate()} data-testid="month-close-button">
              {t('production.accounting.closeMonth')}
            </Button>
          </Group>
        )}
      </Group>
      {state.data.adjustments.length > 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('production.accounting.adjustments', { count: state.data.adjustments.length })}
        </Text>
      )}
      {close.isError && <ErrorMessage error={close.error} />}
    </Paper>
  );
}
