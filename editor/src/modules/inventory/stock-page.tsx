import { Button, Group, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole, mayAct } from '../../api/auth';
import { newIdempotencyKey } from '../../api/client';
import { createLocation, fetchStock, INTERNAL_LOCATION_KINDS, inventoryKeys, postIssue, postReceipt, type Location } from '../../api/inventory';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { formatNumber } from '../../units/units';
import { itemOptions, locationOptions, useInventoryLookups } from './inventory-lookups';

const COST_OBJECT_TYPES = ['well', 'equipment', 'work_order', 'afe'] as const;
type CostObjectType = (typeof COST_OBJECT_TYPES)[number];

/** Stock by location (docs/erp-inventory.md "Screens"): on hand, reserved, available and value; the storekeeper receives and issues here. */
export function StockPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const lookups = useInventoryLookups();
  const [locationFilter, setLocationFilter] = useState<string | null>(null);
  const stock = useQuery({ queryKey: inventoryKeys.stock(locationFilter), queryFn: ({ signal }) => fetchStock(locationFilter, signal) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: inventoryKeys.all });

  return (
    <Stack data-testid="inventory-stock-page">
      <Title order={2}>{t('inventory.stock.title')}</Title>
      {mayAct(user, 'operator', 'storekeeper') && <MoveForms onPosted={refresh} />}
      {hasRole(user.role, 'engineer') && <LocationForm onCreated={refresh} />}
      <Select
        label={t('inventory.stock.location')}
        placeholder={t('inventory.stock.allLocations')}
        clearable
        value={locationFilter}
        data={locationOptions(lookups.stores)}
        onChange={setLocationFilter}
        w={320}
      />
      {stock.isError && <ErrorMessage error={stock.error} />}
      <Table striped data-testid="inventory-stock">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inventory.stock.item')}</Table.Th>
            <Table.Th>{t('inventory.stock.location')}</Table.Th>
            <Table.Th>{t('inventory.stock.lot')}</Table.Th>
            <Table.Th ta="right">{t('inventory.stock.onHand')}</Table.Th>
            <Table.Th ta="right">{t('inventory.stock.reserved')}</Table.Th>
            <Table.Th ta="right">{t('inventory.stock.available')}</Table.Th>
            <Table.Th ta="right">{t('inventory.stock.value')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(stock.data ?? []).map((balance) => {
            const item = lookups.itemById.get(balance.itemId);
            const unit = item?.baseUnit ?? '';
            return (
              <Table.Tr key={`${balance.itemId}/${balance.locationId}/${balance.lot ?? ''}`} data-testid={`stock-row-${item?.code ?? balance.itemId}`}>
                <Table.Td>{item ? `${item.code} — ${item.name}` : balance.itemId}</Table.Td>
                <Table.Td>{lookups.locationById.get(balance.locationId)?.code ?? balance.locationId}</Table.Td>
                <Table.Td>{balance.lot ?? '—'}</Table.Td>
                <Table.Td ta="right" data-testid="stock-on-hand">
                  {formatNumber(balance.onHandQuantity, 2, i18n.language, false)} {unit}
                </Table.Td>
                <Table.Td ta="right">{formatNumber(balance.reservedQuantity, 2, i18n.language, false)}</Table.Td>
                <Table.Td ta="right">{formatNumber(balance.availableQuantity, 2, i18n.language, false)}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(balance.value, 2, i18n.language)} {balance.currency}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {stock.data?.length === 0 && <Text c="dimmed">{t('inventory.stock.none')}</Text>}
    </Stack>
  );
}

/** Receive from the supplier at a unit cost, or issue to a cost object: the storekeeper's two daily moves. */
function MoveForms({ onPosted }: { onPosted: () => Promise<void> }) {
  const { t } = useTranslation();
  const lookups = useInventoryLookups();
  const [itemId, setItemId] = useState<string | null>(null);
  const [locationId, setLocationId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState<number | string>('');
  const [unitCost, setUnitCost] = useState<number | string>('');
  const [costObjectType, setCostObjectType] = useState<CostObjectType>('well');
  const [costObjectId, setCostObjectId] = useState('');
  // One key per submission: a retried click posts the move once; a new move gets a new key.
  const [key, setKey] = useState(newIdempotencyKey);
  const item = itemId === null ? undefined : lookups.itemById.get(itemId);
  const move = useMutation({
    mutationFn: async (kind: 'receipt' | 'issue') => {
      if (itemId === null || locationId === null || typeof quantity !== 'number') throw new Error(t('inventory.move.incomplete'));
      if (kind === 'receipt') {
        return postReceipt({ itemId, toLocationId: locationId, quantity, unitCost: typeof unitCost === 'number' ? unitCost : 0, currency: item?.currency ?? 'USD', notes: '' }, key);
      }
      return postIssue({ itemId, fromLocationId: locationId, quantity, costObject: { type: costObjectType, id: costObjectId }, notes: '' }, key);
    },
    onSuccess: async () => {
      setKey(newIdempotencyKey());
      setQuantity('');
      await onPosted();
    },
  });

  return (
    <Paper withBorder p="sm">
      <Group align="flex-end" wrap="wrap">
        <Select label={t('inventory.stock.item')} value={itemId} data={itemOptions(lookups.items.data ?? [])} onChange={setItemId} searchable w={260} data-testid="move-item" />
        <Select label={t('inventory.stock.location')} value={locationId} data={locationOptions(lookups.stores)} onChange={setLocationId} w={220} data-testid="move-location" />
        <NumberInput label={`${t('inventory.move.quantity')}${item ? ` (${item.baseUnit})` : ''}`} value={quantity} onChange={setQuantity} min={0} w={130} data-testid="move-quantity" />
        <NumberInput label={`${t('inventory.move.unitCost')}${item ? ` (${item.currency})` : ''}`} value={unitCost} onChange={setUnitCost} min={0} w={130} data-testid="move-unit-cost" />
        <Button onClick={() => move.mutate('receipt')} loading={move.isPending && move.variables === 'receipt'} data-testid="move-receive">
          {t('inventory.move.receive')}
        </Button>
        <Select
          label={t('inventory.move.costObject')}
          value={costObjectType}
          allowDeselect={false}
          data={COST_OBJECT_TYPES.map((value) => ({ value, label: t(`inventory.costObject.${value}`) }))}
          onChange={(value) => value && setCostObjectType(value)}
          w={150}
        />
        <TextInput label={t('inventory.move.costObjectId')} value={costObjectId} onChange={(event) => setCostObjectId(event.currentTarget.value)} w={140} data-testid="move-cost-object" />
        <Button color="orange" onClick={() => move.mutate('issue')} loading={move.isPending && move.variables === 'issue'} data-testid="move-issue">
          {t('inventory.move.issue')}
        </Button>
      </Group>
      {move.isError && <ErrorMessage error={move.error} />}
    </Paper>
  );
}

/** Engineers add warehouses, bins and yards. */
function LocationForm({ onCreated }: { onCreated: () => Promise<void> }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Location['kind']>('warehouse');
  const create = useMutation({
    mutationFn: () => createLocation({ code, name, kind: kind === 'bin' || kind === 'yard' ? kind : 'warehouse' }),
    onSuccess: async () => {
      setCode('');
      setName('');
      await onCreated();
    },
  });
  return (
    <Paper withBorder p="sm">
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t('inventory.location.code')} value={code} onChange={(event) => setCode(event.currentTarget.value)} data-testid="location-code" />
        <TextInput label={t('inventory.location.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} data-testid="location-name" />
        <Select
          label={t('inventory.location.kind')}
          value={kind}
          allowDeselect={false}
          data={INTERNAL_LOCATION_KINDS.map((value) => ({ value, label: t(`inventory.locationKind.${value}`) }))}
          onChange={(value) => value && setKind(value)}
        />
        <Button variant="light" onClick={() => create.mutate()} loading={create.isPending} disabled={code === '' || name === ''} data-testid="location-create">
          {t('inventory.location.create')}
        </Button>
      </Group>
      {create.isError && <ErrorMessage error={create.error} />}
    </Paper>
  );
}
