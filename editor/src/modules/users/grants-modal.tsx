import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserGrant } from '../../../../runtime/auth/grants';
import { updateUser, userKeys, type ManagedUser } from '../../api/users';
import { ErrorMessage } from '../../shell/error-message';
import { GrantsFields } from './grants-fields';
import { grantsBody, grantsFormOf, NO_GRANTS, type GrantsForm, type UserInputError } from './user-form';

/** An admin replaces a user's grants; the change is audited with the grants before and after. */
export function GrantsModal({ user, onClose }: { user: ManagedUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<GrantsForm>(NO_GRANTS);
  const [error, setError] = useState<UserInputError | undefined>(undefined);
  const save = useMutation({
    mutationFn: ({ id, grants }: { id: string; grants: UserGrant[] }) => updateUser(id, { grants }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
      onClose();
    },
  });
  useEffect(() => {
    if (user !== null) setForm(grantsFormOf(user.grants));
  }, [user]);

  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      onExitTransitionEnd={() => {
        setForm(NO_GRANTS);
        setError(undefined);
        save.reset();
      }}
      title={t('grants.editTitle', { username: user?.username ?? '' })}
      closeOnClickOutside={!save.isPending}
    >
      <form
        noValidate
        data-testid="user-grants-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (user === null) return;
          const result = grantsBody(form);
          if ('error' in result) setError(result.error);
          else save.mutate({ id: user.id, grants: result.grants });
        }}
      >
        <Stack>
          <GrantsFields
            value={form}
            onChange={(next) => {
              setForm(next);
              setError(undefined);
            }}
            error={error}
          />
          {save.isError && (
            <Alert color="red" title={t('grants.failed')}>
              <ErrorMessage error={save.error} />
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={save.isPending}>
              {t('users.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="user-grants-save">
              {t('grants.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
