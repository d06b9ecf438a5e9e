import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { deleteTag, tagKeys, type Tag } from '../../api/tags';
import { ErrorMessage } from '../../shell/error-message';

export function DeleteTagDialog({ tag, onClose }: { tag: Tag | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => deleteTag(id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: tagKeys.all });
      onClose();
    },
  });
  return (
    <Modal
      opened={tag !== null}
      onClose={onClose}
      onExitTransitionEnd={() => remove.reset()}
      title={t('tags.delete.title')}
      closeOnClickOutside={!remove.isPending}
    >
      {/* On the content: a modal's root element has no box of its own to be visible. */}
      <Stack data-testid="tag-delete-dialog">
        <Text size="sm">
          {t('tags.delete.body')} <Code>{tag?.path}</Code>
        </Text>
        {remove.isError && (
          <Alert color="red" title={t('tags.delete.failed')}>
            <ErrorMessage error={remove.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={remove.isPending}>
            {t('tags.form.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => {
              if (tag !== null) remove.mutate(tag.id);
            }}
            data-testid="tag-delete-confirm"
          >
            {t('tags.delete.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
