import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchMonthlyReport, monthlyReportPath, productionKeys } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel } from '../../units/units';
import { FilterBar, MonthInput, PickSiteFirst, SitePicker, useProductionParams } from './production-filters';
import { monthlyRow, type MonthlyRow } from './report-format';

function MonthlyTotals({ row }: { row: MonthlyRow }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid="monthly-report-totals">
      <Table.Th>{t('production.report.totals')}</Table.Th>
      <Table.Th ta="right">{row.oil}</Table.Th>
      <Table.Th ta="right">{row.gas}</Table.Th>
      <Table.Th ta="right">{row.water}</Table.Th>
      <Table.Th ta="right">{row.uptime}</Table.Th>
      <Table.Th ta="right">{row.days}</Table.Th>
    </Table.Tr>
  );
}

/** A site's month: allocated volumes per well from the latest run of each day. */
export function MonthlyReportPage() {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const { site, month, update } = useProductionParams();
  const report = useQuery({
    queryKey: productionKeys.monthly(site, month),
    queryFn: ({ signal }) => fetchMonthlyReport(site, month, signal),
    enabled: site !== '',
    placeholderData: keepPreviousData,
  });
  const format = { system, locale: i18n.language };
  const unit = (canonical: 'm3' | 'Sm3') => displayUnitLabel(canonical, system);

  return (
    <Stack data-testid="production-monthly-report">
      <Title order={2}>{t('production.report.monthlyTitle')}</Title>
      <Group justify="space-between" align="flex-end">
        <FilterBar>
          <SitePicker value={site} onChange={(value) => update('site', value)} />
          <MonthInput value={month} onChange={(value) => update('month', value)} />
        </FilterBar>
        {site !== '' && (
          <Group gap="xs">
            {(['csv', 'xlsx'] as const).map((fileType) => (
              <Button
                key={fileType}
                component="a"
                href={monthlyReportPath(site, month, fileType)}
                download
                variant="default"
                data-testid={`monthly-report-download-${fileType}`}
              >
                {t(`production.report.download.${fileType}`)}
              </Button>
            ))}
          </Group>
        )}
      </Group>
      {site === '' && <PickSiteFirst />}
      {report.isError && <ErrorMessage error={report.error} />}
      {report.data !== undefined && (
        <>
          <Text size="sm" c="dimmed" data-testid="monthly-report-runs">
            {t('production.report.runsUsed', { count: report.data.runs.length })}
          </Text>
          <Paper withBorder>
            <Table striped verticalSpacing={4} data-testid="monthly-report-wells">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('production.report.well')}</Table.Th>
                  <Table.Th ta="right">{`${t('production.fluids.oil')} (${unit('m3')})`}</Table.Th>
                  <Table.Th ta="right">{`${t('production.fluids.gas')} (${unit('Sm3')})`}</Table.Th>
                  <Table.Th ta="right">{`${t('production.fluids.water')} (${unit('m3')})`}</Table.Th>
                  <Table.Th ta="right">{t('production.report.uptime')}</Table.Th>
                  <Table.Th ta="right">{t('production.report.days')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.data.wells.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Text size="sm" c="dimmed" ta="center" py="md">
                        {t('production.report.noAllocation')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {report.data.wells.map((well) => {
                  const row = monthlyRow(well, format);
                  return (
                    <Table.Tr key={well.wellId} data-testid={`monthly-report-row-${well.code}`}>
                      <Table.Td>{well.code}</Table.Td>
                      <Table.Td ta="right">{row.oil}</Table.Td>
                      <Table.Td ta="right">{row.gas}</Table.Td>
                      <Table.Td ta="right">{row.water}</Table.Td>
                      <Table.Td ta="right">{row.uptime}</Table.Td>
                      <Table.Td ta="right">{row.days}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
              <Table.Tfoot>
                <MonthlyTotals row={monthlyRow(report.data.totals, format)} />
              </Table.Tfoot>
            </Table>
          </Paper>
        </>
      )}
    </Stack>
  );
}
