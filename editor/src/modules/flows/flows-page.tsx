import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { requestEditorToken } from '../../api/auth';
import { ErrorMessage } from '../../shell/error-message';
import { EDITOR_TOKEN_STORAGE_KEY } from '../../shell/editor-token';

export function FlowsPage() {
  const { t } = useTranslation();
  // A POST run as a query: it is safe to repeat, and a query gives one request
  // per visit (also under StrictMode) plus the loading and error states.
  const token = useQuery({
    queryKey: ['auth', 'editor-token'],
    queryFn: async () => {
      const { access_token, expires_in, token_type } = await requestEditorToken();
      // Node-RED's editor, served at /editor/, reads its bearer token from this
      // key on start-up; it must be in place before the iframe loads.
      localStorage.setItem(EDITOR_TOKEN_STORAGE_KEY, JSON.stringify({ access_token, expires_in, token_type }));
      return { access_token, expires_in, token_type };
    },
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  if (token.isPending) {
    return (
      <Center h="60vh">
        <Group gap="xs">
          <Loader size="sm" />
          <Text>{t('flows.editor.loading')}</Text>
        </Group>
      </Center>
    );
  }
  if (token.isError) {
    return (
      <Alert color="red" title={t('flows.editor.failed')}>
        <Stack gap="xs" align="flex-start">
          <ErrorMessage error={token.error} />
          <Button size="xs" variant="light" color="red" onClick={() => void token.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <iframe
      src="/editor/"
      title={t('flows.editor.title')}
      data-testid="node-red-editor"
      style={{
        display: 'block',
        width: '100%',
        height: 'calc(100dvh - var(--app-shell-header-offset, 0rem) - 2 * var(--app-shell-padding))',
        border: '1px solid var(--mantine-color-gray-3)',
        borderRadius: 'var(--mantine-radius-sm)',
      }}
    />
  );
}
