import {
  ActionIcon,
  Alert,
  Button,
  Divider,
  Group,
  Modal,
  NativeSelect,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  ASSET_KINDS,
  assetKeys,
  createAsset,
  EQUIPMENT_TYPES,
  fetchAsset,
  FLUIDS,
  LIFT_TYPES,
  METER_SERVICES,
  SEPARATOR_SERVICES,
  SITE_TYPES,
  updateAsset,
  WELL_STATUSES,
  type Asset,
  type AssetCreate,
  type AssetKind,
  type AssetPatch,
} from '../../api/assets';
import { ApiError } from '../../api/client';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import type { UnitSystem } from '../../units/units';
import {
  assetBodyFrom,
  assetFormFrom,
  assetPatchFrom,
  COMPLETION_FIELDS,
  completionUnit,
  emptyAssetForm,
  hasInput,
  MAX_LENGTH,
  serverFieldErrors,
  type AssetFormState,
  type FormErrors,
  type PerforationRow,
  type TagLinkRow,
} from './asset-form';
import { useAssetTree } from './asset-queries';
import { parentCandidates } from './asset-tree';
import { unitLabel, type AssetUnit } from './asset-units';
import { StrappingTableEditor } from './strapping-table-editor';

export type AssetFormTarget =
  | { mode: 'create'; kind: AssetKind; parentId: string | null }
  | { mode: 'edit'; asset: Asset };

type Errors = Record<string, string>;

function pick<T extends string>(values: readonly T[], value: string): T | null {
  return values.find((candidate) => candidate === value) ?? null;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Divider />
      <Title order={5}>{title}</Title>
      {children}
    </Stack>
  );
}

/**
 * The rows of a small table typed in the form (perforations, tag links), with
 * add and remove. `onChange` names the edited cell's error key, or null when
 * rows came or went (every row's errors then point at the wrong row).
 */
