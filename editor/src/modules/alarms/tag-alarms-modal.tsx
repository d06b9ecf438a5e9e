import { Alert, Badge, Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ALARM_PRIORITIES,
  alarmKeys,
  createDefinition,
  DEFINITION_KINDS,
  deleteDefinition,
  fetchDefinitions,
  updateDefinition,
  type AlarmDefinition,
  type AlarmDefinitionInput,
  type AlarmPriority,
} from '../../api/alarms';
import type { Tag } from '../../api/tags';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber, formatQuantity, type UnitSystem } from '../../units/units';
import { PRIORITY_COLOR } from './alarm-list';
import { canonicalFromDisplay, displayFromCanonical } from './alarm-units';

type Kind = AlarmDefinitionInput['kind'];

/** Kinds whose limit is a difference (a rate, a deviation): converted without the unit's offset. */
const DIFFERENCE_KINDS: ReadonlySet<Kind> = new Set(['roc', 'deviation']);
const NUMERIC_KINDS: ReadonlySet<Kind> = new Set(['hihi', 'hi', 'lo', 'lolo', 'roc', 'deviation']);

/** The form, in the user's display units. */
interface DraftFields {
  kind: Kind;
  limit: number | '';
  alarmState: string;
  setpointPath: string;
  priority: AlarmPriority;
  deadband: number | '';
  onDelaySeconds: number | '';
  offDelaySeconds: number | '';
  area: string;
  message: string;
  enabled: boolean;
  reason: string;
}

function draftOf(definition: AlarmDefinition | null, tag: Tag, system: UnitSystem): DraftFields {
  if (definition === null) {
    const kind: Kind = tag.dataType === 'bool' || tag.dataType === 'string' ? 'discrete' : 'hi';
    return {
      kind,
      limit: '',
      alarmState: kind === 'discrete' ? 'true' : '',
      setpointPath: '',
      priority: 'medium',
      deadband: 0,
      onDelaySeconds: 0,
      offDelaySeconds: 0,
      area: tag.path.split('/')[1] ?? '',
      message: '',
      enabled: true,
      reason: '',
    };
  }
  const difference = DIFFERENCE_KINDS.has(definition.kind);
  return {
    kind: definition.kind,
    limit: definition.limit === null ? '' : displayFromCanonical(definition.limit, tag, system, difference),
    alarmState: definition.alarmState ?? '',
    setpointPath: definition.setpointPath ?? '',
    priority: definition.priority,
    deadband: displayFromCanonical(definition.deadband, tag, system, true),
    onDelaySeconds: definition.onDelaySeconds,
    offDelaySeconds: definition.offDelaySeconds,
    area: definition.area,
    message: definition.message,
    enabled: definition.enabled,
    reason: '',
  };
}

/** The draft as the API takes it: canonical units, the fields the kind does not use sent as null. */
function inputOf(draft: DraftFields, tag: Tag, system: UnitSystem): AlarmDefinitionInput {
  const numeric = NUMERIC_KINDS.has(draft.kind);
  return {
    tagPath: tag.path,
    kind: draft.kind,
    limit: numeric && draft.limit !== '' ? canonicalFromDisplay(draft.limit, tag, system, DIFFERENCE_KINDS.has(draft.kind)) : null,
    alarmState: draft.kind === 'discrete' ? draft.alarmState.trim() : null,
    setpointPath: draft.kind === 'deviation' ? draft.setpointPath.trim() : null,
    priority: draft.priority,
    deadband: draft.deadband === '' ? 0 : canonicalFromDisplay(draft.deadband, tag, system, true),
    onDelaySeconds: draft.onDelaySeconds === '' ? 0 : draft.onDelaySeconds,
    offDelaySeconds: draft.offDelaySeconds === '' ? 0 : draft.offDelaySeconds,
    area: draft.area.trim(),
    message: draft.message,
    enabled: draft.enabled,
  };
}

