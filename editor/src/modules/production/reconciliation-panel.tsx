import { Paper, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DailyReport } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatQuantity } from '../../units/units';
import { fluidVolumeUnit } from './quantities';

type Reconciliation = NonNullable<DailyReport['reconciliation']['oil']>;

const LINES: readonly (keyof Reconciliation)[] = ['meterM3', 'stockChangeM3', 'shippedM3', 'measuredM3', 'tankBalanceM3', 'differenceM3'];

/**
 * Where a sales meter and tanks of a fluid both measured the day: meter + stock change (the production
 * allocated) against the tank balance (stock change + shipped), and their difference.
 */
export function ReconciliationPanel({ reconciliation }: { reconciliation: DailyReport['reconciliation'] }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const fluids = (['oil', 'water'] as const).filter((fluid) => reconciliation[fluid] !== null);
  if (fluids.length === 0) return null;
  return (
    <Paper withBorder p="sm">
      <Title order={4} mb="xs">
        {t('production.report.reconciliation.title')}
      </Title>
      {/* On a phone the table scrolls inside its card, never the page. */}
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing={4} data-testid="daily-report-reconciliation">
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              {fluids.map((fluid) => (
                <Table.Th key={fluid} ta="right">
                  {t(`production.fluids.${fluid}`)} ({displayUnitLabel(fluidVolumeUnit(fluid), system)})
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {LINES.map((line) => (
              <Table.Tr key={line}>
                <Table.Td fw={line === 'differenceM3' ? 600 : undefined}>{t(`production.report.reconciliation.${line}`)}</Table.Td>
                {fluids.map((fluid) => (
                  <Table.Td key={fluid} ta="right" data-testid={`daily-report-reconciliation-${fluid}-${line}`}>
                    {formatQuantity(reconciliation[fluid]?.[line] ?? 0, fluidVolumeUnit(fluid), system, i18n.language)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
