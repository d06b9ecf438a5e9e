import { Alert, Button, Group, Modal, NativeSelect, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isRole, ROLES } from '../../api/auth';
import { createUser, userKeys, type UserCreate } from '../../api/users';
import { ErrorMessage } from '../../shell/error-message';
import { ShownOnce } from './shown-once';
import { GrantsFields } from './grants-fields';
import { NO_GRANTS, userCreateBody, type UserForm, type UserInputError } from './user-form';

const EMPTY: UserForm = { username: '', role: 'viewer', password: '', grants: NO_GRANTS };

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<UserForm>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof UserForm, UserInputError>>>({});
  const create = useMutation({
    mutationFn: (body: UserCreate) => createUser(body),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
      // A generated password is shown before closing: this is its only appearance.
      if (created.password === undefined) onClose();
    },
  });
  const generated = create.data?.password;
  const set = <K extends keyof UserForm>(key: K, value: UserForm[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };
  const message = (error: UserInputError | undefined) => (error === undefined ? undefined : t(`users.inputErrors.${error}`));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={() => {
        setForm(EMPTY);
        setErrors({});
        create.reset();
      }}
      title={t('users.create.title')}
      closeOnClickOutside={!create.isPending}
    >
      {generated !== undefined ? (
        <Stack data-testid="user-created">
          <ShownOnce
            label={t('users.create.generated', { username: create.data?.user.username ?? '' })}
            value={generated}
            warning={t('users.shownOnce')}
            testId="user-created-password"
            onDone={onClose}
            doneTestId="user-created-close"
          />
        </Stack>
      ) : (
        <form
          noValidate
          data-testid="user-create-form"
          onSubmit={(event) => {
            event.preventDefault();
            const result = userCreateBody(form);
            if ('errors' in result) setErrors(result.errors);
            else create.mutate(result.body);
          }}
        >
          <Stack>
            <TextInput
              name="username"
              label={t('users.columns.username')}
              autoComplete="off"
              withAsterisk
              value={form.username}
              onChange={(event) => set('username', event.currentTarget.value)}
              error={message(errors.username)}
            />
            <NativeSelect
              name="role"
              label={t('users.columns.role')}
              value={form.role}
              data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
              onChange={(event) => {
                const role = event.currentTarget.value;
                if (isRole(role)) set('role', role);
              }}
            />
            <GrantsFields value={form.grants} onChange={(grants) => set('grants', grants)} error={errors.grants} />
            <PasswordInput
              name="password"
              label={t('users.create.password')}
              description={t('users.create.passwordHint')}
              autoComplete="new-password"
              value={form.password}
              onChange={(event) => set('password', event.currentTarget.value)}
              error={message(errors.password)}
            />
            {create.isError && (
              <Alert color="red" title={t('users.create.failed')}>
                <ErrorMessage error={create.error} />
              </Alert>
            )}
            <Text size="xs" c="dimmed">
              {t('users.create.roleHint')}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={create.isPending}>
                {t('users.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('users.create.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
