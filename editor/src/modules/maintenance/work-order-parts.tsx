import { Button, Group, NumberInput, Paper, Select, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { fetchAvailability, inventoryKeys } from '../../api/inventory';
import { consumePart, maintenanceKeys, releasePart, reservePart, type WorkOrderDetail } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { itemLabel, itemOptions, locationOptions, useInventoryLookups } from '../inventory/inventory-lookups';
import { useSubmissionKey } from '../inventory/submission';
import { serverFieldErrors } from '../production/entry-forms';

type PartsProps = { order: WorkOrderDetail; mayWork: boolean; money: (value: number, currency: string) => string };

/** Reserve a part from a chosen store, seeing what is available there before asking. */
function ReservePart({ orderId }: { orderId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const lookups = useInventoryLookups();
  const [itemId, setItemId] = useState<string | null>(null);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>('');
  const submission = useSubmissionKey();
  const item = itemId === null ? undefined : lookups.itemById.get(itemId);
  const availability = useQuery({
    queryKey: inventoryKeys.availability(itemId ?? '', locationId ?? ''),
    queryFn: ({ signal }) => fetchAvailability(itemId ?? '', locationId ?? '', signal),
    enabled: itemId !== null && locationId !== null,
  });
  const reserve = useMutation({
    mutationFn: (body: { itemId: string; locationId: string; quantity: number }) => reservePart(orderId, body, submission.keyFor(body)),
    onSuccess: async () => {
      submission.reset();
      setQuantity('');
      await queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
      await queryClient.invalidateQueries({ queryKey: inventoryKeys.all });
    },
  });
  const server =
    reserve.error instanceof ApiError && (reserve.error.status === 400 || reserve.error.status === 409)
      ? serverFieldErrors(reserve.error.details, { itemId: 'itemId', locationId: 'locationId', quantity: 'quantity' } as const).fields
      : {};
  const ready = itemId !== null && locationId !== null && typeof quantity === 'number' && quantity > 0;

  return (
    <Paper withBorder p="sm" data-testid="part-reserve-form">
      <Group align="flex-start" wrap="wrap">
        <Select label={t('inventory.stock.item')} value={itemId} data={itemOptions(lookups.items.data ?? [])} onChange={setItemId} searchable w={260} error={server.itemId} data-testid="part-item" />
        <Select label={t('inventory.stock.location')} value={locationId} data={locationOptions(lookups.stores)} onChange={setLocationId} w={220} error={server.locationId} data-testid="part-location" />
        <NumberInput
          label={`${t('inventory.move.quantity')}${item ? ` (${item.baseUnit})` : ''}`}
          value={quantity}
          onChange={setQuantity}
          min={0}
          w={130}
          error={server.quantity}
          description={
            availability.data
              ? t('maintenance.parts.available', { quantity: formatNumber(availability.data.availableQuantity, 2, i18n.language, false), unit: availability.data.baseUnit })
              : undefined
          }
          data-testid="part-quantity"
        />
        <Button
          mt={24}
          disabled={!ready}
          loading={reserve.isPending}
          onClick={() => itemId !== null && locationId !== null && typeof quantity === 'number' && reserve.mutate({ itemId, locationId, quantity })}
          data-testid="part-reserve"
        >
          {t('maintenance.parts.reserve')}
        </Button>
      </Group>
      {reserve.isError && <ErrorMessage error={reserve.error} />}
    </Paper>
  );
}

/** The order's parts by item name and store: reserved, consumed at inventory's average cost, or released; the parts cost per currency. */
export function WorkOrderParts({ order, mayWork, money }: PartsProps) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const lookups = useInventoryLookups();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
    await queryClient.invalidateQueries({ queryKey: inventoryKeys.all });
  };
  const consume = useMutation({ mutationFn: (partId: string) => consumePart(order.id, partId), onSuccess: refresh });
  const release = useMutation({ mutationFn: (partId: string) => releasePart(order.id, partId), onSuccess: refresh });
  const open = order.status !== 'done' && order.status !== 'cancelled';

  return (
    <>
      <Title order={4}>{t('maintenance.detail.parts')}</Title>
      {mayWork && open && <ReservePart orderId={order.id} />}
      <Table data-testid="maintenance-parts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inventory.stock.item')}</Table.Th>
            <Table.Th>{t('inventory.stock.location')}</Table.Th>
            <Table.Th ta="right">{t('maintenance.parts.consumedOfReserved')}</Table.Th>
            <Table.Th>{t('maintenance.parts.status')}</Table.Th>
            <Table.Th ta="right">{t('maintenance.parts.cost')}</Table.Th>
            {mayWork && <Table.Th />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {order.parts.map((part) => {
            const item = lookups.itemById.get(part.itemId);
            const unit = part.unit ?? item?.baseUnit ?? '';
            return (
              <Table.Tr key={part.id} data-testid={`part-row-${item?.code ?? part.itemId}`}>
                <Table.Td>{item ? itemLabel(item) : part.itemId}</Table.Td>
                <Table.Td>{lookups.locationById.get(part.locationId)?.code ?? part.locationId}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(part.consumedQuantity, 2, i18n.language, false)} / {formatNumber(part.quantity, 2, i18n.language, false)} {unit}
                </Table.Td>
                <Table.Td data-testid="part-status">{t(`maintenance.partStatus.${part.status}`)}</Table.Td>
                <Table.Td ta="right">{part.currency ? money(part.consumedValue, part.currency) : '—'}</Table.Td>
                {mayWork && (
                  <Table.Td>
                    {part.status === 'reserved' && open && (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" loading={consume.isPending && consume.variables === part.id} onClick={() => consume.mutate(part.id)} data-testid="part-consume">
                          {t('maintenance.parts.consume')}
                        </Button>
                        <Button size="xs" variant="default" loading={release.isPending && release.variables === part.id} onClick={() => release.mutate(part.id)} data-testid="part-release">
                          {t('maintenance.parts.release')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {order.parts.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('maintenance.parts.none')}
        </Text>
      )}
      {consume.isError && <ErrorMessage error={consume.error} />}
      {release.isError && <ErrorMessage error={release.error} />}
      {order.partsCost.map((cost) => (
        <Text key={cost.currency} fw={600} data-testid="maintenance-parts-cost">
          {t('maintenance.detail.partsCost')}: {money(cost.value, cost.currency)}
        </Text>
      ))}
    </>
  );
}
