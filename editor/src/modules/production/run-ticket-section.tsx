import { Button, Group, NativeSelect, SimpleGrid, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { fetchRunTickets, FLUIDS, productionKeys, recordRunTicket, type Asset, type Fluid } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { formatQuantity } from '../../units/units';
import { defaultTimeInput, formatTime } from './dates';
import { FormFailure, QuantityInput, Section, TimeInput } from './entry-inputs';
import { runTicketBody, type RunTicketForm } from './entry-forms';
import { assetOptions } from './production-filters';
import { fluidVolumeUnit } from './quantities';
import { useEntryForm } from './use-entry-form';
import { EntryStatus, type VoidTarget } from './void-entry-modal';

interface SectionProps {
  siteId: string;
  date: string;
  tanks: Asset[];
  codeOf: (id: string | null) => string;
  onVoid: (target: VoidTarget) => void;
}

const DESTINATIONS = ['truck', 'pipeline'] as const;

function isFluid(value: string): value is Fluid {
  return FLUIDS.some((fluid) => fluid === value);
}

function isDestination(value: string): value is RunTicketForm['destination'] {
  return DESTINATIONS.some((destination) => destination === value);
}

/** Run tickets: what left the site by truck or pipeline. */
export function RunTicketSection({ siteId, date, tanks, codeOf, onVoid }: SectionProps) {
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
      notes: 'notes',
    },
    keepAfterSave: (saved) => ({ ...saved, ticketNumber: '', volume: '', notes: '' }),
  });
  const tickets = useQuery({
    queryKey: productionKeys.entries('run_ticket', siteId, date, date),
    queryFn: ({ signal }) => fetchRunTickets({ siteAssetId: siteId, from: date, to: date }, signal),
  });
  const { form, set, errors } = entry;

  return (
    <Section title={t('production.tickets.title')} testId="run-ticket-section">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          entry.submit();
        }}
        data-testid="run-ticket-form"
      >
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <TextInput
            label={t('production.tickets.number')}
            value={form.ticketNumber}
            onChange={(event) => set('ticketNumber', event.currentTarget.value)}
            error={errors.ticketNumber}
            required
            data-testid="run-ticket-number"
          />
          <TimeInput
            label={t('production.tickets.shippedAt')}
            value={form.shippedAt}
            onChange={(text) => set('shippedAt', text)}
            error={errors.shippedAt}
            required
            testId="run-ticket-time"
          />
          <NativeSelect
            label={t('production.fluid')}
            data={FLUIDS.map((fluid) => ({ value: fluid, label: t(`production.fluids.${fluid}`) }))}
            value={form.fluid}
            onChange={(event) => {
              if (isFluid(event.currentTarget.value)) set('fluid', event.currentTarget.value);
            }}
            data-testid="run-ticket-fluid"
          />
          <QuantityInput
            label={t('production.tickets.volume')}
            unit={fluidVolumeUnit(form.fluid)}
            value={form.volume}
            onChange={(text) => set('volume', text)}
            error={errors.volume}
            required
            testId="run-ticket-volume"
          />
          <NativeSelect
            label={t('production.tickets.destination')}
            data={DESTINATIONS.map((destination) => ({ value: destination, label: t(`production.tickets.destinations.${destination}`) }))}
            value={form.destination}
            onChange={(event) => {
              if (isDestination(event.currentTarget.value)) set('destination', event.currentTarget.value);
            }}
            data-testid="run-ticket-destination"
          />
          <TextInput
            label={t('production.tickets.carrier')}
            value={form.carrier}
            onChange={(event) => set('carrier', event.currentTarget.value)}
            error={errors.carrier}
          />
          <NativeSelect
            label={t('production.tickets.tank')}
            data={[{ value: '', label: t('production.tickets.noTank') }, ...assetOptions(tanks)]}
            value={form.tankId}
            onChange={(event) => set('tankId', event.currentTarget.value)}
            error={errors.tankId}
          />
          <TextInput
            label={t('production.notes')}
            value={form.notes}
            onChange={(event) => set('notes', event.currentTarget.value)}
            error={errors.notes}
          />
        </SimpleGrid>
        <Group justify="flex-end" mt="sm">
          <Button type="submit" loading={entry.mutation.isPending} data-testid="run-ticket-submit">
            {t('production.tickets.submit')}
          </Button>
        </Group>
        <FormFailure failure={entry.failure} testId="run-ticket-error" />
      </form>

      {tickets.isError && <ErrorMessage error={tickets.error} />}
      <Table striped verticalSpacing={4} data-testid="run-ticket-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('production.tickets.number')}</Table.Th>
            <Table.Th>{t('production.columns.time')}</Table.Th>
            <Table.Th>{t('production.fluid')}</Table.Th>
            <Table.Th ta="right">{t('production.tickets.volume')}</Table.Th>
            <Table.Th>{t('production.tickets.destination')}</Table.Th>
            <Table.Th>{t('production.tickets.carrier')}</Table.Th>
            <Table.Th>{t('production.tickets.tank')}</Table.Th>
            <Table.Th>{t('production.columns.by')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.data?.items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={9}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('production.tickets.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {tickets.data?.items.map((ticket) => (
            <Table.Tr key={ticket.id} data-testid={`run-ticket-row-${ticket.ticketNumber}`} data-voided={ticket.voided}>
              <Table.Td>{ticket.ticketNumber}</Table.Td>
              <Table.Td>{formatTime(ticket.shippedAt, i18n.language)}</Table.Td>
              <Table.Td>{t(`production.fluids.${ticket.fluid}`)}</Table.Td>
              <Table.Td ta="right">{formatQuantity(ticket.volumeM3, fluidVolumeUnit(ticket.fluid), system, i18n.language)}</Table.Td>
              <Table.Td>{t(`production.tickets.destinations.${ticket.destination}`)}</Table.Td>
              <Table.Td>{ticket.carrier}</Table.Td>
              <Table.Td>{codeOf(ticket.tankId)}</Table.Td>
              <Table.Td>{ticket.createdBy}</Table.Td>
              <Table.Td>
                <EntryStatus
                  entry={ticket}
                  canVoid
                  onVoid={() => onVoid({ type: 'run_ticket', id: ticket.id, label: ticket.ticketNumber })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}
