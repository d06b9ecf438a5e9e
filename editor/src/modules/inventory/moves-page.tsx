import { Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchMoves, inventoryKeys } from '../../api/inventory';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { itemLabel, itemOptions, useInventoryLookups } from './inventory-lookups';

const PAGE = 50;

/** The stock ledger (docs/erp-inventory.md "Screens"), newest first: every move from one location to another. */
export function MovesPage() {
  const { t, i18n } = useTranslation();
  const lookups = useInventoryLookups();
  const [itemId, setItemId] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const moves = useQuery({ queryKey: inventoryKeys.moves(itemId, offset), queryFn: ({ signal }) => fetchMoves(itemId, offset, signal) });
  const locationCode = (id: string) => {
    const location = lookups.locationById.get(id);
    if (!location) return id;
    return location.kind === 'warehouse' || location.kind === 'bin' || location.kind === 'yard' ? location.code : t(`inventory.locationKind.${location.kind}`);
  };
  const total = moves.data?.total ?? 0;

  return (
    <Stack data-testid="inventory-moves-page">
      <Title order={2}>{t('inventory.moves.title')}</Title>
      <Select
        label={t('inventory.stock.item')}
        placeholder={t('inventory.moves.allItems')}
        clearable
        searchable
        value={itemId}
        data={itemOptions(lookups.items.data ?? [])}
        onChange={(value) => {
          setItemId(value);
          setOffset(0);
        }}
        w={320}
      />
      {moves.isError && <ErrorMessage error={moves.error} />}
      <Table striped data-testid="inventory-moves">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inventory.moves.movedAt')}</Table.Th>
            <Table.Th>{t('inventory.moves.type')}</Table.Th>
            <Table.Th>{t('inventory.stock.item')}</Table.Th>
            <Table.Th>{t('inventory.moves.from')}</Table.Th>
            <Table.Th>{t('inventory.moves.to')}</Table.Th>
            <Table.Th ta="right">{t('inventory.move.quantity')}</Table.Th>
            <Table.Th ta="right">{t('inventory.move.unitCost')}</Table.Th>
            <Table.Th ta="right">{t('inventory.stock.value')}</Table.Th>
            <Table.Th>{t('inventory.move.costObject')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(moves.data?.items ?? []).map((move) => {
            const item = lookups.itemById.get(move.itemId);
            return (
              <Table.Tr key={move.id}>
                <Table.Td>{new Date(move.movedAt).toLocaleString(i18n.language)}</Table.Td>
                <Table.Td>{t(`inventory.moveType.${move.moveType}`)}</Table.Td>
                <Table.Td>{item ? itemLabel(item) : move.itemId}</Table.Td>
                <Table.Td>{locationCode(move.fromLocationId)}</Table.Td>
                <Table.Td>{locationCode(move.toLocationId)}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(move.quantity, 2, i18n.language, false)} {item?.baseUnit ?? ''}
                </Table.Td>
                <Table.Td ta="right">{formatNumber(move.unitCost, 2, i18n.language)}</Table.Td>
                <Table.Td ta="right">
                  {formatNumber(move.value, 2, i18n.language)} {move.currency}
                </Table.Td>
                <Table.Td>{move.costObject ? `${t(`inventory.costObject.${move.costObject.type}`)} ${move.costObject.id}` : ''}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {total === 0 && moves.isSuccess && <Text c="dimmed">{t('inventory.moves.none')}</Text>}
      <Group>
        <Button variant="default" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          {t('inventory.moves.newer')}
        </Button>
        <Button variant="default" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          {t('inventory.moves.older')}
        </Button>
      </Group>
    </Stack>
  );
}
