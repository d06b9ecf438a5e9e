import { Anchor, Badge, Button, Group, NumberInput, Popover, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { hasRole } from '../../api/auth';
import { ApiError } from '../../api/client';
import { addMeterReading, fetchPlans, maintenanceKeys, trendLink, type Plan, type PlanStatus } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { serverFieldErrors } from '../production/entry-forms';
import { useSubmissionKey } from '../inventory/submission';
import { equipmentLabel, PlanFormModal, useEquipment } from './plan-form';

const round = (value: number) => Math.round(value * 10) / 10;

/** A hand reading of a manual meter (a counter read off a panel where no tag counts it): the cumulative value now. */
function ReadingButton({ plan }: { plan: PlanStatus }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [reading, setReading] = useState<number | string>('');
  const submission = useSubmissionKey();
  const save = useMutation({
    mutationFn: (value: number) => {
      const body = { readAt: new Date().toISOString(), reading: value };
      return addMeterReading(plan.id, body, submission.keyFor({ planId: plan.id, reading: value }));
    },
    onSuccess: async () => {
      submission.reset();
      setReading('');
      setOpened(false);
      await queryClient.invalidateQueries({ queryKey: maintenanceKeys.plans });
    },
  });
  const serverError = save.error instanceof ApiError && save.error.status === 400 ? serverFieldErrors(save.error.details, { reading: 'reading' }).fields.reading : undefined;
  return (
    <Popover opened={opened} onChange={setOpened} withinPortal>
      <Popover.Target>
        <Button size="xs" variant="light" onClick={() => setOpened((open) => !open)} data-testid="plan-reading-open">
          {t('maintenance.reading.enter')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" w={240}>
          <NumberInput
            label={t('maintenance.reading.value')}
            description={t('maintenance.reading.help')}
            value={reading}
            onChange={setReading}
            min={0}
            error={serverError}
            data-testid="plan-reading-value"
          />
          {save.isError && serverError === undefined && <ErrorMessage error={save.error} />}
          <Button size="xs" disabled={typeof reading !== 'number'} loading={save.isPending} onClick={() => typeof reading === 'number' && save.mutate(reading)} data-testid="plan-reading-save">
            {t('maintenance.reading.save')}
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

/** Preventive plans with the meter counted since last done, the recent usage rate and the forecast due date; engineers create and edit them. */
export function PlansPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const plans = useQuery({ queryKey: maintenanceKeys.plans, queryFn: ({ signal }) => fetchPlans(signal) });
  const equipment = useEquipment();
  const equipmentById = new Map((equipment.data ?? []).map((asset) => [asset.id, asset]));
  // The form is keyed by what it edits, so opening it again starts from that plan's values.
  const [editing, setEditing] = useState<{ plan: Plan | null; key: number } | null>(null);
  const mayEdit = hasRole(user.role, 'engineer');
  const mayRead = hasRole(user.role, 'operator');
  return (
    <Stack data-testid="maintenance-plans">
      <Group justify="space-between">
        <Title order={2}>{t('maintenance.plans.title')}</Title>
        <Group>
          <Anchor component={Link} to="/maintenance/failure-codes">
            {t('maintenance.failureCodes.title')}
          </Anchor>
          {mayEdit && (
            <Button onClick={() => setEditing({ plan: null, key: Date.now() })} data-testid="plan-new">
              {t('maintenance.plans.new')}
            </Button>
          )}
        </Group>
      </Group>
      {editing && <PlanFormModal key={editing.key} plan={editing.plan} opened onClose={() => setEditing(null)} />}
      {plans.error ? <ErrorMessage error={plans.error} /> : null}
      <Table.ScrollContainer minWidth={820}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('maintenance.plans.name')}</Table.Th>
              <Table.Th>{t('maintenance.planForm.equipment')}</Table.Th>
              <Table.Th>{t('maintenance.plans.trigger')}</Table.Th>
              <Table.Th>{t('maintenance.plans.since')}</Table.Th>
              <Table.Th>{t('maintenance.plans.usage')}</Table.Th>
              <Table.Th>{t('maintenance.plans.dueAt')}</Table.Th>
              {(mayEdit || mayRead) && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(plans.data ?? []).map((plan) => {
              const asset = equipmentById.get(plan.equipmentId);
              return (
                <Table.Tr key={plan.id} data-due={plan.due ? 'yes' : 'no'} data-testid={`plan-row-${plan.name}`}>
                  <Table.Td>
                    {plan.name}
                    {plan.active ? null : (
                      <Badge ml="xs" size="xs" color="gray">
                        {t('maintenance.plans.inactive')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/maintenance/equipment/${plan.equipmentId}`}>
                      {asset ? equipmentLabel(asset) : t('maintenance.detail.equipmentHistory')}
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
                  <Table.Td data-testid="plan-since">{plan.meterSinceDone === null ? '—' : round(plan.meterSinceDone)}</Table.Td>
                  <Table.Td>{plan.usagePerDay === null ? '—' : t('maintenance.plans.perDay', { value: round(plan.usagePerDay) })}</Table.Td>
                  <Table.Td fw={plan.due ? 700 : undefined}>
                    {plan.due ? t('maintenance.plans.dueNow') : plan.dueAt ? new Date(plan.dueAt).toLocaleDateString(i18n.language) : '—'}
                  </Table.Td>
                  {(mayEdit || mayRead) && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {mayRead && plan.meter === 'manual' && <ReadingButton plan={plan} />}
                        {mayEdit && (
                          <Button size="xs" variant="default" onClick={() => setEditing({ plan, key: Date.now() })} data-testid="plan-edit">
                            {t('maintenance.plans.edit')}
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {plans.data?.length === 0 && <Text c="dimmed">{t('maintenance.plans.none')}</Text>}
    </Stack>
  );
}
