import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { updateUser, userKeys, type ManagedUser } from '../../api/users';
import { ConfirmDialog } from '../../shell/confirm-dialog';

export function DisableUserDialog({ user, onClose }: { user: ManagedUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      item={user}
      onClose={onClose}
      title={t('users.disable.title', { username: user?.username ?? '' })}
      failedTitle={t('users.disable.failed')}
      cancelLabel={t('users.cancel')}
      confirmLabel={t('users.disable.confirm')}
      action={(disabled) => updateUser(disabled.id, { disabled: true })}
      invalidates={userKeys.all}
      testId="user-disable-dialog"
      confirmTestId="user-disable-confirm"
    >
      <Text size="sm">{t('users.disable.explain')}</Text>
    </ConfirmDialog>
  );
}
