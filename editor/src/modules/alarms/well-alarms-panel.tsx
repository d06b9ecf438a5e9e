import { Alert, Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { hasRole } from '../../api/auth';
import { alarmKeys, fetchAlarms, type AlarmFilter } from '../../api/alarms';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { AckModal, type AckTarget } from './alarm-action-modals';
import { alarmsInView, sortAlarms } from './alarm-list';
import { AlarmTable } from './alarm-table';

const POLL_MS = 2000;
/** A well has a handful of alarms; past this the console is the place to look. */
const MAX_ROWS = 20;

/** The active alarms of one asset (`SITE1/WELL-101/`), for its detail page; acknowledge from here, the rest in the console. */
export function WellAlarmsPanel({ prefix }: { prefix: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const [acking, setAcking] = useState<AckTarget>(null);
  const filter: AlarmFilter = { area: '', priority: '', prefix };
  const alarms = useQuery({
    queryKey: alarmKeys.active(filter),
    queryFn: ({ signal }) => fetchAlarms(filter, signal),
    refetchInterval: POLL_MS,
  });
  const active = sortAlarms(alarmsInView(alarms.data ?? [], 'active'));
  return (
    <Paper withBorder p="sm" data-testid="well-alarms">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>{t('alarms.well.title', { count: active.length })}</Title>
          <Anchor component={Link} to="/alarms" size="sm">
            {t('alarms.well.console')}
          </Anchor>
        </Group>
        {alarms.isError && (
          <Alert color="red" title={t('alarms.failed')}>
            <ErrorMessage error={alarms.error} />
          </Alert>
        )}
        {alarms.isSuccess &&
          (active.length === 0 ? (
            <Text size="sm" c="dimmed" data-testid="well-alarms-none">
              {t('alarms.well.none')}
            </Text>
          ) : (
            <AlarmTable
              alarms={active.slice(0, MAX_ROWS)}
              testId="well-alarms-table"
              actions={hasRole(user.role, 'operator') ? { onAck: (alarm) => setAcking({ one: alarm }) } : {}}
            />
          ))}
      </Stack>
      <AckModal target={acking} onClose={() => setAcking(null)} />
    </Paper>
  );
}
