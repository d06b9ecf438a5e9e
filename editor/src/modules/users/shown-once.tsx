import { ActionIcon, Alert, Button, CopyButton, Group, TextInput, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';

interface ShownOnceProps {
  label: string;
  value: string;
  warning: string;
  testId: string;
  /** The user has it: the dialog closes, and the secret is not shown again. */
  onDone: () => void;
  doneTestId: string;
}

/** A secret the server returns once (a generated password, an API token): shown to copy, with a warning, until the user is done. */
export function ShownOnce({ label, value, warning, testId, onDone, doneTestId }: ShownOnceProps) {
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
      <Group justify="flex-end">
        <Button onClick={onDone} data-testid={doneTestId}>
          {t('users.done')}
        </Button>
      </Group>
    </>
  );
}
