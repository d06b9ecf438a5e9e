import { useTranslation } from 'react-i18next';
import { fetchRunTickets, recordRunTicket, type Asset } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { defaultTimeInput, formatTime } from './dates';
import { EntryForm } from './entry-form';
import { AssetSelect, CodeSelect, type EntrySectionProps, FluidSelect, QuantityInput, Section, TextEntry, TimeInput } from './entry-inputs';
import { gravityLabelKey, runTicketBody, type RunTicketForm } from './entry-forms';
import { EntryListTable, useDayEntries } from './entry-list-table';
import { fluidVolumeUnit } from './quantities';
import { useEntryForm } from './use-entry-form';

const DESTINATIONS = ['truck', 'pipeline'] as const satisfies readonly RunTicketForm['destination'][];

/** Run tickets: what left the site by truck or pipeline. */
export function RunTicketSection({ siteId, date, tanks, codeOf, onVoid }: EntrySectionProps & { tanks: Asset[] }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const entry = useEntryForm({
    initial: (): RunTicketForm => ({
      ticketNumber: '',
      shippedAt: defaultTimeInput(date, new Date()),
      fluid: 'oil',
      volume: '',
      destination: 'truck',
      carrier: '',
      tankId: '',
      temperature: '',
      gravity: '',
      bsw: '',
      notes: '',
    }),
    toBody: (form: RunTicketForm) => runTicketBody(form, siteId, system),
    send: recordRunTicket,
    aliases: {
      ticketNumber: 'ticketNumber',
      shippedAt: 'shippedAt',
      fluid: 'fluid',
      volumeM3: 'volume',
      destination: 'destination',
      carrier: 'carrier',
      tankId: 'tankId',
      temperatureDegC: 'temperature',
      observedApiGravity: 'gravity',
      observedDensityKgPerM3: 'gravity',
      bswPercent: 'bsw',
      notes: 'notes',
    },
    keepAfterSave: (saved) => ({ ...saved, ticketNumber: '', volume: '', temperature: '', gravity: '', bsw: '', notes: '' }),
  });
  const tickets = useDayEntries('run_ticket', fetchRunTickets, siteId, date);
  const { form, set, field } = entry;

  return (
    <Section title={t('production.tickets.title')} testId="run-ticket-section">
      <EntryForm name="run-ticket" entry={entry} submitLabel={t('production.tickets.submit')} columns={4}>
        <TextEntry label={t('production.tickets.number')} {...field('ticketNumber')} required testId="run-ticket-number" />
        <TimeInput label={t('production.tickets.shippedAt')} {...field('shippedAt')} required testId="run-ticket-time" />
        <FluidSelect value={form.fluid} onChange={(fluid) => set('fluid', fluid)} testId="run-ticket-fluid" />
        <QuantityInput label={t('production.tickets.volume')} unit={fluidVolumeUnit(form.fluid)} {...field('volume')} required testId="run-ticket-volume" />
        <CodeSelect
          label={t('production.tickets.destination')}
          codes={DESTINATIONS}
          codeLabel={(destination) => t(`production.tickets.destinations.${destination}`)}
          value={form.destination}
          onChange={(destination) => set('destination', destination)}
          testId="run-ticket-destination"
        />
        <TextEntry label={t('production.tickets.carrier')} {...field('carrier')} />
        <AssetSelect label={t('production.tickets.tank')} assets={tanks} none={t('production.tickets.noTank')} {...field('tankId')} />
        {form.fluid === 'oil' && (
          <>
            <QuantityInput label={t('production.gauges.temperature')} unit="degC" {...field('temperature')} testId="run-ticket-temperature" />
            <QuantityInput label={t(gravityLabelKey(system))} unit="gravity" {...field('gravity')} testId="run-ticket-gravity" />
            <QuantityInput label={t('production.oil.bsw')} unit="%" {...field('bsw')} testId="run-ticket-bsw" />
          </>
        )}
        <TextEntry label={t('production.notes')} {...field('notes')} />
      </EntryForm>

      <EntryListTable
        name="run-ticket"
        rowName={(ticket) => ticket.ticketNumber}
        columns={[
          { header: t('production.tickets.number'), cell: (ticket) => ticket.ticketNumber },
          { header: t('production.columns.time'), cell: (ticket) => formatTime(ticket.shippedAt, i18n.language) },
          { header: t('production.fluid'), cell: (ticket) => t(`production.fluids.${ticket.fluid}`) },
          {
            header: t('production.tickets.volume'),
            numeric: true,
            cell: (ticket) => formatQuantity(ticket.volumeM3, fluidVolumeUnit(ticket.fluid), system, i18n.language),
          },
          { header: t('production.tickets.destination'), cell: (ticket) => t(`production.tickets.destinations.${ticket.destination}`) },
          { header: t('production.tickets.carrier'), cell: (ticket) => ticket.carrier },
          { header: t('production.tickets.tank'), cell: (ticket) => codeOf(ticket.tankId) },
          {
            header: t('production.oil.netStandardVolume'),
            numeric: true,
            cell: (ticket) => (ticket.netStandardVolumeM3 === null ? '—' : formatQuantity(ticket.netStandardVolumeM3, 'm3', system, i18n.language)),
            testId: 'run-ticket-nsv',
          },
        ]}
        {...tickets}
        emptyText={t('production.tickets.empty')}
        type="run_ticket"
        voidLabel={(ticket) => ticket.ticketNumber}
        onVoid={onVoid}
      />
    </Section>
  );
}
