import { Badge, Button, Modal, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { closeDowntime, fetchDowntime, fetchOpenDowntime, productionKeys, recordDowntime, type Asset, type DowntimeEvent } from '../../api/production';
import { formatTimestamp } from '../../units/format-time';
import { defaultTimeInput, formatDateTime, localDateTimeInput } from './dates';
import { useProductionDayClock } from './use-production-day';
import { DialogForm, useDialogMutation } from './dialog-form';
import { EntryForm } from './entry-form';
import { AssetSelect, CodeSelect, type EntrySectionProps, Section, TextEntry, TimeInput } from './entry-inputs';
import { closeDowntimeBody, DOWNTIME_REASONS, downtimeBody, type DowntimeForm, type InputError } from './entry-forms';
import { EntryListTable, useDayEntries } from './entry-list-table';
import { formatHours } from './quantities';
import { useEntryForm } from './use-entry-form';
import { useModalTarget } from './use-modal-target';

function CloseForm({ event, wellCode, onClose }: { event: DowntimeEvent; wellCode: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  // To the second, so that closing right after opening (in the same minute) is not before the start.
  const [endedAt, setEndedAt] = useState(() => localDateTimeInput(new Date(), 'seconds'));
  const [invalid, setInvalid] = useState<InputError | null>(null);
  const close = useDialogMutation((instant: string) => closeDowntime(event.id, instant), onClose);
  return (
    <DialogForm
      testId="downtime-close-form"
      onSubmit={() => {
        const result = closeDowntimeBody(endedAt, event.startedAt);
        if ('errors' in result) {
          setInvalid(result.errors.endedAt ?? 'notATime');
          return;
        }
        close.mutate(result.body.endedAt);
      }}
      pending={close.isPending}
      error={close.error}
      submitLabel={t('production.downtime.close')}
      submitTestId="downtime-close-submit"
      onClose={onClose}
    >
      <Text size="sm" data-testid="downtime-close-explain">
        {t('production.downtime.closeExplain', { well: wellCode, since: formatTimestamp(Date.parse(event.startedAt), i18n.language) })}
      </Text>
      <TimeInput
        label={t('production.downtime.endedAt')}
        value={endedAt}
        onChange={(text) => {
          setEndedAt(text);
          setInvalid(null);
        }}
        error={invalid === null ? undefined : t(`production.inputErrors.${invalid}`)}
        required
        step={1}
        testId="downtime-close-time"
      />
    </DialogForm>
  );
}

/** Hours between two instants, or until now for an open event. */
function durationHours(event: DowntimeEvent, now: number): number {
  const end = event.endedAt === null ? now : Date.parse(event.endedAt);
  return Math.max(0, (end - Date.parse(event.startedAt)) / 3_600_000);
}

/** Well downtime (paros) with a reason; an open event is closed when the well is back on. */
export function DowntimeSection({ siteId, date, wells, codeOf, onVoid }: EntrySectionProps & { wells: Asset[] }) {
  const clock = useProductionDayClock();
  const { t, i18n } = useTranslation();
  const closing = useModalTarget<DowntimeEvent>();
  const entry = useEntryForm({
    initial: (): DowntimeForm => ({ wellId: '', startedAt: defaultTimeInput(date, new Date(), clock), endedAt: '', reasonCode: '', notes: '' }),
    toBody: downtimeBody,
    send: recordDowntime,
    aliases: { wellId: 'wellId', startedAt: 'startedAt', endedAt: 'endedAt', reasonCode: 'reasonCode', notes: 'notes' },
    keepAfterSave: (saved): DowntimeForm => ({ ...saved, wellId: '', endedAt: '', reasonCode: '', notes: '' }),
  });
  const ofDay = useDayEntries('downtime_event', fetchDowntime, siteId, date);
  const open = useQuery({
    queryKey: productionKeys.openDowntime(siteId),
    queryFn: ({ signal }) => fetchOpenDowntime(siteId, signal),
  });
  // Events still open from earlier days belong on today's list too: they wait to be closed.
  const events = [...(open.data?.items ?? []), ...ofDay.entries].filter(
    (event, index, all) => all.findIndex((other) => other.id === event.id) === index,
  );
  events.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const { field } = entry;

  return (
    <Section title={t('production.downtime.title')} testId="downtime-section">
      <EntryForm name="downtime" entry={entry} submitLabel={t('production.downtime.submit')} columns={3}>
        <AssetSelect label={t('production.downtime.well')} assets={wells} {...field('wellId')} required testId="downtime-well" />
        <CodeSelect
          label={t('production.downtime.reason')}
          codes={DOWNTIME_REASONS}
          codeLabel={(reason) => t(`production.downtimeReasons.${reason}`)}
          pick
          {...field('reasonCode')}
          required
          testId="downtime-reason"
        />
        <TextEntry label={t('production.notes')} {...field('notes')} />
        <TimeInput label={t('production.downtime.startedAt')} {...field('startedAt')} required testId="downtime-start" />
        <TimeInput label={t('production.downtime.endedAtOptional')} {...field('endedAt')} testId="downtime-end" />
      </EntryForm>

      <EntryListTable
        name="downtime"
        rowName={(event) => codeOf(event.wellId)}
        rowData={(event) => ({ 'data-open': event.open })}
        columns={[
          { header: t('production.downtime.well'), cell: (event) => codeOf(event.wellId) },
          { header: t('production.downtime.reason'), cell: (event) => t(`production.downtimeReasons.${event.reasonCode}`) },
          { header: t('production.downtime.startedAt'), cell: (event) => formatDateTime(event.startedAt, i18n.language) },
          {
            header: t('production.downtime.endedAt'),
            cell: (event) =>
              event.endedAt === null ? (
                <Badge color="orange" variant="light">
                  {t('production.downtime.open')}
                </Badge>
              ) : (
                formatDateTime(event.endedAt, i18n.language)
              ),
          },
          { header: t('production.downtime.duration'), numeric: true, cell: (event) => formatHours(durationHours(event, Date.now()), i18n.language) },
        ]}
        entries={events}
        loaded={ofDay.loaded}
        error={ofDay.error ?? open.error}
        emptyText={t('production.downtime.empty')}
        type="downtime_event"
        voidLabel={(event) => `${codeOf(event.wellId)} ${formatDateTime(event.startedAt, i18n.language)}`}
        onVoid={onVoid}
        actions={(event) =>
          event.open && (
            <Button size="compact-xs" variant="light" onClick={() => closing.open(event)} data-testid="downtime-close">
              {t('production.downtime.close')}
            </Button>
          )
        }
      />

      <Modal opened={closing.opened} onClose={closing.close} title={t('production.downtime.closeTitle')}>
        {closing.target !== null && (
          <CloseForm key={closing.target.id} event={closing.target} wellCode={codeOf(closing.target.wellId)} onClose={closing.close} />
        )}
      </Modal>
    </Section>
  );
}
