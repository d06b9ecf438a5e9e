import { Alert, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  dailyReportPath,
  fetchAllocationRuns,
  fetchDailyReport,
  FLUIDS,
  productionKeys,
  type DailyReport,
  type DailyReportQuery,
} from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatQuantity } from '../../units/units';
import { newestFirst } from './allocation-form';
import { formatDateTime, formatDay, formatTime } from './dates';
import { EmptyRow } from './empty-row';
import { GasLiftPanel } from './gas-lift-panel';
import { ReconciliationPanel } from './reconciliation-panel';
import { DateInput, useProductionParams } from './production-filters';
import { ProductionPage } from './production-page';
import { fluidVolumeUnit, formatValue } from './quantities';
import { FlagList, MonthCloseBar, PriorPeriodBadge, RatiosTable } from './report-accounting';
import { ReportDownloads } from './report-downloads';
import { dailyRow, type DailyRow, type ReportFormat } from './report-format';
import { ReportConditionsNote } from './report-conditions';

function FluidHeader() {
  const { t } = useTranslation();
  const { system } = useUnitSystem();
  return (
    <>
      <Table.Tr>
        <Table.Th rowSpan={2}>{t('production.report.well')}</Table.Th>
        <Table.Th rowSpan={2} ta="right">
          {t('production.report.uptime')}
        </Table.Th>
        {FLUIDS.map((fluid) => (
          <Table.Th key={fluid} colSpan={3} ta="center">
            {t(`production.fluids.${fluid}`)} ({displayUnitLabel(fluidVolumeUnit(fluid), system)})
          </Table.Th>
        ))}
        <Table.Th rowSpan={2}>{t('production.report.downtime')}</Table.Th>
      </Table.Tr>
      <Table.Tr>
        {FLUIDS.map((fluid) => (
          <FluidSubHeaders key={fluid} />
        ))}
      </Table.Tr>
    </>
  );
}

function FluidSubHeaders() {
  const { t } = useTranslation();
  return (
    <>
      <Table.Th ta="right">{t('production.report.theoretical')}</Table.Th>
      <Table.Th ta="right">{t('production.report.allocated')}</Table.Th>
      <Table.Th ta="right">{t('production.report.deferred')}</Table.Th>
    </>
  );
}

function RowCells({ row, testId }: { row: DailyRow; testId: string }) {
  return (
    <>
      <Table.Td ta="right">{row.uptime}</Table.Td>
      {FLUIDS.map((fluid) => (
        <FluidCells key={fluid} row={row} fluid={fluid} testId={testId} />
      ))}
      <Table.Td>
        <Text size="xs">{row.downtime}</Text>
      </Table.Td>
    </>
  );
}

function FluidCells({ row, fluid, testId }: { row: DailyRow; fluid: (typeof FLUIDS)[number]; testId: string }) {
  const cells = row.fluids[fluid];
  return (
    <>
      <Table.Td ta="right" data-testid={`${testId}-${fluid}-theoretical`}>
        {cells.theoretical}
      </Table.Td>
      <Table.Td ta="right" fw={600} data-testid={`${testId}-${fluid}-allocated`}>
        {cells.allocated}
      </Table.Td>
      <Table.Td ta="right" c="dimmed" data-testid={`${testId}-${fluid}-deferred`}>
        {cells.deferred}
      </Table.Td>
    </>
  );
}

