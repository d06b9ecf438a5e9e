import { Anchor, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchPlans, maintenanceKeys, trendLink } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';

const round = (value: number) => Math.round(value * 10) / 10;

/** Preventive plans with the meter counted since last done, the recent usage rate and the forecast due date. */
export function PlansPage() {
  const { t, i18n } = useTranslation();
  const plans = useQuery({ queryKey: maintenanceKeys.plans, queryFn: ({ signal }) => fetchPlans(signal) });
  return (
    <Stack data-testid="maintenance-plans">
      <Title order={2}>{t('maintenance.plans.title')}</Title>
      {plans.error ? <ErrorMessage error={plans.error} /> : null}
      <Table.ScrollContainer minWidth={720}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('maintenance.plans.name')}</Table.Th>
              <Table.Th>{t('maintenance.plans.trigger')}</Table.Th>
              <Table.Th>{t('maintenance.plans.since')}</Table.Th>
              <Table.Th>{t('maintenance.plans.usage')}</Table.Th>
              <Table.Th>{t('maintenance.plans.dueAt')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(plans.data ?? []).map((plan) => (
              <Table.Tr key={plan.id} data-due={plan.due ? 'yes' : 'no'}>
                <Table.Td>
                  <Anchor component={Link} to={`/maintenance/equipment/${plan.equipmentId}`}>
                    {plan.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {plan.kind === 'calendar'
                    ? t('maintenance.plans.everyDays', { days: plan.intervalDays })
                    : `${t(`maintenance.meter.${plan.meter ?? 'manual'}`)} ${plan.intervalAmount ?? ''}`}
                  {plan.tagPath ? (
                    <>
                      {' '}
                      <Anchor component={Link} to={trendLink(plan.tagPath)}>
                        {plan.tagPath}
                      </Anchor>
                    </>
                  ) : null}
                </Table.Td>
                <Table.Td>{plan.meterSinceDone === null ? '—' : round(plan.meterSinceDone)}</Table.Td>
                <Table.Td>{plan.usagePerDay === null ? '—' : t('maintenance.plans.perDay', { value: round(plan.usagePerDay) })}</Table.Td>
                <Table.Td fw={plan.due ? 700 : undefined}>
                  {plan.due ? t('maintenance.plans.dueNow') : plan.dueAt ? new Date(plan.dueAt).toLocaleDateString(i18n.language) : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
