import { ActionIcon, Anchor, Button, FileInput, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { attachmentPath, deleteAttachment, maintenanceKeys, uploadAttachment, type WorkOrderDetail } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { useSubmissionKey } from '../inventory/submission';
import { serverFieldErrors } from '../production/entry-forms';
import { ATTACHMENT_CONTENT_TYPES, ATTACHMENT_MAX_BYTES, attachmentProblem, bytesToBase64, type AttachmentProblem } from './maintenance-forms';

const LIMIT_MIB = ATTACHMENT_MAX_BYTES / (1024 * 1024);

/**
 * Files on a work order (photos, reports), kept in the database: at most
 * 2 MiB of PNG, JPEG, PDF or text. The limit is shown before choosing and
 * checked before sending; the server's refusal (400 naming the file, or 413
 * when the request itself is too large) is shown in the user's language.
 */
export function WorkOrderAttachments({ order, mayWork }: { order: WorkOrderDetail; mayWork: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<AttachmentProblem | null>(null);
  const submission = useSubmissionKey();
  const refresh = () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.order(order.id) });
  const upload = useMutation({
    mutationFn: async (chosen: File) => {
      const contentBase64 = bytesToBase64(new Uint8Array(await chosen.arrayBuffer()));
      // The file's name, size and time stand for its content: hashing 2 MiB only to pick a key is not worth it.
      const key = submission.keyFor({ name: chosen.name, size: chosen.size, modified: chosen.lastModified });
      return uploadAttachment(order.id, { fileName: chosen.name, contentType: chosen.type, contentBase64 }, key);
    },
    onSuccess: async () => {
      submission.reset();
      setFile(null);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: (attachmentId: string) => deleteAttachment(order.id, attachmentId), onSuccess: refresh });
  const open = order.status !== 'done' && order.status !== 'cancelled';

  const serverText = (() => {
    if (!(upload.error instanceof ApiError)) return undefined;
    if (upload.error.status === 413) return t('maintenance.attachments.tooLarge', { limit: LIMIT_MIB });
    if (upload.error.status !== 400) return undefined;
    const { fields } = serverFieldErrors(upload.error.details, { contentBase64: 'file', contentType: 'file', fileName: 'file' } as const);
    return fields.file;
  })();
  const inputError = problem !== null ? t(`maintenance.attachments.${problem}`, { limit: LIMIT_MIB }) : serverText;

  return (
    <Stack gap="xs" data-testid="maintenance-attachments">
      <Title order={4}>{t('maintenance.detail.attachments')}</Title>
      {order.attachments.map((attachment) => (
        <Group key={attachment.id} gap="xs" data-testid="attachment-row">
          <Anchor href={attachmentPath(order.id, attachment.id)} download={attachment.fileName}>
            {attachment.fileName}
          </Anchor>
          <Text size="sm" c="dimmed">
            ({Math.ceil(attachment.sizeBytes / 1024)} KiB)
          </Text>
          {mayWork && open && (
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('maintenance.attachments.delete', { name: attachment.fileName })}
              loading={remove.isPending && remove.variables === attachment.id}
              onClick={() => remove.mutate(attachment.id)}
              data-testid="attachment-delete"
            >
              ×
            </ActionIcon>
          )}
        </Group>
      ))}
      {order.attachments.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('maintenance.attachments.none')}
        </Text>
      )}
      {remove.isError && <ErrorMessage error={remove.error} />}
      {mayWork && open && (
        <Group align="flex-start">
          <FileInput
            w={320}
            label={t('maintenance.attachments.choose')}
            description={t('maintenance.attachments.limits', { limit: LIMIT_MIB })}
            accept={ATTACHMENT_CONTENT_TYPES.join(',')}
            value={file}
            clearable
            onChange={(chosen) => {
              setFile(chosen);
              setProblem(chosen === null ? null : attachmentProblem(chosen));
              upload.reset();
            }}
            error={inputError}
            data-testid="attachment-file"
          />
          <Button mt={44} disabled={file === null || problem !== null} loading={upload.isPending} onClick={() => file !== null && upload.mutate(file)} data-testid="attachment-upload">
            {t('maintenance.attachments.upload')}
          </Button>
        </Group>
      )}
      {upload.isError && serverText === undefined && <ErrorMessage error={upload.error} />}
    </Stack>
  );
}
