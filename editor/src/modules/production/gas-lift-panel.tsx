import { Group, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DailyReport } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber, toDisplay } from '../../units/units';
import { formatValue } from './quantities';

/**
 * The daily report's lift gas, apart from production: per well the lift gas
 * injected and the formation gas allocated with its GOR; for the site the
 * separator gas, the lift gas returned, the formation gas and the gas balance.
 */
export function GasLiftPanel({ report }: { report: DailyReport }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const { gasLift } = report;
  const gas = (value: number | null) => formatValue(value, 'Sm3', system, i18n.language);
  const gasUnit = displayUnitLabel('Sm3', system);
  // A ratio of two linear units: converted as gas per unit of oil, with no constant of its own.
  const gorUnit = `${gasUnit}/${displayUnitLabel('m3', system)}`;
  const gor = (value: number | null) => {
    if (value === null) return '—';
    const shown = toDisplay(value, 'Sm3', system).value / toDisplay(1, 'm3', system).value;
    return formatNumber(shown, system === 'metric' ? 0 : 3, i18n.language);
  };
  const codeOf = new Map(report.wells.map((well) => [well.wellId, well.code]));
  const { balance, totals } = gasLift;

  return (
    <Paper withBorder p="sm" data-testid="daily-report-gas-lift">
      <Title order={4} mb="xs">
        {t('production.report.gasLift.title')}
      </Title>
      {/* On a phone the table scrolls inside its card, never the page. */}
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing={4} data-testid="daily-report-gas-lift-wells">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('production.report.well')}</Table.Th>
              <Table.Th ta="right">{`${t('production.report.gasLift.liftGasInjected')} (${gasUnit})`}</Table.Th>
              <Table.Th ta="right">{`${t('production.report.gasLift.formationGas')} (${gasUnit})`}</Table.Th>
              <Table.Th ta="right">{`${t('production.report.gasLift.formationGor')} (${gorUnit})`}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {gasLift.wells.map((well) => (
              <Table.Tr key={well.wellId} data-testid={`daily-report-gas-lift-${codeOf.get(well.wellId) ?? well.wellId}`}>
                <Table.Td>{codeOf.get(well.wellId) ?? well.wellId}</Table.Td>
                <Table.Td ta="right">{gas(well.liftGasInjectedSm3)}</Table.Td>
                <Table.Td ta="right">{gas(well.formationGasAllocatedSm3)}</Table.Td>
                <Table.Td ta="right">{gor(well.formationGorSm3PerM3)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group gap="lg" mt="xs" data-testid="daily-report-gas-balance">
        <Text size="sm">{t('production.report.gasLift.separatorGas', { volume: gas(totals.separatorGasSm3), unit: gasUnit })}</Text>
        <Text size="sm">{t('production.report.gasLift.liftGasReturned', { volume: gas(totals.liftGasReturnedSm3), unit: gasUnit })}</Text>
        <Text size="sm">{t('production.report.gasLift.formationTotal', { volume: gas(totals.formationGasSm3), unit: gasUnit })}</Text>
        <Text size="sm">
          {t('production.report.gasLift.balance', {
            sales: gas(balance.salesSm3),
            fuel: gas(balance.fuelSm3),
            flare: gas(balance.flareSm3),
            vent: gas(balance.ventSm3),
            lift: gas(balance.liftRecycleSm3),
            unit: gasUnit,
          })}
        </Text>
        <Text size="sm" data-testid="daily-report-gas-difference">
          {t('production.report.gasLift.difference', { volume: gas(balance.differenceSm3), unit: gasUnit })}
        </Text>
      </Group>
    </Paper>
  );
}
