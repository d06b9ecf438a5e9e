import { ActionIcon, Alert, CopyButton, TextInput, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A secret the server returns once (a generated password, an API token): shown to copy, with a warning. */
export function ShownOnce({ label, value, warning, testId }: { label: string; value: string; warning: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert color="yellow">{warning}</Alert>
      <TextInput
        label={label}
        value={value}
        readOnly
        ff="monospace"
        onFocus={(event) => event.currentTarget.select()}
        data-testid={testId}
        rightSection={
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('users.copied') : t('users.copy')}>
                <ActionIcon variant="subtle" onClick={copy} aria-label={t('users.copy')}>
                  {copied ? '✓' : '⧉'}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        }
      />
    </>
  );
}
