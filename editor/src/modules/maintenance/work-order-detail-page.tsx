import { Anchor, Button, Checkbox, Group, NumberInput, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import {
  addLabour,
  attachmentPath,
  fetchWorkOrder,
  maintenanceKeys,
  moveWorkOrder,
  setTaskDone,
  trendLink,
  updateFailureCodes,
  type WorkOrderDetail,
  type WorkOrderStatus,
} from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { WorkOrderParts } from './work-order-parts';

const blankToNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** One work order: its state and moves, tasks, labour, parts with their cost, failure codes, attachments, the alarm and trend it came from. */
export function WorkOrderDetailPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const order = useQuery({ queryKey: maintenanceKeys.order(id), queryFn: ({ signal }) => fetchWorkOrder(id, signal) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: maintenanceKeys.all });
  const move = useMutation({ mutationFn: ({ current, to }: { current: WorkOrderDetail; to: WorkOrderStatus }) => moveWorkOrder(current, to, to === 'scheduled' ? new Date().toISOString() : undefined), onSuccess: refresh });
  const task = useMutation({ mutationFn: ({ taskId, done }: { taskId: string; done: boolean }) => setTaskDone(id, taskId, done), onSuccess: refresh });
  const labour = useMutation({ mutationFn: (body: { technician: string; hours: number; workedOn: string }) => addLabour(id, body), onSuccess: refresh });
  const codes = useMutation({ mutationFn: ({ current, values }: { current: WorkOrderDetail; values: { problemCode: string | null; causeCode: string | null; remedyCode: string | null } }) => updateFailureCodes(current, values), onSuccess: refresh });
  const [technician, setTechnician] = useState('');
  const [hours, setHours] = useState<number | string>(1);
  const [problem, setProblem] = useState<string | null>(null);
  const [cause, setCause] = useState<string | null>(null);
  const [remedy, setRemedy] = useState<string | null>(null);

  if (order.error) return <ErrorMessage error={order.error} />;
  const current = order.data;
  if (!current) return null;
  const money = (value: number, currency: string) => new Intl.NumberFormat(i18n.language, { style: 'currency', currency }).format(value);
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');

  return (
    <Stack data-testid="maintenance-detail">
      <Title order={2}>
        #{current.number} {current.title}
      </Title>
      <Text>
        {t('maintenance.detail.status')}: <b data-testid="maintenance-status">{t(`maintenance.status.${current.status}`)}</b> · {t(`maintenance.kind.${current.kind}`)} ·{' '}
        {t(`maintenance.priority.${current.priority}`)} · <Anchor component={Link} to={`/maintenance/equipment/${current.equipmentId}`}>{t('maintenance.detail.equipmentHistory')}</Anchor>
      </Text>
      {current.description ? <Text>{current.description}</Text> : null}
      <Group>
        {current.nextStatuses.map((to) => (
          <Button key={to} size="xs" variant={to === 'cancelled' ? 'outline' : 'filled'} loading={move.isPending} onClick={() => move.mutate({ current, to })} data-testid={`maintenance-move-${to}`}>
            {t(`maintenance.move.${to}`)}
          </Button>
        ))}
      </Group>
      {move.error ? <ErrorMessage error={move.error} /> : null}
      <Text size="sm">
        {t('maintenance.detail.failedAt')}: {date(current.failedAt)} · {t('maintenance.detail.scheduledFor')}: {date(current.scheduledFor)} · {t('maintenance.detail.completedAt')}: {date(current.completedAt)}
      </Text>
      {current.alarmId || current.trendTagPath ? (
        <Paper withBorder p="xs" data-testid="maintenance-alarm-link">
          {current.alarmId ? (
            <Text size="sm">
              {t('maintenance.detail.alarm')}: <Anchor component={Link} to="/alarms">{current.alarmId}</Anchor>
            </Text>
          ) : null}
          {current.trendTagPath ? (
            <Text size="sm">
              {t('maintenance.detail.trend')}: <Anchor component={Link} to={trendLink(current.trendTagPath)}>{current.trendTagPath}</Anchor>
            </Text>
          ) : null}
        </Paper>
      ) : null}

      <Title order={4}>{t('maintenance.detail.tasks')}</Title>
      {current.tasks.map((item) => (
        <Checkbox key={item.id} label={item.description} checked={item.done} onChange={(event) => task.mutate({ taskId: item.id, done: event.currentTarget.checked })} />
      ))}

      <Title order={4}>{t('maintenance.detail.failureCodes')}</Title>
      <Group align="end">
        <TextInput label={t('maintenance.detail.problem')} value={problem ?? current.problemCode ?? ''} onChange={(event) => setProblem(event.currentTarget.value)} />
        <TextInput label={t('maintenance.detail.cause')} value={cause ?? current.causeCode ?? ''} onChange={(event) => setCause(event.currentTarget.value)} />
        <TextInput label={t('maintenance.detail.remedy')} value={remedy ?? current.remedyCode ?? ''} onChange={(event) => setRemedy(event.currentTarget.value)} />
        <Button
          onClick={() =>
            codes.mutate({
              current,
              values: { problemCode: blankToNull(problem ?? current.problemCode ?? ''), causeCode: blankToNull(cause ?? current.causeCode ?? ''), remedyCode: blankToNull(remedy ?? current.remedyCode ?? '') },
            })
          }
        >
          {t('maintenance.detail.save')}
        </Button>
      </Group>
      {codes.error ? <ErrorMessage error={codes.error} /> : null}

      <Title order={4}>
        {t('maintenance.detail.labour')} ({current.labourHours} h)
      </Title>
      <Table>
        <Table.Tbody>
          {current.labour.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>{row.workedOn}</Table.Td>
              <Table.Td>{row.technician}</Table.Td>
              <Table.Td>{row.hours} h</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="end">
        <TextInput label={t('maintenance.detail.technician')} value={technician} onChange={(event) => setTechnician(event.currentTarget.value)} />
        <NumberInput label={t('maintenance.detail.hours')} value={hours} onChange={setHours} min={0.1} max={24} step={0.5} />
        <Button
          disabled={technician.trim() === '' || typeof hours !== 'number'}
          onClick={() => labour.mutate({ technician: technician.trim(), hours: Number(hours), workedOn: new Date().toISOString().slice(0, 10) })}
        >
          {t('maintenance.detail.addLabour')}
        </Button>
      </Group>
      {labour.error ? <ErrorMessage error={labour.error} /> : null}

      <Title order={4}>{t('maintenance.detail.parts')}</Title>
      <WorkOrderParts order={current} onChanged={refresh} />
      {current.partsCost.map((cost) => (
        <Text key={cost.currency} fw={600}>
          {t('maintenance.detail.partsCost')}: {money(cost.value, cost.currency)}
        </Text>
      ))}

      <Title order={4}>{t('maintenance.detail.attachments')}</Title>
      {current.attachments.map((file) => (
        <Anchor key={file.id} href={attachmentPath(current.id, file.id)}>
          {file.fileName} ({Math.ceil(file.sizeBytes / 1024)} KiB)
        </Anchor>
      ))}
    </Stack>
  );
}