function DefinitionForm({ tag, editing, onDone }: { tag: Tag; editing: AlarmDefinition | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { system } = useUnitSystem();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<DraftFields>(() => draftOf(editing, tag, system));
  const set = <K extends keyof DraftFields>(key: K, value: DraftFields[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const unit = displayUnitLabel(tag.unit, system, tag.displayUnit);
  const save = useMutation({
    mutationFn: async () => {
      const input = inputOf(draft, tag, system);
      if (editing === null) return createDefinition(input, draft.reason.trim());
      const { tagPath: _tagPath, kind: _kind, ...changes } = input;
      return updateDefinition(editing.id, editing.rowVersion, changes, draft.reason.trim());
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: alarmKeys.definitions(tag.path) });
      onDone();
    },
  });
  const kind = draft.kind;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
      data-testid="alarm-definition-form"
    >
      <Stack gap="xs">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('alarmDefinitions.fields.kind')}
            data={DEFINITION_KINDS.map((value) => ({ value, label: t(`alarmDefinitions.kind.${value}`) }))}
            value={kind}
            onChange={(value) => value !== null && set('kind', value)}
            disabled={editing !== null}
            allowDeselect={false}
            data-testid="alarm-definition-kind"
          />
          {NUMERIC_KINDS.has(kind) && (
            <NumberInput
              label={t(kind === 'roc' ? 'alarmDefinitions.fields.rocLimit' : 'alarmDefinitions.fields.limit', { unit })}
              value={draft.limit}
              onChange={(value) => set('limit', typeof value === 'number' ? value : '')}
              decimalScale={6}
              required
              data-testid="alarm-definition-limit"
            />
          )}
          {kind === 'discrete' && (
            <TextInput
              label={t('alarmDefinitions.fields.alarmState')}
              description={t('alarmDefinitions.fields.alarmStateHint')}
              value={draft.alarmState}
              onChange={(event) => set('alarmState', event.currentTarget.value)}
              required
            />
          )}
          {kind === 'deviation' && (
            <TextInput
              label={t('alarmDefinitions.fields.setpointPath')}
              value={draft.setpointPath}
              onChange={(event) => set('setpointPath', event.currentTarget.value)}
              required
            />
          )}
          <Select
            label={t('alarmDefinitions.fields.priority')}
            data={ALARM_PRIORITIES.map((value) => ({ value, label: t(`alarms.priority.${value}`) }))}
            value={draft.priority}
            onChange={(value) => value !== null && set('priority', value)}
            allowDeselect={false}
            data-testid="alarm-definition-priority"
          />
          <NumberInput
            label={t('alarmDefinitions.fields.deadband', { unit })}
            value={draft.deadband}
            min={0}
            decimalScale={6}
            onChange={(value) => set('deadband', typeof value === 'number' ? value : '')}
          />
          <NumberInput
            label={t('alarmDefinitions.fields.onDelaySeconds')}
            value={draft.onDelaySeconds}
            min={0}
            max={86400}
            onChange={(value) => set('onDelaySeconds', typeof value === 'number' ? value : '')}
          />
          <NumberInput
            label={t('alarmDefinitions.fields.offDelaySeconds')}
            value={draft.offDelaySeconds}
            min={0}
            max={86400}
            onChange={(value) => set('offDelaySeconds', typeof value === 'number' ? value : '')}
          />
          <TextInput
            label={t('alarmDefinitions.fields.area')}
            value={draft.area}
            onChange={(event) => set('area', event.currentTarget.value)}
            required
            maxLength={100}
            data-testid="alarm-definition-area"
          />
        </SimpleGrid>
        <TextInput
          label={t('alarmDefinitions.fields.message')}
          value={draft.message}
          onChange={(event) => set('message', event.currentTarget.value)}
          maxLength={500}
          data-testid="alarm-definition-message"
        />
        <Switch label={t('alarmDefinitions.fields.enabled')} checked={draft.enabled} onChange={(event) => set('enabled', event.currentTarget.checked)} />
        <TextInput
          label={t('alarmDefinitions.fields.reason')}
          description={t('alarmDefinitions.fields.reasonHint')}
          value={draft.reason}
          onChange={(event) => set('reason', event.currentTarget.value)}
          required
          maxLength={500}
          data-testid="alarm-definition-reason"
        />
        {save.isError && (
          <Alert color="red" title={t('alarmDefinitions.saveFailed')} data-testid="alarm-definition-error">
            <ErrorMessage error={save.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('alarms.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={draft.reason.trim() === ''} data-testid="alarm-definition-save">
            {t('alarmDefinitions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteDefinition({ tag, definition, onDone }: { tag: Tag; definition: AlarmDefinition; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const remove = useMutation({
    mutationFn: () => deleteDefinition(definition.id, reason.trim()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: alarmKeys.definitions(tag.path) });
      onDone();
    },
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        remove.mutate();
      }}
    >
      <Stack gap="xs">
        <Text size="sm">{t('alarmDefinitions.deleteQuestion', { kind: t(`alarmDefinitions.kind.${definition.kind}`) })}</Text>
        <TextInput
          label={t('alarmDefinitions.fields.reason')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          required
          data-testid="alarm-definition-delete-reason"
        />
        {remove.isError && (
          <Alert color="red" title={t('alarmDefinitions.deleteFailed')}>
            <ErrorMessage error={remove.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('alarms.cancel')}
          </Button>
          <Button type="submit" color="red" loading={remove.isPending} disabled={reason.trim() === ''} data-testid="alarm-definition-delete-confirm">
            {t('alarmDefinitions.delete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Editing = { form: AlarmDefinition | null } | { deleting: AlarmDefinition } | null;

/** A tag's alarm definitions: listed in the site's units; engineers add, change and delete them, each with a reason. */
export function TagAlarmsModal({ tag, canEdit, onClose }: { tag: Tag | null; canEdit: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const [editing, setEditing] = useState<Editing>(null);
  const path = tag?.path ?? '';
  const definitions = useQuery({
    queryKey: alarmKeys.definitions(path),
    queryFn: async ({ signal }) => (await fetchDefinitions(path, signal)).filter((definition) => definition.tagPath === path),
    enabled: tag !== null,
  });
  const close = () => {
    setEditing(null);
    onClose();
  };
  const limitText = (definition: AlarmDefinition) => {
    if (tag === null) return '';
    if (definition.kind === 'discrete') return `= ${definition.alarmState ?? ''}`;
    if (definition.limit === null) return '';
    if (!DIFFERENCE_KINDS.has(definition.kind)) return formatQuantity(definition.limit, tag.unit, system, i18n.language, tag.displayUnit);
    // A rate or a deviation is a difference: no unit offset (a 10 °C deviation is 18 °F, not 50 °F).
    const difference = `${formatNumber(displayFromCanonical(definition.limit, tag, system, true), 2, i18n.language, false)} ${displayUnitLabel(tag.unit, system, tag.displayUnit)}`;
    return definition.kind === 'roc' ? t('alarmDefinitions.perMinute', { value: difference }) : `± ${difference} (${definition.setpointPath ?? ''})`;
  };
  return (
    <Modal opened={tag !== null} onClose={close} size="xl" title={t('alarmDefinitions.title', { path })}>
      {tag !== null && (
        <Stack data-testid="tag-alarms">
          {definitions.isError && (
            <Alert color="red" title={t('alarmDefinitions.failed')}>
              <ErrorMessage error={definitions.error} />
            </Alert>
          )}
          {definitions.isSuccess &&
            (definitions.data.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('alarmDefinitions.none')}
              </Text>
            ) : (
              <Table data-testid="tag-alarms-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('alarmDefinitions.fields.kind')}</Table.Th>
                    <Table.Th ta="right">{t('alarmDefinitions.fields.limitShort')}</Table.Th>
                    <Table.Th>{t('alarmDefinitions.fields.priority')}</Table.Th>
                    <Table.Th>{t('alarmDefinitions.fields.area')}</Table.Th>
                    <Table.Th>{t('alarmDefinitions.fields.message')}</Table.Th>
                    {canEdit && <Table.Th />}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {definitions.data.map((definition) => (
                    <Table.Tr key={definition.id} data-testid={`tag-alarm-${definition.kind}`} opacity={definition.enabled ? 1 : 0.5}>
                      <Table.Td>{t(`alarmDefinitions.kind.${definition.kind}`)}</Table.Td>
                      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                        {limitText(definition)}
                      </Table.Td>
                      <Table.Td>
                        <Badge size="sm" variant="light" color={PRIORITY_COLOR[definition.priority]}>
                          {t(`alarms.priority.${definition.priority}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{definition.area}</Table.Td>
                      <Table.Td>
                        <Text size="sm" lineClamp={1}>
                          {definition.message}
                        </Text>
                      </Table.Td>
                      {canEdit && (
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" variant="subtle" onClick={() => setEditing({ form: definition })} data-testid={`tag-alarm-edit-${definition.kind}`}>
                              {t('alarmDefinitions.edit')}
                            </Button>
                            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setEditing({ deleting: definition })} data-testid={`tag-alarm-delete-${definition.kind}`}>
                              {t('alarmDefinitions.delete')}
                            </Button>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ))}
          {canEdit && editing === null && (
            <Group>
              <Button variant="light" onClick={() => setEditing({ form: null })} data-testid="tag-alarm-add">
                {t('alarmDefinitions.add')}
              </Button>
            </Group>
          )}
          {editing !== null && 'form' in editing && (
            <DefinitionForm key={editing.form?.id ?? 'new'} tag={tag} editing={editing.form} onDone={() => setEditing(null)} />
          )}
          {editing !== null && 'deleting' in editing && <DeleteDefinition tag={tag} definition={editing.deleting} onDone={() => setEditing(null)} />}
        </Stack>
      )}
    </Modal>
  );
}
