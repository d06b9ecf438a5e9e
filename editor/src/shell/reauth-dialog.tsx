import { Alert, Button, Modal, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { login } from '../api/auth';
import { classifyLoginFailure, LoginFailureMessage, type LoginFailure } from '../login/login-failure';
import { redirectToLogin } from './login-redirect';
import { gaveUpSignIn, isWaitingForSignIn, signedInAgain, watchSignIn } from './reauth';
import { sessionKey, useSession } from './session';

/**
 * Over whatever the user was doing when a request found the session gone:
 * sign in again here, as the same user, and the page carries on where it
 * was (forms keep their input; the waiting requests are sent again).
 */
export function ReauthDialog() {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const waiting = useSyncExternalStore(watchSignIn, isWaitingForSignIn);
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<LoginFailure | null>(null);
  const [submitting, setSubmitting] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password === '') {
      setFailure({ kind: 'required' });
      return;
    }
    setSubmitting(true);
    setFailure(null);
    try {
      const session = await login(user.username, password);
      queryClient.setQueryData(sessionKey, session);
      setPassword('');
      signedInAgain();
    } catch (error) {
      setFailure(classifyLoginFailure(error));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <Modal opened={waiting} onClose={() => undefined} withCloseButton={false} closeOnClickOutside={false} closeOnEscape={false} centered>
      <form onSubmit={(event) => void submit(event)} noValidate data-testid="reauth-dialog">
        <Stack>
          <Title order={2} size="h4">
            {t('session.ended.title')}
          </Title>
          <Text size="sm">{t('session.ended.body', { username: user.username })}</Text>
          {failure !== null && (
            <Alert color="red" data-testid="reauth-error">
              <LoginFailureMessage failure={failure} />
            </Alert>
          )}
          {/* The username is fixed: what is sent again must go out as the same user. */}
          <input type="hidden" name="username" value={user.username} autoComplete="username" />
          <PasswordInput
            name="password"
            label={t('login.password')}
            autoComplete="current-password"
            autoFocus
            withAsterisk
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={submitting} fullWidth>
            {t('session.ended.submit')}
          </Button>
          <Button
            variant="subtle"
            size="xs"
            onClick={() => {
              gaveUpSignIn();
              redirectToLogin();
            }}
          >
            {t('session.ended.elsewhere')}
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