function RowsEditor<R extends object>({ rows, prefix, onChange, empty, addLabel, testId, children }: {
  rows: readonly R[];
  prefix: string;
  onChange: (rows: R[], changedKey: string | null) => void;
  empty: R;
  addLabel: string;
  testId: string;
  children: (row: R, index: number, setCell: <K extends keyof R & string>(cell: K, value: R[K]) => void) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} data-testid={testId}>
      {rows.map((row, index) => (
        // Rows have no identity but their place.
        <Group key={index} gap="xs" align="flex-start" wrap="nowrap">
          {children(row, index, (cell, value) =>
            onChange(
              rows.map((current, at) => (at === index ? { ...current, [cell]: value } : current)),
              `${prefix}.${index}.${cell}`,
            ),
          )}
          <ActionIcon
            mt={4}
            variant="subtle"
            color="red"
            onClick={() => onChange(rows.filter((_, at) => at !== index), null)}
            aria-label={t('assets.form.removeRow')}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Group>
        <Button size="xs" variant="light" onClick={() => onChange([...rows, empty], null)} data-testid={`${testId}-add`}>
          {addLabel}
        </Button>
      </Group>
    </Stack>
  );
}

function AssetForm({ target, onClose }: { target: AssetFormTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const tree = useAssetTree();
  const { system: currentSystem } = useUnitSystem();
  // The units the inputs were filled in; switching the header's units mid-edit must not reinterpret them.
  const [system] = useState<UnitSystem>(currentSystem);
  // The version the edit started from: a stale save reloads it, never silently the newest.
  const [original, setOriginal] = useState<Asset | null>(target.mode === 'edit' ? target.asset : null);
  const [form, setForm] = useState<AssetFormState>(() =>
    target.mode === 'edit' ? assetFormFrom(target.asset, system) : emptyAssetForm(target.kind, target.parentId),
  );
  const [errors, setErrors] = useState<Errors>({});
  const [reloaded, setReloaded] = useState(false);
  const [nothingChanged, setNothingChanged] = useState(false);

  const save = useMutation({
    mutationFn: (request: { create: AssetCreate } | { id: string; rowVersion: number; changes: Omit<AssetPatch, 'rowVersion'> }) =>
      'create' in request ? createAsset(request.create) : updateAsset(request.id, request.rowVersion, request.changes),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
      onClose();
      if (target.mode === 'create') await navigate(`/assets/${saved.id}`);
    },
    onError: async (error) => {
      if (!(error instanceof ApiError)) return;
      if (error.code === 'stale' && original !== null) {
        // Someone saved first: start again from what they saved, with a word on why the inputs changed.
        // Should the reload fail too, the failure banner shows the stale answer itself.
        const fresh = await queryClient
          .fetchQuery({ queryKey: assetKeys.detail(original.id), queryFn: () => fetchAsset(original.id) })
          .catch(() => null);
        if (fresh === null) return;
        await queryClient.invalidateQueries({ queryKey: assetKeys.all });
        setOriginal(fresh);
        setForm(assetFormFrom(fresh, system));
        setErrors({});
        setReloaded(true);
        return;
      }
      if (error.status === 400 || error.status === 409) setErrors(serverFieldErrors(error.details));
    },
  });

  const unplaced = Object.entries(errors).filter(([key]) => !hasInput(form, key));
  // A refusal whose every complaint sits next to its input needs no banner as well, nor a reloaded stale save.
  const showFailure = unplaced.length > 0 || (save.isError && !reloaded && Object.keys(errors).length === 0);

  const translate = (found: FormErrors): Errors =>
    Object.fromEntries(Object.entries(found).map(([key, code]) => [key, t(`assets.form.errors.${code}`)]));
  const clear = (...keys: string[]) =>
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !keys.some((cleared) => key === cleared || key.startsWith(`${cleared}.`)))));
  const set = <K extends keyof AssetFormState>(key: K, value: AssetFormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    // The verdict on an input no longer applies once it is edited.
    clear(key);
    setNothingChanged(false);
  };
  const setRows = <K extends 'perforations' | 'strapping' | 'tags'>(key: K, rows: AssetFormState[K], changedKey: string | null) => {
    setForm((current) => ({ ...current, [key]: rows }));
    clear(changedKey ?? key);
    setNothingChanged(false);
  };
  const text = (key: 'code' | 'name' | 'uwi' | 'latitude' | 'longitude' | 'manufacturer' | 'model' | 'serialNumber' | 'capacity') => ({
    value: form[key],
    onChange: (event: ChangeEvent<HTMLInputElement>) => set(key, event.currentTarget.value),
    error: errors[key],
  });
  const unit = (assetUnit: AssetUnit) => (
    <Text size="xs" c="dimmed" pr={6}>
      {unitLabel(assetUnit, system)}
    </Text>
  );

  const submit = () => {
    setReloaded(false);
    setNothingChanged(false);
    if (original === null) {
      const result = assetBodyFrom(form, system);
      if ('errors' in result) return setErrors(translate(result.errors));
      setErrors({});
      save.mutate({ create: result.body });
      return;
    }
    const result = assetPatchFrom(original, form, system);
    if ('errors' in result) return setErrors(translate(result.errors));
    setErrors({});
    if (Object.keys(result.changes).length === 0) return setNothingChanged(true);
    save.mutate({ id: original.id, rowVersion: original.rowVersion, changes: result.changes });
  };

  const parents = parentCandidates(tree.data ?? [], form.kind);
  const isTank = form.kind === 'equipment' && form.equipmentType === 'tank';
  const isMeter = form.kind === 'equipment' && form.equipmentType === 'meter';
  const isSeparator = form.kind === 'equipment' && form.equipmentType === 'separator';

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      data-testid="asset-form"
      noValidate
    >
      <Stack gap="sm">
        {target.mode === 'create' && (
          <SegmentedControl
            data={ASSET_KINDS.map((kind) => ({ value: kind, label: t(`assets.kind.${kind}`) }))}
            value={form.kind}
            onChange={(value) => {
              const kind = pick(ASSET_KINDS, value);
              if (kind === null) return;
              // A parent chosen for the old kind may not fit the new one.
              const keep = parentCandidates(tree.data ?? [], kind).some((node) => node.id === form.parentId);
              setForm((current) => ({ ...current, kind, parentId: keep ? current.parentId : '' }));
              setErrors({});
            }}
            data-testid="asset-form-kind"
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('assets.form.code')}
            description={t('assets.form.codeHint')}
            required
            maxLength={MAX_LENGTH.code}
            data-testid="asset-form-code"
            {...text('code')}
          />
          <TextInput
            label={t('assets.form.name')}
            description={t('assets.form.nameHint')}
            required
            maxLength={MAX_LENGTH.name}
            data-testid="asset-form-name"
            {...text('name')}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {form.kind !== 'field' && (
            <NativeSelect
              label={t('assets.form.parent')}
              required
              data={[
                { value: '', label: parents.length === 0 ? t('assets.form.noParents') : t('assets.form.pickParent') },
                ...parents.map((node) => ({ value: node.id, label: `${node.code} — ${node.name}` })),
              ]}
              value={form.parentId}
              onChange={(event) => set('parentId', event.currentTarget.value)}
              error={errors.parentId}
              data-testid="asset-form-parent"
            />
          )}
          {form.kind === 'site' && (
            <NativeSelect
              label={t('assets.form.siteType')}
              data={SITE_TYPES.map((type) => ({ value: type, label: t(`assets.siteType.${type}`) }))}
              value={form.siteType}
              onChange={(event) => {
                const type = pick(SITE_TYPES, event.currentTarget.value);
                if (type !== null) set('siteType', type);
              }}
              error={errors.siteType}
              data-testid="asset-form-site-type"
            />
          )}
        </SimpleGrid>
        <Textarea
          label={t('assets.form.description')}
          autosize
          minRows={1}
          maxRows={4}
          maxLength={MAX_LENGTH.description}
          value={form.description}
          onChange={(event) => set('description', event.currentTarget.value)}
          error={errors.description}
          data-testid="asset-form-description"
        />
        <SimpleGrid cols={2}>
          <TextInput
            label={t('assets.form.latitude')}
            description={t('assets.form.coordinatesHint')}
            inputMode="decimal"
            data-testid="asset-form-latitude"
            {...text('latitude')}
          />
          <TextInput
            label={t('assets.form.longitude')}
            description={t('assets.form.coordinatesHint')}
            inputMode="decimal"
            data-testid="asset-form-longitude"
            {...text('longitude')}
          />
        </SimpleGrid>

        {form.kind === 'well' && (
          <Section title={t('assets.well.title')}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label={t('assets.well.uwi')} maxLength={MAX_LENGTH.uwi} data-testid="asset-form-uwi" {...text('uwi')} />
              <NativeSelect
                label={t('assets.well.liftType')}
                data={LIFT_TYPES.map((lift) => ({ value: lift, label: t(`assets.liftType.${lift}`) }))}
                value={form.liftType}
                onChange={(event) => {
                  const lift = pick(LIFT_TYPES, event.currentTarget.value);
                  if (lift !== null) set('liftType', lift);
                }}
                error={errors.liftType}
                data-testid="asset-form-lift-type"
              />
              {original === null && (
                <NativeSelect
                  label={t('assets.form.initialStatus')}
                  data={WELL_STATUSES.map((status) => ({ value: status, label: t(`assets.status.${status}`) }))}
                  value={form.status}
                  onChange={(event) => {
                    const status = pick(WELL_STATUSES, event.currentTarget.value);
                    if (status !== null) set('status', status);
                  }}
                  error={errors.status}
                  data-testid="asset-form-status"
                />
              )}
            </SimpleGrid>
            <Text size="sm" fw={600}>
              {t('assets.well.completion')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 3 }}>
              {COMPLETION_FIELDS.map((field) => (
                <TextInput
                  key={field}
                  label={t(`assets.well.${field}`)}
                  inputMode="decimal"
                  rightSection={unit(completionUnit(field))}
                  rightSectionWidth={44}
                  value={form.completion[field]}
                  onChange={(event) => {
                    const value = event.currentTarget.value;
                    setForm((current) => ({ ...current, completion: { ...current.completion, [field]: value } }));
                    clear(`completion.${field}`);
                  }}
                  error={errors[`completion.${field}`]}
                  data-testid={`asset-form-${field}`}
                />
              ))}
            </SimpleGrid>
            <Text size="sm" fw={600}>
              {t('assets.well.perforations')}
            </Text>
            <RowsEditor<PerforationRow>
              rows={form.perforations}
              prefix="perforations"
              onChange={(rows, changedKey) => setRows('perforations', rows, changedKey)}
              empty={{ top: '', bottom: '', zone: '' }}
              addLabel={t('assets.form.addPerforation')}
              testId="perforations"
            >
              {(row, index, setCell) => (
                <>
                  <TextInput
                    size="xs"
                    placeholder={t('assets.well.top')}
                    aria-label={t('assets.well.top')}
                    inputMode="decimal"
                    rightSection={unit('m')}
                    value={row.top}
                    onChange={(event) => setCell('top', event.currentTarget.value)}
                    error={errors[`perforations.${index}.top`]}
                    data-testid={`perforation-top-${index}`}
                  />
                  <TextInput
                    size="xs"
                    placeholder={t('assets.well.bottom')}
                    aria-label={t('assets.well.bottom')}
                    inputMode="decimal"
                    rightSection={unit('m')}
                    value={row.bottom}
                    onChange={(event) => setCell('bottom', event.currentTarget.value)}
                    error={errors[`perforations.${index}.bottom`]}
                    data-testid={`perforation-bottom-${index}`}
                  />
                  <TextInput
                    size="xs"
                    placeholder={t('assets.well.zone')}
                    aria-label={t('assets.well.zone')}
                    maxLength={MAX_LENGTH.zone}
                    value={row.zone}
                    onChange={(event) => setCell('zone', event.currentTarget.value)}
                    error={errors[`perforations.${index}.zone`]}
                    data-testid={`perforation-zone-${index}`}
                  />
                </>
              )}
            </RowsEditor>
          </Section>
        )}

        {form.kind === 'equipment' && (
          <Section title={t('assets.equipment.title')}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NativeSelect
                label={t('assets.equipment.type')}
                data={EQUIPMENT_TYPES.map((type) => ({ value: type, label: t(`assets.equipmentType.${type}`) }))}
                value={form.equipmentType}
                onChange={(event) => {
                  const type = pick(EQUIPMENT_TYPES, event.currentTarget.value);
                  if (type !== null) set('equipmentType', type);
                }}
                error={errors.equipmentType}
                data-testid="asset-form-equipment-type"
              />
              {(isTank || isMeter) && (
                <NativeSelect
                  label={t('assets.equipment.fluid')}
                  required={isMeter}
                  data={[{ value: '', label: t('assets.form.none') }, ...FLUIDS.map((fluid) => ({ value: fluid, label: t(`assets.fluid.${fluid}`) }))]}
                  value={form.fluid}
                  onChange={(event) => set('fluid', pick(FLUIDS, event.currentTarget.value) ?? '')}
                  error={errors.fluid}
                  data-testid="asset-form-fluid"
                />
              )}
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput label={t('assets.equipment.manufacturer')} maxLength={MAX_LENGTH.equipmentText} {...text('manufacturer')} />
              <TextInput label={t('assets.equipment.model')} maxLength={MAX_LENGTH.equipmentText} {...text('model')} />
              <TextInput label={t('assets.equipment.serialNumber')} maxLength={MAX_LENGTH.equipmentText} {...text('serialNumber')} />
            </SimpleGrid>
            {isMeter && (
              <NativeSelect
                label={t('assets.equipment.meterService')}
                data={[
                  { value: '', label: t('assets.form.none') },
                  ...METER_SERVICES.map((service) => ({ value: service, label: t(`assets.meterService.${service}`) })),
                ]}
                value={form.meterService}
                onChange={(event) => set('meterService', pick(METER_SERVICES, event.currentTarget.value) ?? '')}
                error={errors.meterService}
                data-testid="asset-form-meter-service"
              />
            )}
            {isSeparator && (
              <NativeSelect
                label={t('assets.equipment.separatorService')}
                data={[
                  { value: '', label: t('assets.form.none') },
                  ...SEPARATOR_SERVICES.map((service) => ({ value: service, label: t(`assets.separatorService.${service}`) })),
                ]}
                value={form.separatorService}
                onChange={(event) => set('separatorService', pick(SEPARATOR_SERVICES, event.currentTarget.value) ?? '')}
                error={errors.separatorService}
                data-testid="asset-form-separator-service"
              />
            )}
            {isTank && (
              <>
                <TextInput
                  label={t('assets.equipment.capacity')}
                  inputMode="decimal"
                  rightSection={unit('m3')}
                  rightSectionWidth={44}
                  w={220}
                  data-testid="asset-form-capacity"
                  {...text('capacity')}
                />
                <Text size="sm" fw={600}>
                  {t('assets.equipment.strapping')}
                </Text>
                <StrappingTableEditor
                  rows={form.strapping}
                  onChange={(rows, changedKey) => setRows('strapping', rows, changedKey)}
                  errors={errors}
                  system={system}
                />
              </>
            )}
          </Section>
        )}

        <Section title={t('assets.tags.title')}>
          <RowsEditor<TagLinkRow>
            rows={form.tags}
            prefix="tags"
            onChange={(rows, changedKey) => setRows('tags', rows, changedKey)}
            empty={{ role: '', tagPath: '' }}
            addLabel={t('assets.form.addTag')}
            testId="tag-links"
          >
            {(row, index, setCell) => (
              <>
                <TextInput
                  size="xs"
                  w={160}
                  placeholder={t('assets.form.rolePlaceholder')}
                  aria-label={t('assets.tags.role')}
                  maxLength={MAX_LENGTH.role}
                  value={row.role}
                  onChange={(event) => setCell('role', event.currentTarget.value)}
                  error={errors[`tags.${index}.role`]}
                  data-testid={`tag-link-role-${index}`}
                />
                <TextInput
                  size="xs"
                  style={{ flex: 1 }}
                  placeholder={t('assets.form.tagPathPlaceholder')}
                  aria-label={t('assets.tags.path')}
                  maxLength={MAX_LENGTH.tagPath}
                  ff="monospace"
                  value={row.tagPath}
                  onChange={(event) => setCell('tagPath', event.currentTarget.value)}
                  error={errors[`tags.${index}.tagPath`]}
                  data-testid={`tag-link-path-${index}`}
                />
              </>
            )}
          </RowsEditor>
        </Section>

        {reloaded && (
          <Alert color="orange" title={t('assets.form.staleTitle')} data-testid="asset-form-stale">
            {t('assets.form.stale')}
          </Alert>
        )}
        {nothingChanged && (
          <Text size="sm" c="dimmed" data-testid="asset-form-unchanged">
            {t('assets.form.nothingChanged')}
          </Text>
        )}
        {showFailure && (
          <Alert color="red" title={t('assets.form.failed')} data-testid="asset-form-error">
            {unplaced.length > 0 ? (
              unplaced.map(([key, reason]) => (
                <Text key={key} size="sm">
                  {key}: {reason}
                </Text>
              ))
            ) : (
              <ErrorMessage error={save.error} />
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={save.isPending}>
            {t('assets.form.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="asset-form-submit">
            {original === null ? t('assets.form.create') : t('assets.form.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface AssetFormModalProps {
  opened: boolean;
  target: AssetFormTarget;
  onClose: () => void;
}

export function AssetFormModal({ opened, target, onClose }: AssetFormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="xl"
      title={target.mode === 'create' ? t('assets.form.createTitle') : t('assets.form.editTitle', { code: target.asset.code })}
    >
      {/* The modal unmounts its content when closed, so each opening starts from the asset as it is now. */}
      <AssetForm key={target.mode === 'edit' ? target.asset.id : 'new'} target={target} onClose={onClose} />
    </Modal>
  );
}
