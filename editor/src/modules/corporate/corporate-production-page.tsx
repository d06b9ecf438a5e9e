import { Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { corporateKeys, exportPath, fetchProduction, fetchSyncHealth, productionPath, type SiteSyncHealth } from '../../api/corporate';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber } from '../../units/units';
import { formatValue } from '../production/quantities';
import { ReportDownloads } from '../production/report-downloads';
import { AgeBadge, useAgeText } from './data-age';
import { MonthRangeInputs, useMonthRange } from './month-range';

function SyncHealthTable({ sites }: { sites: SiteSyncHealth[] }) {
  const { t, i18n } = useTranslation();
  const ago = useAgeText();
  const kib = (bytes: number | null) => (bytes === null ? '—' : `${formatNumber(bytes / 1024, 0, i18n.language)} KiB`);
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={760}>
        <Table striped verticalSpacing={4} data-testid="corporate-sync-health">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('corporate.health.site')}</Table.Th>
              <Table.Th>{t('corporate.health.dataAge')}</Table.Th>
              <Table.Th>{t('corporate.health.lastContact')}</Table.Th>
              <Table.Th ta="right">{t('corporate.health.pending')}</Table.Th>
              <Table.Th>{t('corporate.health.lag')}</Table.Th>
              <Table.Th ta="right">{t('corporate.health.spool')}</Table.Th>
              <Table.Th>{t('corporate.health.version')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sites.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text size="sm" c="dimmed">
                    {t('corporate.health.none')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {sites.map((site) => (
              <Table.Tr key={site.siteId} data-testid={`corporate-health-${site.siteId}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/corporate/sites/${encodeURIComponent(site.siteId)}`} data-testid={`corporate-open-${site.siteId}`}>
                    {site.siteId} {site.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <AgeBadge freshness={site.freshness} testId={`corporate-age-${site.siteId}`} />
                </Table.Td>
                <Table.Td>{site.lastContactAt === null ? '—' : `${site.lastContactAt.slice(0, 16).replace('T', ' ')} UTC`}</Table.Td>
                <Table.Td ta="right">{site.outboxPending === null ? '—' : formatNumber(site.outboxPending, 0, i18n.language)}</Table.Td>
                <Table.Td>{site.outboxLagSeconds === null ? '—' : ago({ asOf: site.oldestPendingAt, ageSeconds: site.outboxLagSeconds })}</Table.Td>
                <Table.Td ta="right">{kib(site.spoolBytes)}</Table.Td>
                <Table.Td>{site.appVersion ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** The cloud's first screen: every site's sync health and production by site, field and month. */
export function CorporateProductionPage() {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const { fromMonth, toMonth, set } = useMonthRange();
  const health = useQuery({ queryKey: corporateKeys.sites, queryFn: ({ signal }) => fetchSyncHealth(signal), refetchInterval: 60_000 });
  const production = useQuery({
    queryKey: corporateKeys.production(fromMonth, toMonth),
    queryFn: ({ signal }) => fetchProduction(fromMonth, toMonth, signal),
    placeholderData: keepPreviousData,
  });
  const volume = (value: number, unit: 'm3' | 'Sm3') => formatValue(value, unit, system, i18n.language);
  const unit = (canonical: 'm3' | 'Sm3') => displayUnitLabel(canonical, system);

  return (
    <Stack data-testid="corporate-production">
      <Title order={2}>{t('corporate.production.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('corporate.production.intro')}
      </Text>
      <Title order={3}>{t('corporate.health.title')}</Title>
      {health.isError && <ErrorMessage error={health.error} />}
      {health.data !== undefined && <SyncHealthTable sites={health.data} />}
      <Title order={3}>{t('corporate.production.byMonth')}</Title>
      <Group justify="space-between" align="flex-end">
        <MonthRangeInputs fromMonth={fromMonth} toMonth={toMonth} onChange={set} />
        <Group align="flex-end" gap="xs">
          <ReportDownloads fileTypes={['pdf', 'xlsx']} href={(fileType) => productionPath(fromMonth, toMonth, fileType)} testId="corporate-download" />
          <Button component="a" href={exportPath(fromMonth, toMonth)} download variant="default" data-testid="corporate-export">
            {t('corporate.production.export')}
          </Button>
        </Group>
      </Group>
      {production.isError && <ErrorMessage error={production.error} />}
      {production.data !== undefined && (
        <>
          {production.data.runsWithoutVolumes > 0 && (
            <Text size="sm" c="orange" data-testid="corporate-runs-left-out">
              {t('corporate.production.runsLeftOut', { count: production.data.runsWithoutVolumes })}
            </Text>
          )}
          <Paper withBorder>
            <Table.ScrollContainer minWidth={760}>
              <Table striped verticalSpacing={4} data-testid="corporate-production-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('corporate.production.site')}</Table.Th>
                    <Table.Th>{t('corporate.production.field')}</Table.Th>
                    <Table.Th>{t('corporate.production.month')}</Table.Th>
                    <Table.Th ta="right">{`${t('production.fluids.oil')} (${unit('m3')})`}</Table.Th>
                    <Table.Th ta="right">{`${t('production.fluids.gas')} (${unit('Sm3')})`}</Table.Th>
                    <Table.Th ta="right">{`${t('production.fluids.water')} (${unit('m3')})`}</Table.Th>
                    <Table.Th ta="right">{t('corporate.production.wells')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {production.data.rows.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={7}>
                        <Text size="sm" c="dimmed">
                          {t('corporate.production.none')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )}
                  {production.data.rows.map((row) => (
                    <Table.Tr key={`${row.siteId}-${row.fieldCode ?? ''}-${row.month}`} data-testid={`corporate-row-${row.siteId}-${row.month}`}>
                      <Table.Td>
                        {row.siteId} {row.siteName}
                      </Table.Td>
                      <Table.Td>{row.fieldCode === null ? t('corporate.production.noField') : `${row.fieldCode} ${row.fieldName ?? ''}`}</Table.Td>
                      <Table.Td>{row.month}</Table.Td>
                      <Table.Td ta="right">{volume(row.oilM3, 'm3')}</Table.Td>
                      <Table.Td ta="right">{volume(row.gasSm3, 'Sm3')}</Table.Td>
                      <Table.Td ta="right">{volume(row.waterM3, 'm3')}</Table.Td>
                      <Table.Td ta="right">{row.wells}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  {production.data.siteTotals.map((site) => (
                    <Table.Tr key={site.siteId} data-testid={`corporate-total-${site.siteId}`}>
                      <Table.Th colSpan={3}>{t('corporate.production.siteTotal', { site: `${site.siteId} ${site.siteName}` })}</Table.Th>
                      <Table.Th ta="right">{volume(site.oilM3, 'm3')}</Table.Th>
                      <Table.Th ta="right">{volume(site.gasSm3, 'Sm3')}</Table.Th>
                      <Table.Th ta="right">{volume(site.waterM3, 'm3')}</Table.Th>
                      <Table.Th ta="right">
                        <AgeBadge freshness={site.freshness} testId={`corporate-total-age-${site.siteId}`} />
                      </Table.Th>
                    </Table.Tr>
                  ))}
                </Table.Tfoot>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        </>
      )}
    </Stack>
  );
}
