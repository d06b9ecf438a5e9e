import { Anchor, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { fetchEquipmentHistory, maintenanceKeys } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';

const hours = (value: number | null) => (value === null ? '—' : `${Math.round(value * 10) / 10} h`);

/** An equipment's work orders with MTBF and MTTR, overall and per failure code (the last 365 days). */
export function EquipmentHistoryPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const history = useQuery({ queryKey: maintenanceKeys.history(id), queryFn: ({ signal }) => fetchEquipmentHistory(id, signal) });
  if (history.error) return <ErrorMessage error={history.error} />;
  const data = history.data;
  if (!data) return null;
  return (
    <Stack data-testid="maintenance-equipment-history">
      <Title order={2}>{t('maintenance.history.title')}</Title>
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
              <Table.Td>{row.problemCode || '—'}</Table.Td>
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
