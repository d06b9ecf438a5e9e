import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { login } from '../api/auth';
import { PRODUCT_NAME } from '../shell/brand';
import { LanguageSwitch } from '../shell/language-switch';
import { classifyLoginFailure, LoginFailureMessage, type LoginFailure } from './login-failure';
import { safeNextPath } from './safe-next';

export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<LoginFailure | null>(null);

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
      setFailure(classifyLoginFailure(error));
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
                <LoginFailureMessage failure={failure} />
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
