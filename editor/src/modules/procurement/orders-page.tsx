import { Badge, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { fetchOrders, ORDER_STATUSES, procurementKeys, type PurchaseOrderStatus } from '../../api/procurement';
import { ErrorMessage } from '../../shell/error-message';
import { formatMoney, useProcurementLookups } from './procurement-lookups';

const isStatus = (value: string | null): value is PurchaseOrderStatus => ORDER_STATUSES.some((status) => status === value);

/** The colour a status wears wherever an order is shown. */
export function statusColor(status: PurchaseOrderStatus): string {
  switch (status) {
    case 'submitted':
      return 'yellow';
    case 'approved':
    case 'sent':
      return 'blue';
    case 'partially_received':
      return 'cyan';
    case 'received':
    case 'closed':
      return 'green';
    case 'rejected':
    case 'cancelled':
      return 'red';
    case 'draft':
      return 'gray';
  }
}

/** Purchase orders by status (docs/erp-procurement-screens.md); the status filter lives in the address, so a link can name it. */
export function OrdersPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('status');
  const status = isStatus(requested) ? requested : null;
  const { supplierById } = useProcurementLookups();
  const orders = useQuery({ queryKey: procurementKeys.orders(status), queryFn: ({ signal }) => fetchOrders(status, signal), refetchInterval: 30_000 });

  return (
    <Stack data-testid="procurement-orders-page">
      <Title order={2}>{t('procurement.orders.title')}</Title>
      <Select
        label={t('procurement.status')}
        placeholder={t('procurement.orders.allStatuses')}
        clearable
        value={status}
        data={ORDER_STATUSES.map((value) => ({ value, label: t(`procurement.orders.status.${value}`) }))}
        onChange={(value) => setParams(value === null ? {} : { status: value })}
        w={260}
        data-testid="orders-status-filter"
      />
      {orders.isError && <ErrorMessage error={orders.error} />}
      <Table striped highlightOnHover data-testid="procurement-orders">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('procurement.orders.number')}</Table.Th>
            <Table.Th>{t('procurement.orders.supplier')}</Table.Th>
            <Table.Th>{t('procurement.status')}</Table.Th>
            <Table.Th ta="right">{t('procurement.orders.total')}</Table.Th>
            <Table.Th>{t('procurement.orders.expectedAt')}</Table.Th>
            <Table.Th>{t('procurement.orders.createdBy')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(orders.data ?? []).map((order) => {
            const supplier = supplierById.get(order.supplierId);
            return (
              <Table.Tr key={order.id} data-testid={`order-row-${order.number}`}>
                <Table.Td>
                  <Link to={`/procurement/orders/${order.id}`}>{order.number}</Link>
                </Table.Td>
                <Table.Td>{supplier ? `${supplier.code} — ${supplier.name}` : order.supplierId}</Table.Td>
                <Table.Td>
                  <Badge color={statusColor(order.status)} variant="light">
                    {t(`procurement.orders.status.${order.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">{formatMoney(order.totalAmount, order.currency, i18n.language)}</Table.Td>
                <Table.Td>{order.expectedAt ?? '—'}</Table.Td>
                <Table.Td>
                  {order.createdBy} · {new Date(order.createdAt).toLocaleDateString(i18n.language)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {orders.isSuccess && orders.data.length === 0 && <Text c="dimmed">{t('procurement.orders.none')}</Text>}
    </Stack>
  );
}
