import { Badge, Button, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Alarm } from '../../api/alarms';
import { useUnitSystem } from '../../shell/unit-system';
import { formatTimestamp } from '../../units/format-time';
import { isUnacknowledged, PRIORITY_COLOR } from './alarm-list';
import { formatAlarmValue, useTagUnits } from './alarm-units';

export interface AlarmActions {
  onAck?: (alarm: Alarm) => void;
  onShelve?: (alarm: Alarm) => void;
  onUnshelve?: (alarm: Alarm) => Promise<void>;
}

/** One page of alarms (never the whole list: a flood of 1,000 renders 50 rows). */
export function AlarmTable({ alarms, actions, testId }: { alarms: readonly Alarm[]; actions: AlarmActions; testId: string }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const units = useTagUnits(alarms.flatMap((alarm) => (alarm.tagPath === null ? [] : [alarm.tagPath])));
  const labels = { true: t('alarms.true'), false: t('alarms.false'), none: '—' };
  const hasActions = actions.onAck !== undefined || actions.onShelve !== undefined || actions.onUnshelve !== undefined;
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover verticalSpacing={4} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('alarms.columns.priority')}</Table.Th>
            <Table.Th>{t('alarms.columns.time')}</Table.Th>
            <Table.Th>{t('alarms.columns.tag')}</Table.Th>
            <Table.Th>{t('alarms.columns.message')}</Table.Th>
            <Table.Th ta="right">{t('alarms.columns.value')}</Table.Th>
            <Table.Th ta="right">{t('alarms.columns.limit')}</Table.Th>
            <Table.Th>{t('alarms.columns.state')}</Table.Th>
            <Table.Th>{t('alarms.columns.area')}</Table.Th>
            {hasActions && <Table.Th>{t('alarms.columns.actions')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alarms.map((alarm) => {
            const unit = alarm.tagPath === null ? undefined : units.get(alarm.tagPath);
            const unacked = isUnacknowledged(alarm);
            return (
              <Table.Tr key={alarm.id} data-testid={`alarm-row-${alarm.id}`} data-state={alarm.state} fw={unacked ? 700 : undefined}>
                <Table.Td>
                  <Badge color={PRIORITY_COLOR[alarm.priority]} variant={unacked ? 'filled' : 'light'}>
                    {t(`alarms.priority.${alarm.priority}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
                    {formatTimestamp(Date.parse(alarm.activeSince ?? alarm.lastChangeAt), i18n.language)}
                  </Text>
                </Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {alarm.tagPath ?? t('alarms.system')}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2}>
                    {alarm.message}
                  </Text>
                  {alarm.mode === 'shelved' && alarm.shelvedUntil !== null && (
                    <Text size="xs" c="dimmed">
                      {t('alarms.shelvedUntil', { time: formatTimestamp(Date.parse(alarm.shelvedUntil), i18n.language), user: alarm.shelvedBy ?? '', reason: alarm.modeReason ?? '' })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {formatAlarmValue(alarm.value, unit, system, i18n.language, labels)}
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  {alarm.limit === null ? '' : formatAlarmValue(alarm.limit, unit, system, i18n.language, labels)}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{t(`alarms.state.${alarm.state}`)}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{alarm.area}</Text>
                </Table.Td>
                {hasActions && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {actions.onAck !== undefined && unacked && (
                        <Button size="compact-xs" onClick={() => actions.onAck?.(alarm)} data-testid={`alarm-ack-${alarm.id}`}>
                          {t('alarms.ack.action')}
                        </Button>
                      )}
                      {actions.onShelve !== undefined && alarm.mode === 'enabled' && (
                        <Button size="compact-xs" variant="default" onClick={() => actions.onShelve?.(alarm)} data-testid={`alarm-shelve-${alarm.id}`}>
                          {t('alarms.shelve.action')}
                        </Button>
                      )}
                      {actions.onUnshelve !== undefined && alarm.mode === 'shelved' && (
                        <Button size="compact-xs" variant="default" onClick={() => void actions.onUnshelve?.(alarm)} data-testid={`alarm-unshelve-${alarm.id}`}>
                          {t('alarms.unshelve')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
