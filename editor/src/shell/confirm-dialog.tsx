import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorMessage } from './error-message';

export interface ConfirmDialogProps<Item> {
  /** What the action is about; the dialog is open while it is set. */
  item: Item | null;
  onClose: () => void;
  title: string;
  /** What the action does, above the buttons. */
  children: ReactNode;
  failedTitle: string;
  cancelLabel: string;
  confirmLabel: string;
  action: (item: Item) => Promise<unknown>;
  /** The queries the action changes: refreshed before the dialog closes. */
  invalidates: QueryKey;
  testId?: string;
  confirmTestId: string;
}

/**
 * Asks before a destructive action (disable, revoke, delete): on success the
 * changed queries are refreshed and the dialog closes; a failure stays in
 * it, translated, so the user can retry or cancel.
 */
export function ConfirmDialog<Item>(props: ConfirmDialogProps<Item>) {
  const { item, onClose } = props;
  const queryClient = useQueryClient();
  const confirm = useMutation({
    mutationFn: props.action,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: props.invalidates });
      onClose();
    },
  });
  return (
    <Modal
      opened={item !== null}
      onClose={onClose}
      onExitTransitionEnd={() => confirm.reset()}
      title={props.title}
      closeOnClickOutside={!confirm.isPending}
    >
      {/* On the content: a modal's root element has no box of its own to be visible. */}
      <Stack data-testid={props.testId}>
        {props.children}
        {confirm.isError && (
          <Alert color="red" title={props.failedTitle}>
            <ErrorMessage error={confirm.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={confirm.isPending}>
            {props.cancelLabel}
          </Button>
          <Button
            color="red"
            loading={confirm.isPending}
            onClick={() => {
              if (item !== null) confirm.mutate(item);
            }}
            data-testid={props.confirmTestId}
          >
            {props.confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
