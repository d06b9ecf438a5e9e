import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchSession, type Session } from '../api/auth';
import { ApiError, setReauthenticate } from '../api/client';
import { ErrorMessage } from './error-message';
import { waitForSignIn } from './reauth';

export const sessionKey = ['auth', 'session'] as const;

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession() needs a <SessionGate> above it');
  return session;
}

function Waiting() {
  const { t } = useTranslation();
  return (
    <Center h="100dvh">
      <Group gap="xs">
        <Loader size="sm" />
        <Text>{t('session.loading')}</Text>
      </Group>
    </Center>
  );
}

/**
 * Renders its children only for a signed-in user; without a session at the
 * start the query client sends the browser to the login page. Once signed in,
 * a session that ends later is renewed in place (ReauthDialog) so that
 * nothing typed is lost.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const session = useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity });
  const signedIn = session.isSuccess;
  useEffect(() => {
    if (!signedIn) return undefined;
    setReauthenticate(waitForSignIn);
    return () => setReauthenticate(null);
  }, [signedIn]);

  if (session.isSuccess) return <SessionContext value={session.data}>{children}</SessionContext>;
  // While the browser leaves for the login page there is nothing to show but the wait.
  if (session.isPending || (session.error instanceof ApiError && session.error.status === 401)) return <Waiting />;
  return (
    <Center h="100dvh" p="md">
      <Alert color="red" title={t('session.failed')} maw={480}>
        <Stack gap="xs" align="flex-start">
          <ErrorMessage error={session.error} />
          <Button size="xs" variant="light" color="red" onClick={() => void session.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    </Center>
  );
}
