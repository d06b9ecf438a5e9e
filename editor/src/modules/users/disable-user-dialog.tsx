import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { updateUser, userKeys, type ManagedUser } from '../../api/users';
import { ErrorMessage } from '../../shell/error-message';

export function DisableUserDialog({ user, onClose }: { user: ManagedUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const disable = useMutation({
    mutationFn: (id: string) => updateUser(id, { disabled: true }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
      onClose();
    },
  });
  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      onExitTransitionEnd={() => disable.reset()}
      title={t('users.disable.title', { username: user?.username ?? '' })}
      closeOnClickOutside={!disable.isPending}
    >
      <Stack data-testid="user-disable-dialog">
        <Text size="sm">{t('users.disable.explain')}</Text>
        {disable.isError && (
          <Alert color="red" title={t('users.disable.failed')}>
            <ErrorMessage error={disable.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={disable.isPending}>
            {t('users.cancel')}
          </Button>
          <Button
            color="red"
            loading={disable.isPending}
            onClick={() => {
              if (user !== null) disable.mutate(user.id);
            }}
            data-testid="user-disable-confirm"
          >
            {t('users.disable.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
