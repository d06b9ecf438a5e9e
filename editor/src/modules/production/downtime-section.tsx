import { Alert, Badge, Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  closeDowntime,
  fetchDowntime,
  fetchOpenDowntime,
  productionKeys,
  recordDowntime,
  type Asset,
  type DowntimeEvent,
  type DowntimeReason,
} from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { defaultTimeInput, formatDateTime, instantFromInput, localDateTimeInput } from './dates';
import { FormFailure, Section, TimeInput } from './entry-inputs';
import { DOWNTIME_REASONS, downtimeBody, type DowntimeForm } from './entry-forms';
import { assetOptions } from './production-filters';
import { formatHours } from './quantities';
import { useEntryForm } from './use-entry-form';
import { useModalTarget } from './use-modal-target';
import { EntryStatus, type VoidTarget } from './void-entry-modal';

interface SectionProps {
  siteId: string;
  date: string;
  wells: Asset[];
  codeOf: (id: string | null) => string;
  onVoid: (target: VoidTarget) => void;
}

function isReason(value: string): value is DowntimeReason {
  return DOWNTIME_REASONS.some((reason) => reason === value);
}

function CloseForm({ event, wellCode, onClose }: { event: DowntimeEvent; wellCode: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [endedAt, setEndedAt] = useState(() => localDateTimeInput(new Date()));
  const [invalid, setInvalid] = useState(false);
  const close = useMutation({
    mutationFn: (instant: string) => closeDowntime(event.id, instant),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: productionKeys.all });
      onClose();
    },
  });
  return (
    <form
      noValidate
      onSubmit={(submitted) => {
        submitted.preventDefault();
        const instant = instantFromInput(endedAt);
        if (instant === null) {
          setInvalid(true);
          return;
        }
        close.mutate(instant);
      }}
      data-testid="downtime-close-form"
    >
      <Stack gap="sm">
        <Text size="sm">{t('production.downtime.closeExplain', { well: wellCode })}</Text>
        <TimeInput
          label={t('production.downtime.endedAt')}
          value={endedAt}
          onChange={(text) => {
            setEndedAt(text);
            setInvalid(false);
          }}
          error={invalid ? t('production.inputErrors.notATime') : undefined}
          required
          testId="downtime-close-time"
        />
        {close.isError && (
          <Alert color="red" title={t('production.saveFailed')}>
            <ErrorMessage error={close.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={close.isPending}>
            {t('production.cancel')}
          </Button>
          <Button type="submit" loading={close.isPending} data-testid="downtime-close-submit">
            {t('production.downtime.close')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Hours between two instants, or until now for an open event. */
function durationHours(event: DowntimeEvent, now: number): number {
  const end = event.endedAt === null ? now : Date.parse(event.endedAt);
  return Math.max(0, (end - Date.parse(event.startedAt)) / 3_600_000);
}

/** Well downtime (paros) with a reason; an open event is closed when the well is back on. */
export function DowntimeSection({ siteId, date, wells, codeOf, onVoid }: SectionProps) {
  const { t, i18n } = useTranslation();
  const closing = useModalTarget<DowntimeEvent>();
  const entry = useEntryForm({
    initial: (): DowntimeForm => ({ wellId: '', startedAt: defaultTimeInput(date, new Date()), endedAt: '', reasonCode: '', notes: '' }),
    toBody: downtimeBody,
    send: recordDowntime,
    aliases: { wellId: 'wellId', startedAt: 'startedAt', endedAt: 'endedAt', reasonCode: 'reasonCode', notes: 'notes' },
    keepAfterSave: (saved): DowntimeForm => ({ ...saved, wellId: '', endedAt: '', reasonCode: '', notes: '' }),
  });
  const ofDay = useQuery({
    queryKey: productionKeys.entries('downtime_event', siteId, date, date),
    queryFn: ({ signal }) => fetchDowntime({ siteAssetId: siteId, from: date, to: date }, signal),
  });
  const open = useQuery({
    queryKey: productionKeys.openDowntime(siteId),
    queryFn: ({ signal }) => fetchOpenDowntime(siteId, signal),
  });
  // Events still open from earlier days belong on today's list too: they wait to be closed.
  const events = [...(open.data?.items ?? []), ...(ofDay.data?.items ?? [])].filter(
    (event, index, all) => all.findIndex((other) => other.id === event.id) === index,
  );
  events.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const now = Date.now();
  const { form, set, errors } = entry;

  return (
    <Section title={t('production.downtime.title')} testId="downtime-section">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          entry.submit();
        }}
        data-testid="downtime-form"
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('production.downtime.well')}
            data={[{ value: '', label: t('production.pick'), disabled: true }, ...assetOptions(wells)]}
            value={form.wellId}
            onChange={(event) => set('wellId', event.currentTarget.value)}
            error={errors.wellId}
            required
            data-testid="downtime-well"
          />
          <NativeSelect
            label={t('production.downtime.reason')}
            data={[
              { value: '', label: t('production.pick'), disabled: true },
              ...DOWNTIME_REASONS.map((reason) => ({ value: reason, label: t(`production.downtimeReasons.${reason}`) })),
            ]}
            value={form.reasonCode}
            onChange={(event) => {
              const value = event.currentTarget.value;
              if (isReason(value)) set('reasonCode', value);
            }}
            error={errors.reasonCode}
            required
            data-testid="downtime-reason"
          />
          <TextInput
            label={t('production.notes')}
            value={form.notes}
            onChange={(event) => set('notes', event.currentTarget.value)}
            error={errors.notes}
          />
          <TimeInput
            label={t('production.downtime.startedAt')}
            value={form.startedAt}
            onChange={(text) => set('startedAt', text)}
            error={errors.startedAt}
            required
            testId="downtime-start"
          />
          <TimeInput
            label={t('production.downtime.endedAtOptional')}
            value={form.endedAt}
            onChange={(text) => set('endedAt', text)}
            error={errors.endedAt}
            testId="downtime-end"
          />
        </SimpleGrid>
        <Group justify="flex-end" mt="sm">
          <Button type="submit" loading={entry.mutation.isPending} data-testid="downtime-submit">
            {t('production.downtime.submit')}
          </Button>
        </Group>
        <FormFailure failure={entry.failure} testId="downtime-error" />
      </form>

      {(ofDay.isError || open.isError) && <ErrorMessage error={ofDay.error ?? open.error} />}
      <Table striped verticalSpacing={4} data-testid="downtime-list">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('production.downtime.well')}</Table.Th>
            <Table.Th>{t('production.downtime.reason')}</Table.Th>
            <Table.Th>{t('production.downtime.startedAt')}</Table.Th>
            <Table.Th>{t('production.downtime.endedAt')}</Table.Th>
            <Table.Th ta="right">{t('production.downtime.duration')}</Table.Th>
            <Table.Th>{t('production.columns.by')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.length === 0 && ofDay.isSuccess && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('production.downtime.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {events.map((event) => (
            <Table.Tr key={event.id} data-testid={`downtime-row-${codeOf(event.wellId)}`} data-open={event.open} data-voided={event.voided}>
              <Table.Td>{codeOf(event.wellId)}</Table.Td>
              <Table.Td>{t(`production.downtimeReasons.${event.reasonCode}`)}</Table.Td>
              <Table.Td>{formatDateTime(event.startedAt, i18n.language)}</Table.Td>
              <Table.Td>
                {event.endedAt === null ? (
                  <Badge color="orange" variant="light">
                    {t('production.downtime.open')}
                  </Badge>
                ) : (
                  formatDateTime(event.endedAt, i18n.language)
                )}
              </Table.Td>
              <Table.Td ta="right">{formatHours(durationHours(event, now), i18n.language)}</Table.Td>
              <Table.Td>{event.createdBy}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {event.open && (
                    <Button size="compact-xs" variant="light" onClick={() => closing.open(event)} data-testid="downtime-close">
                      {t('production.downtime.close')}
                    </Button>
                  )}
                  <EntryStatus
                    entry={event}
                    canVoid
                    onVoid={() =>
                      onVoid({
                        type: 'downtime_event',
                        id: event.id,
                        label: `${codeOf(event.wellId)} ${formatDateTime(event.startedAt, i18n.language)}`,
                      })
                    }
                  />
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Modal opened={closing.opened} onClose={closing.close} title={t('production.downtime.closeTitle')}>
        {closing.target !== null && (
          <CloseForm key={closing.target.id} event={closing.target} wellCode={codeOf(closing.target.wellId)} onClose={closing.close} />
        )}
      </Modal>
    </Section>
  );
}
