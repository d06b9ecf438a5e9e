import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../api/auth';
import { ApiError } from '../../api/client';
import { createTag, TAG_DATA_TYPES, tagKeys, updateTag, WRITE_ROLES, type Tag, type TagDataType, type TagFields } from '../../api/tags';
import { ErrorMessage } from '../../shell/error-message';
import { CANONICAL_UNITS, displayUnitLabel, displayUnitsFor } from '../../units/units';
import {
  changedFields,
  emptyTagForm,
  SCALING_FIELDS,
  serverFieldErrors,
  tagFieldsFrom,
  tagFormFrom,
  type FieldErrors,
  type FormField,
  type TagFormState,
} from './tag-form';

/** `null` creates a tag; a tag edits it. */
export type TagEditTarget = Tag | null;

interface TagFormModalProps {
  opened: boolean;
  target: TagEditTarget;
  onClose: () => void;
}

function isDataType(value: string): value is TagDataType {
  return TAG_DATA_TYPES.some((type) => type === value);
}

function isRole(value: string): value is Role {
  return ROLES.some((role) => role === value);
}

function TagForm({ target, onClose }: { target: TagEditTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<TagFormState>(() => (target === null ? emptyTagForm() : tagFormFrom(target)));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const save = useMutation({
    mutationFn: (fields: TagFields) =>
      target === null ? createTag(fields) : updateTag(target.id, target.rowVersion, changedFields(target, fields)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: tagKeys.all });
      onClose();
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || error.status !== 400) return;
      const found = serverFieldErrors(error.details);
      setErrors(found.fields);
      setOtherErrors(found.other);
    },
  });
  const conflict = save.error instanceof ApiError && save.error.status === 409;
  // A 400 whose every complaint sits next to its input needs no banner as well.
  const onInputsOnly =
    save.error instanceof ApiError && save.error.status === 400 && otherErrors.length === 0 && Object.values(errors).some(Boolean);
  const showFailure = save.isError && !conflict && !onInputsOnly;

  const set = <K extends keyof TagFormState>(key: K, value: TagFormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    // The server's verdict on an input no longer applies once it is edited.
    const field: FormField = key === 'scaled' ? 'scaling' : key;
    setErrors((current) => ({ ...current, [field]: undefined }));
  };
  const text = (key: Exclude<keyof TagFormState, 'scaled' | 'historyEnabled' | 'dataType' | 'readRole' | 'unit' | 'displayUnit' | 'writable' | 'writeRole'>) => ({
    value: form[key],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(key, event.currentTarget.value),
    error: errors[key],
  });

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const result = tagFieldsFrom(form);
        if ('errors' in result) {
          setErrors(Object.fromEntries(Object.keys(result.errors).map((key) => [key, t('tags.form.notANumber')])));
          return;
        }
        setErrors({});
        setOtherErrors([]);
        save.mutate(result.fields);
      }}
      data-testid="tag-form"
    >
      <Stack gap="sm">
        <TextInput
          label={t('tags.form.path')}
          description={t('tags.form.pathHint')}
          required
          data-testid="tag-form-path"
          {...text('path')}
        />
        <TextInput label={t('tags.form.description')} data-testid="tag-form-description" {...text('description')} />
        <SimpleGrid cols={4}>
          <NativeSelect
            label={t('tags.form.dataType')}
            data={TAG_DATA_TYPES.map((type) => ({ value: type, label: t(`tags.dataType.${type}`) }))}
            value={form.dataType}
            onChange={(event) => {
              if (isDataType(event.currentTarget.value)) set('dataType', event.currentTarget.value);
            }}
            error={errors.dataType}
            data-testid="tag-form-data-type"
          />
          <NativeSelect
            label={t('tags.form.unit')}
            data={CANONICAL_UNITS.map((unit) => ({ value: unit, label: unit === '' ? t('tags.form.noUnit') : unit }))}
            value={form.unit}
            onChange={(event) => {
              set('unit', event.currentTarget.value);
              set('displayUnit', '');
            }}
            error={errors.unit}
            data-testid="tag-form-unit"
          />
          <NativeSelect
            label={t('tags.form.displayUnit')}
            data={[
              { value: '', label: t('tags.form.followSystem') },
              ...displayUnitsFor(form.unit).map((unit) => ({ value: unit, label: displayUnitLabel(form.unit, 'metric', unit) })),
            ]}
            value={form.displayUnit}
            onChange={(event) => set('displayUnit', event.currentTarget.value)}
            error={errors.displayUnit}
            disabled={displayUnitsFor(form.unit).length === 0}
            data-testid="tag-form-display-unit"
          />
          <TextInput
            label={t('tags.form.deadband')}
            inputMode="decimal"
            data-testid="tag-form-deadband"
            {...text('deadband')}
          />
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('tags.form.canonicalHint')}
        </Text>
        <Checkbox
          label={t('tags.form.scaled')}
          checked={form.scaled}
          onChange={(event) => set('scaled', event.currentTarget.checked)}
          error={errors.scaling}
          data-testid="tag-form-scaled"
        />
        {form.scaled && (
          <SimpleGrid cols={4}>
            {SCALING_FIELDS.map((field) => (
              <TextInput
                key={field}
                label={t(`tags.form.${field}`)}
                inputMode="decimal"
                data-testid={`tag-form-${field}`}
                {...text(field)}
              />
            ))}
          </SimpleGrid>
        )}
        <SimpleGrid cols={2}>
          <TextInput label={t('tags.form.source')} data-testid="tag-form-source" {...text('source')} />
          <NativeSelect
            label={t('tags.form.readRole')}
            data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            value={form.readRole}
            onChange={(event) => {
              if (isRole(event.currentTarget.value)) set('readRole', event.currentTarget.value);
            }}
            error={errors.readRole}
            data-testid="tag-form-read-role"
          />
        </SimpleGrid>
        <Checkbox
          label={t('tags.form.historyEnabled')}
          description={t('tags.form.historyHint')}
          checked={form.historyEnabled}
          onChange={(event) => set('historyEnabled', event.currentTarget.checked)}
          error={errors.historyEnabled}
          data-testid="tag-form-history-enabled"
        />
        {form.historyEnabled && (
          <SimpleGrid cols={2}>
            <TextInput
              label={t('tags.form.historyDeviation')}
              description={t('tags.form.historyDeviationHint')}
              inputMode="decimal"
              data-testid="tag-form-history-deviation"
              {...text('historyDeviation')}
            />
            <TextInput
              label={t('tags.form.historyMaxIntervalSeconds')}
              inputMode="numeric"
              data-testid="tag-form-history-max-interval"
              {...text('historyMaxIntervalSeconds')}
            />
          </SimpleGrid>
        )}
        <Checkbox
          label={t('tags.form.writable')}
          description={t('tags.form.writableHint')}
          checked={form.writable}
          onChange={(event) => set('writable', event.currentTarget.checked)}
          error={errors.writable}
          data-testid="tag-form-writable"
        />
        {form.writable && (
          <SimpleGrid cols={3}>
            <TextInput label={t('tags.form.writeMin')} inputMode="decimal" data-testid="tag-form-write-min" {...text('writeMin')} />
            <TextInput label={t('tags.form.writeMax')} inputMode="decimal" data-testid="tag-form-write-max" {...text('writeMax')} />
            <NativeSelect
              label={t('tags.form.writeRole')}
              data={WRITE_ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
              value={form.writeRole}
              onChange={(event) => {
                const role = WRITE_ROLES.find((candidate) => candidate === event.currentTarget.value);
                if (role) set('writeRole', role);
              }}
              error={errors.writeRole}
              data-testid="tag-form-write-role"
            />
          </SimpleGrid>
        )}
        {conflict && (
          <Alert color="orange" title={t('tags.form.conflictTitle')} data-testid="tag-form-conflict">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('tags.form.conflict')}</Text>
              <Button
                size="xs"
                variant="light"
                color="orange"
                onClick={() => {
                  void queryClient.invalidateQueries({ queryKey: tagKeys.all });
                  onClose();
                }}
              >
                {t('tags.form.reload')}
              </Button>
            </Stack>
          </Alert>
        )}
        {showFailure && (
          <Alert color="red" title={t('tags.form.failed')} data-testid="tag-form-error">
            {otherErrors.length > 0 ? otherErrors.map((line) => <Text key={line} size="sm">{line}</Text>) : <ErrorMessage error={save.error} />}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            {t('tags.form.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="tag-form-submit">
            {target === null ? t('tags.form.create') : t('tags.form.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function TagFormModal({ opened, target, onClose }: TagFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={target === null ? t('tags.form.createTitle') : t('tags.form.editTitle', { path: target.path })}
    >
      {/* Keyed so each opening starts from the tag as it is now, not from the last edit. */}
      <TagForm key={target?.id ?? 'new'} target={target} onClose={onClose} />
    </Modal>
  );
}
