import { Badge, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BOARD_STATUSES, fetchWorkOrders, maintenanceKeys } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';

/** The work order board: one column per status, newest first. */
export function WorkOrderBoardPage() {
  const { t } = useTranslation();
  const orders = useQuery({ queryKey: maintenanceKeys.board, queryFn: ({ signal }) => fetchWorkOrders(signal), refetchInterval: 30_000 });
  return (
    <Stack data-testid="maintenance-board">
      <Title order={2}>{t('maintenance.board.title')}</Title>
      {orders.error ? <ErrorMessage error={orders.error} /> : null}
      <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }}>
        {BOARD_STATUSES.map((status) => {
          const column = (orders.data ?? []).filter((order) => order.status === status);
          return (
            <Stack key={status} gap="xs" data-testid={`maintenance-column-${status}`}>
              <Text fw={600}>
                {t(`maintenance.status.${status}`)} ({column.length})
              </Text>
              {column.map((order) => (
                <Paper key={order.id} withBorder p="xs" component={Link} to={`/maintenance/work-orders/${order.id}`} data-testid="maintenance-card">
                  <Text size="sm" fw={500}>
                    #{order.number} {order.title}
                  </Text>
                  <Badge size="xs" color={order.priority === 'urgent' || order.priority === 'high' ? 'red' : 'gray'}>
                    {t(`maintenance.priority.${order.priority}`)}
                  </Badge>{' '}
                  <Badge size="xs" variant="light">
                    {t(`maintenance.kind.${order.kind}`)}
                  </Badge>
                </Paper>
              ))}
            </Stack>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}
