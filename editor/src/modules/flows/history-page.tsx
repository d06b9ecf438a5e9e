import { Alert, Button, Group, Loader, NativeSelect, Notification, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import {
  fetchDiff,
  fetchRevision,
  fetchRevisions,
  flowKeys,
  rollbackToRevision,
  type RevisionSummary,
} from '../../api/flows';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { DiffView } from './diff-view';
import { RollbackDialog } from './rollback-dialog';
import { RevisionTable } from './revision-table';

interface Comparison {
  from: number;
  to: number;
}

interface RollbackNotice {
  created: number;
  source: number;
}

const NOTICE_MS = 8000;

/** The newest revision against its parent, or the one before it when the parent is unknown. */
function defaultComparison(revisions: readonly RevisionSummary[]): Comparison | null {
  const [newest, previous] = revisions;
  if (!newest) return null;
  const from = newest.parent ?? previous?.number;
  return from === undefined ? null : { from, to: newest.number };
}

function QueryState({ pending, error, loading, failed, onRetry }: {
  pending: boolean;
  error: unknown;
  loading: string;
  failed: string;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (pending) {
    return (
      <Group gap="xs">
        <Loader size="sm" />
        <Text size="sm">{loading}</Text>
      </Group>
    );
  }
  return (
    <Alert color="red" title={failed}>
      <Stack gap="xs" align="flex-start">
        <ErrorMessage error={error} />
        <Button size="xs" variant="light" color="red" onClick={onRetry}>
          {t('errors.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

function ComparisonDiff({ comparison }: { comparison: Comparison }) {
  const { t } = useTranslation();
  // Revisions are immutable, so a fetched revision or diff never goes stale.
  const diff = useQuery({
    queryKey: flowKeys.diff(comparison.from, comparison.to),
    queryFn: () => fetchDiff(comparison.from, comparison.to),
    staleTime: Infinity,
  });
  const target = useQuery({
    queryKey: flowKeys.revision(comparison.to),
    queryFn: () => fetchRevision(comparison.to),
    staleTime: Infinity,
  });

  if (diff.isSuccess && target.isSuccess) {
    // Keyed so that picking other revisions resets the selected tab and node.
    return <DiffView key={`${comparison.from}:${comparison.to}`} diff={diff.data} toFlows={target.data.flows} />;
  }
  return (
    <QueryState
      pending={diff.isPending || target.isPending}
      error={diff.error ?? target.error}
      loading={t('flows.diff.loading')}
      failed={t('flows.diff.failed')}
      onRetry={() => {
        void diff.refetch();
        void target.refetch();
      }}
    />
  );
}

export function HistoryPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const revisions = useQuery({ queryKey: flowKeys.revisions, queryFn: fetchRevisions });
  // null until the user picks revisions, so the view follows new deployments by default.
  const [picked, setPicked] = useState<Comparison | null>(null);
  const [rollbackTarget, setRollbackTarget] = useState<RevisionSummary | null>(null);
  const [notice, setNotice] = useState<RollbackNotice | null>(null);

  const rollback = useMutation({
    mutationFn: ({ revision, message }: { revision: RevisionSummary; message: string | undefined }) =>
      rollbackToRevision(revision.number, message),
    onSuccess: async (created, { revision }) => {
      setRollbackTarget(null);
      setPicked(null);
      setNotice({ created: created.number, source: revision.number });
      await queryClient.invalidateQueries({ queryKey: flowKeys.revisions });
    },
  });

  useEffect(() => {
    if (notice === null) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  if (!revisions.isSuccess) {
    return (
      <Stack>
        <Title order={2}>{t('flows.history.title')}</Title>
        <QueryState
          pending={revisions.isPending}
          error={revisions.error}
          loading={t('flows.history.loading')}
          failed={t('flows.history.failed')}
          onRetry={() => void revisions.refetch()}
        />
      </Stack>
    );
  }

  const list = revisions.data;
  const comparison = picked ?? defaultComparison(list);
  const options = list.map((revision) => ({
    value: String(revision.number),
    label: t('flows.compare.option', {
      number: revision.number,
      message: revision.message || t('flows.history.noMessage'),
    }),
  }));
  const pick = (side: keyof Comparison, value: string) => {
    if (comparison === null) return;
    setPicked({ ...comparison, [side]: Number(value) });
  };

  return (
    <Stack>
      <Title order={2}>{t('flows.history.title')}</Title>

      {notice !== null && (
        <Notification
          color="green"
          title={t('flows.rollback.successTitle')}
          onClose={() => setNotice(null)}
          data-testid="notification-rollback"
          pos="fixed"
          top={72}
          right={16}
          w={380}
          style={{ zIndex: 300 }}
        >
          {t('flows.rollback.success', { number: notice.created, source: notice.source })}
        </Notification>
      )}

      {list.length === 0 ? (
        <Text c="dimmed">{t('flows.history.empty')}</Text>
      ) : (
        <Paper withBorder>
          <RevisionTable
            revisions={list}
            canRollback={hasRole(user.role, 'engineer')}
            onCompare={(revision) => {
              if (revision.parent !== null) setPicked({ from: revision.parent, to: revision.number });
            }}
            onRollback={(revision) => {
              rollback.reset();
              setRollbackTarget(revision);
            }}
          />
        </Paper>
      )}

      {list.length > 0 && (
        <Stack gap="sm">
          <Title order={3}>{t('flows.compare.title')}</Title>
          {comparison === null ? (
            <Text c="dimmed">{t('flows.compare.singleRevision')}</Text>
          ) : (
            <>
              <Group align="flex-end">
                <NativeSelect
                  label={t('flows.compare.from')}
                  data={options}
                  value={String(comparison.from)}
                  onChange={(event) => pick('from', event.currentTarget.value)}
                  data-testid="diff-from-select"
                  w={280}
                />
                <NativeSelect
                  label={t('flows.compare.to')}
                  data={options}
                  value={String(comparison.to)}
                  onChange={(event) => pick('to', event.currentTarget.value)}
                  data-testid="diff-to-select"
                  w={280}
                />
              </Group>
              <ComparisonDiff comparison={comparison} />
            </>
          )}
        </Stack>
      )}

      <RollbackDialog
        revision={rollbackTarget}
        pending={rollback.isPending}
        error={rollback.error}
        onConfirm={(message) => {
          if (rollbackTarget !== null) rollback.mutate({ revision: rollbackTarget, message });
        }}
        onCancel={() => setRollbackTarget(null)}
      />
    </Stack>
  );
}
