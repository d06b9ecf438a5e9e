import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { updateUser, userKeys, type ManagedUser } from '../../api/users';
import { ErrorMessage } from '../../shell/error-message';
import { generatePassword } from './generate-password';
import { ShownOnce } from './shown-once';
import { passwordError, type UserInputError } from './user-form';

/** An admin sets a user's password (typed, or generated here) and hands it over; the user's sessions end. */
export function ResetPasswordModal({ user, onClose }: { user: ManagedUser | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<UserInputError | null>(null);
  const reset = useMutation({
    mutationFn: ({ id, password: next }: { id: string; password: string }) => updateUser(id, { password: next }),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });

  return (
    <Modal
      opened={user !== null}
      onClose={onClose}
      onExitTransitionEnd={() => {
        setPassword('');
        setError(null);
        reset.reset();
      }}
      title={t('users.resetPassword.title', { username: user?.username ?? '' })}
      closeOnClickOutside={!reset.isPending}
    >
      {reset.isSuccess ? (
        <Stack data-testid="user-password-done">
          <ShownOnce
            label={t('users.resetPassword.newPassword')}
            value={password}
            warning={t('users.resetPassword.handOver')}
            testId="user-password-value"
            onDone={onClose}
            doneTestId="user-password-close"
          />
        </Stack>
      ) : (
        <form
          noValidate
          data-testid="user-password-form"
          onSubmit={(event) => {
            event.preventDefault();
            const problem = passwordError(password);
            if (problem !== null) setError(problem);
            else if (user !== null) reset.mutate({ id: user.id, password });
          }}
        >
          <Stack>
            <Text size="sm">{t('users.resetPassword.explain')}</Text>
            {/* Visible, not masked: the admin is choosing it to pass on. */}
            <TextInput
              name="password"
              label={t('users.resetPassword.newPassword')}
              autoComplete="new-password"
              ff="monospace"
              value={password}
              onChange={(event) => {
                setPassword(event.currentTarget.value);
                setError(null);
              }}
              error={error === null ? undefined : t(`users.inputErrors.${error}`)}
              rightSectionWidth={96}
              rightSection={
                <Button size="compact-xs" variant="light" onClick={() => setPassword(generatePassword())} data-testid="user-password-generate">
                  {t('users.resetPassword.generate')}
                </Button>
              }
            />
            {reset.isError && (
              <Alert color="red" title={t('users.resetPassword.failed')}>
                <ErrorMessage error={reset.error} />
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={reset.isPending}>
                {t('users.cancel')}
              </Button>
              <Button type="submit" loading={reset.isPending}>
                {t('users.resetPassword.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
