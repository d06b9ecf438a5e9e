import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { apiErrorText } from '../api/error-text';

/** Translated explanation of a failed request: what went wrong and, when the server said, which value and why. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { summary, detail } = apiErrorText(t, error);
  return (
    <>
      <Text size="sm">{summary}</Text>
      {detail !== null && (
        <Text size="xs" c="dimmed" data-testid="error-detail">
          {detail}
        </Text>
      )}
    </>
  );
}
