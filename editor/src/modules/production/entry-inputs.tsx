import { Alert, NativeSelect, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FLUIDS, type Asset, type Fluid } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, type UnitSystem } from '../../units/units';
import { gravityUnitLabel } from './entry-forms';
import { assetOptions } from './production-filters';
import type { ProductionUnit } from './quantities';
import type { VoidTarget } from './void-entry-modal';

/** What every entry input takes; `useEntryForm().field(name)` supplies value, onChange and error. */
interface EntryInputProps {
  label: string;
  value: string;
  onChange: (text: string) => void;
  error?: string;
  required?: boolean;
  testId?: string;
}

/** A text input that hands back its text rather than the change event. */
export function TextEntry({
  testId,
  onChange,
  ...props
}: EntryInputProps & { type?: 'datetime-local'; inputMode?: 'decimal'; step?: number }) {
  return <TextInput {...props} onChange={(event) => onChange(event.currentTarget.value)} data-testid={testId} />;
}

interface QuantityInputProps extends EntryInputProps {
  /** The canonical unit; the input takes the unit system's display unit and says which. */
  unit: ProductionUnit | 'h' | '%' | 'gravity';
  testId: string;
}

function shownUnit(unit: QuantityInputProps['unit'], system: UnitSystem): string {
  if (unit === 'h' || unit === '%') return unit;
  return unit === 'gravity' ? gravityUnitLabel(system) : displayUnitLabel(unit, system);
}

export function QuantityInput({ label, unit, ...input }: QuantityInputProps) {
  const { system } = useUnitSystem();
  const shown = shownUnit(unit, system);
  return <TextEntry {...input} label={`${label} (${shown})`} inputMode="decimal" />;
}

/** `step={1}` shows and takes seconds; without it the input works to the minute. */
export function TimeInput(props: EntryInputProps & { testId: string; step?: number }) {
  return <TextEntry {...props} type="datetime-local" />;
}

/**
 * One of the site's assets. Without `none` the empty choice only asks to pick
 * one and cannot be picked back; with it, "no asset" is a valid answer.
 */
export function AssetSelect({ assets, none, testId, onChange, ...props }: EntryInputProps & { assets: readonly Asset[]; none?: string }) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      {...props}
      data={[{ value: '', label: none ?? t('production.pick'), disabled: none === undefined }, ...assetOptions(assets)]}
      onChange={(event) => onChange(event.currentTarget.value)}
      data-testid={testId}
    />
  );
}

interface CodeSelectProps<C extends string> {
  label: string;
  codes: readonly C[];
  codeLabel: (code: C) => string;
  value: C | '';
  onChange: (code: C) => void;
  /** Starts on an empty "pick one" choice that cannot be picked back. */
  pick?: boolean;
  error?: string;
  required?: boolean;
  disabled?: boolean;
  testId?: string;
}

/** One of a fixed list of codes, each shown by its translation. */
export function CodeSelect<C extends string>({ codes, codeLabel, pick = false, onChange, testId, ...props }: CodeSelectProps<C>) {
  const { t } = useTranslation();
  const options = codes.map((code) => ({ value: code, label: codeLabel(code) }));
  return (
    <NativeSelect
      {...props}
      data={pick ? [{ value: '', label: t('production.pick'), disabled: true }, ...options] : options}
      onChange={(event) => {
        const picked = codes.find((code) => code === event.currentTarget.value);
        if (picked !== undefined) onChange(picked);
      }}
      data-testid={testId}
    />
  );
}

export function FluidSelect(props: Pick<CodeSelectProps<Fluid>, 'value' | 'onChange' | 'disabled' | 'testId'>) {
  const { t } = useTranslation();
  return <CodeSelect {...props} label={t('production.fluid')} codes={FLUIDS} codeLabel={(fluid) => t(`production.fluids.${fluid}`)} />;
}

/** A request that failed for a reason no input explains; `lines` are the server's complaints, if it listed any. */
export interface SaveFailure {
  error: unknown;
  lines: string[];
}

export function FormFailure({ failure, testId }: { failure: SaveFailure | null; testId: string }) {
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

/** What the daily entry page hands each of its sections. */
export interface EntrySectionProps {
  siteId: string;
  /** The production day. */
  date: string;
  codeOf: (id: string | null) => string;
  onVoid: (target: VoidTarget) => void;
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
