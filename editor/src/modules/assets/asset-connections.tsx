import { ActionIcon, Alert, Anchor, Badge, Button, Group, NativeSelect, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  assetKeys,
  CONNECTION_STREAMS,
  createConnection,
  deleteConnection,
  fetchConnections,
  type Asset,
  type AssetTreeNode,
  type Connection,
  type ConnectionCreate,
  type ConnectionStream,
} from '../../api/assets';
import { fieldKey } from '../../api/field';
import { ErrorMessage } from '../../shell/error-message';
import { Loading } from './asset-labels';
import { connectionFrom, splitConnections, type ConnectionDirection, type ConnectionFormErrors, type ConnectionFormState } from './connections';

const EMPTY_FORM: ConnectionFormState = { direction: 'downstream', otherAssetId: '', stream: '' };

function ConnectionRow({ connection, other, onRemove, removing }: {
  connection: Connection;
  other: { id: string; code: string };
  onRemove: (() => void) | null;
  removing: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="nowrap" data-testid={`connection-${connection.fromCode}-${connection.toCode}-${connection.stream}`}>
      <Anchor component={Link} to={`/assets/${other.id}`} size="sm" fw={600}>
        {other.code}
      </Anchor>
      <Badge variant="light" fz="xs" style={{ minWidth: 'max-content' }}>
        {t(`assets.connections.stream.${connection.stream}`)}
      </Badge>
      {onRemove && (
        <Tooltip label={t('assets.connections.remove')}>
          <ActionIcon
            variant="subtle"
            color="red"
            size="sm"
            loading={removing}
            onClick={onRemove}
            aria-label={t('assets.connections.removeOne', { from: connection.fromCode, to: connection.toCode })}
            data-testid={`connection-remove-${connection.fromCode}-${connection.toCode}-${connection.stream}`}
          >
            ×
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

function AddConnection({ asset, nodes, existing }: { asset: Asset; nodes: readonly AssetTreeNode[]; existing: readonly Connection[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ConnectionFormState>(EMPTY_FORM);
  const [errors, setErrors] = useState<ConnectionFormErrors>({});
  const add = useMutation({
    mutationFn: (body: ConnectionCreate) => createConnection(body),
    onSuccess: async () => {
      setForm(EMPTY_FORM);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assetKeys.connections }),
        queryClient.invalidateQueries({ queryKey: fieldKey }),
      ]);
    },
  });
  const set = <K extends keyof ConnectionFormState>(key: K, value: ConnectionFormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    if (key !== 'direction') setErrors((current) => ({ ...current, [key]: undefined }));
  };
  // Fields and sites hold the plant; connections run between wells and equipment.
  const candidates = nodes
    .filter((node) => node.id !== asset.id && (node.kind === 'well' || node.kind === 'equipment'))
    .map((node) => ({ value: node.id, label: `${node.code} — ${node.name}` }));
  const errorText = (code: ConnectionFormErrors['otherAssetId']) => (code === undefined ? undefined : t(`assets.connections.errors.${code}`));
  return (
    <form
      noValidate
      data-testid="connection-form"
      onSubmit={(event) => {
        event.preventDefault();
        const result = connectionFrom(asset.id, form, existing);
        if ('errors' in result) return setErrors(result.errors);
        setErrors({});
        add.mutate(result.body);
      }}
    >
      <Stack gap="xs">
        <Group gap="xs" align="flex-start" wrap="wrap">
          <NativeSelect
            label={t('assets.connections.direction')}
            data={(['downstream', 'upstream'] as const).map((direction) => ({ value: direction, label: t(`assets.connections.${direction}`) }))}
            value={form.direction}
            onChange={(event) => set('direction', event.currentTarget.value === 'upstream' ? 'upstream' : ('downstream' satisfies ConnectionDirection))}
            data-testid="connection-direction"
          />
          <Select
            label={t('assets.connections.asset')}
            data={candidates}
            value={form.otherAssetId === '' ? null : form.otherAssetId}
            onChange={(value) => set('otherAssetId', value ?? '')}
            searchable
            miw={220}
            error={errorText(errors.otherAssetId)}
            data-testid="connection-asset"
          />
          <NativeSelect
            label={t('assets.connections.streamLabel')}
            data={[
              { value: '', label: t('assets.connections.pickStream') },
              ...CONNECTION_STREAMS.map((stream) => ({ value: stream, label: t(`assets.connections.stream.${stream}`) })),
            ]}
            value={form.stream}
            onChange={(event) => set('stream', CONNECTION_STREAMS.find((stream) => stream === event.currentTarget.value) ?? ('' satisfies ConnectionStream | ''))}
            error={errorText(errors.stream)}
            data-testid="connection-stream"
          />
        </Group>
        <Group>
          <Button type="submit" size="sm" variant="light" loading={add.isPending} data-testid="connection-add">
            {t('assets.connections.add')}
          </Button>
        </Group>
        {add.isError && (
          <Alert color="red" data-testid="connection-error">
            <ErrorMessage error={add.error} />
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** The asset's place in the process: what flows in, where it goes, and (for engineers) adding and removing links. */
export function ConnectionsPanelBody({ asset, nodes, canEdit }: { asset: Asset; nodes: readonly AssetTreeNode[]; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const connections = useQuery({
    queryKey: assetKeys.connections,
    queryFn: ({ signal }) => fetchConnections(signal),
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteConnection(id),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: assetKeys.connections }),
        queryClient.invalidateQueries({ queryKey: fieldKey }),
      ]);
    },
  });
  if (connections.isPending) return <Loading label={t('assets.connections.loading')} />;
  if (connections.isError) return <ErrorMessage error={connections.error} />;
  const { upstream, downstream } = splitConnections(asset.id, connections.data);
  const row = (connection: Connection, other: { id: string; code: string }) => (
    <ConnectionRow
      key={connection.id}
      connection={connection}
      other={other}
      onRemove={canEdit ? () => remove.mutate(connection.id) : null}
      removing={remove.isPending && remove.variables === connection.id}
    />
  );
  return (
    <Stack gap="xs">
      <Stack gap={4} data-testid="connections-upstream">
        <Text size="sm" fw={600}>
          {t('assets.connections.upstream')}
        </Text>
        {upstream.length === 0 ? (
          <Text size="sm" c="dimmed">{t('assets.connections.none')}</Text>
        ) : (
          upstream.map((connection) => row(connection, { id: connection.fromAssetId, code: connection.fromCode }))
        )}
      </Stack>
      <Stack gap={4} data-testid="connections-downstream">
        <Text size="sm" fw={600}>
          {t('assets.connections.downstream')}
        </Text>
        {downstream.length === 0 ? (
          <Text size="sm" c="dimmed">{t('assets.connections.none')}</Text>
        ) : (
          downstream.map((connection) => row(connection, { id: connection.toAssetId, code: connection.toCode }))
        )}
      </Stack>
      {remove.isError && (
        <Alert color="red" data-testid="connection-remove-error">
          <ErrorMessage error={remove.error} />
        </Alert>
      )}
      {canEdit && <AddConnection asset={asset} nodes={nodes} existing={connections.data} />}
    </Stack>
  );
}
