import { CloseButton, Code, Group, Paper, ScrollArea, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChangedNode, RewiredNode } from '../../api/flows';

interface PropertyDiffPanelProps {
  changed: ChangedNode | undefined;
  rewired: RewiredNode | undefined;
  onClose: () => void;
}

interface Row {
  key: string;
  label: string;
  from: unknown;
  to: unknown;
}

const WIRES_KEY = 'wires';

export function PropertyDiffPanel({ changed, rewired, onClose }: PropertyDiffPanelProps) {
  const { t } = useTranslation();
  const node = changed ?? rewired;
  if (!node) return null;

  const rows: Row[] = Object.entries(changed?.properties ?? {}).map(([key, change]) => ({
    key,
    label: key,
    from: change.from,
    to: change.to,
  }));
  // The server may already list `wires` as a changed property; show it once.
  if (rewired && !rows.some((row) => row.key === WIRES_KEY)) {
    rows.push({ key: WIRES_KEY, label: t('flows.diff.wiring'), from: rewired.from, to: rewired.to });
  }

  const pretty = (value: unknown) =>
    value === undefined ? t('flows.diff.absent') : JSON.stringify(value, null, 2);

  return (
    <Paper withBorder p="md" data-testid="property-diff-panel">
      <Group justify="space-between" wrap="nowrap" mb="sm">
        <Title order={4} style={{ overflowWrap: 'anywhere' }}>
          {t('flows.diff.panelTitle', { name: node.name || node.id, type: node.type })}
        </Title>
        <CloseButton aria-label={t('flows.diff.closePanel')} onClick={onClose} />
      </Group>
      <ScrollArea.Autosize mah={480}>
        <Table layout="fixed" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="25%">{t('flows.diff.property')}</Table.Th>
              <Table.Th>{t('flows.diff.before')}</Table.Th>
              <Table.Th>{t('flows.diff.after')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.key} data-testid={`property-diff-row-${row.key}`}>
                <Table.Td style={{ verticalAlign: 'top', overflowWrap: 'anywhere' }}>
                  <Text size="sm" fw={600}>
                    {row.label}
                  </Text>
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Code block color="red.0" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {pretty(row.from)}
                  </Code>
                </Table.Td>
                <Table.Td style={{ verticalAlign: 'top' }}>
                  <Code block color="green.0" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                    {pretty(row.to)}
                  </Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>
    </Paper>
  );
}
