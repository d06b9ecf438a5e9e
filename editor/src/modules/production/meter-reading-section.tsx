import { Button, Group, NativeSelect, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchMeterReadings, FLUIDS, productionKeys, recordMeterReading, type Asset, type Fluid } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { formatTime } from './dates';
import { FormFailure, QuantityInput, Section } from './entry-inputs';
import { meterReadingBody, type MeterReadingForm } from './entry-forms';
import { assetOptions } from './production-filters';
import { fluidVolumeUnit } from './quantities';
import { useEntryForm } from './use-entry-form';
import { EntryStatus, type VoidTarget } from './void-entry-modal';

interface SectionProps {
  siteId: string;
  date: string;
  meters: Asset[];
  codeOf: (id: string | null) => string;
  onVoid: (target: VoidTarget) => void;
}

function isFluid(value: string): value is Fluid {
  return FLUIDS.some((fluid) => fluid === value);
}

/** Daily volumes through the site's meters (fiscal, sales, check) for the production day. */
export function MeterReadingSection({ siteId, date, meters, codeOf, onVoid }: SectionProps) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const entry = useEntryForm({
    initial: (): MeterReadingForm => ({ meterId: '', fluid: 'oil', volume: '', totalizer: '', notes: '' }),
    toBody: (form: MeterReadingForm) => meterReadingBody(form, date, system),
    send: recordMeterReading,
    aliases: { meterId: 'meterId', fluid: 'fluid', volumeM3: 'volume', totalizerM3: 'totalizer', notes: 'notes' },
    keepAfterSave: (saved) => ({ ...saved, meterId: '', volume: '', totalizer: '', notes: '' }),
  });
  const readings = useQuery({
    queryKey: productionKeys.entries('meter_reading', siteId, date, date),
    queryFn: ({ signal }) => fetchMeterReadings({ siteAssetId: siteId, from: date, to: date }, signal),
  });
  const { form, set, errors } = entry;
  const meterFluid = (meterId: string) => meters.find((meter) => meter.id === meterId)?.equipment?.fluid ?? null;

  return (
    <Section title={t('production.meters.title')} testId="meter-reading-section">
      <Text size="sm" c="dimmed">
        {t('production.meters.intro')}
      </Text>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          entry.submit();
        }}
        data-testid="meter-reading-form"
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('production.meters.meter')}
            data={[{ value: '', label: t('production.pick'), disabled: true }, ...assetOptions(meters)]}
            value={form.meterId}
            onChange={(event) => {
              const meterId = event.currentTarget.value;
              set('meterId', meterId);
              // A meter measures one fluid; the form follows it.
              const fluid = meterFluid(meterId);
              if (fluid !== null) set('fluid', fluid);
            }}
            error={errors.meterId}
            required
            data-testid="meter-reading-meter"
          />
          <NativeSelect
            label={t('production.fluid')}
            data={FLUIDS.map((fluid) => ({ value: fluid, label: t(`production.fluids.${fluid}`) }))}
            value={form.fluid}
            onChange={(event) => {
              if (isFluid(event.currentTarget.value)) set('fluid', event.currentTarget.value);
            }}
            disabled={meterFluid(form.meterId) !== null}
            data-testid="meter-reading-fluid"
          />
          <QuantityInput
            label={t('production.meters.volume')}
            unit={fluidVolumeUnit(form.fluid)}
            value={form.volume}
            onChange={(text) => set('volume', text)}
            error={errors.volume}
            required
            testId="meter-reading-volume"
          />
          <QuantityInput
            label={t('production.meters.totalizer')}
            unit={fluidVolumeUnit(form.fluid)}
            value={form.totalizer}
            onChange={(text) => set('totalizer', text)}
            error={errors.totalizer}
            testId="meter-reading-totalizer"
          />
          <TextInput
            label={t('production.notes')}
            value={form.notes}
            onChange={(event) => set('notes', event.currentTarget.value)}
            error={errors.notes}
          />
        </SimpleGrid>
        <Group justify="flex-end" mt="sm">
          <Button type="submit" loading={entry.mutation.isPending} data-testid="meter-reading-submit">
            {t('production.meters.submit')}
          </Button>
        </Group>
        <FormFailure failure={entry.failure} testId="meter-reading-error" />
      </form>

      {readings.isError && <ErrorMessage error={readings.error} />}
      <Table striped verticalSpacing={4} data-testid="meter-reading-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('production.meters.meter')}</Table.Th>
            <Table.Th>{t('production.fluid')}</Table.Th>
            <Table.Th ta="right">{t('production.meters.volume')}</Table.Th>
            <Table.Th ta="right">{t('production.meters.totalizer')}</Table.Th>
            <Table.Th>{t('production.columns.recordedAt')}</Table.Th>
            <Table.Th>{t('production.columns.by')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {readings.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('production.meters.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {readings.data?.items.map((reading) => {
            const unit = fluidVolumeUnit(reading.fluid);
            return (
              <Table.Tr key={reading.id} data-testid={`meter-reading-row-${codeOf(reading.meterId)}`} data-voided={reading.voided}>
                <Table.Td>{codeOf(reading.meterId)}</Table.Td>
                <Table.Td>{t(`production.fluids.${reading.fluid}`)}</Table.Td>
                <Table.Td ta="right">{formatQuantity(reading.volumeM3, unit, system, i18n.language)}</Table.Td>
                <Table.Td ta="right">
                  {reading.totalizerM3 === null ? '—' : formatQuantity(reading.totalizerM3, unit, system, i18n.language)}
                </Table.Td>
                <Table.Td>{formatTime(reading.createdAt, i18n.language)}</Table.Td>
                <Table.Td>{reading.createdBy}</Table.Td>
                <Table.Td>
                  <EntryStatus
                    entry={reading}
                    canVoid
                    onVoid={() =>
                      onVoid({ type: 'meter_reading', id: reading.id, label: `${codeOf(reading.meterId)} ${reading.productionDate}` })
                    }
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Section>
  );
}
