import { Badge, Button, Group, NativeSelect, Paper, Table, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { fetchWellTests, productionKeys, WELL_TEST_STATUSES, type WellTest, type WellTestStatus } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { formatDateTime } from './dates';
import { EmptyRow } from './empty-row';
import { useProductionParams, useSiteAssets } from './production-filters';
import { ProductionPage } from './production-page';
import { formatHours } from './quantities';
import { useModalTarget } from './use-modal-target';
import { ProposeWellTestModal, WellTestDecisionModal, type Decision } from './well-test-modals';

const STATUS_COLORS: Record<WellTestStatus, string> = { proposed: 'blue', approved: 'green', rejected: 'red' };

function isStatus(value: string): value is WellTestStatus {
  return WELL_TEST_STATUSES.some((status) => status === value);
}

/** Well tests at the test separator: operators propose, engineers approve or reject; only approved tests feed allocation. */
export function WellTestsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const { system } = useUnitSystem();
  const { site, update } = useProductionParams();
  const assets = useSiteAssets(site);
  const [status, setStatus] = useState<WellTestStatus | null>('proposed');
  const [proposing, setProposing] = useState(false);
  const deciding = useModalTarget<Decision>();
  const canPropose = hasRole(user.role, 'operator');
  const canDecide = hasRole(user.role, 'engineer');
  const tests = useQuery({
    queryKey: productionKeys.wellTests(site, status),
    queryFn: ({ signal }) => fetchWellTests(site, status, signal),
    enabled: site !== '',
  });
  const quantity = (value: number | null, unit: string) => (value === null ? '—' : formatQuantity(value, unit, system, i18n.language));
  const decide = (test: WellTest, decision: Decision['decision']) =>
    deciding.open({ test, decision, wellCode: assets.codeOf(test.wellId) });

  return (
    <ProductionPage
      testId="production-well-tests"
      title={t('production.wellTests.title')}
      intro={t('production.wellTests.intro')}
      site={site}
      onSiteChange={(value) => update('site', value)}
      filters={
        <NativeSelect
          label={t('production.wellTests.status')}
          data={[
            { value: '', label: t('production.wellTests.allStatuses') },
            ...WELL_TEST_STATUSES.map((value) => ({ value, label: t(`production.wellTests.statuses.${value}`) })),
          ]}
          value={status ?? ''}
          onChange={(event) => setStatus(isStatus(event.currentTarget.value) ? event.currentTarget.value : null)}
          data-testid="well-test-status-filter"
        />
      }
      actions={
        canPropose &&
        site !== '' && (
          <Button onClick={() => setProposing(true)} data-testid="well-test-propose">
            {t('production.wellTests.propose')}
          </Button>
        )
      }
    >
      {tests.isError && <ErrorMessage error={tests.error} />}
      {tests.isSuccess && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={1080}>
            <Table striped verticalSpacing={6} data-testid="well-test-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('production.wellTests.well')}</Table.Th>
                  <Table.Th>{t('production.wellTests.startedAt')}</Table.Th>
                  <Table.Th ta="right">{t('production.wellTests.fields.durationHours')}</Table.Th>
                  <Table.Th ta="right">{t('production.wellTests.fields.oilRate')}</Table.Th>
                  <Table.Th ta="right">{t('production.wellTests.fields.gasRate')}</Table.Th>
                  <Table.Th ta="right">{t('production.wellTests.fields.liftGasRate')}</Table.Th>
                  <Table.Th ta="right">{t('production.wellTests.fields.waterRate')}</Table.Th>
                  <Table.Th ta="right">{t('production.wellTests.fields.tubingPressure')}</Table.Th>
                  <Table.Th ta="right">{t('production.wellTests.fields.bottomholePressure')}</Table.Th>
                  <Table.Th>{t('production.wellTests.status')}</Table.Th>
                  <Table.Th>{t('production.columns.by')}</Table.Th>
                  {canDecide && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tests.data.items.length === 0 && (
                  <EmptyRow colSpan={canDecide ? 12 : 11} text={t('production.wellTests.empty')} py="md" />
                )}
                {tests.data.items.map((test) => (
                  <Table.Tr
                    key={test.id}
                    data-testid={`well-test-row-${assets.codeOf(test.wellId)}`}
                    data-well-test-id={test.id}
                    data-status={test.status}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{assets.codeOf(test.wellId)}</Table.Td>
                    <Table.Td>{formatDateTime(test.startedAt, i18n.language)}</Table.Td>
                    <Table.Td ta="right">{formatHours(test.durationHours, i18n.language)}</Table.Td>
                    <Table.Td ta="right">{quantity(test.oilRateM3PerDay, 'm3/d')}</Table.Td>
                    <Table.Td ta="right">{quantity(test.gasRateSm3PerDay, 'Sm3/d')}</Table.Td>
                    <Table.Td ta="right" c={test.liftGasExceedsGas ? 'red' : undefined} data-testid="well-test-lift-gas">
                      {quantity(test.liftGasInjectionSm3PerDay, 'Sm3/d')}
                    </Table.Td>
                    <Table.Td ta="right">{quantity(test.waterRateM3PerDay, 'm3/d')}</Table.Td>
                    <Table.Td ta="right">{quantity(test.tubingPressureKpa, 'kPa')}</Table.Td>
                    <Table.Td
                      ta="right"
                      title={test.bottomholePressureSource === null ? undefined : t(`production.wellTests.bottomholeSources.${test.bottomholePressureSource}`)}
                      data-testid="well-test-bottomhole-pressure"
                    >
                      {quantity(test.bottomholePressureKpa, 'kPa')}
                    </Table.Td>
                    <Table.Td>
                      <Tooltip
                        label={t('production.wellTests.decidedBy', { user: test.decidedBy ?? '', note: test.decisionNote })}
                        disabled={test.decidedBy === null}
                      >
                        <Badge color={STATUS_COLORS[test.status]} variant="light" style={{ overflow: 'visible' }} data-testid="well-test-status">
                          {t(`production.wellTests.statuses.${test.status}`)}
                        </Badge>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>{test.createdBy}</Table.Td>
                    {canDecide && (
                      <Table.Td>
                        {test.status === 'proposed' && (
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" color="green" variant="light" onClick={() => decide(test, 'approve')} data-testid="well-test-approve">
                              {t('production.wellTests.approve')}
                            </Button>
                            <Button size="compact-xs" color="red" variant="subtle" onClick={() => decide(test, 'reject')} data-testid="well-test-reject">
                              {t('production.wellTests.reject')}
                            </Button>
                          </Group>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <ProposeWellTestModal opened={proposing} wells={assets.wells} onClose={() => setProposing(false)} />
      <WellTestDecisionModal opened={deciding.opened} target={deciding.target} onClose={deciding.close} />
    </ProductionPage>
  );
}
