import { Alert, Button, Group, Stack, type MantineColor } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { productionKeys } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';

/** A change made from a dialog: once it is saved every production list is read again, then the dialog closes. */
export function useDialogMutation<V = void>(mutationFn: (variables: V) => Promise<unknown>, onClose: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: productionKeys.all });
      onClose();
    },
  });
}

interface DialogFormProps {
  testId: string;
  /** Checks the inputs and sends the change when they pass. */
  onSubmit: () => void;
  pending: boolean;
  /** The failure of the change, under the inputs; left out (or null) where the dialog explains failures itself. */
  error?: Error | null;
  failedTitle?: string;
  submitLabel: string;
  submitColor?: MantineColor;
  submitDisabled?: boolean;
  submitTestId: string;
  onClose: () => void;
  children: ReactNode;
}

/** The form inside a production dialog: its inputs, the failure of the change, Cancel and the submit button. */
export function DialogForm({
  testId,
  onSubmit,
  pending,
  error = null,
  failedTitle,
  submitLabel,
  submitColor,
  submitDisabled,
  submitTestId,
  onClose,
  children,
}: DialogFormProps) {
  const { t } = useTranslation();
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
      data-testid={testId}
    >
      <Stack gap="sm">
        {children}
        {error !== null && (
          <Alert color="red" title={failedTitle ?? t('production.saveFailed')}>
            <ErrorMessage error={error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={pending}>
            {t('production.cancel')}
          </Button>
          <Button type="submit" color={submitColor} loading={pending} disabled={submitDisabled} data-testid={submitTestId}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
