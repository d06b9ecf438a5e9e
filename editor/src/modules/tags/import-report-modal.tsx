import { Alert, Badge, Group, Modal, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { detailsText, isErrorDetails } from '../../api/error-text';
import type { ImportReport } from '../../api/tags';
import { ErrorMessage } from '../../shell/error-message';

export type ImportOutcome = { fileName: string } & ({ report: ImportReport } | { error: unknown });

export function ImportReportModal({ outcome, onClose }: { outcome: ImportOutcome | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={outcome !== null}
      onClose={onClose}
      size="xl"
      title={t('tags.import.title', { file: outcome?.fileName ?? '' })}
    >
      {outcome !== null && 'error' in outcome && (
        <Alert color="red" title={t('tags.import.failed')} data-testid="tag-import-failed">
          <ErrorMessage error={outcome.error} />
        </Alert>
      )}
      {outcome !== null && 'report' in outcome && (
        <Stack data-testid="tag-import-report">
          <Group gap="xs">
            <Badge color="green" variant="light" data-testid="tag-import-created">
              {t('tags.import.created', { count: outcome.report.created })}
            </Badge>
            <Badge color="blue" variant="light" data-testid="tag-import-updated">
              {t('tags.import.updated', { count: outcome.report.updated })}
            </Badge>
            <Badge
              color={outcome.report.rejected.length > 0 ? 'red' : 'gray'}
              variant="light"
              data-testid="tag-import-rejected"
            >
              {t('tags.import.rejected', { count: outcome.report.rejected.length })}
            </Badge>
          </Group>
          {outcome.report.rejected.length === 0 ? (
            <Text size="sm">{t('tags.import.allAccepted')}</Text>
          ) : (
            <ScrollArea.Autosize mah={400}>
              <Table striped stickyHeader data-testid="tag-import-rejected-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('tags.import.line')}</Table.Th>
                    <Table.Th>{t('tags.columns.path')}</Table.Th>
                    <Table.Th>{t('tags.import.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {outcome.report.rejected.map((row) => (
                    <Table.Tr key={`${row.line}:${row.path}`}>
                      <Table.Td>{row.line}</Table.Td>
                      <Table.Td ff="monospace">{row.path}</Table.Td>
                      <Table.Td>{isErrorDetails(row.details) ? detailsText(t, row.details) : row.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          )}
        </Stack>
      )}
    </Modal>
  );
}
