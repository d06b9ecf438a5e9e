import { Alert, Button, Group, Loader, Pagination, Paper, SegmentedControl, Select, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { ALARM_PRIORITIES, alarmKeys, fetchAlarms, unshelveAlarm, type Alarm, type AlarmFilter, type AlarmPriority } from '../../api/alarms';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { AckModal, ShelveModal, type AckTarget } from './alarm-action-modals';
import { ALARM_VIEWS, alarmsInView, areasOf, isUnacknowledged, newCriticalAlarms, sortAlarms, type AlarmView } from './alarm-list';
import { playAlarmTone } from './alarm-sound';
import { AlarmTable } from './alarm-table';

const PAGE_SIZE = 50;
const POLL_MS = 2000;
const MUTE_KEY = 'petroflow.alarms.muted';
const NO_ALARMS: Alarm[] = [];

/**
 * The operator's alarm list: polled every 2 s, sorted by priority then
 * time, one page of 50 rendered at a time (a flood of 1,000 stays usable).
 * A new critical unacknowledged alarm raises a banner and a tone until
 * acknowledged or dismissed; the mute is remembered in this browser.
 */
export function AlarmConsole() {
  const { t } = useTranslation();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const canAct = hasRole(user.role, 'operator');
  const [view, setView] = useState<AlarmView>('unacknowledged');
  const [area, setArea] = useState('');
  const [priority, setPriority] = useState<AlarmPriority | ''>('');
  const [page, setPage] = useState(1);
  const [acking, setAcking] = useState<AckTarget>(null);
  const [shelving, setShelving] = useState<Alarm | null>(null);
  const [muted, setMuted] = useState(() => localStorage.getItem(MUTE_KEY) === 'true');
  const [banner, setBanner] = useState<Alarm[]>([]);
  const seenCritical = useRef<Set<string> | null>(null);

  // The server filters nothing here: the area list needs every area, and 2 s of 1,000 alarms is small.
  const filter: AlarmFilter = { area: '', priority: '', prefix: '' };
  const alarms = useQuery({
    queryKey: alarmKeys.active(filter),
    queryFn: ({ signal }) => fetchAlarms(filter, signal),
    refetchInterval: POLL_MS,
  });

  useEffect(() => {
    if (alarms.data === undefined) return;
    const { seen, fresh } = newCriticalAlarms(seenCritical.current, alarms.data);
    seenCritical.current = seen;
    if (fresh.length > 0) {
      setBanner((current) => [...fresh, ...current.filter((alarm) => !fresh.some((next) => next.id === alarm.id))]);
      if (!muted) playAlarmTone();
    }
  }, [alarms.data, muted]);

  const all = alarms.data ?? NO_ALARMS;
  const areas = useMemo(() => areasOf(all), [all]);
  const shown = useMemo(
    () => sortAlarms(alarmsInView(all, view).filter((alarm) => (area === '' || alarm.area === area) && (priority === '' || alarm.priority === priority))),
    [all, view, area, priority],
  );
  const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  const visible = shown.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  const visibleUnacked = visible.filter(isUnacknowledged);
  const stillUnacked = banner.filter((alarm) => all.some((candidate) => candidate.id === alarm.id && candidate.state === 'active_unack'));

  const unshelve = useMutation({
    mutationFn: (alarm: Alarm) => unshelveAlarm(alarm.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: alarmKeys.all }),
  });

  return (
    <Stack>
      {stillUnacked.length > 0 && (
        <Alert
          color="red"
          variant="filled"
          title={t('alarms.banner.title', { count: stillUnacked.length })}
          withCloseButton
          onClose={() => setBanner([])}
          data-testid="alarm-banner"
        >
          <Stack gap={2}>
            {stillUnacked.slice(0, 3).map((alarm) => (
              <Text key={alarm.id} size="sm">
                {alarm.tagPath ?? t('alarms.system')}: {alarm.message}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end">
          <SegmentedControl
            value={view}
            onChange={(value) => {
              setView(value);
              setPage(1);
            }}
            data={ALARM_VIEWS.map((value) => ({ value, label: t(`alarms.view.${value}`) }))}
            data-testid="alarm-view"
          />
          <Select
            label={t('alarms.filters.area')}
            placeholder={t('alarms.filters.all')}
            data={areas}
            value={area === '' ? null : area}
            onChange={(value) => {
              setArea(value ?? '');
              setPage(1);
            }}
            clearable
            w={180}
            data-testid="alarm-area-filter"
          />
          <Select
            label={t('alarms.filters.priority')}
            placeholder={t('alarms.filters.all')}
            data={ALARM_PRIORITIES.map((value) => ({ value, label: t(`alarms.priority.${value}`) }))}
            value={priority === '' ? null : priority}
            onChange={(value) => {
              setPriority((value ?? ''));
              setPage(1);
            }}
            clearable
            w={160}
            data-testid="alarm-priority-filter"
          />
        </Group>
        <Group>
          <Switch
            label={t('alarms.mute')}
            checked={muted}
            onChange={(event) => {
              const next = event.currentTarget.checked;
              setMuted(next);
              localStorage.setItem(MUTE_KEY, String(next));
            }}
            data-testid="alarm-mute"
          />
          {canAct && (
            <Button
              disabled={visibleUnacked.length === 0}
              onClick={() => setAcking({ page: visibleUnacked })}
              data-testid="alarm-ack-page"
            >
              {t('alarms.ack.page', { count: visibleUnacked.length })}
            </Button>
          )}
        </Group>
      </Group>

      {alarms.isError && (
        <Alert color="red" title={t('alarms.failed')}>
          <ErrorMessage error={alarms.error} />
        </Alert>
      )}
      {unshelve.isError && (
        <Alert color="red" title={t('alarms.unshelveFailed')}>
          <ErrorMessage error={unshelve.error} />
        </Alert>
      )}
      {alarms.isPending && <Loader size="sm" />}
      {alarms.isSuccess && (
        <Paper withBorder>
          {visible.length === 0 ? (
            <Text c="dimmed" ta="center" py="md" data-testid="alarm-empty">
              {t(`alarms.empty.${view}`)}
            </Text>
          ) : (
            <AlarmTable
              alarms={visible}
              testId="alarm-table"
              actions={
                canAct
                  ? { onAck: (alarm) => setAcking({ one: alarm }), onShelve: setShelving, onUnshelve: async (alarm) => void (await unshelve.mutateAsync(alarm)) }
                  : {}
              }
            />
          )}
        </Paper>
      )}
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="alarm-count">
          {t('alarms.count', { count: shown.length })}
        </Text>
        {pages > 1 && <Pagination total={pages} value={current} onChange={setPage} size="sm" data-testid="alarm-pages" />}
      </Group>
      <AckModal target={acking} onClose={() => setAcking(null)} />
      <ShelveModal alarm={shelving} onClose={() => setShelving(null)} />
    </Stack>
  );
}
