import { ActionIcon, Button, Group, ScrollArea, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UnitSystem } from '../../units/units';
import { parseStrappingPaste, type StrappingRow } from './asset-form';
import { unitLabel } from './asset-units';

interface StrappingTableEditorProps {
  rows: readonly StrappingRow[];
  /** With the edited cell's error key, or null when points came or went. */
  onChange: (rows: StrappingRow[], changedKey: string | null) => void;
  /** Translated errors by form key: `strapping`, `strapping.3.level`... */
  errors: Readonly<Record<string, string>>;
  system: UnitSystem;
}

/** A tank's level → volume points, typed or pasted, in the form's units. */
export function StrappingTableEditor({ rows, onChange, errors, system }: StrappingTableEditorProps) {
  const { t } = useTranslation();
  const [pasting, setPasting] = useState(false);
  const [pasted, setPasted] = useState('');
  const pastedRows = parseStrappingPaste(pasted);
  const setCell = (index: number, cell: keyof StrappingRow, value: string) =>
    onChange(
      rows.map((row, at) => (at === index ? { ...row, [cell]: value } : row)),
      `strapping.${index}.${cell}`,
    );

  return (
    <Stack gap="xs" data-testid="strapping-editor">
      <Text size="xs" c="dimmed">
        {t('assets.form.strappingHint')}
      </Text>
      {rows.length > 0 && (
        <ScrollArea.Autosize mah={320}>
          <Table verticalSpacing={2} withRowBorders={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>#</Table.Th>
                <Table.Th>{t('assets.form.levelIn', { unit: unitLabel('m', system) })}</Table.Th>
                <Table.Th>{t('assets.form.volumeIn', { unit: unitLabel('m3', system) })}</Table.Th>
                <Table.Th w={40} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row, index) => (
                // Rows have no identity but their place; removing one re-renders those below.
                <Table.Tr key={index} data-testid={`strapping-row-${index}`}>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {index + 1}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      inputMode="decimal"
                      aria-label={t('assets.form.levelIn', { unit: unitLabel('m', system) })}
                      value={row.level}
                      onChange={(event) => setCell(index, 'level', event.currentTarget.value)}
                      error={errors[`strapping.${index}.level`]}
                      data-testid={`strapping-level-${index}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      inputMode="decimal"
                      aria-label={t('assets.form.volumeIn', { unit: unitLabel('m3', system) })}
                      value={row.volume}
                      onChange={(event) => setCell(index, 'volume', event.currentTarget.value)}
                      error={errors[`strapping.${index}.volume`]}
                      data-testid={`strapping-volume-${index}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon
                      size="sm"
                      variant="subtle"
                      color="red"
                      onClick={() => onChange(rows.filter((_, at) => at !== index), null)}
                      aria-label={t('assets.form.removeRow')}
                    >
                      ✕
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      {errors.strapping !== undefined && (
        <Text size="xs" c="red" data-testid="strapping-error">
          {errors.strapping}
        </Text>
      )}
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          onClick={() => onChange([...rows, { level: '', volume: '' }], null)}
          data-testid="strapping-add"
        >
          {t('assets.form.addPoint')}
        </Button>
        <Button size="xs" variant="subtle" onClick={() => setPasting((open) => !open)} data-testid="strapping-paste">
          {t('assets.form.pastePoints')}
        </Button>
        {rows.length > 0 && (
          <Button size="xs" variant="subtle" color="red" onClick={() => onChange([], null)}>
            {t('assets.form.clearPoints')}
          </Button>
        )}
      </Group>
      {pasting && (
        <Stack gap={4}>
          <Textarea
            autosize
            minRows={4}
            maxRows={10}
            description={t('assets.form.pasteHint', { level: unitLabel('m', system), volume: unitLabel('m3', system) })}
            value={pasted}
            onChange={(event) => setPasted(event.currentTarget.value)}
            data-testid="strapping-paste-text"
          />
          <Group gap="xs">
            <Button
              size="xs"
              disabled={pastedRows.length === 0}
              onClick={() => {
                onChange(pastedRows, null);
                setPasted('');
                setPasting(false);
              }}
              data-testid="strapping-paste-apply"
            >
              {t('assets.form.pasteApply', { count: pastedRows.length })}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
