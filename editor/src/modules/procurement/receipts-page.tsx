import { Badge, Button, Group, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchOrder, procurementKeys, type PurchaseOrderDetail } from '../../api/procurement';
import { createReceipt, fetchReceipts, fetchReceivingLines, receivingKeys, type ReceivingLine } from '../../api/procurement-receiving';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { locationOptions } from '../inventory/inventory-lookups';
import { OrderPicker, useChosenOrder } from './order-picker';
import { statusColor } from './orders-page';
import { useProcurementLookups } from './procurement-lookups';
import { useSubmissionKey } from '../inventory/submission';

const RECEIVING_STATUSES = ['sent', 'partially_received'] as const;

/** Where a line stands: nothing yet, part of it, all of it, or more than ordered. */
export function receiptState(line: Pick<ReceivingLine, 'quantity' | 'receivedQuantity'>): 'none' | 'partial' | 'complete' | 'over' {
  if (line.receivedQuantity <= 0) return 'none';
  if (line.receivedQuantity < line.quantity) return 'partial';
  return line.receivedQuantity > line.quantity ? 'over' : 'complete';
}

const STATE_COLOR = { none: 'gray', partial: 'yellow', complete: 'green', over: 'orange' } as const;

/**
 * Goods receipts (docs/erp-procurement-screens.md): the storekeeper receives
 * what arrived against a sent order, line by line, with the quantity and the
 * store it goes to; partial and over-deliveries show on each line.
 */
export function ReceiptsPage() {
  const { t } = useTranslation();
  const [orderId, setOrderId] = useChosenOrder();
  return (
    <Stack data-testid="procurement-receipts-page">
      <Title order={2}>{t('procurement.receiving.title')}</Title>
      <OrderPicker statuses={RECEIVING_STATUSES} value={orderId} onChange={setOrderId} />
      {orderId !== null && <OrderReceiving key={orderId} orderId={orderId} />}
    </Stack>
  );
}

