import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fetchMeterReadings, recordMeterReading, type Asset } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { formatTime } from './dates';
import { EntryForm } from './entry-form';
import { AssetSelect, type EntrySectionProps, FluidSelect, QuantityInput, Section, TextEntry } from './entry-inputs';
import { meterReadingBody, type MeterReadingForm } from './entry-forms';
import { EntryListTable, useDayEntries } from './entry-list-table';
import { fluidVolumeUnit } from './quantities';
import { useEntryForm } from './use-entry-form';

/** Daily volumes through the site's meters (fiscal, sales, check) for the production day. */
export function MeterReadingSection({ siteId, date, meters, codeOf, onVoid }: EntrySectionProps & { meters: Asset[] }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const entry = useEntryForm({
    initial: (): MeterReadingForm => ({ meterId: '', fluid: 'oil', volume: '', totalizer: '', notes: '' }),
    toBody: (form: MeterReadingForm) => meterReadingBody(form, date, system),
    send: recordMeterReading,
    aliases: { meterId: 'meterId', fluid: 'fluid', volumeM3: 'volume', totalizerM3: 'totalizer', notes: 'notes' },
    keepAfterSave: (saved) => ({ ...saved, meterId: '', volume: '', totalizer: '', notes: '' }),
  });
  const readings = useDayEntries('meter_reading', fetchMeterReadings, siteId, date);
  const { form, set, field } = entry;
  const meterFluid = (meterId: string) => meters.find((meter) => meter.id === meterId)?.equipment?.fluid ?? null;
  const unit = fluidVolumeUnit(form.fluid);

  return (
    <Section title={t('production.meters.title')} testId="meter-reading-section">
      <Text size="sm" c="dimmed">
        {t('production.meters.intro')}
      </Text>
      <EntryForm name="meter-reading" entry={entry} submitLabel={t('production.meters.submit')} columns={3}>
        <AssetSelect
          label={t('production.meters.meter')}
          assets={meters}
          {...field('meterId')}
          onChange={(meterId) => {
            set('meterId', meterId);
            // A meter measures one fluid; the form follows it.
            const fluid = meterFluid(meterId);
            if (fluid !== null) set('fluid', fluid);
          }}
          required
          testId="meter-reading-meter"
        />
        <FluidSelect
          value={form.fluid}
          onChange={(fluid) => set('fluid', fluid)}
          disabled={meterFluid(form.meterId) !== null}
          testId="meter-reading-fluid"
        />
        <QuantityInput label={t('production.meters.volume')} unit={unit} {...field('volume')} required testId="meter-reading-volume" />
        <QuantityInput label={t('production.meters.totalizer')} unit={unit} {...field('totalizer')} testId="meter-reading-totalizer" />
        <TextEntry label={t('production.notes')} {...field('notes')} />
      </EntryForm>

      <EntryListTable
        name="meter-reading"
        rowName={(reading) => codeOf(reading.meterId)}
        columns={[
          { header: t('production.meters.meter'), cell: (reading) => codeOf(reading.meterId) },
          { header: t('production.fluid'), cell: (reading) => t(`production.fluids.${reading.fluid}`) },
          {
            header: t('production.meters.volume'),
            numeric: true,
            cell: (reading) => formatQuantity(reading.volumeM3, fluidVolumeUnit(reading.fluid), system, i18n.language),
          },
          {
            header: t('production.meters.totalizer'),
            numeric: true,
            cell: (reading) =>
              reading.totalizerM3 === null ? '—' : formatQuantity(reading.totalizerM3, fluidVolumeUnit(reading.fluid), system, i18n.language),
          },
          { header: t('production.columns.recordedAt'), cell: (reading) => formatTime(reading.createdAt, i18n.language) },
        ]}
        {...readings}
        emptyText={t('production.meters.empty')}
        type="meter_reading"
        voidLabel={(reading) => `${codeOf(reading.meterId)} ${reading.productionDate}`}
        onVoid={onVoid}
      />
    </Section>
  );
}
