import { Button, Group, SimpleGrid } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormFailure, type SaveFailure } from './entry-inputs';

interface EntryFormProps {
  /** Names the test ids: `${name}-form`, `${name}-submit` and `${name}-error`. */
  name: string;
  /** The state of `useEntryForm`. */
  entry: { submit: () => void; mutation: { isPending: boolean }; failure: SaveFailure | null };
  submitLabel: string;
  /** Grid columns of the inputs from the small breakpoint up. */
  columns: number;
  /** Runs on every submit, before the inputs are checked. */
  onSubmit?: () => void;
  /** Beside the submit button: what the last save recorded. */
  notice?: ReactNode;
  children: ReactNode;
}

/**
 * The form of one daily entry section. The browser's own required-field
 * bubbles are off: the translated messages show on the inputs.
 */
export function EntryForm({ name, entry, submitLabel, columns, onSubmit, notice, children }: EntryFormProps) {
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit?.();
        entry.submit();
      }}
      data-testid={`${name}-form`}
    >
      <SimpleGrid cols={{ base: 1, sm: columns }}>{children}</SimpleGrid>
      <Group justify={notice === undefined ? 'flex-end' : 'space-between'} mt="sm">
        {notice}
        <Button type="submit" loading={entry.mutation.isPending} data-testid={`${name}-submit`}>
          {submitLabel}
        </Button>
      </Group>
      <FormFailure failure={entry.failure} testId={`${name}-error`} />
    </form>
  );
}
