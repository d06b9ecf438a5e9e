import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { fetchOrders, procurementKeys, type PurchaseOrderStatus } from '../../api/procurement';
import { useProcurementLookups } from './procurement-lookups';

/** The order a receiving screen works on, kept in the address (?order=) so the order's page can link straight to it. */
export function useChosenOrder(): [string | null, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  return [params.get('order'), (id) => setParams(id === null ? {} : { order: id })];
}

/** Picks one of the orders in the given states, by number and supplier. */
export function OrderPicker({ statuses, value, onChange }: { statuses: readonly PurchaseOrderStatus[]; value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useTranslation();
  const { supplierById } = useProcurementLookups();
  const orders = useQuery({ queryKey: procurementKeys.orders(null), queryFn: ({ signal }) => fetchOrders(null, signal) });
  const data = (orders.data ?? [])
    .filter((order) => statuses.includes(order.status) || order.id === value)
    .map((order) => ({ value: order.id, label: `${order.number} — ${supplierById.get(order.supplierId)?.name ?? ''} (${t(`procurement.orders.status.${order.status}`)})` }));
  return <Select label={t('procurement.orders.order')} placeholder={t('procurement.receiving.chooseOrder')} value={value} data={data} onChange={onChange} searchable w={420} data-testid="order-picker" />;
}
