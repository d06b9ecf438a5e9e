import { Alert, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel } from '../../units/units';
import type { ProductionUnit } from './quantities';

interface QuantityInputProps {
  label: string;
  /** The canonical unit; the input takes the unit system's display unit and says which. */
  unit: ProductionUnit | 'h' | '%';
  value: string;
  onChange: (text: string) => void;
  error?: string;
  required?: boolean;
  testId: string;
}

export function QuantityInput({ label, unit, value, onChange, error, required, testId }: QuantityInputProps) {
  const { system } = useUnitSystem();
  const shown = unit === 'h' || unit === '%' ? unit : displayUnitLabel(unit, system);
  return (
    <TextInput
      label={`${label} (${shown})`}
      inputMode="decimal"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      required={required}
      data-testid={testId}
    />
  );
}

export function TimeInput({
  label,
  value,
  onChange,
  error,
  required,
  testId,
}: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  error?: string;
  required?: boolean;
  testId: string;
}) {
  return (
    <TextInput
      type="datetime-local"
      label={label}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      required={required}
      data-testid={testId}
    />
  );
}

/** A request that failed for a reason no input explains. */
export function FormFailure({ failure, testId }: { failure: { error: unknown; lines: string[] } | null; testId: string }) {
  const { t } = useTranslation();
  if (failure === null) return null;
  return (
    <Alert color="red" title={t('production.saveFailed')} data-testid={testId}>
      {failure.lines.length > 0 ? (
        failure.lines.map((line) => (
          <Text key={line} size="sm">
            {line}
          </Text>
        ))
      ) : (
        <ErrorMessage error={failure.error} />
      )}
    </Alert>
  );
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Stack gap="sm">
        <Title order={4}>{title}</Title>
        {children}
      </Stack>
    </Paper>
  );
}
