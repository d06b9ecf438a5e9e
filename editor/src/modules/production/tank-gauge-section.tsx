import { Alert, Button, Group, NativeSelect, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchTankGauges, productionKeys, recordTankGauge, type Asset, type TankGauge } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { defaultTimeInput, formatTime } from './dates';
import { FormFailure, QuantityInput, Section, TimeInput } from './entry-inputs';
import { tankGaugeBody, type TankGaugeForm } from './entry-forms';
import { assetOptions } from './production-filters';
import { useEntryForm } from './use-entry-form';
import type { VoidTarget } from './void-entry-modal';
import { EntryStatus } from './void-entry-modal';

interface SectionProps {
  siteId: string;
  date: string;
  tanks: Asset[];
  codeOf: (id: string | null) => string;
  onVoid: (target: VoidTarget) => void;
}

export function TankGaugeSection({ siteId, date, tanks, codeOf, onVoid }: SectionProps) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const [recorded, setRecorded] = useState<TankGauge | null>(null);
  const entry = useEntryForm({
    initial: (): TankGaugeForm => ({
      tankId: '',
      gaugedAt: defaultTimeInput(date, new Date()),
      level: '',
      waterLevel: '',
      temperature: '',
      notes: '',
    }),
    toBody: (form: TankGaugeForm) => tankGaugeBody(form, system),
    send: recordTankGauge,
    aliases: { tankId: 'tankId', gaugedAt: 'gaugedAt', levelM: 'level', waterLevelM: 'waterLevel', temperatureDegC: 'temperature', notes: 'notes' },
    keepAfterSave: (saved) => ({ ...saved, level: '', waterLevel: '', temperature: '', notes: '' }),
    onSaved: setRecorded,
  });
  const gauges = useQuery({
    queryKey: productionKeys.entries('tank_gauge', siteId, date, date),
    queryFn: ({ signal }) => fetchTankGauges({ siteAssetId: siteId, from: date, to: date }, signal),
  });
  const { form, set, errors } = entry;
  const quantity = (value: number, unit: 'm' | 'm3' | 'degC') => formatQuantity(value, unit, system, i18n.language);

  return (
    <Section title={t('production.gauges.title')} testId="tank-gauge-section">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          setRecorded(null);
          entry.submit();
        }}
        data-testid="tank-gauge-form"
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('production.gauges.tank')}
            data={[{ value: '', label: t('production.pick'), disabled: true }, ...assetOptions(tanks)]}
            value={form.tankId}
            onChange={(event) => set('tankId', event.currentTarget.value)}
            error={errors.tankId}
            required
            data-testid="tank-gauge-tank"
          />
          <TimeInput
            label={t('production.gauges.gaugedAt')}
            value={form.gaugedAt}
            onChange={(text) => set('gaugedAt', text)}
            error={errors.gaugedAt}
            required
            testId="tank-gauge-time"
          />
          <QuantityInput
            label={t('production.gauges.level')}
            unit="m"
            value={form.level}
            onChange={(text) => set('level', text)}
            error={errors.level}
            required
            testId="tank-gauge-level"
          />
          <QuantityInput
            label={t('production.gauges.waterLevel')}
            unit="m"
            value={form.waterLevel}
            onChange={(text) => set('waterLevel', text)}
            error={errors.waterLevel}
            testId="tank-gauge-water-level"
          />
          <QuantityInput
            label={t('production.gauges.temperature')}
            unit="degC"
            value={form.temperature}
            onChange={(text) => set('temperature', text)}
            error={errors.temperature}
            testId="tank-gauge-temperature"
          />
          <TextInput
            label={t('production.notes')}
            value={form.notes}
            onChange={(event) => set('notes', event.currentTarget.value)}
            error={errors.notes}
          />
        </SimpleGrid>
        <Group justify="space-between" mt="sm">
          {recorded === null ? (
            <span />
          ) : (
            <Alert color="green" py={6} data-testid="tank-gauge-recorded">
              {t('production.gauges.recorded', {
                tank: codeOf(recorded.tankId),
                volume: quantity(recorded.volumeM3, 'm3'),
              })}
            </Alert>
          )}
          <Button type="submit" loading={entry.mutation.isPending} data-testid="tank-gauge-submit">
            {t('production.gauges.submit')}
          </Button>
        </Group>
        <FormFailure failure={entry.failure} testId="tank-gauge-error" />
      </form>

      {gauges.isError && <ErrorMessage error={gauges.error} />}
      <Table striped verticalSpacing={4} data-testid="tank-gauge-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('production.columns.time')}</Table.Th>
            <Table.Th>{t('production.gauges.tank')}</Table.Th>
            <Table.Th ta="right">{t('production.gauges.level')}</Table.Th>
            <Table.Th ta="right">{t('production.gauges.waterLevel')}</Table.Th>
            <Table.Th ta="right">{t('production.gauges.volume')}</Table.Th>
            <Table.Th ta="right">{t('production.gauges.temperature')}</Table.Th>
            <Table.Th>{t('production.columns.by')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {gauges.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={8}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('production.gauges.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {gauges.data?.items.map((gauge) => (
            <Table.Tr key={gauge.id} data-testid={`tank-gauge-row-${codeOf(gauge.tankId)}`} data-voided={gauge.voided}>
              <Table.Td>{formatTime(gauge.gaugedAt, i18n.language)}</Table.Td>
              <Table.Td>{codeOf(gauge.tankId)}</Table.Td>
              <Table.Td ta="right">{quantity(gauge.levelM, 'm')}</Table.Td>
              <Table.Td ta="right">{gauge.waterLevelM === null ? '—' : quantity(gauge.waterLevelM, 'm')}</Table.Td>
              <Table.Td ta="right" data-testid="tank-gauge-volume">
                {quantity(gauge.volumeM3, 'm3')}
              </Table.Td>
              <Table.Td ta="right">{gauge.temperatureDegC === null ? '—' : quantity(gauge.temperatureDegC, 'degC')}</Table.Td>
              <Table.Td>{gauge.createdBy}</Table.Td>
              <Table.Td>
                <EntryStatus
                  entry={gauge}
                  canVoid
                  onVoid={() =>
                    onVoid({ type: 'tank_gauge', id: gauge.id, label: `${codeOf(gauge.tankId)} ${formatTime(gauge.gaugedAt, i18n.language)}` })
                  }
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}
