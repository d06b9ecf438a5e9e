import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RevisionSummary } from '../../api/flows';
import { ErrorMessage } from '../../shell/error-message';

interface RollbackDialogProps {
  revision: RevisionSummary | null;
  pending: boolean;
  error: unknown;
  onConfirm: (message: string | undefined) => void;
  onCancel: () => void;
}

export function RollbackDialog({ revision, pending, error, onConfirm, onCancel }: RollbackDialogProps) {
  const { t } = useTranslation();
  const [message, setMessage] = useState('');
  const number = revision?.number ?? 0;

  return (
    <Modal
      opened={revision !== null}
      onClose={onCancel}
      onExitTransitionEnd={() => setMessage('')}
      title={t('flows.rollback.title', { number })}
      closeOnClickOutside={!pending}
      closeOnEscape={!pending}
      data-testid="confirm-rollback-dialog"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = message.trim();
          onConfirm(trimmed === '' ? undefined : trimmed);
        }}
      >
        <Stack>
          <Text size="sm">{t('flows.rollback.body', { number })}</Text>
          <TextInput
            label={t('flows.rollback.messageLabel')}
            placeholder={t('flows.rollback.messagePlaceholder')}
            value={message}
            onChange={(event) => setMessage(event.currentTarget.value)}
            data-testid="confirm-rollback-message"
          />
          {error !== null && (
            <Alert color="red" title={t('flows.rollback.failed')}>
              <ErrorMessage error={error} />
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={pending} data-testid="confirm-rollback-cancel">
              {t('flows.rollback.cancel')}
            </Button>
            <Button type="submit" color="orange" loading={pending} data-testid="confirm-rollback-submit">
              {t('flows.rollback.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
