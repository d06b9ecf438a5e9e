import { Modal, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { voidEntry, type EntryType } from '../../api/production';
import { DialogForm, useDialogMutation } from './dialog-form';

export interface VoidTarget {
  type: EntryType;
  id: string;
  /** What the operator recognises the entry by: "TK-01 08:15". */
  label: string;
}

function VoidForm({ target, onClose }: { target: VoidTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const cancel = useDialogMutation(() => voidEntry(target.type, target.id, reason.trim()), onClose);
  return (
    <DialogForm
      testId="void-form"
      onSubmit={() => {
        if (reason.trim() === '') {
          setMissing(true);
          return;
        }
        cancel.mutate();
      }}
      pending={cancel.isPending}
      error={cancel.error}
      failedTitle={t('production.void.failed')}
      submitLabel={t('production.void.submit')}
      submitColor="red"
      submitTestId="void-submit"
      onClose={onClose}
    >
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
    </DialogForm>
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
