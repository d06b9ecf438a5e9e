import { Alert, Badge, Button, FileButton, Group, Modal, ScrollArea, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ALARM_DEFINITIONS_EXPORT_URL, alarmKeys, importDefinitions } from '../../api/alarms';
import { detailsText, isErrorDetails } from '../../api/error-text';
import { ErrorMessage } from '../../shell/error-message';

/**
 * Export and import of every alarm definition as CSV, for engineers (the format is in
 * docs/alarm-console.md). An import asks why first: the reason goes into
 * the audit row of each definition it changes.
 */
export function DefinitionsCsvButtons({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [reason, setReason] = useState('');
  const resetFile = useRef<() => void>(null);
  const upload = useMutation({
    mutationFn: async (chosen: File) => importDefinitions(await chosen.text(), reason.trim()),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alarmKeys.all }),
  });
  const close = () => {
    setFile(null);
    setReason('');
    upload.reset();
    resetFile.current?.();
  };
  const report = upload.data;
  return (
    <>
      {canEdit && (
        <FileButton onChange={setFile} accept=".csv,text/csv" resetRef={resetFile}>
          {(props) => (
            <Button variant="light" data-testid="alarm-definitions-import" {...props}>
              {t('alarmDefinitions.import')}
            </Button>
          )}
        </FileButton>
      )}
      {canEdit && (
        <Button component="a" href={ALARM_DEFINITIONS_EXPORT_URL} download variant="default" data-testid="alarm-definitions-export">
          {t('alarmDefinitions.export')}
        </Button>
      )}
      <Modal opened={file !== null} onClose={close} size="xl" title={t('tags.import.title', { file: file?.name ?? '' })}>
        {report === undefined ? (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (file !== null) upload.mutate(file);
            }}
          >
            <Stack>
              <TextInput
                label={t('alarmDefinitions.importReason')}
                value={reason}
                onChange={(event) => setReason(event.currentTarget.value)}
                required
                maxLength={500}
                data-autofocus
                data-testid="alarm-definitions-import-reason"
              />
              {upload.isError && (
                <Alert color="red" title={t('tags.import.failed')}>
                  <ErrorMessage error={upload.error} />
                </Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {t('alarms.cancel')}
                </Button>
                <Button type="submit" loading={upload.isPending} disabled={reason.trim() === ''} data-testid="alarm-definitions-import-confirm">
                  {t('tags.import.action')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Stack data-testid="alarm-definitions-import-report">
            <Group gap="xs">
              <Badge color="green" variant="light">
                {t('tags.import.created', { count: report.created })}
              </Badge>
              <Badge color="blue" variant="light">
                {t('tags.import.updated', { count: report.updated })}
              </Badge>
              <Badge color={report.rejected.length > 0 ? 'red' : 'gray'} variant="light">
                {t('tags.import.rejected', { count: report.rejected.length })}
              </Badge>
            </Group>
            {report.rejected.length === 0 ? (
              <Text size="sm">{t('tags.import.allAccepted')}</Text>
            ) : (
              <ScrollArea.Autosize mah={400}>
                <Table striped stickyHeader>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('tags.import.line')}</Table.Th>
                      <Table.Th>{t('alarms.columns.tag')}</Table.Th>
                      <Table.Th>{t('alarmDefinitions.fields.kind')}</Table.Th>
                      <Table.Th>{t('tags.import.reason')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {report.rejected.map((row) => (
                      <Table.Tr key={`${row.line}:${row.kind}`}>
                        <Table.Td>{row.line}</Table.Td>
                        <Table.Td ff="monospace">{row.tagPath}</Table.Td>
                        <Table.Td>{row.kind}</Table.Td>
                        <Table.Td>{isErrorDetails(row.details) ? detailsText(t, row.details) : row.reason}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
            <Group justify="flex-end">
              <Button onClick={close}>{t('alarms.close')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
