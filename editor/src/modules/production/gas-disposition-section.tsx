import { Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { GAS_DISPOSITION_KINDS, fetchGasBalance, fetchGasDispositions, productionKeys, recordGasDisposition } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { formatTime } from './dates';
import { EntryForm } from './entry-form';
import { CodeSelect, type EntrySectionProps, QuantityInput, Section, TextEntry } from './entry-inputs';
import { gasDispositionBody, type GasDispositionForm } from './entry-forms';
import { EntryListTable, useDayEntries } from './entry-list-table';
import { useEntryForm } from './use-entry-form';

/** The day's gas balance: measured gas against where it went, the difference shown. */
function GasBalanceLine({ siteId, date }: { siteId: string; date: string }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  // Keyed under the gas-disposition entries, so recording or voiding one refreshes the balance too.
  const balance = useQuery({
    queryKey: [...productionKeys.entries('gas_disposition', siteId, date, date), 'balance'],
    queryFn: ({ signal }) => fetchGasBalance(siteId, date, signal),
  });
  const data = balance.data;
  if (!data) return null;
  const gas = (value: number | null) => (value === null ? '—' : formatQuantity(value, 'Sm3', system, i18n.language));
  return (
    <Group gap="lg" data-testid="gas-balance">
      <Text size="sm">{t('production.gas.balance.measured', { volume: gas(data.measuredSm3) })}</Text>
      <Text size="sm">{t('production.gas.balance.disposed', { volume: gas(data.disposedSm3) })}</Text>
      <Text size="sm" data-testid="gas-balance-difference">
        {t('production.gas.balance.difference', { volume: gas(data.differenceSm3) })}
      </Text>
      <Text size="sm">{t('production.gas.balance.formation', { volume: gas(data.formationSm3) })}</Text>
    </Group>
  );
}

/** Where the site's gas went on the production day: sales, fuel, flare, vent and lift-gas recycle. */
export function GasDispositionSection({ siteId, date, onVoid }: EntrySectionProps) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const entry = useEntryForm({
    initial: (): GasDispositionForm => ({ disposition: 'sales', volume: '', notes: '' }),
    toBody: (form: GasDispositionForm) => gasDispositionBody(form, siteId, date, system),
    send: recordGasDisposition,
    aliases: { disposition: 'disposition', volumeSm3: 'volume', notes: 'notes' },
    keepAfterSave: (saved) => ({ ...saved, volume: '', notes: '' }),
  });
  const dispositions = useDayEntries('gas_disposition', fetchGasDispositions, siteId, date);
  const { form, set, field } = entry;
  const kindLabel = (kind: (typeof GAS_DISPOSITION_KINDS)[number]) => t(`production.gas.kinds.${kind}`);

  return (
    <Section title={t('production.gas.title')} testId="gas-disposition-section">
      <Text size="sm" c="dimmed">
        {t('production.gas.intro')}
      </Text>
      <GasBalanceLine siteId={siteId} date={date} />
      <EntryForm name="gas-disposition" entry={entry} submitLabel={t('production.gas.submit')} columns={3}>
        <CodeSelect
          label={t('production.gas.kind')}
          codes={GAS_DISPOSITION_KINDS}
          codeLabel={kindLabel}
          value={form.disposition}
          onChange={(kind) => set('disposition', kind)}
          testId="gas-disposition-kind"
        />
        <QuantityInput label={t('production.gas.volume')} unit="Sm3" {...field('volume')} required testId="gas-disposition-volume" />
        <TextEntry label={t('production.notes')} {...field('notes')} />
      </EntryForm>

      <EntryListTable
        name="gas-disposition"
        rowName={(item) => item.disposition}
        columns={[
          { header: t('production.gas.kind'), cell: (item) => kindLabel(item.disposition) },
          { header: t('production.gas.volume'), numeric: true, cell: (item) => formatQuantity(item.volumeSm3, 'Sm3', system, i18n.language) },
          { header: t('production.columns.recordedAt'), cell: (item) => formatTime(item.createdAt, i18n.language) },
        ]}
        {...dispositions}
        emptyText={t('production.gas.empty')}
        type="gas_disposition"
        voidLabel={(item) => `${kindLabel(item.disposition)} ${item.productionDate}`}
        onVoid={onVoid}
      />
    </Section>
  );
}
