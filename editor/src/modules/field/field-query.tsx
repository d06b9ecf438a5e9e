import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchField, fieldKey, type Field } from '../../api/field';
import { ErrorMessage } from '../../shell/error-message';

/** Renders `children` with the plant topology once it has loaded; shared by the overview and the well pages. */
export function WithField({ children }: { children: (field: Field) => ReactNode }) {
  const { t } = useTranslation();
  // The topology changes with a reconfiguration, not second to second.
  const field = useQuery({ queryKey: fieldKey, queryFn: fetchField, staleTime: 5 * 60_000 });
  if (field.isSuccess) return children(field.data);
  if (field.isPending) {
    return (
      <Group gap="xs">
        <Loader size="sm" />
        <Text size="sm">{t('field.loading')}</Text>
      </Group>
    );
  }
  return (
    <Alert color="red" title={t('field.failed')}>
      <Stack gap="xs" align="flex-start">
        <ErrorMessage error={field.error} />
        <Button size="xs" variant="light" color="red" onClick={() => void field.refetch()}>
          {t('errors.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}
