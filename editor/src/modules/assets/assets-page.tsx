import {
  Alert,
  Anchor,
  Badge,
  Button,
  CloseButton,
  Grid,
  Group,
  Loader,
  NativeSelect,
  Pagination,
  Paper,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import {
  ASSET_KINDS,
  assetKeys,
  fetchAssets,
  LIFT_TYPES,
  WELL_STATUSES,
  type AssetKind,
  type AssetQuery,
  type AssetTreeNode,
  type LiftType,
  type WellStatus,
} from '../../api/assets';
import { hasRole } from '../../api/auth';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { AssetFormModal, type AssetFormTarget } from './asset-form-modal';
import { kindOf, Loading, StatusBadge, useKindLabel } from './asset-labels';
import { useAssetTree } from './asset-queries';
import { childKindsFor } from './asset-tree';
import { AssetTreePanel } from './asset-tree-panel';

const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 300;
/** The tree chooses the parent through the address, so a breadcrumb or the back button can too. */
const PARENT_PARAM = 'parent';

function pick<T extends string>(values: readonly T[], value: string): T | null {
  return values.find((candidate) => candidate === value) ?? null;
}

interface Filters {
  kind: AssetKind | null;
  status: WellStatus | null;
  liftType: LiftType | null;
}

function AssetFilters({ filters, onChange }: { filters: Filters; onChange: (filters: Filters) => void }) {
  const { t } = useTranslation();
  const any = { value: '', label: t('assets.list.any') };
  return (
    <>
      <NativeSelect
        label={t('assets.list.kind')}
        data={[any, ...ASSET_KINDS.map((kind) => ({ value: kind, label: t(`assets.kind.${kind}`) }))]}
        value={filters.kind ?? ''}
        onChange={(event) => onChange({ ...filters, kind: pick(ASSET_KINDS, event.currentTarget.value) })}
        w={170}
        data-testid="asset-filter-kind"
      />
      <NativeSelect
        label={t('assets.list.status')}
        data={[any, ...WELL_STATUSES.map((status) => ({ value: status, label: t(`assets.status.${status}`) }))]}
        value={filters.status ?? ''}
        onChange={(event) => onChange({ ...filters, status: pick(WELL_STATUSES, event.currentTarget.value) })}
        w={170}
        data-testid="asset-filter-status"
      />
      <NativeSelect
        label={t('assets.list.liftType')}
        data={[any, ...LIFT_TYPES.map((lift) => ({ value: lift, label: t(`assets.liftType.${lift}`) }))]}
        value={filters.liftType ?? ''}
        onChange={(event) => onChange({ ...filters, liftType: pick(LIFT_TYPES, event.currentTarget.value) })}
        w={170}
        data-testid="asset-filter-lift"
      />
    </>
  );
}

function AssetTable({ query, nodes, onPage }: {
  query: AssetQuery;
  nodes: ReadonlyMap<string, AssetTreeNode>;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const assets = useQuery({
    queryKey: assetKeys.page(query),
    queryFn: ({ signal }) => fetchAssets(query, signal),
    // Paging and typing keep the old rows on screen instead of flashing a loader.
    placeholderData: keepPreviousData,
  });
  if (assets.isPending) return <Loading label={t('assets.list.loading')} />;
  if (assets.isError) {
    return (
      <Alert color="red" title={t('assets.list.failed')}>
        <Stack gap="xs" align="flex-start">
          <ErrorMessage error={assets.error} />
          <Button size="xs" variant="light" color="red" onClick={() => void assets.refetch()}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  const { total } = assets.data;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <>
      <Paper withBorder>
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing={6} data-testid="assets-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('assets.columns.code')}</Table.Th>
                <Table.Th>{t('assets.columns.name')}</Table.Th>
                <Table.Th>{t('assets.columns.kind')}</Table.Th>
                <Table.Th>{t('assets.columns.parent')}</Table.Th>
                <Table.Th>{t('assets.columns.status')}</Table.Th>
                <Table.Th>{t('assets.columns.liftType')}</Table.Th>
                <Table.Th>{t('assets.columns.uwi')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assets.data.assets.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="md">
                      {query.search === '' ? t('assets.list.empty') : t('assets.list.noMatch', { search: query.search })}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : (
                assets.data.assets.map((asset) => {
                  const parent = asset.parentId === null ? undefined : nodes.get(asset.parentId);
                  return (
                    <Table.Tr key={asset.id} data-testid={`asset-row-${asset.code}`}>
                      <Table.Td>
                        <Anchor
                          component={Link}
                          to={`/assets/${asset.id}`}
                          fw={600}
                          size="sm"
                          style={{ whiteSpace: 'nowrap' }}
                          data-testid={`asset-link-${asset.code}`}
                        >
                          {asset.code}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{asset.name}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{kindLabel(kindOf(asset))}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                          {parent?.code ?? ''}
                        </Text>
                      </Table.Td>
                      <Table.Td>{asset.well && <StatusBadge status={asset.well.status} />}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{asset.well ? t(`assets.liftType.${asset.well.liftType}`) : ''}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {asset.well?.uwi ?? ''}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  );
                })
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="asset-count">
          {t('assets.list.count', { count: total })}
        </Text>
        {pages > 1 && (
          <Pagination
            total={pages}
            value={query.offset / PAGE_SIZE + 1}
            onChange={onPage}
            size="sm"
            data-testid="asset-pages"
          />
        )}
      </Group>
    </>
  );
}

export function AssetsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const canEdit = hasRole(user.role, 'engineer');
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [filters, setFilters] = useState<Filters>({ kind: null, status: null, liftType: null });
  const [page, setPage] = useState(1);
  // The target outlives `opened` so the dialog keeps its content while it fades out.
  const [creating, setCreating] = useState<{ opened: boolean; target: AssetFormTarget }>({
    opened: false,
    target: { mode: 'create', kind: 'field', parentId: null },
  });
  const tree = useAssetTree();
  const nodes = useMemo(() => new Map((tree.data ?? []).map((node) => [node.id, node])), [tree.data]);

  const parentParam = params.get(PARENT_PARAM);
  const parent = parentParam === null ? undefined : nodes.get(parentParam);
  const parentId = parentParam === null || (tree.isSuccess && parent === undefined) ? null : parentParam;
  const choose = (id: string | null) => {
    setParams(id === null ? {} : { [PARENT_PARAM]: id });
    setPage(1);
  };
  const query: AssetQuery = {
    search: debouncedSearch,
    parentId,
    ...filters,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  // A new asset goes under the chosen one when the hierarchy allows it; a field otherwise.
  const createKind: AssetKind = parent === undefined ? 'field' : (childKindsFor(parent.kind)[0] ?? 'field');

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('assets.title')}</Title>
        {canEdit && (
          <Button
            onClick={() =>
              setCreating({
                opened: true,
                target: { mode: 'create', kind: createKind, parentId: createKind === 'field' ? null : (parent?.id ?? null) },
              })
            }
            data-testid="asset-create"
          >
            {parent === undefined || createKind === 'field' ? t('assets.create') : t('assets.createUnder', { code: parent.code })}
          </Button>
        )}
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
          <Paper withBorder p="xs">
            <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
              {t('assets.tree.title')}
            </Text>
            {tree.isPending && <Loader size="sm" />}
            {tree.isError && (
              <Alert color="red" title={t('assets.tree.failed')}>
                <ErrorMessage error={tree.error} />
              </Alert>
            )}
            {tree.isSuccess && (
              <ScrollArea.Autosize mah="70vh" scrollbars="y">
                <AssetTreePanel nodes={tree.data} selectedId={parentId} onSelect={choose} />
              </ScrollArea.Autosize>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
          <Stack>
            <Group align="flex-end" gap="sm">
              <TextInput
                label={t('assets.list.search')}
                placeholder={t('assets.list.searchHint')}
                value={search}
                onChange={(event) => {
                  setSearch(event.currentTarget.value);
                  setPage(1);
                }}
                w={220}
                data-testid="asset-search"
              />
              <AssetFilters
                filters={filters}
                onChange={(next) => {
                  setFilters(next);
                  setPage(1);
                }}
              />
            </Group>
            {parent !== undefined && (
              <Group gap={4}>
                <Badge
                  variant="light"
                  size="lg"
                  rightSection={<CloseButton size="xs" onClick={() => choose(null)} aria-label={t('assets.list.clearParent')} />}
                  data-testid="asset-parent-filter"
                >
                  {t('assets.list.under', { code: parent.code })}
                </Badge>
                <Anchor component={Link} to={`/assets/${parent.id}`} size="sm" ml="xs">
                  {t('assets.list.openParent', { code: parent.code })}
                </Anchor>
              </Group>
            )}
            <AssetTable query={query} nodes={nodes} onPage={setPage} />
          </Stack>
        </Grid.Col>
      </Grid>
      <AssetFormModal
        opened={creating.opened}
        target={creating.target}
        onClose={() => setCreating((current) => ({ ...current, opened: false }))}
      />
    </Stack>
  );
}
