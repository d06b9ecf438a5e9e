import { Button, Group, NumberInput, Paper, SegmentedControl, Select, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { postAdjustment, postTransfer, type AdjustmentInput, type TransferInput } from '../../api/inventory';
import { ErrorMessage } from '../../shell/error-message';
import { serverFieldErrors } from '../production/entry-forms';
import { itemOptions, locationOptions, useInventoryLookups } from './inventory-lookups';
import { useSubmissionKey } from './submission';
import { adjustmentBody, transferBody, type AdjustmentForm, type MoveInputError, type TransferForm } from './move-forms';

/** The server's field errors of a failed post, by the form's own field names (400 and 409 name the field). */
function serverErrors<K extends string>(error: unknown, aliases: Readonly<Record<string, K>>): Partial<Record<K, string>> {
  if (!(error instanceof ApiError) || (error.status !== 400 && error.status !== 409)) return {};
  return serverFieldErrors(error.details, aliases).fields;
}

/** What one input shows: the browser's own check first, else the server's reason for that field. */
function useFieldError<K extends string>(local: Partial<Record<K, MoveInputError>>, server: Partial<Record<K, string>>) {
  const { t } = useTranslation();
  return (field: K): string | undefined => {
    const problem = local[field];
    if (problem !== undefined) return t(`inventory.inputErrors.${problem}`);
    return server[field];
  };
}

const TRANSFER_ALIASES = { itemId: 'itemId', fromLocationId: 'fromLocationId', toLocationId: 'toLocationId', quantity: 'quantity', notes: 'notes' } as const;

/** Moves stock from one store to another (the storekeeper). */
export function TransferPanel({ onPosted }: { onPosted: () => Promise<void> }) {
  const { t } = useTranslation();
  const lookups = useInventoryLookups();
  const [form, setForm] = useState<TransferForm>({ itemId: null, fromLocationId: null, toLocationId: null, quantity: '', notes: '' });
  const [local, setLocal] = useState<Partial<Record<keyof TransferForm, MoveInputError>>>({});
  // A retried click moves the stock once; a corrected entry is a new submission.
  const submission = useSubmissionKey();
  const post = useMutation({
    mutationFn: (body: TransferInput) => postTransfer(body, submission.keyFor(body)),
    onSuccess: async () => {
      submission.reset();
      setForm({ ...form, quantity: '', notes: '' });
      await onPosted();
    },
  });
  const fieldError = useFieldError(local, serverErrors(post.error, TRANSFER_ALIASES));
  const item = form.itemId === null ? undefined : lookups.itemById.get(form.itemId);
  const submit = () => {
    const result = transferBody(form);
    if ('errors' in result) {
      setLocal(result.errors);
      return;
    }
    setLocal({});
    post.mutate(result.body);
  };
  const set = <K extends keyof TransferForm>(field: K, value: TransferForm[K]) => setForm((current) => ({ ...current, [field]: value }));

  return (
    <Paper withBorder p="sm" data-testid="transfer-form">
      <Title order={4}>{t('inventory.transfer.title')}</Title>
      <Group align="flex-start" wrap="wrap">
        <Select label={t('inventory.stock.item')} value={form.itemId} data={itemOptions(lookups.items.data ?? [])} onChange={(value) => set('itemId', value)} searchable w={260} error={fieldError('itemId')} data-testid="transfer-item" />
        <Select label={t('inventory.transfer.from')} value={form.fromLocationId} data={locationOptions(lookups.stores)} onChange={(value) => set('fromLocationId', value)} w={220} error={fieldError('fromLocationId')} data-testid="transfer-from" />
        <Select label={t('inventory.transfer.to')} value={form.toLocationId} data={locationOptions(lookups.stores)} onChange={(value) => set('toLocationId', value)} w={220} error={fieldError('toLocationId')} data-testid="transfer-to" />
        <NumberInput
          label={`${t('inventory.move.quantity')}${item ? ` (${item.baseUnit})` : ''}`}
          value={form.quantity}
          onChange={(value) => set('quantity', value)}
          min={0}
          w={130}
          error={fieldError('quantity')}
          data-testid="transfer-quantity"
        />
        <TextInput label={t('inventory.move.notes')} value={form.notes} onChange={(event) => set('notes', event.currentTarget.value)} w={220} error={fieldError('notes')} />
        <Button mt={24} onClick={submit} loading={post.isPending} data-testid="transfer-post">
          {t('inventory.transfer.post')}
        </Button>
      </Group>
      {post.isError && <ErrorMessage error={post.error} />}
    </Paper>
  );
}

const ADJUSTMENT_ALIASES = { itemId: 'itemId', locationId: 'locationId', quantityDelta: 'quantity', notes: 'reason' } as const;

/** Corrects stock at a store, up or down, with the reason (engineers: found stock, breakage, write-offs). */
export function AdjustmentPanel({ onPosted }: { onPosted: () => Promise<void> }) {
  const { t } = useTranslation();
  const lookups = useInventoryLookups();
  const [form, setForm] = useState<AdjustmentForm>({ itemId: null, locationId: null, direction: 'remove', quantity: '', reason: '' });
  const [local, setLocal] = useState<Partial<Record<keyof AdjustmentForm, MoveInputError>>>({});
  const submission = useSubmissionKey();
  const post = useMutation({
    mutationFn: (body: AdjustmentInput) => postAdjustment(body, submission.keyFor(body)),
    onSuccess: async () => {
      submission.reset();
      setForm({ ...form, quantity: '', reason: '' });
      await onPosted();
    },
  });
  const fieldError = useFieldError(local, serverErrors(post.error, ADJUSTMENT_ALIASES));
  const item = form.itemId === null ? undefined : lookups.itemById.get(form.itemId);
  const set = <K extends keyof AdjustmentForm>(field: K, value: AdjustmentForm[K]) => setForm((current) => ({ ...current, [field]: value }));
  const submit = () => {
    const result = adjustmentBody(form);
    if ('errors' in result) {
      setLocal(result.errors);
      return;
    }
    setLocal({});
    post.mutate(result.body);
  };

  return (
    <Paper withBorder p="sm" data-testid="adjustment-form">
      <Title order={4}>{t('inventory.adjustment.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('inventory.adjustment.intro')}
      </Text>
      <Group align="flex-start" wrap="wrap">
        <Select label={t('inventory.stock.item')} value={form.itemId} data={itemOptions(lookups.items.data ?? [])} onChange={(value) => set('itemId', value)} searchable w={260} error={fieldError('itemId')} data-testid="adjustment-item" />
        <Select label={t('inventory.stock.location')} value={form.locationId} data={locationOptions(lookups.stores)} onChange={(value) => set('locationId', value)} w={220} error={fieldError('locationId')} data-testid="adjustment-location" />
        <SegmentedControl
          mt={24}
          value={form.direction}
          onChange={(value) => set('direction', value === 'add' ? 'add' : 'remove')}
          data={[
            { value: 'remove', label: t('inventory.adjustment.remove') },
            { value: 'add', label: t('inventory.adjustment.add') },
          ]}
          data-testid="adjustment-direction"
        />
        <NumberInput
          label={`${t('inventory.move.quantity')}${item ? ` (${item.baseUnit})` : ''}`}
          value={form.quantity}
          onChange={(value) => set('quantity', value)}
          min={0}
          w={130}
          error={fieldError('quantity')}
          data-testid="adjustment-quantity"
        />
        <TextInput label={t('inventory.adjustment.reason')} value={form.reason} onChange={(event) => set('reason', event.currentTarget.value)} w={260} error={fieldError('reason')} data-testid="adjustment-reason" />
        <Button mt={24} color="orange" onClick={submit} loading={post.isPending} data-testid="adjustment-post">
          {t('inventory.adjustment.post')}
        </Button>
      </Group>
      {post.isError && <ErrorMessage error={post.error} />}
    </Paper>
  );
}
