import { Badge, Button, Group, Table, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { productionKeys, type EntryType, type EntryWindow, type Page } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { EmptyRow } from './empty-row';
import type { VoidTarget } from './void-entry-modal';

interface ListedEntry {
  id: string;
  createdBy: string;
  voided: boolean;
  voidReason: string | null;
  voidedBy: string | null;
}

interface EntryColumn<E> {
  header: string;
  /** Numbers line up on the right. */
  numeric?: boolean;
  cell: (entry: E) => ReactNode;
  testId?: string;
}

/** The entries of one type recorded on a production day, as an entry list shows them. */
export function useDayEntries<E>(
  type: EntryType,
  fetchEntries: (range: EntryWindow, signal?: AbortSignal) => Promise<Page<E>>,
  siteId: string,
  date: string,
) {
  const query = useQuery({
    queryKey: productionKeys.entries(type, siteId, date, date),
    queryFn: ({ signal }) => fetchEntries({ siteAssetId: siteId, from: date, to: date }, signal),
  });
  return { entries: query.data?.items ?? [], loaded: query.data !== undefined, error: query.error };
}

/** The status cell of an entry row: a void button, or the void with its reason. */
function EntryStatus({ entry, onVoid }: { entry: ListedEntry; onVoid: () => void }) {
  const { t } = useTranslation();
  if (entry.voided) {
    return (
      <Tooltip label={t('production.void.by', { user: entry.voidedBy ?? '', reason: entry.voidReason ?? '' })}>
        <Badge color="gray" variant="light" data-testid="entry-voided">
          {t('production.void.voided')}
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Button size="compact-xs" variant="subtle" color="red" onClick={onVoid} data-testid="entry-void">
      {t('production.void.action')}
    </Button>
  );
}

interface EntryListTableProps<E extends ListedEntry> {
  /** Names the test ids: `${name}-list`, and `${name}-row-${rowName(entry)}` per row. */
  name: string;
  rowName: (entry: E) => string;
  columns: readonly EntryColumn<E>[];
  entries: readonly E[];
  /** The list has been read: only then does an empty one say so. */
  loaded: boolean;
  error: Error | null;
  emptyText: string;
  type: EntryType;
  /** What the operator recognises an entry by in the void dialog. */
  voidLabel: (entry: E) => string;
  onVoid: (target: VoidTarget) => void;
  /** More attributes of an entry's row (data-open...). */
  rowData?: (entry: E) => Record<`data-${string}`, string | boolean>;
  /** Buttons before the void action of a row. */
  actions?: (entry: E) => ReactNode;
}

/** A section's entries of the day, who recorded each, and the void action or the void. */
export function EntryListTable<E extends ListedEntry>({
  name,
  rowName,
  columns,
  entries,
  loaded,
  error,
  emptyText,
  type,
  voidLabel,
  onVoid,
  rowData,
  actions,
}: EntryListTableProps<E>) {
  const { t } = useTranslation();
  const right = (column: EntryColumn<E>) => (column.numeric === true ? 'right' : undefined);
  return (
    <>
      {error !== null && <ErrorMessage error={error} />}
      <Table.ScrollContainer minWidth={560}>
        <Table striped verticalSpacing={4} data-testid={`${name}-list`}>
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column.header} ta={right(column)}>
                  {column.header}
                </Table.Th>
              ))}
              <Table.Th>{t('production.columns.by')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {loaded && entries.length === 0 && <EmptyRow colSpan={columns.length + 2} text={emptyText} />}
            {entries.map((entry) => (
              <Table.Tr key={entry.id} data-testid={`${name}-row-${rowName(entry)}`} {...rowData?.(entry)} data-voided={entry.voided}>
                {columns.map((column) => (
                  <Table.Td key={column.header} ta={right(column)} data-testid={column.testId}>
                    {column.cell(entry)}
                  </Table.Td>
                ))}
                <Table.Td>{entry.createdBy}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {actions?.(entry)}
                    <EntryStatus entry={entry} onVoid={() => onVoid({ type, id: entry.id, label: voidLabel(entry) })} />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
