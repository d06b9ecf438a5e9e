import { Table, Text, type MantineSpacing } from '@mantine/core';

/** The one row of a table with nothing to list, across all its columns. */
export function EmptyRow({ colSpan, text, py }: { colSpan: number; text: string; py?: MantineSpacing }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={colSpan}>
        <Text size="sm" c="dimmed" ta="center" py={py}>
          {text}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
