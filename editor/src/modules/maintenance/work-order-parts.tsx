import { Button, Group, NumberInput, Select, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newIdempotencyKey } from '../../api/client';
import { consumePart, releasePart, reservePart } from '../../api/maintenance-parts';
import type { WorkOrderDetail } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { itemOptions, locationOptions, useInventoryLookups } from '../inventory/inventory-lookups';

/**
 * The parts of a work order: what is reserved from the store, consumed into
 * the order at the moving-average cost, or given back. Open orders only;
 * the technician reserves and consumes here (docs/erp-maintenance.md "Parts").
 */
export function WorkOrderParts({ order, onChanged }: { order: WorkOrderDetail; onChanged: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const lookups = useInventoryLookups();
  const [itemId, setItemId] = useState<string | null>(null);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>(1);
  // One key per submission: a retried click reserves once; the next reservation gets a new key.
  const [key, setKey] = useState(newIdempotencyKey);
  const open = order.status !== 'done' && order.status !== 'cancelled';
  const money = (value: number, currency: string) => new Intl.NumberFormat(i18n.language, { style: 'currency', currency }).format(value);
  const reserve = useMutation({
    mutationFn: () => {
      if (itemId === null || locationId === null || typeof quantity !== 'number') throw new Error(t('maintenance.parts.incomplete'));
      return reservePart(order.id, { itemId, locationId, quantity }, key);
    },
    onSuccess: async () => {
      setKey(newIdempotencyKey());
      await onChanged();
    },
  });
  const act = useMutation({
    mutationFn: ({ partId, action }: { partId: string; action: 'consume' | 'release' }) =>
      action === 'consume' ? consumePart(order.id, partId, newIdempotencyKey()) : releasePart(order.id, partId, newIdempotencyKey()),
    onSuccess: onChanged,
  });

  return (
    <>
      <Table data-testid="maintenance-parts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('maintenance.parts.item')}</Table.Th>
            <Table.Th>{t('maintenance.parts.location')}</Table.Th>
            <Table.Th ta="right">{t('maintenance.parts.consumedOfReserved')}</Table.Th>
            <Table.Th>{t('maintenance.parts.status')}</Table.Th>
            <Table.Th ta="right">{t('maintenance.parts.value')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {order.parts.map((part) => {
            const item = lookups.itemById.get(part.itemId);
            return (
              <Table.Tr key={part.id} data-testid={`part-row-${item?.code ?? part.itemId}`}>
                <Table.Td>{item ? `${item.code} — ${item.name}` : part.itemId}</Table.Td>
                <Table.Td>{lookups.locationById.get(part.locationId)?.code ?? part.locationId}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(part.consumedQuantity, 2, i18n.language, false)} / {formatNumber(part.quantity, 2, i18n.language, false)} {part.unit ?? item?.baseUnit ?? ''}
                </Table.Td>
                <Table.Td data-testid="part-status">{t(`maintenance.partStatus.${part.status}`)}</Table.Td>
                <Table.Td ta="right">{part.currency ? money(part.consumedValue, part.currency) : '—'}</Table.Td>
                <Table.Td>
                  {open && part.status === 'reserved' && (
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" loading={act.isPending} onClick={() => act.mutate({ partId: part.id, action: 'consume' })} data-testid="part-consume">
                        {t('maintenance.parts.consume')}
                      </Button>
                      <Button size="xs" variant="default" loading={act.isPending} onClick={() => act.mutate({ partId: part.id, action: 'release' })}>
                        {t('maintenance.parts.release')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {order.parts.length === 0 && <Text c="dimmed">{t('maintenance.parts.none')}</Text>}
      {act.error ? <ErrorMessage error={act.error} /> : null}
      {open && (
        <Group align="flex-end" wrap="wrap">
          <Select label={t('maintenance.parts.item')} value={itemId} data={itemOptions(lookups.items.data ?? [])} onChange={setItemId} searchable w={280} data-testid="part-item" />
          <Select label={t('maintenance.parts.location')} value={locationId} data={locationOptions(lookups.stores)} onChange={setLocationId} w={220} data-testid="part-location" />
          <NumberInput label={t('maintenance.parts.quantity')} value={quantity} onChange={setQuantity} min={0} w={120} data-testid="part-quantity" />
          <Button variant="light" loading={reserve.isPending} onClick={() => reserve.mutate()} data-testid="part-reserve">
            {t('maintenance.parts.reserve')}
          </Button>
        </Group>
      )}
      {reserve.error ? <ErrorMessage error={reserve.error} /> : null}
    </>
  );
}
