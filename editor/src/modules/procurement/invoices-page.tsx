import { Alert, Badge, Button, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { newIdempotencyKey } from '../../api/client';
import { fetchOrder, procurementKeys, type PurchaseOrderDetail } from '../../api/procurement';
import { acceptInvoice, createInvoice, fetchInvoices, receivingKeys, type SupplierInvoice, type SupplierInvoiceLine } from '../../api/procurement-receiving';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { OrderPicker, useChosenOrder } from './order-picker';
import { formatMoney, useProcurementLookups } from './procurement-lookups';
import { useSubmissionKey } from '../inventory/submission';

const INVOICEABLE = ['sent', 'partially_received', 'received', 'closed'] as const;
const STATUS_COLOR = { draft: 'gray', matched: 'green', exceptions: 'red', accepted: 'teal', cancelled: 'gray' } as const;

/** Cents, as an invoice prints them: the server checks quantity × price against the printed amount to the cent. */
const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * Supplier invoices (docs/erp-procurement-screens.md): enter an invoice
 * against an order, see the three-way match of ordered, received and
 * invoiced per line, and (an approver) accept an exception with a reason.
 */
export function InvoicesPage() {
  const { t } = useTranslation();
  const [orderId, setOrderId] = useChosenOrder();
  return (
    <Stack data-testid="procurement-invoices-page">
      <Title order={2}>{t('procurement.invoices.title')}</Title>
      <OrderPicker statuses={INVOICEABLE} value={orderId} onChange={setOrderId} />
      {orderId !== null && <OrderInvoices key={orderId} orderId={orderId} />}
    </Stack>
  );
}

function OrderInvoices({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const { access } = useProcurementLookups();
  const order = useQuery({ queryKey: procurementKeys.order(orderId), queryFn: ({ signal }) => fetchOrder(orderId, signal) });
  const invoices = useQuery({ queryKey: receivingKeys.invoices(orderId), queryFn: ({ signal }) => fetchInvoices(orderId, signal) });
  if (order.isError) return <ErrorMessage error={order.error} />;
  if (!order.data) return null;
  const current = order.data;
  return (
    <Stack>
      <Text>
        <Link to={`/procurement/orders/${current.id}`}>{current.number}</Link> · {current.supplier.name} · {t(`procurement.orders.status.${current.status}`)}
      </Text>
      {invoices.isError && <ErrorMessage error={invoices.error} />}
      {(invoices.data ?? []).map((invoice) => (
        <InvoiceMatch key={invoice.id} invoice={invoice} order={current} canAccept={access.approve} />
      ))}
      {invoices.data?.length === 0 && <Text c="dimmed">{t('procurement.invoices.none')}</Text>}
      {access.invoice && <InvoiceForm order={current} />}
    </Stack>
  );
}

/** One exception in words, its figures in the user's notation. */
function ExceptionText({ reason, params }: SupplierInvoiceLine['exceptions'][number]) {
  const { t, i18n } = useTranslation();
  const figure = (name: string) => formatNumber(params[name] ?? 0, 2, i18n.language, false);
  const text = (() => {
    switch (reason) {
      case 'not_received':
        return t('procurement.invoices.exception.notReceived', { invoiced: figure('invoiced') });
      case 'invoiced_more_than_received':
        return t('procurement.invoices.exception.invoicedMoreThanReceived', { invoiced: figure('invoiced'), received: figure('received'), allowed: figure('allowed') });
      case 'quantity_over_order':
        return t('procurement.invoices.exception.quantityOverOrder', { invoiced: figure('invoiced'), ordered: figure('ordered'), allowed: figure('allowed') });
      case 'price_above_order':
        return t('procurement.invoices.exception.priceAboveOrder', {
          invoiceUnitPrice: figure('invoiceUnitPrice'),
          orderUnitPrice: figure('orderUnitPrice'),
          variancePercent: figure('variancePercent'),
          varianceAmount: figure('varianceAmount'),
        });
    }
  })();
  return (
    <Text size="xs" data-testid="invoice-line-exception">
      {text}
    </Text>
  );
}

/** The three-way match of one invoice: per line what was ordered, received and billed, and at what price against the order's. */
function InvoiceMatch({ invoice, order, canAccept }: { invoice: SupplierInvoice; order: PurchaseOrderDetail; canAccept: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { itemById } = useProcurementLookups();
  const [reason, setReason] = useState('');
  const accept = useMutation({
    mutationFn: () => acceptInvoice(invoice, reason.trim(), newIdempotencyKey()),
    onSuccess: async () => {
      setReason('');
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
    },
  });
  const money = (value: number) => formatMoney(value, invoice.currency, i18n.language);
  const orderLine = new Map(order.lines.map((line) => [line.id, line]));
  return (
    <Paper withBorder p="sm" data-testid={`invoice-${invoice.invoiceNumber}`}>
      <Group justify="space-between">
        <Text fw={600}>
          {t('procurement.invoices.number')} {invoice.invoiceNumber} · {invoice.invoiceDate} · {money(invoice.totalAmount)}
        </Text>
        <Badge color={STATUS_COLOR[invoice.status]} data-testid="invoice-status">
          {t(`procurement.invoices.status.${invoice.status}`)}
        </Badge>
      </Group>
      <Table data-testid="invoice-match">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('procurement.item')}</Table.Th>
            <Table.Th ta="right">{t('procurement.receiving.ordered')}</Table.Th>
            <Table.Th ta="right">{t('procurement.orders.received')}</Table.Th>
            <Table.Th ta="right">{t('procurement.invoices.billed')}</Table.Th>
            <Table.Th ta="right">{t('procurement.invoices.priceVsOrder')}</Table.Th>
            <Table.Th>{t('procurement.invoices.match')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoice.lines.map((line) => {
            const ordered = orderLine.get(line.purchaseOrderLineId);
            const item = itemById.get(line.itemId);
            const quantity = (value: number) => `${formatNumber(value, 2, i18n.language, false)} ${ordered?.unit ?? item?.baseUnit ?? ''}`;
            return (
              <Table.Tr key={line.id} data-testid={`invoice-line-${line.lineNumber}`}>
                <Table.Td>{ordered?.lineNumber ?? line.lineNumber}</Table.Td>
                <Table.Td>{item ? `${item.code} — ${item.name}` : line.itemId}</Table.Td>
                <Table.Td ta="right">{ordered ? quantity(ordered.quantity) : '—'}</Table.Td>
                <Table.Td ta="right">{ordered ? quantity(ordered.receivedQuantity) : '—'}</Table.Td>
                <Table.Td ta="right">{quantity(line.quantity)}</Table.Td>
                <Table.Td ta="right">
                  {money(line.unitPrice)} / {line.orderUnitPrice === null ? '—' : money(line.orderUnitPrice)}
                </Table.Td>
                <Table.Td data-testid="invoice-line-match">
                  {line.matchStatus === null ? '—' : t(`procurement.invoices.lineMatch.${line.matchStatus}`)}
                  {line.exceptions.map((exception) => (
                    <ExceptionText key={exception.reason} {...exception} />
                  ))}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {invoice.acceptReason ? (
        <Text size="sm" data-testid="invoice-accepted">
          {t('procurement.invoices.acceptedBy', { user: invoice.acceptedBy ?? '', reason: invoice.acceptReason })}
        </Text>
      ) : null}
      {canAccept && invoice.status === 'exceptions' && (
        <Group align="flex-end">
          <TextInput label={t('procurement.invoices.acceptReason')} value={reason} onChange={(event) => setReason(event.currentTarget.value)} w={360} data-testid="invoice-accept-reason" />
          <Button color="orange" disabled={reason.trim() === ''} loading={accept.isPending} onClick={() => accept.mutate()} data-testid="invoice-accept">
            {t('procurement.invoices.accept')}
          </Button>
        </Group>
      )}
      {accept.isError && (
        <Alert color="red">
          <ErrorMessage error={accept.error} />
        </Alert>
      )}
    </Paper>
  );
}

interface InvoiceLineEntry {
  quantity: number | string;
  unitPrice: number | string;
}

const today = () => new Date().toISOString().slice(0, 10);

/** An invoice as the supplier printed it: number, date, per order line the quantity and unit price, and the tax; posted and matched at once. */
function InvoiceForm({ order }: { order: PurchaseOrderDetail }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [invoiceNumber, setInvoiceNumber] = useState('');
  const [invoiceDate, setInvoiceDate] = useState(today);
  const [tax, setTax] = useState<number | string>(0);
  const [entries, setEntries] = useState<Record<string, InvoiceLineEntry>>(() =>
    Object.fromEntries(order.lines.map((line) => [line.id, { quantity: Math.max(0, line.receivedQuantity - line.invoicedQuantity) || '', unitPrice: line.unitPrice }])),
  );
  const submission = useSubmissionKey();
  const billed = order.lines.flatMap((line) => {
    const entry = entries[line.id];
    if (!entry || typeof entry.quantity !== 'number' || entry.quantity <= 0 || typeof entry.unitPrice !== 'number') return [];
    return [{ purchaseOrderLineId: line.id, quantity: entry.quantity, unitPrice: entry.unitPrice, amount: cents(entry.quantity * entry.unitPrice), description: '' }];
  });
  const taxAmount = typeof tax === 'number' ? tax : 0;
  const total = cents(billed.reduce((sum, line) => sum + line.amount, 0) + taxAmount);
  const post = useMutation({
    mutationFn: () => {
      if (billed.length === 0 || invoiceNumber.trim() === '') throw new Error(t('procurement.invoices.incomplete'));
      const body = {
        purchaseOrderId: order.id,
        invoiceNumber: invoiceNumber.trim(),
        invoiceDate,
        currency: order.currency,
        totalAmount: total,
        notes: '',
        lines: billed,
        charges: taxAmount > 0 ? [{ kind: 'tax' as const, amount: taxAmount, description: '' }] : [],
        post: true,
      };
      return createInvoice(body, submission.keyFor(body));
    },
    onSuccess: async () => {
      submission.reset();
      setInvoiceNumber('');
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
    },
  });
  const set = (lineId: string, entry: Partial<InvoiceLineEntry>) => setEntries((current) => ({ ...current, [lineId]: { ...(current[lineId] ?? { quantity: '', unitPrice: '' }), ...entry } }));
  return (
    <Paper withBorder p="sm" data-testid="invoice-form">
      <Stack gap="xs">
        <Title order={4}>{t('procurement.invoices.enter')}</Title>
        <Group align="flex-end">
          <TextInput label={t('procurement.invoices.number')} value={invoiceNumber} onChange={(event) => setInvoiceNumber(event.currentTarget.value)} w={180} data-testid="invoice-number" />
          <TextInput type="date" label={t('procurement.invoices.date')} value={invoiceDate} onChange={(event) => setInvoiceDate(event.currentTarget.value)} w={160} />
        </Group>
        {order.lines.map((line) => (
          <Group key={line.id} align="flex-end">
            <Text w={30}>{line.lineNumber}</Text>
            <NumberInput label={`${t('procurement.quantity')} (${line.unit})`} value={entries[line.id]?.quantity ?? ''} onChange={(value) => set(line.id, { quantity: value })} min={0} w={140} data-testid={`invoice-quantity-${line.lineNumber}`} />
            <NumberInput
              label={`${t('procurement.unitPrice')} (${order.currency})`}
              value={entries[line.id]?.unitPrice ?? ''}
              onChange={(value) => set(line.id, { unitPrice: value })}
              min={0}
              decimalScale={4}
              w={160}
              data-testid={`invoice-price-${line.lineNumber}`}
            />
          </Group>
        ))}
        <Group align="flex-end">
          <NumberInput label={`${t('procurement.orders.tax')} (${order.currency})`} value={tax} onChange={setTax} min={0} decimalScale={2} w={160} data-testid="invoice-tax" />
          <Text fw={600} data-testid="invoice-form-total">
            {t('procurement.orders.total')}: {formatMoney(total, order.currency, i18n.language)}
          </Text>
          <Button onClick={() => post.mutate()} loading={post.isPending} data-testid="invoice-post">
            {t('procurement.invoices.post')}
          </Button>
        </Group>
        {post.isError && <ErrorMessage error={post.error} />}
      </Stack>
    </Paper>
  );
}
