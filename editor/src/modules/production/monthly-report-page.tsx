import { Paper, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchMonthlyReport, monthlyReportPath, productionKeys } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel } from '../../units/units';
import { EmptyRow } from './empty-row';
import { MonthInput, useProductionParams } from './production-filters';
import { ProductionPage } from './production-page';
import { ReportDownloads } from './report-downloads';
import { monthlyRow, type MonthlyRow } from './report-format';
import { ReportConditionsNote } from './report-conditions';

/** The figures of a row after the well's code, in column order. */
const FIGURES = ['oil', 'gas', 'water', 'uptime', 'days'] as const satisfies readonly (keyof MonthlyRow)[];

function MonthlyTotals({ row }: { row: MonthlyRow }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid="monthly-report-totals">
      <Table.Th>{t('production.report.totals')}</Table.Th>
      {FIGURES.map((figure) => (
        <Table.Th key={figure} ta="right">
          {row[figure]}
        </Table.Th>
      ))}
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
    <ProductionPage
      testId="production-monthly-report"
      title={t('production.report.monthlyTitle')}
      site={site}
      onSiteChange={(value) => update('site', value)}
      filters={<MonthInput value={month} onChange={(value) => update('month', value)} />}
      actions={
        site !== '' && (
          <ReportDownloads fileTypes={['csv', 'xlsx']} href={(fileType) => monthlyReportPath(site, month, fileType)} testId="monthly-report-download" />
        )
      }
    >
      {report.isError && <ErrorMessage error={report.error} />}
      {report.data !== undefined && (
        <>
          <Text size="sm" c="dimmed" data-testid="monthly-report-runs">
            {t('production.report.runsUsed', { count: report.data.runs.length })}
          </Text>
          <ReportConditionsNote conditions={report.data.conditions} testId="monthly-report-conditions" />
          <Paper withBorder>
            <Table.ScrollContainer minWidth={640}>
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
                  {report.data.wells.length === 0 && <EmptyRow colSpan={6} text={t('production.report.noAllocation')} py="md" />}
                  {report.data.wells.map((well) => {
                    const row = monthlyRow(well, format);
                    return (
                      <Table.Tr key={well.wellId} data-testid={`monthly-report-row-${well.code}`}>
                        <Table.Td>{well.code}</Table.Td>
                        {FIGURES.map((figure) => (
                          <Table.Td key={figure} ta="right">
                            {row[figure]}
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
                <Table.Tfoot>
                  <MonthlyTotals row={monthlyRow(report.data.totals, format)} />
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        </>
      )}
    </ProductionPage>
  );
}
