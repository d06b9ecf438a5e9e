import { Alert } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchTankGauges, recordTankGauge, type Asset, type TankGauge } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { defaultTimeInput, formatTime } from './dates';
import { EntryForm } from './entry-form';
import { AssetSelect, type EntrySectionProps, QuantityInput, Section, TextEntry, TimeInput } from './entry-inputs';
import { gravityLabelKey, tankGaugeBody, type TankGaugeForm } from './entry-forms';
import { EntryListTable, useDayEntries } from './entry-list-table';
import { useEntryForm } from './use-entry-form';

export function TankGaugeSection({ siteId, date, tanks, codeOf, onVoid }: EntrySectionProps & { tanks: Asset[] }) {
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
      gravity: '',
      bsw: '',
      notes: '',
    }),
    toBody: (form: TankGaugeForm) => tankGaugeBody(form, system),
    send: recordTankGauge,
    aliases: {
      tankId: 'tankId',
      gaugedAt: 'gaugedAt',
      levelM: 'level',
      waterLevelM: 'waterLevel',
      temperatureDegC: 'temperature',
      observedApiGravity: 'gravity',
      observedDensityKgPerM3: 'gravity',
      bswPercent: 'bsw',
      notes: 'notes',
    },
    keepAfterSave: (saved) => ({ ...saved, level: '', waterLevel: '', temperature: '', gravity: '', bsw: '', notes: '' }),
    onSaved: setRecorded,
  });
  const gauges = useDayEntries('tank_gauge', fetchTankGauges, siteId, date);
  const { field } = entry;
  const quantity = (value: number, unit: 'm' | 'm3' | 'degC') => formatQuantity(value, unit, system, i18n.language);
  const optional = (value: number | null, unit: 'm' | 'm3' | 'degC') => (value === null ? '—' : quantity(value, unit));

  return (
    <Section title={t('production.gauges.title')} testId="tank-gauge-section">
      <EntryForm
        name="tank-gauge"
        entry={entry}
        submitLabel={t('production.gauges.submit')}
        columns={3}
        onSubmit={() => setRecorded(null)}
        notice={
          recorded === null ? (
            <span />
          ) : (
            <Alert color="green" py={6} data-testid="tank-gauge-recorded">
              {t('production.gauges.recorded', {
                tank: codeOf(recorded.tankId),
                volume: quantity(recorded.volumeM3, 'm3'),
              })}
            </Alert>
          )
        }
      >
        <AssetSelect label={t('production.gauges.tank')} assets={tanks} {...field('tankId')} required testId="tank-gauge-tank" />
        <TimeInput label={t('production.gauges.gaugedAt')} {...field('gaugedAt')} required testId="tank-gauge-time" />
        <QuantityInput label={t('production.gauges.level')} unit="m" {...field('level')} required testId="tank-gauge-level" />
        <QuantityInput label={t('production.gauges.waterLevel')} unit="m" {...field('waterLevel')} testId="tank-gauge-water-level" />
        <QuantityInput label={t('production.gauges.temperature')} unit="degC" {...field('temperature')} testId="tank-gauge-temperature" />
        <QuantityInput label={t(gravityLabelKey(system))} unit="gravity" {...field('gravity')} testId="tank-gauge-gravity" />
        <QuantityInput label={t('production.oil.bsw')} unit="%" {...field('bsw')} testId="tank-gauge-bsw" />
        <TextEntry label={t('production.notes')} {...field('notes')} />
      </EntryForm>

      <EntryListTable
        name="tank-gauge"
        rowName={(gauge) => codeOf(gauge.tankId)}
        columns={[
          { header: t('production.columns.time'), cell: (gauge) => formatTime(gauge.gaugedAt, i18n.language) },
          { header: t('production.gauges.tank'), cell: (gauge) => codeOf(gauge.tankId) },
          { header: t('production.gauges.level'), numeric: true, cell: (gauge) => quantity(gauge.levelM, 'm') },
          { header: t('production.gauges.waterLevel'), numeric: true, cell: (gauge) => optional(gauge.waterLevelM, 'm') },
          { header: t('production.gauges.volume'), numeric: true, cell: (gauge) => quantity(gauge.volumeM3, 'm3'), testId: 'tank-gauge-volume' },
          { header: t('production.gauges.temperature'), numeric: true, cell: (gauge) => optional(gauge.temperatureDegC, 'degC') },
          {
            header: t('production.oil.netStandardVolume'),
            numeric: true,
            cell: (gauge) => optional(gauge.netStandardVolumeM3, 'm3'),
            testId: 'tank-gauge-nsv',
          },
        ]}
        {...gauges}
        emptyText={t('production.gauges.empty')}
        type="tank_gauge"
        voidLabel={(gauge) => `${codeOf(gauge.tankId)} ${formatTime(gauge.gaugedAt, i18n.language)}`}
        onVoid={onVoid}
      />
    </Section>
  );
}