function OrderReceiving({ orderId }: { orderId: string }) {
  const { t, i18n } = useTranslation();
  const { itemById, locationById, access } = useProcurementLookups();
  const order = useQuery({ queryKey: procurementKeys.order(orderId), queryFn: ({ signal }) => fetchOrder(orderId, signal) });
  const lines = useQuery({ queryKey: receivingKeys.receivingLines(orderId), queryFn: ({ signal }) => fetchReceivingLines(orderId, signal) });
  const receipts = useQuery({ queryKey: receivingKeys.receipts(orderId), queryFn: ({ signal }) => fetchReceipts(orderId, signal) });
  if (order.isError) return <ErrorMessage error={order.error} />;
  if (lines.isError) return <ErrorMessage error={lines.error} />;
  if (!order.data || !lines.data) return null;
  const current = order.data;
  const receiving = current.status === 'sent' || current.status === 'partially_received';
  const quantity = (value: number, unit: string) => `${formatNumber(value, 2, i18n.language, false)} ${unit}`;
  const unitOf = (itemId: string) => itemById.get(itemId)?.baseUnit ?? '';

  return (
    <Stack>
      <Text>
        <Link to={`/procurement/orders/${current.id}`}>{current.number}</Link> · {current.supplier.name} ·{' '}
        <Badge color={statusColor(current.status)} variant="light" data-testid="receipt-order-status">
          {t(`procurement.orders.status.${current.status}`)}
        </Badge>
      </Text>
      <Table striped data-testid="receiving-lines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('procurement.item')}</Table.Th>
            <Table.Th ta="right">{t('procurement.receiving.ordered')}</Table.Th>
            <Table.Th ta="right">{t('procurement.orders.received')}</Table.Th>
            <Table.Th ta="right">{t('procurement.receiving.receivable')}</Table.Th>
            <Table.Th>{t('procurement.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {lines.data.map((line) => {
            const state = receiptState(line);
            const item = itemById.get(line.itemId);
            return (
              <Table.Tr key={line.id} data-testid={`receiving-line-${line.lineNumber}`}>
                <Table.Td>{line.lineNumber}</Table.Td>
                <Table.Td>{item ? `${item.code} — ${item.name}` : line.itemId}</Table.Td>
                <Table.Td ta="right">{quantity(line.quantity, unitOf(line.itemId))}</Table.Td>
                <Table.Td ta="right">{quantity(line.receivedQuantity, unitOf(line.itemId))}</Table.Td>
                <Table.Td ta="right">{quantity(line.receivableQuantity, unitOf(line.itemId))}</Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLOR[state]} variant="light" data-testid="receiving-line-state">
                    {t(`procurement.receiving.state.${state}`)}
                  </Badge>
                  {line.closedShortAt ? <Text size="xs">{t('procurement.receiving.closedShort', { reason: line.closeShortReason ?? '' })}</Text> : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {access.receive && receiving && <ReceiptForm order={current} lines={lines.data} />}
      <Title order={4}>{t('procurement.receiving.receipts')}</Title>
      {receipts.isError && <ErrorMessage error={receipts.error} />}
      <Table data-testid="receipts">
        <Table.Tbody>
          {(receipts.data ?? []).flatMap((receipt) =>
            receipt.lines.map((line) => {
              const item = itemById.get(line.itemId);
              return (
                <Table.Tr key={line.id}>
                  <Table.Td>{receipt.number}</Table.Td>
                  <Table.Td>{new Date(receipt.receivedAt).toLocaleString(i18n.language)}</Table.Td>
                  <Table.Td>{item?.code ?? line.itemId}</Table.Td>
                  <Table.Td ta="right">{quantity(line.quantity, item?.baseUnit ?? '')}</Table.Td>
                  <Table.Td>{locationById.get(line.locationId)?.code ?? line.locationId}</Table.Td>
                  <Table.Td>{t(`procurement.receiving.receiptStatus.${receipt.status}`)}</Table.Td>
                  <Table.Td>{receipt.deliveryNote}</Table.Td>
                  <Table.Td>{receipt.createdBy}</Table.Td>
                </Table.Tr>
              );
            }),
          )}
        </Table.Tbody>
      </Table>
      {receipts.data?.length === 0 && <Text c="dimmed">{t('procurement.receiving.noReceipts')}</Text>}
    </Stack>
  );
}

interface LineEntry {
  quantity: number | string;
  locationId: string | null;
}

/** What arrived, per line: the quantity (what is outstanding, to start with) and the store it goes to (the order's delivery location). */
function ReceiptForm({ order, lines }: { order: PurchaseOrderDetail; lines: readonly ReceivingLine[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { stores } = useProcurementLookups();
  const initial = () =>
    Object.fromEntries(lines.map((line) => [line.id, { quantity: Math.max(0, line.quantity - line.receivedQuantity) || '', locationId: order.deliveryLocationId }])) as Record<string, LineEntry>;
  const [entries, setEntries] = useState<Record<string, LineEntry>>(initial);
  const [deliveryNote, setDeliveryNote] = useState('');
  const submission = useSubmissionKey();
  const set = (lineId: string, entry: Partial<LineEntry>) => setEntries((current) => ({ ...current, [lineId]: { ...(current[lineId] ?? { quantity: '', locationId: null }), ...entry } }));
  const post = useMutation({
    mutationFn: () => {
      const chosen = lines.flatMap((line) => {
        const entry = entries[line.id];
        if (!entry || typeof entry.quantity !== 'number' || entry.quantity <= 0) return [];
        return [{ purchaseOrderLineId: line.id, quantity: entry.quantity, ...(entry.locationId !== null && { locationId: entry.locationId }) }];
      });
      if (chosen.length === 0) throw new Error(t('procurement.receiving.nothing'));
      const body = { purchaseOrderId: order.id, deliveryNote, notes: '', lines: chosen, post: true };
      return createReceipt(body, submission.keyFor(body));
    },
    onSuccess: async () => {
      submission.reset();
      setDeliveryNote('');
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['inventory'] });
    },
  });
  return (
    <Paper withBorder p="sm" data-testid="receipt-form">
      <Stack gap="xs">
        {lines
          .filter((line) => line.closedShortAt === null)
          .map((line) => (
            <Group key={line.id} align="flex-end">
              <Text w={30}>{line.lineNumber}</Text>
              <NumberInput
                label={t('procurement.receiving.quantityNow')}
                value={entries[line.id]?.quantity ?? ''}
                onChange={(value) => set(line.id, { quantity: value })}
                min={0}
                w={140}
                data-testid={`receipt-quantity-${line.lineNumber}`}
              />
              <Select
                label={t('procurement.location')}
                value={entries[line.id]?.locationId ?? null}
                data={locationOptions(stores)}
                onChange={(value) => set(line.id, { locationId: value })}
                allowDeselect={false}
                w={240}
                data-testid={`receipt-location-${line.lineNumber}`}
              />
            </Group>
          ))}
        <Group align="flex-end">
          <TextInput label={t('procurement.receiving.deliveryNote')} value={deliveryNote} onChange={(event) => setDeliveryNote(event.currentTarget.value)} w={200} data-testid="receipt-delivery-note" />
          <Button onClick={() => post.mutate()} loading={post.isPending} data-testid="receipt-post">
            {t('procurement.receiving.post')}
          </Button>
        </Group>
        {post.isError && <ErrorMessage error={post.error} />}
      </Stack>
    </Paper>
  );
}
