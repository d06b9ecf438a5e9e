import { Alert, Badge, Card, Group, Loader, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ALARM_PRIORITIES, alarmKeys, fetchKpis } from '../../api/alarms';
import { ErrorMessage } from '../../shell/error-message';
import { formatTimestamp } from '../../units/format-time';
import { formatNumber } from '../../units/units';
import { PRIORITY_COLOR } from './alarm-list';

const RANGES = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
type Range = keyof typeof RANGES;

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="sm">
      <Title order={5} mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** EEMUA 191 / ISA-18.2 performance: rates per area, floods, chattering, standing alarms, bad actors and the priority split. */
export function KpiPanel() {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<Range>('24h');
  const kpis = useQuery({
    queryKey: alarmKeys.kpis(range),
    // The window ends now, when the query runs (on open, on a range change and every minute).
    queryFn: ({ signal }) => {
      const to = Date.now();
      return fetchKpis({ from: new Date(to - RANGES[range]).toISOString(), to: new Date(to).toISOString() }, signal);
    },
    refetchInterval: 60_000,
  });
  const n = (value: number, decimals = 0) => formatNumber(value, decimals, i18n.language);
  const none = (
    <Text size="sm" c="dimmed">
      {t('alarms.kpis.none')}
    </Text>
  );

  return (
    <Stack data-testid="alarm-kpis">
      <SegmentedControl
        value={range}
        onChange={(value) => setRange(value)}
        data={(Object.keys(RANGES) as Range[]).map((value) => ({ value, label: t(`alarms.kpis.range.${value}`) }))}
        w="fit-content"
      />
      {kpis.isError && (
        <Alert color="red" title={t('alarms.kpis.failed')}>
          <ErrorMessage error={kpis.error} />
        </Alert>
      )}
      {kpis.isPending && <Loader size="sm" />}
      {kpis.isSuccess && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Figure label={t('alarms.kpis.total')} value={n(kpis.data.total)} testId="kpi-total" />
            <Figure label={t('alarms.kpis.floods')} value={n(kpis.data.floods.count)} testId="kpi-floods" />
            <Figure label={t('alarms.kpis.timeInFlood')} value={`${n(kpis.data.floods.percentOfTimeInFlood, 1)} %`} testId="kpi-flood-time" />
            <Figure label={t('alarms.kpis.peak')} value={n(kpis.data.floods.peakPer10Min)} testId="kpi-peak" />
          </SimpleGrid>
          <Section title={t('alarms.kpis.prioritySplit')}>
            <Group>
              {ALARM_PRIORITIES.map((priority) => (
                <Badge key={priority} color={PRIORITY_COLOR[priority]} variant="light" size="lg">
                  {t(`alarms.priority.${priority}`)}: {n(kpis.data.prioritySplit[priority])}
                </Badge>
              ))}
            </Group>
          </Section>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Section title={t('alarms.kpis.perArea')}>
              {kpis.data.perArea.length === 0 ? (
                none
              ) : (
                <Table data-testid="kpi-per-area">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('alarms.columns.area')}</Table.Th>
                      <Table.Th ta="right">{t('alarms.kpis.activations')}</Table.Th>
                      <Table.Th ta="right">{t('alarms.kpis.averagePer10Min')}</Table.Th>
                      <Table.Th ta="right">{t('alarms.kpis.peakPer10Min')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {kpis.data.perArea.map((row) => (
                      <Table.Tr key={row.area}>
                        <Table.Td>{row.area}</Table.Td>
                        <Table.Td ta="right">{n(row.activations)}</Table.Td>
                        <Table.Td ta="right">{n(row.averagePer10Min, 2)}</Table.Td>
                        <Table.Td ta="right">{n(row.peakPer10Min)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
            <Section title={t('alarms.kpis.badActors')}>
              {kpis.data.badActors.length === 0 ? (
                none
              ) : (
                <Table data-testid="kpi-bad-actors">
                  <Table.Tbody>
                    {kpis.data.badActors.map((row) => (
                      <Table.Tr key={row.alarmId}>
                        <Table.Td ff="monospace" fz="sm">
                          {row.tagPath ?? t('alarms.system')}
                        </Table.Td>
                        <Table.Td>{row.message}</Table.Td>
                        <Table.Td ta="right">{n(row.activations)}</Table.Td>
                        <Table.Td ta="right">{n(row.percentOfTotal, 1)} %</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
            <Section title={t('alarms.kpis.chattering')}>
              {kpis.data.chattering.length === 0 ? (
                none
              ) : (
                <Table>
                  <Table.Tbody>
                    {kpis.data.chattering.map((row) => (
                      <Table.Tr key={row.alarmId}>
                        <Table.Td ff="monospace" fz="sm">
                          {row.tagPath ?? t('alarms.system')}
                        </Table.Td>
                        <Table.Td>{row.message}</Table.Td>
                        <Table.Td ta="right">{t('alarms.kpis.perMinute', { count: row.activationsInOneMinute })}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
            <Section title={t('alarms.kpis.standing')}>
              {kpis.data.standing.length === 0 ? (
                none
              ) : (
                <Table>
                  <Table.Tbody>
                    {kpis.data.standing.map((row) => (
                      <Table.Tr key={row.alarmId}>
                        <Table.Td ff="monospace" fz="sm">
                          {row.tagPath ?? t('alarms.system')}
                        </Table.Td>
                        <Table.Td>{row.message}</Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          {t('alarms.kpis.since', { time: formatTimestamp(Date.parse(row.activeSince), i18n.language) })}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Section>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
