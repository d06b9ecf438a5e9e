import { Button, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RevisionSummary } from '../../api/flows';

interface RevisionTableProps {
  revisions: readonly RevisionSummary[];
  canRollback: boolean;
  onCompare: (revision: RevisionSummary) => void;
  onRollback: (revision: RevisionSummary) => void;
}

export function RevisionTable({ revisions, canRollback, onCompare, onRollback }: RevisionTableProps) {
  const { t, i18n } = useTranslation();
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
  const newest = revisions[0]?.number;

  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('flows.history.number')}</Table.Th>
            <Table.Th>{t('flows.history.author')}</Table.Th>
            <Table.Th>{t('flows.history.message')}</Table.Th>
            <Table.Th>{t('flows.history.createdAt')}</Table.Th>
            <Table.Th>{t('flows.history.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {revisions.map((revision) => (
            <Table.Tr key={revision.number} data-testid={`revision-row-${revision.number}`}>
              <Table.Td>#{revision.number}</Table.Td>
              <Table.Td>{revision.author ?? t('flows.history.unknownAuthor')}</Table.Td>
              <Table.Td>
                {revision.message ? (
                  revision.message
                ) : (
                  <Text span c="dimmed" size="sm">
                    {t('flows.history.noMessage')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <time dateTime={revision.createdAt}>{dateFormat.format(new Date(revision.createdAt))}</time>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="xs"
                    variant="default"
                    disabled={revision.parent === null}
                    onClick={() => onCompare(revision)}
                    data-testid={`compare-${revision.number}`}
                  >
                    {t('flows.history.compare')}
                  </Button>
                  {canRollback && (
                    <Button
                      size="xs"
                      variant="light"
                      color="orange"
                      // Rolling back to the deployed revision would only duplicate it.
                      disabled={revision.number === newest}
                      onClick={() => onRollback(revision)}
                      data-testid={`rollback-${revision.number}`}
                    >
                      {t('flows.history.rollback')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
