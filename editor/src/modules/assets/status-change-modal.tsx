import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { assetKeys, changeWellStatus, WELL_STATUSES, type Asset, type StatusChange, type WellDetail } from '../../api/assets';
import { ApiError } from '../../api/client';
import { fieldKey } from '../../api/field';
import { ErrorMessage } from '../../shell/error-message';
import { MAX_LENGTH, serverFieldErrors } from './asset-form';
import { StatusBadge } from './asset-labels';
import { formatDateTime } from './format-date';
import { isoToLocalInput, statusChangeFrom, type StatusFormErrors, type StatusFormState } from './status-change';

function StatusForm({ asset, well, onClose }: { asset: Asset; well: WellDetail; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<StatusFormState>({ status: '', reason: '', effectiveAt: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof StatusFormState, string>>>({});
  const change = useMutation({
    mutationFn: (body: StatusChange) => changeWellStatus(asset.id, body),
    onSuccess: async () => {
      // The field overview shows the register's status: it must not keep the old one for its 5 minutes.
      await Promise.all([queryClient.invalidateQueries({ queryKey: assetKeys.all }), queryClient.invalidateQueries({ queryKey: fieldKey })]);
      onClose();
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      const found = serverFieldErrors(error.details);
      setErrors({ status: found.status, reason: found.reason, effectiveAt: found.effectiveAt });
    },
  });
  const translate = (found: StatusFormErrors) =>
    Object.fromEntries(
      Object.entries(found).map(([key, code]) => [key, t(`assets.statusChange.errors.${code}`, { since: formatDateTime(well.statusSince, i18n.language) })]),
    );
  const set = <K extends keyof StatusFormState>(key: K, value: StatusFormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };
  const placed = Object.values(errors).some(Boolean);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const result = statusChangeFrom(form, well, new Date());
        if ('errors' in result) return setErrors(translate(result.errors));
        setErrors({});
        change.mutate(result.body);
      }}
      data-testid="status-form"
      noValidate
    >
      <Stack gap="sm">
        <Group gap="xs">
          <Text size="sm">{t('assets.statusChange.current')}</Text>
          <StatusBadge status={well.status} />
          <Text size="sm" c="dimmed">
            {t('assets.well.since', { date: formatDateTime(well.statusSince, i18n.language) })}
          </Text>
        </Group>
        <NativeSelect
          label={t('assets.statusChange.newStatus')}
          required
          data={[
            { value: '', label: t('assets.statusChange.pick') },
            ...WELL_STATUSES.filter((status) => status !== well.status).map((status) => ({
              value: status,
              label: t(`assets.status.${status}`),
            })),
          ]}
          value={form.status}
          onChange={(event) => set('status', WELL_STATUSES.find((status) => status === event.currentTarget.value) ?? '')}
          error={errors.status}
          data-testid="status-form-status"
        />
        <Textarea
          label={t('assets.statusChange.reason')}
          description={t('assets.statusChange.reasonHint')}
          required
          autosize
          minRows={2}
          maxLength={MAX_LENGTH.reason}
          value={form.reason}
          onChange={(event) => set('reason', event.currentTarget.value)}
          error={errors.reason}
          data-testid="status-form-reason"
        />
        <TextInput
          type="datetime-local"
          label={t('assets.statusChange.effectiveAt')}
          description={t('assets.statusChange.effectiveAtHint')}
          min={isoToLocalInput(well.statusSince)}
          max={isoToLocalInput(new Date().toISOString())}
          value={form.effectiveAt}
          onChange={(event) => set('effectiveAt', event.currentTarget.value)}
          error={errors.effectiveAt}
          w={260}
          data-testid="status-form-effective-at"
        />
        {change.isError && !placed && (
          <Alert color="red" title={t('assets.statusChange.failed')} data-testid="status-form-error">
            <ErrorMessage error={change.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={change.isPending}>
            {t('assets.form.cancel')}
          </Button>
          <Button type="submit" loading={change.isPending} data-testid="status-form-submit">
            {t('assets.statusChange.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function StatusChangeModal({ asset, opened, onClose }: { asset: Asset; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('assets.statusChange.title', { code: asset.code })}>
      {asset.well && <StatusForm asset={asset} well={asset.well} onClose={onClose} />}
    </Modal>
  );
}
