import { Alert, Badge, Button, Group, Loader, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createApiToken, fetchApiTokens, revokeApiToken, userKeys, type ApiToken } from '../../api/users';
import { ConfirmDialog } from '../../shell/confirm-dialog';
import { ErrorMessage } from '../../shell/error-message';
import { formatTimestamp } from '../../units/format-time';
import { isDate } from '../production/dates';
import { ShownOnce } from './shown-once';

/** The end of the chosen local day, so a token "until 31/12" works all of that day. */
function endOfLocalDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day, 23, 59, 59).toISOString();
}

function tokenStatus(token: ApiToken, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

const STATUS_COLOR = { active: 'teal', revoked: 'gray', expired: 'orange' } as const;

function RevokeDialog({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      item={token}
      onClose={onClose}
      title={t('tokens.revoke.title', { name: token?.name ?? '' })}
      failedTitle={t('tokens.revoke.failed')}
      cancelLabel={t('users.cancel')}
      confirmLabel={t('tokens.revoke.confirm')}
      action={(revoked) => revokeApiToken(revoked.id)}
      invalidates={userKeys.tokens}
      confirmTestId="token-revoke-confirm"
    >
      <Text size="sm">{t('tokens.revoke.explain')}</Text>
    </ConfirmDialog>
  );
}

/** Every user's own API tokens, for scripts and integrations: create (the secret is shown once), list, revoke. */
export function TokensPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: userKeys.tokens, queryFn: ({ signal }) => fetchApiTokens(signal) });
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [inputError, setInputError] = useState<'name' | 'expires' | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const create = useMutation({
    mutationFn: ({ tokenName, expiresAt }: { tokenName: string; expiresAt?: string }) => createApiToken(tokenName, expiresAt),
    onSuccess: async () => {
      setName('');
      setExpires('');
      await queryClient.invalidateQueries({ queryKey: userKeys.tokens });
    },
  });
  const when = (iso: string | null) => (iso === null ? '—' : formatTimestamp(Date.parse(iso), i18n.language));
  // Expiry is judged as of the list's load: render stays pure, and a refetch brings it up to date.
  const now = tokens.dataUpdatedAt;

  return (
    <Stack data-testid="tokens-page">
      <Title order={2}>{t('tokens.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('tokens.intro')}
      </Text>
      <Paper withBorder p="md">
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const tokenName = name.trim();
            if (tokenName === '' || tokenName.length > 100) {
              setInputError('name');
              return;
            }
            if (expires !== '' && !isDate(expires)) {
              setInputError('expires');
              return;
            }
            create.mutate(expires === '' ? { tokenName } : { tokenName, expiresAt: endOfLocalDay(expires) });
          }}
        >
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label={t('tokens.name')}
              description={t('tokens.nameHint')}
              value={name}
              onChange={(event) => {
                setName(event.currentTarget.value);
                setInputError(null);
              }}
              error={inputError === 'name' ? t('tokens.nameRequired') : undefined}
              maxLength={100}
              miw={220}
              data-testid="token-name"
            />
            <TextInput
              type="date"
              label={t('tokens.expires')}
              description={t('tokens.expiresHint')}
              value={expires}
              onChange={(event) => {
                setExpires(event.currentTarget.value);
                setInputError(null);
              }}
              error={inputError === 'expires' ? t('production.inputErrors.notATime') : undefined}
              data-testid="token-expires"
            />
            <Button type="submit" loading={create.isPending} data-testid="token-create">
              {t('tokens.create')}
            </Button>
          </Group>
          {create.isError && (
            <Alert color="red" mt="sm" title={t('tokens.failed')}>
              <ErrorMessage error={create.error} />
            </Alert>
          )}
        </form>
      </Paper>

      {tokens.isPending && <Loader size="sm" />}
      {tokens.isError && (
        <Alert color="red" title={t('tokens.loadFailed')}>
          <ErrorMessage error={tokens.error} />
        </Alert>
      )}
      {tokens.isSuccess &&
        (tokens.data.length === 0 ? (
          <Text c="dimmed">{t('tokens.empty')}</Text>
        ) : (
          <Paper withBorder>
            <Table.ScrollContainer minWidth={680}>
              <Table striped verticalSpacing={6} data-testid="tokens-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('tokens.name')}</Table.Th>
                    <Table.Th>{t('tokens.columns.created')}</Table.Th>
                    <Table.Th>{t('tokens.columns.expires')}</Table.Th>
                    <Table.Th>{t('tokens.columns.lastUsed')}</Table.Th>
                    <Table.Th>{t('tokens.columns.status')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {tokens.data.map((token) => {
                    const status = tokenStatus(token, now);
                    return (
                      <Table.Tr key={token.id} data-testid={`token-row-${token.name}`} data-revoked={token.revokedAt !== null}>
                        <Table.Td fw={600}>{token.name}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(token.createdAt)}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{token.expiresAt === null ? t('tokens.never') : when(token.expiresAt)}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(token.lastUsedAt)}</Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_COLOR[status]} variant="light" style={{ minWidth: 'max-content' }}>
                            {t(`tokens.status.${status}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          {status !== 'revoked' && (
                            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRevoking(token)} data-testid="token-revoke">
                              {t('tokens.revoke.action')}
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        ))}

      <Modal opened={create.data !== undefined} onClose={() => create.reset()} title={t('tokens.created.title')}>
        <Stack>
          <ShownOnce
            label={t('tokens.created.label')}
            value={create.data?.token ?? ''}
            warning={t('tokens.created.warning')}
            testId="token-secret"
            onDone={() => create.reset()}
            doneTestId="token-secret-close"
          />
        </Stack>
      </Modal>
      <RevokeDialog token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
