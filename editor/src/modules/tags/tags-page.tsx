import {
  ActionIcon,
  Alert,
  Button,
  FileButton,
  Group,
  Loader,
  Pagination,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { fetchTags, importTags, TAG_EXPORT_URL, tagKeys, type Tag } from '../../api/tags';
import { newerValue } from '../../live/live-protocol';
import { LiveStatusBadge } from '../../live/live-status-badge';
import { LiveValueText } from '../../live/live-value-text';
import { useLiveTags } from '../../live/use-live-tags';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useUnitSystem } from '../../shell/unit-system';
import { formatTimestamp } from '../../units/format-time';
import { lastUpdate } from '../../live/live-staleness';
import { displayUnitLabel } from '../../units/units';
import { DefinitionsCsvButtons } from '../alarms/definitions-csv-buttons';
import { TagAlarmsModal } from '../alarms/tag-alarms-modal';
import { DeleteTagDialog } from './delete-tag-dialog';
import { ImportReportModal, type ImportOutcome } from './import-report-modal';
import { TagFormModal, type TagEditTarget } from './tag-form-modal';

const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 300;

function TagRows({ tags, canEdit, onEdit, onDelete, onAlarms }: {
  tags: readonly Tag[];
  canEdit: boolean;
  onEdit: (tag: Tag) => void;
  onDelete: (tag: Tag) => void;
  onAlarms: (tag: Tag) => void;
}) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const live = useLiveTags(useMemo(() => tags.map((tag) => tag.path), [tags]));
  return tags.map((tag) => {
    // The list's own reading can be newer than the socket's right after a refetch.
    const value = newerValue(tag.live, live.get(tag.path));
    return (
      <Table.Tr key={tag.id} data-testid={`tag-row-${tag.path}`}>
        <Table.Td ff="monospace" fz="sm">
          {tag.path}
        </Table.Td>
        <Table.Td>
          <Text size="sm" lineClamp={2}>
            {tag.description}
          </Text>
        </Table.Td>
        <Table.Td>{displayUnitLabel(tag.unit, system, tag.displayUnit)}</Table.Td>
        <Table.Td ta="right">
          <LiveValueText value={value} unit={tag.unit} displayUnit={tag.displayUnit} testId={`tag-live-${tag.path}`} />
        </Table.Td>
        <Table.Td>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {value === null ? '' : formatTimestamp(lastUpdate(value), i18n.language)}
          </Text>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Button size="compact-xs" variant="subtle" onClick={() => onAlarms(tag)} data-testid={`tag-alarms-${tag.path}`}>
              {t('alarmDefinitions.button')}
            </Button>
            {canEdit && (
              <Button size="compact-xs" variant="subtle" onClick={() => onEdit(tag)} data-testid={`tag-edit-${tag.path}`}>
                {t('tags.edit')}
              </Button>
            )}
            {canEdit && (
              <Tooltip label={t('tags.delete.action')}>
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="red"
                  onClick={() => onDelete(tag)}
                  aria-label={t('tags.delete.action')}
                  data-testid={`tag-delete-${tag.path}`}
                >
                  ✕
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Table.Td>
      </Table.Tr>
    );
  });
}

export function TagsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const canEdit = hasRole(user.role, 'engineer');
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [page, setPage] = useState(1);
  // The target outlives `opened` so the dialog keeps its content while it fades out.
  const [editing, setEditing] = useState<{ opened: boolean; target: TagEditTarget }>({ opened: false, target: null });
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const [alarmsOf, setAlarmsOf] = useState<Tag | null>(null);
  const [importOutcome, setImportOutcome] = useState<ImportOutcome | null>(null);
  const resetFile = useRef<() => void>(null);

  const query = { search: debouncedSearch, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const tags = useQuery({
    queryKey: tagKeys.page(query),
    queryFn: ({ signal }) => fetchTags(query, signal),
    // Paging and typing keep the old rows on screen instead of flashing a loader.
    placeholderData: keepPreviousData,
  });

  const upload = useMutation({
    mutationFn: async (file: File) => importTags(await file.text()),
    // Cleared so that picking the same file again, after fixing it, imports it again.
    onSettled: () => resetFile.current?.(),
    onSuccess: async (report, file) => {
      setImportOutcome({ fileName: file.name, report });
      await queryClient.invalidateQueries({ queryKey: tagKeys.all });
    },
    onError: (error, file) => setImportOutcome({ fileName: file.name, error }),
  });

  const total = tags.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('tags.title')}</Title>
        <LiveStatusBadge />
      </Group>
      <Group justify="space-between" align="flex-end">
        <TextInput
          placeholder={t('tags.search')}
          aria-label={t('tags.search')}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
          rightSection={tags.isFetching ? <Loader size="xs" /> : null}
          w={360}
          data-testid="tag-search"
        />
        <Group gap="xs">
          {canEdit && (
            <>
              <Button onClick={() => setEditing({ opened: true, target: null })} data-testid="tag-create">
                {t('tags.create')}
              </Button>
              <FileButton
                onChange={(file) => {
                  if (file !== null) upload.mutate(file);
                }}
                accept=".csv,text/csv"
                resetRef={resetFile}
              >
                {(props) => (
                  <Button variant="light" loading={upload.isPending} data-testid="tag-import" {...props}>
                    {t('tags.import.action')}
                  </Button>
                )}
              </FileButton>
            </>
          )}
          <Button component="a" href={TAG_EXPORT_URL} download variant="default" data-testid="tag-export">
            {t('tags.export')}
          </Button>
          <DefinitionsCsvButtons canEdit={canEdit} />
        </Group>
      </Group>

      {tags.isError && (
        <Alert color="red" title={t('tags.failed')}>
          <Stack gap="xs" align="flex-start">
            <ErrorMessage error={tags.error} />
            <Button size="xs" variant="light" color="red" onClick={() => void tags.refetch()}>
              {t('errors.retry')}
            </Button>
          </Stack>
        </Alert>
      )}
      {tags.isPending && (
        <Group gap="xs">
          <Loader size="sm" />
          <Text size="sm">{t('tags.loading')}</Text>
        </Group>
      )}
      {tags.isSuccess && (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={760} data-testid="tags-table-scroll">
            <Table striped highlightOnHover verticalSpacing={6} data-testid="tags-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tags.columns.path')}</Table.Th>
                  <Table.Th>{t('tags.columns.description')}</Table.Th>
                  <Table.Th>{t('tags.columns.unit')}</Table.Th>
                  <Table.Th ta="right">{t('tags.columns.value')}</Table.Th>
                  <Table.Th>{t('tags.columns.time')}</Table.Th>
                  <Table.Th>{t('tags.columns.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tags.data.tags.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text c="dimmed" ta="center" py="md">
                        {debouncedSearch === '' ? t('tags.empty') : t('tags.noMatch', { search: debouncedSearch })}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  <TagRows
                    tags={tags.data.tags}
                    canEdit={canEdit}
                    onEdit={(tag) => setEditing({ opened: true, target: tag })}
                    onDelete={setDeleting}
                    onAlarms={setAlarmsOf}
                  />
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {tags.isSuccess && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="tag-count">
            {t('tags.count', { count: total })}
          </Text>
          {pages > 1 && <Pagination total={pages} value={page} onChange={setPage} size="sm" data-testid="tag-pages" />}
        </Group>
      )}

      <TagFormModal
        opened={editing.opened}
        target={editing.target}
        onClose={() => setEditing((current) => ({ ...current, opened: false }))}
      />
      <DeleteTagDialog tag={deleting} onClose={() => setDeleting(null)} />
      <TagAlarmsModal tag={alarmsOf} canEdit={canEdit} onClose={() => setAlarmsOf(null)} />
      <ImportReportModal outcome={importOutcome} onClose={() => setImportOutcome(null)} />
    </Stack>
  );
}
