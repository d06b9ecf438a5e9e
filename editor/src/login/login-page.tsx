import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { login } from '../api/auth';
import { ApiError } from '../api/client';
import { PRODUCT_NAME } from '../shell/brand';
import { LanguageSwitch } from '../shell/language-switch';
import { safeNextPath } from './safe-next';

type SimpleFailure = 'required' | 'badCredentials' | 'invalidRequest' | 'network' | 'serverError';

type Failure = { kind: SimpleFailure } | { kind: 'lockedOut'; retryAfterSeconds: number | null };

const FAILURE_TEXT = {
  required: 'login.required',
  badCredentials: 'login.badCredentials',
  invalidRequest: 'login.invalidRequest',
  network: 'errors.network',
  serverError: 'login.serverError',
} as const satisfies Record<SimpleFailure, string>;

function classify(error: unknown): Failure {
  if (!(error instanceof ApiError)) return { kind: 'serverError' };
  switch (error.status) {
    case 0:
      return { kind: 'network' };
    case 400:
      return { kind: 'invalidRequest' };
    case 401:
      return { kind: 'badCredentials' };
    case 429:
      return { kind: 'lockedOut', retryAfterSeconds: error.retryAfterSeconds };
    default:
      return { kind: 'serverError' };
  }
}

function FailureMessage({ failure }: { failure: Failure }) {
  const { t } = useTranslation();
  if (failure.kind !== 'lockedOut') return <>{t(FAILURE_TEXT[failure.kind])}</>;
  const seconds = failure.retryAfterSeconds;
  let retry: string | null = null;
  if (seconds !== null && seconds > 0) {
    // Below a minute and a half, rounding up to whole minutes would overstate the wait.
    retry =
      seconds < 90
        ? t('login.retryInSeconds', { count: seconds })
        : t('login.retryInMinutes', { count: Math.ceil(seconds / 60) });
  }
  return (
    <>
      {t('login.lockedOut')}
      {retry !== null && ` ${retry}`}
    </>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (username.trim() === '' || password === '') {
      setFailure({ kind: 'required' });
      return;
    }
    setSubmitting(true);
    setFailure(null);
    try {
      await login(username, password);
    } catch (error) {
      setFailure(classify(error));
      setSubmitting(false);
      return;
    }
    // Stay in the submitting state: the page is being replaced.
    const next = new URLSearchParams(window.location.search).get('next');
    window.location.assign(safeNextPath(next, window.location.origin));
  }

  return (
    <Center mih="100dvh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400}>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Text fw={700} size="xl">
                  {PRODUCT_NAME}
                </Text>
                <Title order={1} size="h3">
                  {t('login.title')}
                </Title>
              </div>
              <LanguageSwitch />
            </Group>
            <Text size="sm" c="dimmed">
              {t('login.subtitle')}
            </Text>
            {failure !== null && (
              <Alert color="red" data-testid="login-error" data-error-kind={failure.kind}>
                <FailureMessage failure={failure} />
              </Alert>
            )}
            <TextInput
              name="username"
              label={t('login.username')}
              autoComplete="username"
              autoFocus
              withAsterisk
              value={username}
              onChange={(event) => setUsername(event.currentTarget.value)}
            />
            <PasswordInput
              name="password"
              label={t('login.password')}
              autoComplete="current-password"
              withAsterisk
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            <Button type="submit" loading={submitting} fullWidth>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
