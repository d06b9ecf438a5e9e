import { Anchor, Badge, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { corporateKeys, fetchRemoteDaily, fetchRemoteWells } from '../../api/corporate';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel } from '../../units/units';
import { formatValue } from '../production/quantities';
import { isMonth, monthOf } from './corporate-format';
import { DataAgeBanner } from './data-age';

/**
 * A site seen from the cloud: its wells and daily production from what it
 * synced, read only (no forms, no actions), under a banner with the data's age.
 */
export function RemoteSitePage() {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const siteId = useParams().siteId ?? '';
  const [month, setMonth] = useState(monthOf(new Date()));
  const wells = useQuery({ queryKey: corporateKeys.wells(siteId), queryFn: ({ signal }) => fetchRemoteWells(siteId, signal) });
  const daily = useQuery({ queryKey: corporateKeys.daily(siteId, month), queryFn: ({ signal }) => fetchRemoteDaily(siteId, month, signal), placeholderData: keepPreviousData });
  const volume = (value: number, unit: 'm3' | 'Sm3') => formatValue(value, unit, system, i18n.language);
  const unit = (canonical: 'm3' | 'Sm3') => displayUnitLabel(canonical, system);
  const volumeHeaders = (
    <>
      <Table.Th ta="right">{`${t('production.fluids.oil')} (${unit('m3')})`}</Table.Th>
      <Table.Th ta="right">{`${t('production.fluids.gas')} (${unit('Sm3')})`}</Table.Th>
      <Table.Th ta="right">{`${t('production.fluids.water')} (${unit('m3')})`}</Table.Th>
    </>
  );

  return (
    <Stack data-testid="corporate-remote-site">
      <Anchor component={Link} to="/corporate" size="sm">
        {t('corporate.remote.back')}
      </Anchor>
      <Title order={2}>{t('corporate.remote.title', { site: wells.data ? `${siteId} ${wells.data.siteName}` : siteId })}</Title>
      {wells.isError && <ErrorMessage error={wells.error} />}
      {wells.data !== undefined && (
        <>
          <DataAgeBanner freshness={wells.data.freshness} siteName={`${siteId} ${wells.data.siteName}`} testId="corporate-data-age" />
          <Title order={3}>{t('corporate.remote.wells', { count: wells.data.wells.length })}</Title>
          <Paper withBorder>
            <Table striped verticalSpacing={4} data-testid="corporate-remote-wells">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('corporate.remote.well')}</Table.Th>
                  <Table.Th>{t('corporate.remote.name')}</Table.Th>
                  <Table.Th>{t('corporate.remote.status')}</Table.Th>
                  <Table.Th>{t('corporate.remote.siteAsset')}</Table.Th>
                  <Table.Th>{t('corporate.production.field')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {wells.data.wells.map((well) => (
                  <Table.Tr key={well.id} data-testid={`corporate-remote-well-${well.code}`}>
                    <Table.Td>{well.code}</Table.Td>
                    <Table.Td>{well.name}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={well.status === 'producing' ? 'green' : 'gray'}>
                        {well.status === null ? '—' : t(`corporate.wellStatus.${well.status}`, { defaultValue: well.status })}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{well.siteAssetCode ?? '—'}</Table.Td>
                    <Table.Td>{well.fieldCode ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </>
      )}
      <Group justify="space-between" align="flex-end">
        <Title order={3}>{t('corporate.remote.daily')}</Title>
        <TextInput type="month" label={t('corporate.filters.month')} value={month} w={170} data-testid="corporate-remote-month" onChange={(event) => isMonth(event.currentTarget.value) && setMonth(event.currentTarget.value)} />
      </Group>
      {daily.isError && <ErrorMessage error={daily.error} />}
      {daily.data !== undefined && (
        <>
          <Paper withBorder>
            <Table striped verticalSpacing={4} data-testid="corporate-remote-days">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('corporate.remote.day')}</Table.Th>
                  {volumeHeaders}
                  <Table.Th ta="right">{t('corporate.production.wells')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {daily.data.days.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="sm" c="dimmed">
                        {t('corporate.production.none')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {daily.data.days.map((day) => (
                  <Table.Tr key={day.day} data-testid={`corporate-remote-day-${day.day}`}>
                    <Table.Td>{day.day}</Table.Td>
                    <Table.Td ta="right">{volume(day.oilM3, 'm3')}</Table.Td>
                    <Table.Td ta="right">{volume(day.gasSm3, 'Sm3')}</Table.Td>
                    <Table.Td ta="right">{volume(day.waterM3, 'm3')}</Table.Td>
                    <Table.Td ta="right">{day.wells}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
          {daily.data.wells.length > 0 && (
            <Paper withBorder>
              <Table striped verticalSpacing={4} data-testid="corporate-remote-month-wells">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('corporate.remote.well')}</Table.Th>
                    {volumeHeaders}
                    <Table.Th ta="right">{t('corporate.remote.days')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {daily.data.wells.map((well) => (
                    <Table.Tr key={well.wellId} data-testid={`corporate-remote-month-${well.wellCode}`}>
                      <Table.Td>{well.wellCode}</Table.Td>
                      <Table.Td ta="right">{volume(well.oilM3, 'm3')}</Table.Td>
                      <Table.Td ta="right">{volume(well.gasSm3, 'Sm3')}</Table.Td>
                      <Table.Td ta="right">{volume(well.waterM3, 'm3')}</Table.Td>
                      <Table.Td ta="right">{well.days}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Paper>
          )}
        </>
      )}
    </Stack>
  );
}
