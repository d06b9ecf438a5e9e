import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** Translated explanation of a failed request, with the server's own words when it gave some. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof ApiError && error.status === 0) return <Text size="sm">{t('errors.network')}</Text>;
  const summary = error instanceof ApiError && error.status === 403 ? t('errors.forbidden') : t('errors.generic');
  const detail = error instanceof Error && error.message !== '' ? error.message : null;
  return (
    <>
      <Text size="sm">{summary}</Text>
      {detail !== null && (
        <Text size="xs" c="dimmed">
          {t('errors.detail', { message: detail })}
        </Text>
      )}
    </>
  );
}
