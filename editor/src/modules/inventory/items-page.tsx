import { Button, Checkbox, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { createItem, inventoryKeys, ITEM_CATEGORIES, type ItemCategory } from '../../api/inventory';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { formatNumber } from '../../units/units';
import { useInventoryLookups } from './inventory-lookups';

const TRACKINGS = ['none', 'lot', 'serial'] as const;

/** Items (docs/erp-inventory.md "Screens"): what the site stocks, on hand and moving-average cost; engineers define new ones. */
export function ItemsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const { items } = useInventoryLookups();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [category, setCategory] = useState<ItemCategory>('spare_part');
  const [baseUnit, setBaseUnit] = useState('ea');
  const [tracking, setTracking] = useState<(typeof TRACKINGS)[number]>('none');
  const [currency, setCurrency] = useState('USD');
  const [allowNegative, setAllowNegative] = useState(false);
  const create = useMutation({
    mutationFn: () => createItem({ code, name, category, baseUnit, unitConversions: [], tracking, allowNegative, owner: 'site', currency, notes: '' }),
    onSuccess: async () => {
      setCode('');
      setName('');
      await queryClient.invalidateQueries({ queryKey: inventoryKeys.all });
    },
  });

  return (
    <Stack data-testid="inventory-items-page">
      <Title order={2}>{t('inventory.items.title')}</Title>
      {items.isError && <ErrorMessage error={items.error} />}
      {hasRole(user.role, 'engineer') && (
        <Paper withBorder p="sm">
          <Group align="flex-end" wrap="wrap">
            <TextInput label={t('inventory.items.code')} value={code} onChange={(event) => setCode(event.currentTarget.value)} data-testid="item-code" />
            <TextInput label={t('inventory.items.name')} value={name} onChange={(event) => setName(event.currentTarget.value)} data-testid="item-name" />
            <Select
              label={t('inventory.items.category')}
              value={category}
              allowDeselect={false}
              data={ITEM_CATEGORIES.map((value) => ({ value, label: t(`inventory.category.${value}`) }))}
              onChange={(value) => value && setCategory(value)}
            />
            <TextInput label={t('inventory.items.baseUnit')} value={baseUnit} onChange={(event) => setBaseUnit(event.currentTarget.value)} w={90} data-testid="item-unit" />
            <Select
              label={t('inventory.items.tracking')}
              value={tracking}
              allowDeselect={false}
              data={TRACKINGS.map((value) => ({ value, label: t(`inventory.tracking.${value}`) }))}
              onChange={(value) => value && setTracking(value)}
            />
            <TextInput label={t('inventory.items.currency')} value={currency} onChange={(event) => setCurrency(event.currentTarget.value.toUpperCase())} w={80} />
            <Checkbox label={t('inventory.items.allowNegative')} checked={allowNegative} onChange={(event) => setAllowNegative(event.currentTarget.checked)} />
            <Button onClick={() => create.mutate()} loading={create.isPending} disabled={code === '' || name === ''} data-testid="item-create">
              {t('inventory.items.create')}
            </Button>
          </Group>
          {create.isError && <ErrorMessage error={create.error} />}
        </Paper>
      )}
      <Table striped data-testid="inventory-items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('inventory.items.code')}</Table.Th>
            <Table.Th>{t('inventory.items.name')}</Table.Th>
            <Table.Th>{t('inventory.items.category')}</Table.Th>
            <Table.Th>{t('inventory.items.tracking')}</Table.Th>
            <Table.Th>{t('inventory.items.owner')}</Table.Th>
            <Table.Th ta="right">{t('inventory.stock.onHand')}</Table.Th>
            <Table.Th ta="right">{t('inventory.items.averageCost')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(items.data ?? []).map((item) => (
            <Table.Tr key={item.id}>
              <Table.Td>{item.code}</Table.Td>
              <Table.Td>{item.name}</Table.Td>
              <Table.Td>{t(`inventory.category.${item.category}`)}</Table.Td>
              <Table.Td>{t(`inventory.tracking.${item.tracking}`)}</Table.Td>
              <Table.Td>{t(`inventory.owner.${item.owner}`)}</Table.Td>
              <Table.Td ta="right">
                {formatNumber(item.onHandQuantity, 2, i18n.language, false)} {item.baseUnit}
              </Table.Td>
              <Table.Td ta="right">
                {formatNumber(item.averageUnitCost, 2, i18n.language)} {item.currency}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {items.data?.length === 0 && <Text c="dimmed">{t('inventory.items.none')}</Text>}
    </Stack>
  );
}
