import { Button, Group, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mayAct } from '../../api/auth';
import { newIdempotencyKey } from '../../api/client';
import { fetchCounts, inventoryKeys, postCount } from '../../api/inventory';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { formatNumber } from '../../units/units';
import { itemOptions, locationOptions, useInventoryLookups } from './inventory-lookups';

/** Physical counts (docs/erp-inventory.md "Screens"): what was counted; each difference posted an adjustment. */
export function CountsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const lookups = useInventoryLookups();
  const counts = useQuery({ queryKey: inventoryKeys.counts, queryFn: ({ signal }) => fetchCounts(signal) });
  const [locationId, setLocationId] = useState<string | null>(null);
  const [itemId, setItemId] = useState<string | null>(null);
  const [counted, setCounted] = useState<number | string>('');
  const [key, setKey] = useState(newIdempotencyKey);
  const post = useMutation({
    mutationFn: () => {
      if (locationId === null || itemId === null || typeof counted !== 'number') throw new Error(t('inventory.move.incomplete'));
      return postCount({ locationId, lines: [{ itemId, countedQuantity: counted }], notes: '' }, key);
    },
    onSuccess: async () => {
      setKey(newIdempotencyKey());
      setCounted('');
      await queryClient.invalidateQueries({ queryKey: inventoryKeys.all });
    },
  });

  return (
    <Stack data-testid="inventory-counts-page">
      <Title order={2}>{t('inventory.counts.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('inventory.counts.intro')}
      </Text>
      {mayAct(user, 'operator', 'storekeeper') && (
        <Paper withBorder p="sm">
          <Group align="flex-end" wrap="wrap">
            <Select label={t('inventory.stock.location')} value={locationId} data={locationOptions(lookups.stores)} onChange={setLocationId} w={220} />
            <Select label={t('inventory.stock.item')} value={itemId} data={itemOptions(lookups.items.data ?? [])} onChange={setItemId} searchable w={260} />
            <NumberInput label={t('inventory.counts.counted')} value={counted} onChange={setCounted} min={0} w={130} />
            <Button onClick={() => post.mutate()} loading={post.isPending}>
              {t('inventory.counts.post')}
            </Button>
          </Group>
          {post.isError && <ErrorMessage error={post.error} />}
        </Paper>
      )}
      {counts.isError && <ErrorMessage error={counts.error} />}
      <Table striped data-testid="inventory-counts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inventory.counts.countedAt')}</Table.Th>
            <Table.Th>{t('inventory.stock.location')}</Table.Th>
            <Table.Th>{t('inventory.stock.item')}</Table.Th>
            <Table.Th ta="right">{t('inventory.counts.system')}</Table.Th>
            <Table.Th ta="right">{t('inventory.counts.counted')}</Table.Th>
            <Table.Th ta="right">{t('inventory.counts.difference')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(counts.data ?? []).flatMap((count) =>
            count.lines.map((line) => (
              <Table.Tr key={`${count.id}/${line.itemId}/${line.lot ?? ''}`}>
                <Table.Td>{new Date(count.countedAt).toLocaleString(i18n.language)}</Table.Td>
                <Table.Td>{lookups.locationById.get(count.locationId)?.code ?? count.locationId}</Table.Td>
                <Table.Td>{lookups.itemById.get(line.itemId)?.code ?? line.itemId}</Table.Td>
                <Table.Td ta="right">{formatNumber(line.systemQuantity, 2, i18n.language, false)}</Table.Td>
                <Table.Td ta="right">{formatNumber(line.countedQuantity, 2, i18n.language, false)}</Table.Td>
                <Table.Td ta="right">{formatNumber(line.countedQuantity - line.systemQuantity, 2, i18n.language, false)}</Table.Td>
              </Table.Tr>
            )),
          )}
        </Table.Tbody>
      </Table>
      {counts.data?.length === 0 && <Text c="dimmed">{t('inventory.counts.none')}</Text>}
    </Stack>
  );
}
