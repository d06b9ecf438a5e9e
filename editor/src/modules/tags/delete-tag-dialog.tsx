import { Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { deleteTag, tagKeys, type Tag } from '../../api/tags';
import { ConfirmDialog } from '../../shell/confirm-dialog';

export function DeleteTagDialog({ tag, onClose }: { tag: Tag | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      item={tag}
      onClose={onClose}
      title={t('tags.delete.title')}
      failedTitle={t('tags.delete.failed')}
      cancelLabel={t('tags.form.cancel')}
      confirmLabel={t('tags.delete.confirm')}
      action={(deleted) => deleteTag(deleted.id)}
      invalidates={tagKeys.all}
      testId="tag-delete-dialog"
      confirmTestId="tag-delete-confirm"
    >
      <Text size="sm">
        {t('tags.delete.body')} <Code>{tag?.path}</Code>
      </Text>
    </ConfirmDialog>
  );
}
