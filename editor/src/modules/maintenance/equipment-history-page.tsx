import { Anchor, Button, Group, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { hasRole } from '../../api/auth';
import { createWorkOrder, fetchEquipmentHistory, fetchFailureCodes, maintenanceKeys, type WorkOrder } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { failureCodeText } from './maintenance-forms';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly WorkOrder['priority'][];

function isPriority(value: string): value is WorkOrder['priority'] {
  return PRIORITIES.some((priority) => priority === value);
}

/** A technician opens a corrective work order on this equipment. */
function OpenWorkOrder({ equipmentId }: { equipmentId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<WorkOrder['priority']>('normal');
  const open = useMutation({
    mutationFn: () => createWorkOrder({ equipmentId, title: title.trim(), priority }),
    onSuccess: async (order) => {
      await queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
      await navigate(`/maintenance/work-orders/${order.id}`);
    },
  });
  return (
    <Stack gap="xs">
      <Group align="end">
        <TextInput label={t('maintenance.history.newTitle')} value={title} onChange={(event) => setTitle(event.currentTarget.value)} data-testid="maintenance-new-title" />
        <NativeSelect
          label={t('maintenance.history.priority')}
          value={priority}
          data={PRIORITIES.map((value) => ({ value, label: t(`maintenance.priority.${value}`) }))}
          onChange={(event) => {
            if (isPriority(event.currentTarget.value)) setPriority(event.currentTarget.value);
          }}
        />
        <Button disabled={title.trim() === ''} loading={open.isPending} onClick={() => open.mutate()} data-testid="maintenance-new-open">
          {t('maintenance.history.open')}
        </Button>
      </Group>
      {open.error ? <ErrorMessage error={open.error} /> : null}
    </Stack>
  );
}

const hours = (value: number | null) => (value === null ? '—' : `${Math.round(value * 10) / 10} h`);

/** An equipment's work orders with MTBF and MTTR, overall and per failure code (the last 365 days). */
export function EquipmentHistoryPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { user } = useSession();
  const history = useQuery({ queryKey: maintenanceKeys.history(id), queryFn: ({ signal }) => fetchEquipmentHistory(id, signal) });
  // Inactive codes too: old failures keep the description of the code they were booked under.
  const catalogue = useQuery({ queryKey: maintenanceKeys.failureCodes(true), queryFn: ({ signal }) => fetchFailureCodes(true, signal), staleTime: 60_000 });
  if (history.error) return <ErrorMessage error={history.error} />;
  const data = history.data;
  if (!data) return null;
  return (
    <Stack data-testid="maintenance-equipment-history">
      <Title order={2}>{t('maintenance.history.title')}</Title>
      {hasRole(user.role, 'operator') ? <OpenWorkOrder equipmentId={id} /> : null}
      <SimpleGrid cols={3}>
        <Text>
          {t('maintenance.history.failures')}: <b>{data.reliability.failures}</b>
        </Text>
        <Text>
          MTBF: <b data-testid="maintenance-mtbf">{hours(data.reliability.mtbfHours)}</b>
        </Text>
        <Text>
          MTTR: <b data-testid="maintenance-mttr">{hours(data.reliability.mttrHours)}</b>
        </Text>
      </SimpleGrid>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('maintenance.detail.problem')}</Table.Th>
            <Table.Th>{t('maintenance.history.failures')}</Table.Th>
            <Table.Th>MTBF</Table.Th>
            <Table.Th>MTTR</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.byFailureCode.map((row) => (
            <Table.Tr key={row.problemCode}>
              <Table.Td>{failureCodeText(catalogue.data ?? [], 'problem', row.problemCode, i18n.language)}</Table.Td>
              <Table.Td>{row.failures}</Table.Td>
              <Table.Td>{hours(row.mtbfHours)}</Table.Td>
              <Table.Td>{hours(row.mttrHours)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={4}>{t('maintenance.history.orders')}</Title>
      {data.workOrders.map((order) => (
        <Text key={order.id} size="sm">
          <Anchor component={Link} to={`/maintenance/work-orders/${order.id}`}>
            #{order.number} {order.title}
          </Anchor>{' '}
          · {t(`maintenance.status.${order.status}`)} · {new Date(order.createdAt).toLocaleDateString(i18n.language)}
        </Text>
      ))}
    </Stack>
  );
}
