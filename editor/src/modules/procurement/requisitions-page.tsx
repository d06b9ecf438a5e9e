import { Anchor, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { createRequisition, fetchRequisitionLines, ordersFromRequisitions, procurementKeys, type RequisitionLine } from '../../api/procurement';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { itemOptions, locationOptions } from '../inventory/inventory-lookups';
import { useProcurementLookups } from './procurement-lookups';
import { useSubmissionKey } from '../inventory/submission';

const FILTERS = ['open', 'ordered', 'cancelled', 'all'] as const;
type Filter = (typeof FILTERS)[number];

/**
 * Purchase requisitions (docs/erp-procurement-screens.md): the demand raised by
 * hand, by reorder points and by work orders short of parts, line by line; the
 * buyer turns chosen open lines into draft purchase orders, one per supplier.
 */
export function RequisitionsPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { itemById, locationById, access } = useProcurementLookups();
  const lines = useQuery({ queryKey: procurementKeys.requisitionLines, queryFn: ({ signal }) => fetchRequisitionLines(signal), refetchInterval: 30_000 });
  const [filter, setFilter] = useState<Filter>('open');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const submission = useSubmissionKey();
  const shown = (lines.data ?? []).filter((line) => filter === 'all' || line.status === filter);
  const toggle = (id: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const convert = useMutation({
    mutationFn: () => {
      const requisitionLineIds = [...chosen];
      return ordersFromRequisitions(requisitionLineIds, submission.keyFor(requisitionLineIds));
    },
    onSuccess: async (orders) => {
      submission.reset();
      setChosen(new Set());
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
      // One order: straight to it; several (one per supplier): the drafts.
      await navigate(orders.length === 1 && orders[0] ? `/procurement/orders/${orders[0].id}` : '/procurement/orders?status=draft');
    },
  });

  return (
    <Stack data-testid="procurement-requisitions-page">
      <Title order={2}>{t('procurement.requisitions.title')}</Title>
      {access.requisition && <RequisitionForm />}
      <Group justify="space-between" align="flex-end">
        <SegmentedControl value={filter} onChange={(value) => setFilter(FILTERS.find((candidate) => candidate === value) ?? 'open')} data={FILTERS.map((value) => ({ value, label: t(`procurement.requisitions.filter.${value}`) }))} />
        {access.buy && (
          <Button onClick={() => convert.mutate()} disabled={chosen.size === 0} loading={convert.isPending} data-testid="requisitions-convert">
            {t('procurement.requisitions.convert', { count: chosen.size })}
          </Button>
        )}
      </Group>
      {convert.isError && <ErrorMessage error={convert.error} />}
      {lines.isError && <ErrorMessage error={lines.error} />}
      <Table striped data-testid="procurement-requisition-lines">
        <Table.Thead>
          <Table.Tr>
            {access.buy && <Table.Th />}
            <Table.Th>{t('procurement.requisitions.number')}</Table.Th>
            <Table.Th>{t('procurement.item')}</Table.Th>
            <Table.Th ta="right">{t('procurement.quantity')}</Table.Th>
            <Table.Th>{t('procurement.location')}</Table.Th>
            <Table.Th>{t('procurement.requisitions.neededBy')}</Table.Th>
            <Table.Th>{t('procurement.requisitions.source')}</Table.Th>
            <Table.Th>{t('procurement.status')}</Table.Th>
            <Table.Th>{t('procurement.requisitions.raised')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((line) => {
            const item = itemById.get(line.itemId);
            return (
              <Table.Tr key={line.id} data-testid={`requisition-line-${item?.code ?? line.itemId}`} data-status={line.status} data-source={line.source}>
                {access.buy && (
                  <Table.Td>
                    {line.status === 'open' && (
                      <Checkbox aria-label={t('procurement.requisitions.choose')} checked={chosen.has(line.id)} onChange={(event) => toggle(line.id, event.currentTarget.checked)} data-testid="requisition-line-choose" />
                    )}
                  </Table.Td>
                )}
                <Table.Td>#{line.requisitionNumber}</Table.Td>
                <Table.Td>{item ? `${item.code} — ${item.name}` : line.itemId}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(line.quantity, 2, i18n.language, false)} {line.unit}
                </Table.Td>
                <Table.Td>{line.locationId ? (locationById.get(line.locationId)?.code ?? line.locationId) : '—'}</Table.Td>
                <Table.Td>{line.neededBy ?? '—'}</Table.Td>
                <Table.Td data-testid="requisition-line-source">
                  <SourceCell line={line} />
                </Table.Td>
                <Table.Td data-testid="requisition-line-status">{t(`procurement.requisitions.status.${line.status}`)}</Table.Td>
                <Table.Td>
                  {new Date(line.createdAt).toLocaleString(i18n.language)} · {line.createdBy}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {lines.isSuccess && shown.length === 0 && <Text c="dimmed">{t('procurement.requisitions.none')}</Text>}
    </Stack>
  );
}

/** Where the demand came from; a work order's links to it. */
function SourceCell({ line }: { line: RequisitionLine }) {
  const { t } = useTranslation();
  const label = t(`procurement.requisitions.sources.${line.source}`);
  if (line.source === 'work_order' && line.sourceRef !== '') {
    return (
      <Anchor component={Link} to={`/maintenance/work-orders/${encodeURIComponent(line.sourceRef)}`}>
        {label}
      </Anchor>
    );
  }
  return <>{label}</>;
}

/** A requisition by hand: one line, what is needed, how much, where and by when. */
function RequisitionForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { items, stores, itemById } = useProcurementLookups();
  const [itemId, setItemId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>('');
  const [locationId, setLocationId] = useState<string | null>(null);
  const [neededBy, setNeededBy] = useState('');
  const [notes, setNotes] = useState('');
  const submission = useSubmissionKey();
  const unit = itemId === null ? '' : (itemById.get(itemId)?.baseUnit ?? '');
  const create = useMutation({
    mutationFn: () => {
      if (itemId === null || typeof quantity !== 'number') throw new Error(t('procurement.requisitions.incomplete'));
      const body = { notes, lines: [{ itemId, quantity, notes: '', ...(locationId !== null && { locationId }), ...(neededBy !== '' && { neededBy }) }] };
      return createRequisition(body, submission.keyFor(body));
    },
    onSuccess: async () => {
      submission.reset();
      setItemId(null);
      setQuantity('');
      setNotes('');
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
    },
  });
  return (
    <Paper withBorder p="sm">
      <Group align="flex-end" wrap="wrap">
        <Select label={t('procurement.item')} value={itemId} data={itemOptions(items.data ?? [])} onChange={setItemId} searchable w={280} data-testid="requisition-item" />
        <NumberInput label={`${t('procurement.quantity')}${unit ? ` (${unit})` : ''}`} value={quantity} onChange={setQuantity} min={0} w={130} data-testid="requisition-quantity" />
        <Select label={t('procurement.location')} value={locationId} data={locationOptions(stores)} onChange={setLocationId} clearable w={220} />
        <TextInput type="date" label={t('procurement.requisitions.neededBy')} value={neededBy} onChange={(event) => setNeededBy(event.currentTarget.value)} w={160} />
        <TextInput label={t('procurement.notes')} value={notes} onChange={(event) => setNotes(event.currentTarget.value)} w={240} />
        <Button onClick={() => create.mutate()} loading={create.isPending} data-testid="requisition-create">
          {t('procurement.requisitions.create')}
        </Button>
      </Group>
      {create.isError && <ErrorMessage error={create.error} />}
    </Paper>
  );
}
