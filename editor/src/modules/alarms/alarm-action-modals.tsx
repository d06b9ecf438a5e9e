import { Alert, Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acknowledgeAlarm, acknowledgeAlarms, alarmKeys, shelveAlarm, type Alarm } from '../../api/alarms';
import { ErrorMessage } from '../../shell/error-message';
import { SHELVE_MINUTES } from './alarm-list';

/** What to acknowledge: one alarm, or every unacknowledged alarm on the visible page. */
export type AckTarget = { one: Alarm } | { page: readonly Alarm[] } | null;

export function AckModal({ target, onClose }: { target: AckTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const close = () => {
    setComment('');
    ack.reset();
    onClose();
  };
  const ack = useMutation({
    mutationFn: async (chosen: NonNullable<AckTarget>) => {
      if ('one' in chosen) await acknowledgeAlarm(chosen.one.id, comment.trim());
      else await acknowledgeAlarms(chosen.page.map((alarm) => alarm.id), comment.trim());
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: alarmKeys.all });
      close();
    },
  });
  const count = target === null ? 0 : 'one' in target ? 1 : target.page.length;
  return (
    <Modal opened={target !== null} onClose={close} title={t('alarms.ack.title', { count })}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (target !== null) ack.mutate(target);
        }}
      >
        <Stack>
          {target !== null && 'one' in target && (
            <Text size="sm" data-testid="alarm-ack-subject">
              {target.one.tagPath ?? target.one.id}: {target.one.message}
            </Text>
          )}
          <TextInput
            label={t('alarms.ack.comment')}
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
            maxLength={500}
            data-autofocus
            data-testid="alarm-ack-comment"
          />
          {ack.isError && (
            <Alert color="red" title={t('alarms.ack.failed')}>
              <ErrorMessage error={ack.error} />
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('alarms.cancel')}
            </Button>
            <Button type="submit" loading={ack.isPending} data-testid="alarm-ack-confirm">
              {t('alarms.ack.confirm', { count })}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function ShelveModal({ alarm, onClose }: { alarm: Alarm | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState<string>('60');
  const close = () => {
    setReason('');
    shelve.reset();
    onClose();
  };
  const shelve = useMutation({
    mutationFn: (chosen: Alarm) => shelveAlarm(chosen.id, reason.trim(), Number(minutes)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: alarmKeys.all });
      close();
    },
  });
  return (
    <Modal opened={alarm !== null} onClose={close} title={t('alarms.shelve.title')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (alarm !== null) shelve.mutate(alarm);
        }}
      >
        <Stack>
          {alarm !== null && (
            <Text size="sm">
              {alarm.tagPath ?? alarm.id}: {alarm.message}
            </Text>
          )}
          <TextInput
            label={t('alarms.shelve.reason')}
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            maxLength={500}
            data-autofocus
            data-testid="alarm-shelve-reason"
          />
          <Select
            label={t('alarms.shelve.duration')}
            data={SHELVE_MINUTES.map((value) => ({ value: String(value), label: t('alarms.shelve.minutes', { count: value }) }))}
            value={minutes}
            onChange={(value) => setMinutes(value ?? '60')}
            allowDeselect={false}
            data-testid="alarm-shelve-duration"
          />
          {shelve.isError && (
            <Alert color="red" title={t('alarms.shelve.failed')}>
              <ErrorMessage error={shelve.error} />
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('alarms.cancel')}
            </Button>
            <Button type="submit" loading={shelve.isPending} disabled={reason.trim() === ''} data-testid="alarm-shelve-confirm">
              {t('alarms.shelve.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
