import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isRole, ROLES } from '../../api/auth';
import { fetchSite, siteKey } from '../../api/site';
import { fetchUsers, updateUser, userKeys, type ManagedUser, type UserChange } from '../../api/users';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { formatTimestamp } from '../../units/format-time';
import { CreateUserModal } from './create-user-modal';
import { DisableUserDialog } from './disable-user-dialog';
import { GrantsModal } from './grants-modal';
import { ResetPasswordModal } from './reset-password-modal';

/** The grants a user holds, as badges; the approver's with its limit. */
function GrantBadges({ user, currency }: { user: ManagedUser; currency: string | undefined }) {
  const { t, i18n } = useTranslation();
  if (user.grants.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {t('grants.none')}
      </Text>
    );
  }
  return (
    <Group gap={4} data-testid="user-grant-badges">
      {user.grants.map((held) => (
        <Badge key={held.grant} variant="outline" color="indigo" style={{ minWidth: 'max-content' }} data-testid={`user-grant-${held.grant}`}>
          {held.approvalLimit === undefined
            ? t(`grants.names.${held.grant}`)
            : t('grants.approverUpTo', {
                limit: held.approvalLimit.toLocaleString(i18n.language),
                currency: currency ?? '',
              }).trim()}
        </Badge>
      ))}
    </Group>
  );
}

function UserRow({ user, self, currency, onReset, onDisable, onGrants }: {
  user: ManagedUser;
  self: boolean;
  currency: string | undefined;
  onReset: () => void;
  onDisable: () => void;
  onGrants: () => void;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (changes: UserChange) => updateUser(user.id, changes),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
  const history = new URLSearchParams({ entityType: 'user', entityId: user.id });
  return (
    <Table.Tr data-testid={`user-row-${user.username}`} data-disabled={user.disabled}>
      <Table.Td fw={600}>{user.username}</Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          {/* Nobody demotes themself: the site must keep an admin who can undo it. */}
          <NativeSelect
            size="xs"
            miw={140}
            aria-label={t('users.columns.role')}
            value={user.role}
            disabled={self || change.isPending}
            data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            onChange={(event) => {
              const role = event.currentTarget.value;
              if (isRole(role)) change.mutate({ role });
            }}
            data-testid="user-role"
          />
          {change.isPending && <Loader size="xs" />}
          {change.isSuccess && (
            <Text size="xs" c="teal.7" data-testid="user-saved">
              {t('users.saved')}
            </Text>
          )}
        </Group>
        {change.isError && (
          <Text size="xs" c="red.7" component="div">
            <ErrorMessage error={change.error} />
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <GrantBadges user={user} currency={currency} />
      </Table.Td>
      <Table.Td>
        {/* max-content: a badge's ellipsis would otherwise let the column squeeze it to "ACTI…". */}
        <Badge color={user.disabled ? 'gray' : 'teal'} variant="light" style={{ minWidth: 'max-content' }}>
          {t(user.disabled ? 'users.status.disabled' : 'users.status.active')}
        </Badge>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTimestamp(Date.parse(user.createdAt), i18n.language)}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Button size="compact-xs" variant="subtle" onClick={onGrants} data-testid="user-edit-grants">
            {t('grants.edit')}
          </Button>
          <Button size="compact-xs" variant="subtle" onClick={onReset} data-testid="user-reset-password">
            {t('users.resetPassword.action')}
          </Button>
          {user.disabled ? (
            <Button size="compact-xs" variant="subtle" loading={change.isPending} onClick={() => change.mutate({ disabled: false })} data-testid="user-enable">
              {t('users.enable')}
            </Button>
          ) : (
            <Tooltip label={t('users.notYourself')} disabled={!self}>
              <Button size="compact-xs" variant="subtle" color="red" disabled={self} onClick={onDisable} data-testid="user-disable">
                {t('users.disable.action')}
              </Button>
            </Tooltip>
          )}
          <Anchor component={Link} to={`/admin/audit?${history.toString()}`} size="xs" data-testid="user-history">
            {t('users.history')}
          </Anchor>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** The site's users for an admin: create, change role and grants, disable or enable, reset a password. */
export function UsersPage() {
  const { t } = useTranslation();
  const { user: me } = useSession();
  const users = useQuery({ queryKey: userKeys.all, queryFn: ({ signal }) => fetchUsers(signal) });
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<ManagedUser | null>(null);
  const [disabling, setDisabling] = useState<ManagedUser | null>(null);
  const [granting, setGranting] = useState<ManagedUser | null>(null);
  const site = useQuery({ queryKey: siteKey, queryFn: fetchSite, staleTime: Infinity });

  return (
    <Stack data-testid="users-page">
      <Group justify="space-between">
        <Title order={2}>{t('users.title')}</Title>
        <Button onClick={() => setCreating(true)} data-testid="user-create">
          {t('users.create.action')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t('users.intro')}
      </Text>
      {users.isPending && <Loader size="sm" />}
      {users.isError && (
        <Alert color="red" title={t('users.failed')}>
          <ErrorMessage error={users.error} />
        </Alert>
      )}
      {users.isSuccess && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={860}>
            <Table striped verticalSpacing={6} data-testid="users-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.columns.username')}</Table.Th>
                  <Table.Th>{t('users.columns.role')}</Table.Th>
                  <Table.Th>{t('users.columns.grants')}</Table.Th>
                  <Table.Th>{t('users.columns.status')}</Table.Th>
                  <Table.Th>{t('users.columns.created')}</Table.Th>
                  <Table.Th>{t('users.columns.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.map((user) => (
                  <UserRow
                    key={user.id}
                    user={user}
                    self={user.id === me.id}
                    currency={site.data?.currency}
                    onReset={() => setResetting(user)}
                    onDisable={() => setDisabling(user)}
                    onGrants={() => setGranting(user)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <DisableUserDialog user={disabling} onClose={() => setDisabling(null)} />
      <GrantsModal user={granting} onClose={() => setGranting(null)} />
    </Stack>
  );
}
