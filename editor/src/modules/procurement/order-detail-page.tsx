import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { newIdempotencyKey } from '../../api/client';
import { fetchSite, siteKey } from '../../api/site';
import { approveOrder, fetchOrder, moveOrder, orderPdfPath, procurementKeys, rejectOrder, type PurchaseOrderAction, type PurchaseOrderDetail } from '../../api/procurement';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { statusColor } from './orders-page';
import type { ProcurementAccess } from './procurement-access';
import { formatMoney, useProcurementLookups } from './procurement-lookups';

/** Who is shown which move; the server checks the same (and the amount limit and four-eyes rule on approval). */
function mayMove(access: ProcurementAccess, to: PurchaseOrderAction): boolean {
  return to === 'approved' || to === 'rejected' ? access.approve : access.buy;
}

/** Goods are received and invoiced only on an order the supplier has (sent, or partly or fully received). */
const WITH_SUPPLIER = new Set(['sent', 'partially_received', 'received']);

/** One purchase order: its lines and totals in its currency, the moves its state allows, the PDF to send. */
export function OrderDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { itemById, locationById, access } = useProcurementLookups();
  const order = useQuery({ queryKey: procurementKeys.order(id), queryFn: ({ signal }) => fetchOrder(id, signal) });
  const site = useQuery({ queryKey: siteKey, queryFn: fetchSite, staleTime: Infinity });
  const [reason, setReason] = useState('');
  const move = useMutation({
    mutationFn: ({ current, to }: { current: PurchaseOrderDetail; to: PurchaseOrderAction }) => {
      const key = newIdempotencyKey();
      if (to === 'approved') return approveOrder(current, key);
      if (to === 'rejected') return rejectOrder(current, reason.trim(), key);
      return moveOrder(current, to, to === 'cancelled' ? reason.trim() : undefined, key);
    },
    onSuccess: async () => {
      setReason('');
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
    },
  });

  if (order.isError) return <ErrorMessage error={order.error} />;
  const current = order.data;
  if (!current) return null;
  const money = (value: number) => formatMoney(value, current.currency, i18n.language);
  const moves = current.nextStatuses.filter((to) => mayMove(access, to));
  const needsReason = moves.includes('rejected');

  return (
    <Stack data-testid="procurement-order-detail">
      <Group justify="space-between">
        <Title order={2}>
          {t('procurement.orders.order')} {current.number}
        </Title>
        <Anchor href={orderPdfPath(current.id, i18n.language)} download data-testid="order-pdf">
          {t('procurement.orders.pdf')}
        </Anchor>
      </Group>
      <Text>
        {t('procurement.status')}:{' '}
        <Badge color={statusColor(current.status)} variant="light" data-testid="order-status">
          {t(`procurement.orders.status.${current.status}`)}
        </Badge>{' '}
        · {t('procurement.orders.supplier')}: {current.supplier.code} — {current.supplier.name}
        {current.deliveryLocationId ? ` · ${t('procurement.orders.deliverTo')}: ${locationById.get(current.deliveryLocationId)?.code ?? current.deliveryLocationId}` : ''}
        {current.expectedAt ? ` · ${t('procurement.orders.expectedAt')}: ${current.expectedAt}` : ''}
      </Text>
      <Text size="sm" c="dimmed">
        {t('procurement.orders.createdBy')}: {current.createdBy}
        {current.submittedBy ? ` · ${t('procurement.orders.submittedBy')}: ${current.submittedBy}` : ''}
        {current.approvedBy ? ` · ${t('procurement.orders.approvedBy')}: ${current.approvedBy}` : ''}
        {current.sentBy ? ` · ${t('procurement.orders.sentBy')}: ${current.sentBy}` : ''}
      </Text>
      {current.rejectionReason ? (
        <Alert color="red" title={t('procurement.orders.rejectedBecause', { user: current.rejectedBy ?? '' })} data-testid="order-rejection">
          {current.rejectionReason}
        </Alert>
      ) : null}

      <Table striped data-testid="order-lines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('procurement.item')}</Table.Th>
            <Table.Th ta="right">{t('procurement.quantity')}</Table.Th>
            <Table.Th ta="right">{t('procurement.unitPrice')}</Table.Th>
            <Table.Th ta="right">{t('procurement.orders.lineTotal')}</Table.Th>
            <Table.Th ta="right">{t('procurement.orders.received')}</Table.Th>
            <Table.Th ta="right">{t('procurement.orders.invoiced')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {current.lines.map((line) => {
            const item = itemById.get(line.itemId);
            const quantity = (value: number) => `${formatNumber(value, 2, i18n.language, false)} ${line.unit}`;
            return (
              <Table.Tr key={line.id} data-testid={`order-line-${line.lineNumber}`}>
                <Table.Td>{line.lineNumber}</Table.Td>
                <Table.Td>
                  {item ? `${item.code} — ${item.name}` : line.itemId}
                  {line.description ? <Text size="xs">{line.description}</Text> : null}
                </Table.Td>
                <Table.Td ta="right">{quantity(line.quantity)}</Table.Td>
                <Table.Td ta="right">{money(line.unitPrice)}</Table.Td>
                <Table.Td ta="right">{money(line.lineTotal)}</Table.Td>
                <Table.Td ta="right" data-testid="order-line-received">
                  {quantity(line.receivedQuantity)}
                </Table.Td>
                <Table.Td ta="right">{quantity(line.invoicedQuantity)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Stack gap={0} align="flex-end">
        <Text>
          {t('procurement.orders.subtotal')}: {money(current.subtotalAmount)}
        </Text>
        <Text>
          {t('procurement.orders.tax')}: {money(current.taxAmount)}
        </Text>
        <Text fw={700} data-testid="order-total">
          {t('procurement.orders.total')}: {money(current.totalAmount)}
        </Text>
      </Stack>

      {moves.length > 0 && (
        <Paper withBorder p="sm">
          <Stack gap="xs">
            {moves.includes('approved') && (
              <Text size="sm" data-testid="order-approval-limit">
                {Number.isFinite(access.approvalLimit)
                  ? t('procurement.orders.yourLimit', {
                      limit: site.data?.currency ? formatMoney(access.approvalLimit, site.data.currency, i18n.language) : formatNumber(access.approvalLimit, 2, i18n.language),
                    })
                  : t('procurement.orders.noLimit')}
              </Text>
            )}
            {(needsReason || moves.includes('cancelled')) && (
              <TextInput label={t('procurement.orders.reason')} value={reason} onChange={(event) => setReason(event.currentTarget.value)} maw={480} data-testid="order-reason" />
            )}
            <Group>
              {moves.map((to) => (
                <Button
                  key={to}
                  size="xs"
                  color={to === 'rejected' || to === 'cancelled' ? 'red' : undefined}
                  variant={to === 'cancelled' ? 'outline' : 'filled'}
                  disabled={to === 'rejected' && reason.trim() === ''}
                  loading={move.isPending && move.variables.to === to}
                  onClick={() => move.mutate({ current, to })}
                  data-testid={`order-move-${to}`}
                >
                  {t(`procurement.orders.move.${to}`)}
                </Button>
              ))}
            </Group>
          </Stack>
        </Paper>
      )}
      {move.isError && (
        <Alert color="red" data-testid="order-move-error">
          <ErrorMessage error={move.error} />
        </Alert>
      )}
      <Group>
        {access.receive && current.status !== 'received' && WITH_SUPPLIER.has(current.status) && (
          <Anchor component={Link} to={`/procurement/receipts?order=${current.id}`} data-testid="order-receive-link">
            {t('procurement.orders.receive')}
          </Anchor>
        )}
        {access.invoice && WITH_SUPPLIER.has(current.status) && (
          <Anchor component={Link} to={`/procurement/invoices?order=${current.id}`} data-testid="order-invoice-link">
            {t('procurement.orders.enterInvoice')}
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}
