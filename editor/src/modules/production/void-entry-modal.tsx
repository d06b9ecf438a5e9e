import { Alert, Badge, Button, Group, Modal, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { productionKeys, voidEntry, type EntryType } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';

export interface VoidTarget {
  type: EntryType;
  id: string;
  /** What the operator recognises the entry by: "TK-01 08:15". */
  label: string;
}

function VoidForm({ target, onClose }: { target: VoidTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const cancel = useMutation({
    mutationFn: () => voidEntry(target.type, target.id, reason.trim()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: productionKeys.all });
      onClose();
    },
  });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim() === '') {
          setMissing(true);
          return;
        }
        cancel.mutate();
      }}
      data-testid="void-form"
    >
      <Stack gap="sm">
        <Text size="sm">{t('production.void.explain', { entry: target.label })}</Text>
        <Textarea
          label={t('production.void.reason')}
          required
          autosize
          minRows={2}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setMissing(false);
          }}
          error={missing ? t('production.inputErrors.required') : undefined}
          data-testid="void-reason"
        />
        {cancel.isError && (
          <Alert color="red" title={t('production.void.failed')}>
            <ErrorMessage error={cancel.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={cancel.isPending}>
            {t('production.cancel')}
          </Button>
          <Button type="submit" color="red" loading={cancel.isPending} data-testid="void-submit">
            {t('production.void.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Voiding is the only correction of a recorded entry: the entry stays, marked void, with the reason. */
export function VoidEntryModal({ opened, target, onClose }: { opened: boolean; target: VoidTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('production.void.title')}>
      {target !== null && <VoidForm key={target.id} target={target} onClose={onClose} />}
    </Modal>
  );
}

/** The status cell of an entry row: a void button, or the void with its reason. */
export function EntryStatus({
  entry,
  canVoid,
  onVoid,
}: {
  entry: { voided: boolean; voidReason: string | null; voidedBy: string | null };
  canVoid: boolean;
  onVoid: () => void;
}) {
  const { t } = useTranslation();
  if (entry.voided) {
    return (
      <Tooltip label={t('production.void.by', { user: entry.voidedBy ?? '', reason: entry.voidReason ?? '' })}>
        <Badge color="gray" variant="light" data-testid="entry-voided">
          {t('production.void.voided')}
        </Badge>
      </Tooltip>
    );
  }
  if (!canVoid) return null;
  return (
    <Button size="compact-xs" variant="subtle" color="red" onClick={onVoid} data-testid="entry-void">
      {t('production.void.action')}
    </Button>
  );
}
