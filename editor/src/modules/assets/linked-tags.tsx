import { Table, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TagLink } from '../../api/assets';
import { fetchTags, tagKeys, type Tag, type TagQuery } from '../../api/tags';
import { newerValue } from '../../live/live-protocol';
import { LiveValueText } from '../../live/live-value-text';
import { useLiveTags } from '../../live/use-live-tags';
import { formatTimestamp } from '../../units/format-time';
import { lastUpdate } from '../../live/live-staleness';

/** Tags share their `<site>/<asset>/` start with their neighbours: one search per asset finds them all. */
function assetPrefix(tagPath: string): string {
  return `${tagPath.split('/').slice(0, 2).join('/')}/`;
}

const MAX_TAGS_PER_ASSET = 500;

/**
 * The asset's linked tags with their live values, in each tag's own display
 * unit or the site's unit system; the unit comes from the tag's definition.
 */
export function LinkedTags({ links }: { links: readonly TagLink[] }) {
  const { t, i18n } = useTranslation();
  const queries = useMemo(
    () =>
      [...new Set(links.map((link) => assetPrefix(link.tagPath)))].map(
        (prefix): TagQuery => ({ search: prefix, limit: MAX_TAGS_PER_ASSET, offset: 0 }),
      ),
    [links],
  );
  const definitions = useQueries({
    queries: queries.map((query) => ({ queryKey: tagKeys.page(query), queryFn: ({ signal }: { signal: AbortSignal }) => fetchTags(query, signal) })),
    combine: (results) => {
      const byPath = new Map<string, Tag>();
      for (const result of results) for (const tag of result.data?.tags ?? []) byPath.set(tag.path, tag);
      return { byPath, pending: results.some((result) => result.isPending) };
    },
  });
  const live = useLiveTags(useMemo(() => links.map((link) => link.tagPath), [links]));

  if (links.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="linked-tags-empty">
        {t('assets.tags.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={4} data-testid="linked-tags">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('assets.tags.role')}</Table.Th>
            <Table.Th>{t('assets.tags.path')}</Table.Th>
            <Table.Th ta="right">{t('assets.tags.value')}</Table.Th>
            <Table.Th>{t('assets.tags.time')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {links.map((link) => {
            const tag = definitions.byPath.get(link.tagPath);
            // The definition's reading can be newer than the socket's right after a refetch.
            const value = newerValue(tag?.live ?? null, live.get(link.tagPath));
            return (
              <Table.Tr key={link.role} data-testid={`linked-tag-${link.role}`}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {link.role}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {link.tagPath}
                  </Text>
                  {tag === undefined && !definitions.pending && (
                    <Text size="xs" c="orange.7">
                      {t('assets.tags.undefined')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <LiveValueText
                    value={value}
                    unit={tag?.unit ?? ''}
                    displayUnit={tag?.displayUnit}
                    testId={`linked-tag-value-${link.role}`}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {value === null ? '' : formatTimestamp(lastUpdate(value), i18n.language)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