function ReportPanel({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Title order={4} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function ReportBody({ report, format }: { report: DailyReport; format: ReportFormat }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const totals = dailyRow(report.totals, format);
  return (
    <Stack gap="md">
      <Paper withBorder>
        <Table.ScrollContainer minWidth={1100}>
          <Table striped verticalSpacing={4} withColumnBorders data-testid="daily-report-wells">
            <Table.Thead>
              <FluidHeader />
            </Table.Thead>
            <Table.Tbody>
              {report.wells.length === 0 && <EmptyRow colSpan={12} text={t('production.report.noWells')} />}
              {report.wells.map((well) => (
                <Table.Tr key={well.wellId} data-testid={`daily-report-row-${well.code}`}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {well.code}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {well.name}
                    </Text>
                  </Table.Td>
                  <RowCells row={dailyRow(well, format)} testId={`daily-report-${well.code}`} />
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr data-testid="daily-report-totals">
                <Table.Th>{t('production.report.totals')}</Table.Th>
                <RowCells row={totals} testId="daily-report-total" />
              </Table.Tr>
              <Table.Tr data-testid="daily-report-measured">
                <Table.Th>{t('production.report.measured')}</Table.Th>
                <Table.Td />
                {FLUIDS.map((fluid) => (
                  <Table.Td key={fluid} colSpan={3} ta="center" data-testid={`daily-report-measured-${fluid}`}>
                    {formatValue(report.measured[fluid], fluidVolumeUnit(fluid), system, i18n.language)}
                  </Table.Td>
                ))}
                <Table.Td />
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ReportPanel title={t('production.report.tanks')}>
          {/* On a phone the table scrolls inside its card, never the page. */}
          <Table.ScrollContainer minWidth={420}>
            <Table verticalSpacing={4} data-testid="daily-report-tanks">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('production.gauges.tank')}</Table.Th>
                  <Table.Th>{t('production.columns.time')}</Table.Th>
                  <Table.Th ta="right">{t('production.gauges.level')}</Table.Th>
                  <Table.Th ta="right">{t('production.gauges.volume')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.tanks.length === 0 && <EmptyRow colSpan={4} text={t('production.report.noTanks')} />}
                {report.tanks.map((tank) => (
                  <Table.Tr key={tank.tankId} data-testid={`daily-report-tank-${tank.code}`}>
                    <Table.Td>{tank.code}</Table.Td>
                    <Table.Td>{formatTime(tank.gaugedAt, i18n.language)}</Table.Td>
                    <Table.Td ta="right">{formatQuantity(tank.levelM, 'm', system, i18n.language)}</Table.Td>
                    <Table.Td ta="right">{formatQuantity(tank.volumeM3, 'm3', system, i18n.language)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </ReportPanel>
        <ReportPanel title={t('production.report.shipments')}>
          {/* On a phone the table scrolls inside its card, never the page. */}
          <Table.ScrollContainer minWidth={420}>
            <Table verticalSpacing={4} data-testid="daily-report-shipments">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('production.tickets.number')}</Table.Th>
                  <Table.Th>{t('production.columns.time')}</Table.Th>
                  <Table.Th>{t('production.fluid')}</Table.Th>
                  <Table.Th ta="right">{t('production.tickets.volume')}</Table.Th>
                  <Table.Th>{t('production.tickets.destination')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.shipments.length === 0 && <EmptyRow colSpan={5} text={t('production.report.noShipments')} />}
                {report.shipments.map((shipment) => (
                  <Table.Tr key={shipment.ticketNumber}>
                    <Table.Td>{shipment.ticketNumber}</Table.Td>
                    <Table.Td>{formatTime(shipment.shippedAt, i18n.language)}</Table.Td>
                    <Table.Td>{t(`production.fluids.${shipment.fluid}`)}</Table.Td>
                    <Table.Td ta="right">{formatQuantity(shipment.volumeM3, fluidVolumeUnit(shipment.fluid), system, i18n.language)}</Table.Td>
                    <Table.Td>
                      {t(`production.tickets.destinations.${shipment.destination}`)}
                      {shipment.carrier === '' ? '' : ` · ${shipment.carrier}`}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </ReportPanel>
      </SimpleGrid>
      <ReconciliationPanel reconciliation={report.reconciliation} />
      <GasLiftPanel report={report} />
    </Stack>
  );
}

/** The daily production report of a site: per-well allocated volumes of one allocation run, tanks and shipments. */
export function DailyReportPage() {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const { site, date, runId, update } = useProductionParams('closedDay');
  const runs = useQuery({
    queryKey: productionKeys.runs(site, date),
    queryFn: ({ signal }) => fetchAllocationRuns(site, date, signal),
    enabled: site !== '',
  });
  const query: DailyReportQuery = { siteAssetId: site, date, runId };
  const report = useQuery({
    queryKey: productionKeys.daily(site, date, runId),
    queryFn: ({ signal }) => fetchDailyReport(query, signal),
    enabled: site !== '',
    placeholderData: keepPreviousData,
  });
  const format: ReportFormat = {
    system,
    locale: i18n.language,
    reasonLabel: (code) => t(`production.downtimeReasons.${code}`),
  };
  const shown = report.data;

  return (
    <ProductionPage
      testId="production-daily-report"
      title={t('production.report.dailyTitle')}
      site={site}
      onSiteChange={(value) => update('site', value)}
      filters={
        <>
          <DateInput value={date} onChange={(value) => update('date', value)} />
          <NativeSelect
            label={t('production.report.run')}
            data={[
              { value: '', label: t('production.report.latestRun') },
              ...newestFirst(runs.data?.items ?? []).map((run) => ({
                value: run.id,
                label: t('production.report.runOption', { version: run.version, at: formatDateTime(run.createdAt, i18n.language) }),
              })),
            ]}
            value={runId ?? ''}
            onChange={(event) => update('run', event.currentTarget.value)}
            w={260}
            data-testid="daily-report-run"
          />
        </>
      }
      actions={
        site !== '' && (
          <ReportDownloads fileTypes={['pdf', 'csv', 'xlsx']} href={(fileType) => dailyReportPath(query, fileType)} testId="daily-report-download" />
        )
      }
    >
      {report.isError && <ErrorMessage error={report.error} />}
      {shown !== undefined && (
        <>
          <Paper withBorder p="sm" data-testid="daily-report-header">
            <Group justify="space-between">
              <Text fw={600}>
                {shown.site.code} — {shown.site.name} · {formatDay(shown.date, i18n.language)}
              </Text>
              {shown.run === null ? (
                <Text size="sm" c="orange" data-testid="daily-report-run-name">
                  {t('production.report.noRun')}
                </Text>
              ) : (
                <Group gap="xs">
                  <Text size="sm" data-testid="daily-report-run-name">
                    {t('production.report.runName', { version: shown.run.version, at: formatDateTime(shown.run.createdAt, i18n.language) })}
                  </Text>
                  {shown.run.priorPeriodAdjustment && <PriorPeriodBadge />}
                </Group>
              )}
            </Group>
            <ReportConditionsNote conditions={shown.conditions} testId="daily-report-conditions" />
          </Paper>
          {shown.run === null && <Alert color="orange">{t('production.report.noRunHint')}</Alert>}
          <MonthCloseBar site={site} month={shown.date.slice(0, 7)} />
          <FlagList flags={shown.flags} testId="daily-report-flags" />
          <ReportBody report={shown} format={format} />
          <RatiosTable wells={shown.wells} testId="daily-report-ratios" />
        </>
      )}
    </ProductionPage>
  );
}
