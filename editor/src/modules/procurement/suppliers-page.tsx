import { Button, Checkbox, Group, NumberInput, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addSupplierItem, createSupplier, fetchSupplierItems, procurementKeys, updateSupplier, type Supplier } from '../../api/procurement';
import { ErrorMessage } from '../../shell/error-message';
import { itemOptions } from '../inventory/inventory-lookups';
import { formatMoney, useProcurementLookups } from './procurement-lookups';
import { useSubmissionKey } from '../inventory/submission';

interface SupplierFields {
  name: string;
  currency: string;
  contactName: string;
  email: string;
  phone: string;
  paymentTermsDays: number | string;
  active: boolean;
}

const blankFields: SupplierFields = { name: '', currency: 'USD', contactName: '', email: '', phone: '', paymentTermsDays: 30, active: true };

const fieldsOf = (supplier: Supplier): SupplierFields => ({
  name: supplier.name,
  currency: supplier.currency,
  contactName: supplier.contactName,
  email: supplier.email,
  phone: supplier.phone,
  paymentTermsDays: supplier.paymentTermsDays,
  active: supplier.active,
});

/** Suppliers (docs/erp-procurement-screens.md): who we buy from; the buyer adds and edits them and their items and prices. */
export function SuppliersPage() {
  const { t } = useTranslation();
  const { suppliers, access } = useProcurementLookups();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = (suppliers.data ?? []).find((supplier) => supplier.id === selectedId) ?? null;

  return (
    <Stack data-testid="procurement-suppliers-page">
      <Title order={2}>{t('procurement.suppliers.title')}</Title>
      {suppliers.isError && <ErrorMessage error={suppliers.error} />}
      {access.buy && <SupplierForm key="new" supplier={null} onSaved={setSelectedId} />}
      <Table striped highlightOnHover data-testid="procurement-suppliers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('procurement.suppliers.code')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.name')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.contact')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.currency')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.paymentTerms')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.active')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(suppliers.data ?? []).map((supplier) => (
            <Table.Tr
              key={supplier.id}
              onClick={() => setSelectedId(supplier.id)}
              style={{ cursor: 'pointer' }}
              bg={supplier.id === selectedId ? 'var(--mantine-primary-color-light)' : undefined}
              data-testid={`supplier-row-${supplier.code}`}
            >
              <Table.Td>{supplier.code}</Table.Td>
              <Table.Td>{supplier.name}</Table.Td>
              <Table.Td>{[supplier.contactName, supplier.email, supplier.phone].filter((part) => part !== '').join(' · ')}</Table.Td>
              <Table.Td>{supplier.currency}</Table.Td>
              <Table.Td>{t('procurement.suppliers.days', { days: supplier.paymentTermsDays })}</Table.Td>
              <Table.Td>{supplier.active ? t('procurement.yes') : t('procurement.no')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {suppliers.data?.length === 0 && <Text c="dimmed">{t('procurement.suppliers.none')}</Text>}
      {selected && (
        <Stack data-testid="supplier-detail">
          <Title order={3}>
            {selected.code} — {selected.name}
          </Title>
          {access.buy && <SupplierForm key={`${selected.id}/${selected.rowVersion}`} supplier={selected} onSaved={setSelectedId} />}
          <SupplierItems supplier={selected} canEdit={access.buy} />
        </Stack>
      )}
    </Stack>
  );
}

/** Adds a supplier (supplier null) or edits one; the code is fixed once created. */
function SupplierForm({ supplier, onSaved }: { supplier: Supplier | null; onSaved: (id: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [fields, setFields] = useState<SupplierFields>(supplier ? fieldsOf(supplier) : blankFields);
  const submission = useSubmissionKey();
  const set = <K extends keyof SupplierFields>(name: K, value: SupplierFields[K]) => setFields((current) => ({ ...current, [name]: value }));
  const save = useMutation({
    mutationFn: () => {
      const paymentTermsDays = typeof fields.paymentTermsDays === 'number' ? fields.paymentTermsDays : 30;
      const common = { name: fields.name, currency: fields.currency, contactName: fields.contactName, email: fields.email, phone: fields.phone, paymentTermsDays, active: fields.active };
      if (supplier) {
        const changes = { rowVersion: supplier.rowVersion, ...common };
        return updateSupplier(supplier.id, changes, submission.keyFor(changes));
      }
      const body = { code, taxId: '', address: '', notes: '', ...common };
      return createSupplier(body, submission.keyFor(body));
    },
    onSuccess: async (saved) => {
      submission.reset();
      if (!supplier) {
        setCode('');
        setFields(blankFields);
      }
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
      onSaved(saved.id);
    },
  });
  const prefix = supplier ? 'supplier-edit' : 'supplier-new';
  return (
    <Paper withBorder p="sm">
      <Group align="flex-end" wrap="wrap">
        {!supplier && <TextInput label={t('procurement.suppliers.code')} value={code} onChange={(event) => setCode(event.currentTarget.value)} w={120} data-testid={`${prefix}-code`} />}
        <TextInput label={t('procurement.suppliers.name')} value={fields.name} onChange={(event) => set('name', event.currentTarget.value)} data-testid={`${prefix}-name`} />
        <TextInput label={t('procurement.suppliers.contactName')} value={fields.contactName} onChange={(event) => set('contactName', event.currentTarget.value)} />
        <TextInput label={t('procurement.suppliers.email')} value={fields.email} onChange={(event) => set('email', event.currentTarget.value)} />
        <TextInput label={t('procurement.suppliers.phone')} value={fields.phone} onChange={(event) => set('phone', event.currentTarget.value)} w={140} />
        <TextInput label={t('procurement.suppliers.currency')} value={fields.currency} onChange={(event) => set('currency', event.currentTarget.value.toUpperCase())} w={80} data-testid={`${prefix}-currency`} />
        <NumberInput label={t('procurement.suppliers.paymentTermsDays')} value={fields.paymentTermsDays} onChange={(value) => set('paymentTermsDays', value)} min={0} max={365} w={130} />
        <Checkbox label={t('procurement.suppliers.active')} checked={fields.active} onChange={(event) => set('active', event.currentTarget.checked)} />
        <Button onClick={() => save.mutate()} loading={save.isPending} disabled={fields.name === '' || (!supplier && code === '')} data-testid={`${prefix}-save`}>
          {supplier ? t('procurement.save') : t('procurement.suppliers.create')}
        </Button>
      </Group>
      {save.isError && <ErrorMessage error={save.error} />}
    </Paper>
  );
}

/** What the supplier sells us and at what price, with the validity and lead time; the buyer adds prices. */
function SupplierItems({ supplier, canEdit }: { supplier: Supplier; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { items, itemById } = useProcurementLookups();
  const prices = useQuery({ queryKey: procurementKeys.supplierItems(supplier.id), queryFn: ({ signal }) => fetchSupplierItems(supplier.id, signal) });
  const [itemId, setItemId] = useState<string | null>(null);
  const [partNumber, setPartNumber] = useState('');
  const [unitPrice, setUnitPrice] = useState<number | string>('');
  const [leadTimeDays, setLeadTimeDays] = useState<number | string>(0);
  const [preferred, setPreferred] = useState(true);
  const submission = useSubmissionKey();
  const add = useMutation({
    mutationFn: () => {
      if (itemId === null || typeof unitPrice !== 'number') throw new Error(t('procurement.suppliers.priceIncomplete'));
      const body = { itemId, supplierPartNumber: partNumber, unitPrice, currency: supplier.currency, leadTimeDays: typeof leadTimeDays === 'number' ? leadTimeDays : 0, minOrderQuantity: 0, preferred };
      return addSupplierItem(supplier.id, body, submission.keyFor(body));
    },
    onSuccess: async () => {
      submission.reset();
      setItemId(null);
      setPartNumber('');
      setUnitPrice('');
      await queryClient.invalidateQueries({ queryKey: procurementKeys.all });
    },
  });
  return (
    <Stack gap="xs">
      <Title order={4}>{t('procurement.suppliers.items')}</Title>
      {prices.isError && <ErrorMessage error={prices.error} />}
      <Table striped data-testid="supplier-items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('procurement.item')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.partNumber')}</Table.Th>
            <Table.Th ta="right">{t('procurement.unitPrice')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.valid')}</Table.Th>
            <Table.Th ta="right">{t('procurement.suppliers.leadTime')}</Table.Th>
            <Table.Th>{t('procurement.suppliers.preferred')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(prices.data ?? []).map((price) => {
            const item = itemById.get(price.itemId);
            return (
              <Table.Tr key={price.id} data-testid={`supplier-item-${item?.code ?? price.itemId}`}>
                <Table.Td>{item ? `${item.code} — ${item.name}` : price.itemId}</Table.Td>
                <Table.Td>{price.supplierPartNumber}</Table.Td>
                <Table.Td ta="right">
                  {formatMoney(price.unitPrice, price.currency, i18n.language)} / {item?.baseUnit ?? ''}
                </Table.Td>
                <Table.Td>{price.validFrom || price.validTo ? `${price.validFrom ?? '…'} – ${price.validTo ?? '…'}` : t('procurement.suppliers.always')}</Table.Td>
                <Table.Td ta="right">{t('procurement.suppliers.days', { days: price.leadTimeDays })}</Table.Td>
                <Table.Td>{price.preferred ? t('procurement.yes') : ''}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {prices.data?.length === 0 && <Text c="dimmed">{t('procurement.suppliers.noItems')}</Text>}
      {canEdit && (
        <Group align="flex-end" wrap="wrap">
          <Select label={t('procurement.item')} value={itemId} data={itemOptions(items.data ?? [])} onChange={setItemId} searchable w={280} data-testid="supplier-item-item" />
          <TextInput label={t('procurement.suppliers.partNumber')} value={partNumber} onChange={(event) => setPartNumber(event.currentTarget.value)} w={160} />
          <NumberInput label={`${t('procurement.unitPrice')} (${supplier.currency})`} value={unitPrice} onChange={setUnitPrice} min={0} decimalScale={4} w={140} data-testid="supplier-item-price" />
          <NumberInput label={t('procurement.suppliers.leadTimeDays')} value={leadTimeDays} onChange={setLeadTimeDays} min={0} w={120} />
          <Checkbox label={t('procurement.suppliers.preferred')} checked={preferred} onChange={(event) => setPreferred(event.currentTarget.checked)} />
          <Button variant="light" onClick={() => add.mutate()} loading={add.isPending} data-testid="supplier-item-add">
            {t('procurement.suppliers.addItem')}
          </Button>
        </Group>
      )}
      {add.isError && <ErrorMessage error={add.error} />}
    </Stack>
  );
}
