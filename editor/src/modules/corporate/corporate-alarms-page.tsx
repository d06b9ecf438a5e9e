import { Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { corporateKeys, fetchAlarmKpis, type AlarmActor } from '../../api/corporate';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { isDay } from './corporate-format';
import { AgeBadge } from './data-age';
import { useDayRange } from './month-range';

function ActorTable({ actors, testId }: { actors: AlarmActor[]; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder>
      <Table striped verticalSpacing={4} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('corporate.alarms.site')}</Table.Th>
            <Table.Th>{t('corporate.alarms.alarm')}</Table.Th>
            <Table.Th ta="right">{t('corporate.alarms.activations')}</Table.Th>
            <Table.Th ta="right">{t('corporate.alarms.percent')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {actors.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed">
                  {t('corporate.alarms.none')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {actors.map((actor) => (
            <Table.Tr key={`${actor.siteId}-${actor.alarmId}`}>
              <Table.Td>{actor.siteId}</Table.Td>
              <Table.Td>{actor.tagPath === null ? actor.message : `${actor.message} (${actor.tagPath})`}</Table.Td>
              <Table.Td ta="right">{formatNumber(actor.activations, 0, i18n.language)}</Table.Td>
              <Table.Td ta="right">{formatNumber(actor.percentOfTotal, 1, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** Alarm system performance across sites, from each site's daily summaries (ISA-18.2 rates per operator position). */
export function CorporateAlarmsPage() {
  const { t, i18n } = useTranslation();
  const { fromDay, toDay, set } = useDayRange();
  const kpis = useQuery({ queryKey: corporateKeys.alarms(fromDay, toDay), queryFn: ({ signal }) => fetchAlarmKpis(fromDay, toDay, signal), placeholderData: keepPreviousData });
  const number = (value: number, decimals: number) => formatNumber(value, decimals, i18n.language);
  return (
    <Stack data-testid="corporate-alarms">
      <Title order={2}>{t('corporate.alarms.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('corporate.alarms.intro')}
      </Text>
      <Group gap="md" align="flex-end">
        <TextInput type="date" label={t('corporate.filters.fromDay')} value={fromDay} w={170} data-testid="corporate-from-day" onChange={(event) => isDay(event.currentTarget.value) && set('fromDay', event.currentTarget.value)} />
        <TextInput type="date" label={t('corporate.filters.toDay')} value={toDay} w={170} data-testid="corporate-to-day" onChange={(event) => isDay(event.currentTarget.value) && set('toDay', event.currentTarget.value)} />
      </Group>
      {kpis.isError && <ErrorMessage error={kpis.error} />}
      {kpis.data !== undefined && (
        <>
          <Paper withBorder>
            <Table.ScrollContainer minWidth={760}>
              <Table striped verticalSpacing={4} data-testid="corporate-alarm-sites">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('corporate.alarms.site')}</Table.Th>
                    <Table.Th ta="right">{t('corporate.alarms.days')}</Table.Th>
                    <Table.Th ta="right">{t('corporate.alarms.activations')}</Table.Th>
                    <Table.Th ta="right">{t('corporate.alarms.perDay')}</Table.Th>
                    <Table.Th ta="right">{t('corporate.alarms.perOperatorHour')}</Table.Th>
                    <Table.Th ta="right">{t('corporate.alarms.floods')}</Table.Th>
                    <Table.Th ta="right">{t('corporate.alarms.standing')}</Table.Th>
                    <Table.Th ta="right">{t('corporate.alarms.chattering')}</Table.Th>
                    <Table.Th>{t('corporate.health.dataAge')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {kpis.data.sites.map((site) => (
                    <Table.Tr key={site.siteId} data-testid={`corporate-alarm-site-${site.siteId}`}>
                      <Table.Td>
                        {site.siteId} {site.siteName}
                      </Table.Td>
                      <Table.Td ta="right">{site.daysReported}</Table.Td>
                      <Table.Td ta="right">{number(site.activations, 0)}</Table.Td>
                      <Table.Td ta="right">{number(site.perDay, 1)}</Table.Td>
                      <Table.Td ta="right">{number(site.perOperatorHour, 2)}</Table.Td>
                      <Table.Td ta="right">{site.floods}</Table.Td>
                      <Table.Td ta="right">{site.standing.length}</Table.Td>
                      <Table.Td ta="right">{site.chattering.length}</Table.Td>
                      <Table.Td>
                        <AgeBadge freshness={site.freshness} testId={`corporate-alarm-age-${site.siteId}`} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Title order={3}>{t('corporate.alarms.badActors')}</Title>
          <ActorTable actors={kpis.data.badActors} testId="corporate-bad-actors" />
        </>
      )}
    </Stack>
  );
}
