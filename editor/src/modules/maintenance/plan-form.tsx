import { Button, Group, Modal, NumberInput, SegmentedControl, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAssets, type Asset } from '../../api/assets';
import { ApiError } from '../../api/client';
import { createPlan, maintenanceKeys, updatePlan, type Plan, type PlanCreate, type PlanUpdate } from '../../api/maintenance';
import { ErrorMessage } from '../../shell/error-message';
import { serverFieldErrors } from '../production/entry-forms';
import { useSubmissionKey } from '../inventory/submission';
import { EMPTY_PLAN_FORM, METERS, planCreateBody, planToForm, planUpdateBody, type PlanForm, type PlanFormErrors } from './maintenance-forms';

type PlanSave = { create: PlanCreate } | { planId: string; update: PlanUpdate };

const PLAN_FIELDS = { equipmentId: 'equipmentId', name: 'name', kind: 'kind', intervalDays: 'intervalDays', meter: 'meter', tagPath: 'tagPath', intervalAmount: 'intervalAmount', tasks: 'tasks' } as const;

/** Wells and equipment: what a plan can belong to. */
export function useEquipment() {
  return useQuery({
    queryKey: ['maintenance', 'equipment-choices'],
    queryFn: async ({ signal }) => {
      const base = { search: '', parentId: null, status: null, liftType: null, limit: 500, offset: 0 };
      const [equipment, wells] = await Promise.all([fetchAssets({ ...base, kind: 'equipment' }, signal), fetchAssets({ ...base, kind: 'well' }, signal)]);
      return [...equipment.assets, ...wells.assets].sort((a, b) => a.code.localeCompare(b.code));
    },
    staleTime: 60_000,
  });
}

export function equipmentLabel(asset: Pick<Asset, 'code' | 'name'>): string {
  return `${asset.code} — ${asset.name}`;
}

/**
 * Creates a plan, or edits one (`plan` given): a calendar interval in days,
 * or a meter with its threshold. An edit keeps the equipment, kind and
 * meter, which the server does not let change.
 */
export function PlanFormModal({ plan, opened, onClose }: { plan: Plan | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const equipment = useEquipment();
  const [form, setForm] = useState<PlanForm>(plan ? planToForm(plan) : EMPTY_PLAN_FORM);
  const [local, setLocal] = useState<PlanFormErrors>({});
  const submission = useSubmissionKey();
  const save = useMutation({
    mutationFn: (request: PlanSave) => ('update' in request ? updatePlan(request.planId, request.update, submission.keyFor(request)) : createPlan(request.create, submission.keyFor(request))),
    onSuccess: async () => {
      submission.reset();
      await queryClient.invalidateQueries({ queryKey: maintenanceKeys.plans });
      onClose();
    },
  });
  const server = save.error instanceof ApiError && save.error.status === 400 ? serverFieldErrors(save.error.details, PLAN_FIELDS).fields : {};
  const fieldError = (field: keyof PlanForm): string | undefined => {
    const problem = local[field];
    return problem === undefined ? server[field] : t(`maintenance.inputErrors.${problem}`);
  };
  const set = <K extends keyof PlanForm>(field: K, value: PlanForm[K]) => setForm((current) => ({ ...current, [field]: value }));
  const submit = () => {
    if (plan) {
      const result = planUpdateBody(plan, form);
      setLocal('errors' in result ? result.errors : {});
      if ('body' in result) save.mutate({ planId: plan.id, update: result.body });
      return;
    }
    const result = planCreateBody(form);
    setLocal('errors' in result ? result.errors : {});
    if ('body' in result) save.mutate({ create: result.body });
  };

  return (
    <Modal opened={opened} onClose={onClose} title={plan ? t('maintenance.planForm.editTitle') : t('maintenance.planForm.newTitle')} size="lg">
      <Stack data-testid="plan-form">
        <Select
          label={t('maintenance.planForm.equipment')}
          value={form.equipmentId}
          data={(equipment.data ?? []).map((asset) => ({ value: asset.id, label: equipmentLabel(asset) }))}
          onChange={(value) => set('equipmentId', value)}
          disabled={plan !== null}
          searchable
          error={fieldError('equipmentId')}
          data-testid="plan-equipment"
        />
        <TextInput label={t('maintenance.planForm.name')} value={form.name} onChange={(event) => set('name', event.currentTarget.value)} error={fieldError('name')} data-testid="plan-name" />
        <SegmentedControl
          value={form.kind}
          disabled={plan !== null}
          onChange={(value) => set('kind', value === 'meter' ? 'meter' : 'calendar')}
          data={[
            { value: 'calendar', label: t('maintenance.planForm.calendar') },
            { value: 'meter', label: t('maintenance.planForm.meter') },
          ]}
          data-testid="plan-kind"
        />
        {form.kind === 'calendar' ? (
          <NumberInput label={t('maintenance.planForm.intervalDays')} value={form.intervalDays} onChange={(value) => set('intervalDays', value)} min={0} error={fieldError('intervalDays')} data-testid="plan-interval-days" />
        ) : (
          <Group grow align="flex-start">
            <Select
              label={t('maintenance.planForm.meterKind')}
              value={form.meter}
              allowDeselect={false}
              disabled={plan !== null}
              data={METERS.map((value) => ({ value, label: t(`maintenance.meter.${value}`) }))}
              onChange={(value) => {
                const meter = METERS.find((candidate) => candidate === value);
                if (meter) set('meter', meter);
              }}
              data-testid="plan-meter"
            />
            <NumberInput label={t('maintenance.planForm.threshold')} value={form.intervalAmount} onChange={(value) => set('intervalAmount', value)} min={0} error={fieldError('intervalAmount')} data-testid="plan-threshold" />
          </Group>
        )}
        {form.kind === 'meter' && form.meter !== 'manual' && (
          <TextInput
            label={t('maintenance.planForm.tagPath')}
            description={t('maintenance.planForm.tagPathHelp')}
            value={form.tagPath}
            onChange={(event) => set('tagPath', event.currentTarget.value)}
            error={fieldError('tagPath')}
            data-testid="plan-tag"
          />
        )}
        <Textarea label={t('maintenance.planForm.tasks')} description={t('maintenance.planForm.tasksHelp')} value={form.tasks} onChange={(event) => set('tasks', event.currentTarget.value)} autosize minRows={2} error={fieldError('tasks')} />
        {save.isError && <ErrorMessage error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('maintenance.planForm.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="plan-save">
            {t('maintenance.planForm.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
