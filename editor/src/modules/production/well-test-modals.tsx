import { Alert, Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { decideWellTest, productionKeys, proposeWellTest, type Asset, type WellTest } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { localDateTimeInput } from './dates';
import { FormFailure, QuantityInput, TimeInput } from './entry-inputs';
import { wellTestBody, type WellTestForm } from './entry-forms';
import { assetOptions } from './production-filters';
import { useEntryForm } from './use-entry-form';

type NumberField = Exclude<keyof WellTestForm, 'wellId' | 'startedAt' | 'notes'>;

function ProposeForm({ wells, onClose }: { wells: Asset[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { system } = useUnitSystem();
  const entry = useEntryForm({
    initial: (): WellTestForm => ({
      wellId: '',
      startedAt: localDateTimeInput(new Date()),
      durationHours: '24',
      oilRate: '',
      gasRate: '',
      waterRate: '',
      choke: '',
      tubingPressure: '',
      casingPressure: '',
      separatorPressure: '',
      notes: '',
    }),
    toBody: (form: WellTestForm) => wellTestBody(form, system),
    send: proposeWellTest,
    aliases: {
      wellId: 'wellId',
      startedAt: 'startedAt',
      durationHours: 'durationHours',
      oilRateM3PerDay: 'oilRate',
      gasRateSm3PerDay: 'gasRate',
      waterRateM3PerDay: 'waterRate',
      chokePercent: 'choke',
      tubingPressureKpa: 'tubingPressure',
      casingPressureKpa: 'casingPressure',
      separatorPressureKpa: 'separatorPressure',
      notes: 'notes',
    },
    keepAfterSave: (saved) => saved,
    onSaved: onClose,
  });
  const { form, set, errors } = entry;
  const quantity = (field: NumberField, unit: 'm3/d' | 'Sm3/d' | 'kPa' | 'h' | '%', required = false) => (
    <QuantityInput
      label={t(`production.wellTests.fields.${field}`)}
      unit={unit}
      value={form[field]}
      onChange={(text) => set(field, text)}
      error={errors[field]}
      required={required}
      testId={`well-test-${field}`}
    />
  );

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        entry.submit();
      }}
      data-testid="well-test-form"
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <NativeSelect
            label={t('production.wellTests.well')}
            data={[{ value: '', label: t('production.pick'), disabled: true }, ...assetOptions(wells)]}
            value={form.wellId}
            onChange={(event) => set('wellId', event.currentTarget.value)}
            error={errors.wellId}
            required
            data-testid="well-test-well"
          />
          <TimeInput
            label={t('production.wellTests.startedAt')}
            value={form.startedAt}
            onChange={(text) => set('startedAt', text)}
            error={errors.startedAt}
            required
            testId="well-test-start"
          />
          {quantity('durationHours', 'h', true)}
          {quantity('oilRate', 'm3/d', true)}
          {quantity('gasRate', 'Sm3/d', true)}
          {quantity('waterRate', 'm3/d', true)}
          {quantity('choke', '%')}
          {quantity('tubingPressure', 'kPa')}
          {quantity('casingPressure', 'kPa')}
          {quantity('separatorPressure', 'kPa')}
        </SimpleGrid>
        <TextInput label={t('production.notes')} value={form.notes} onChange={(event) => set('notes', event.currentTarget.value)} />
        <FormFailure failure={entry.failure} testId="well-test-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={entry.mutation.isPending}>
            {t('production.cancel')}
          </Button>
          <Button type="submit" loading={entry.mutation.isPending} data-testid="well-test-submit">
            {t('production.wellTests.propose')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ProposeWellTestModal({ opened, wells, onClose }: { opened: boolean; wells: Asset[]; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={t('production.wellTests.proposeTitle')}>
      {/* The modal unmounts its content once closed, so every opening starts a fresh form. */}
      <ProposeForm wells={wells} onClose={onClose} />
    </Modal>
  );
}

export interface Decision {
  test: WellTest;
  decision: 'approve' | 'reject';
  wellCode: string;
}

function DecisionForm({ target, onClose }: { target: Decision; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    // The version read with the list goes along: a test decided meanwhile answers 409.
    mutationFn: () => decideWellTest(target.test.id, target.decision, target.test.rowVersion, note.trim()),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: productionKeys.all });
      onClose();
    },
  });
  const stale = decide.error instanceof ApiError && decide.error.status === 409;
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        decide.mutate();
      }}
      data-testid="well-test-decision-form"
    >
      <Stack gap="sm">
        <Text size="sm">{t(`production.wellTests.${target.decision}Explain`, { well: target.wellCode })}</Text>
        <Textarea
          label={t('production.wellTests.note')}
          autosize
          minRows={2}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          data-testid="well-test-note"
        />
        {stale && (
          <Alert color="orange" title={t('production.wellTests.staleTitle')} data-testid="well-test-stale">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('production.wellTests.stale')}</Text>
              <Button
                size="xs"
                variant="light"
                color="orange"
                onClick={() => {
                  void queryClient.invalidateQueries({ queryKey: productionKeys.all });
                  onClose();
                }}
                data-testid="well-test-reload"
              >
                {t('production.wellTests.reload')}
              </Button>
            </Stack>
          </Alert>
        )}
        {decide.isError && !stale && (
          <Alert color="red" title={t('production.saveFailed')}>
            <ErrorMessage error={decide.error} />
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={decide.isPending}>
            {t('production.cancel')}
          </Button>
          <Button
            type="submit"
            color={target.decision === 'approve' ? 'green' : 'red'}
            loading={decide.isPending}
            disabled={stale}
            data-testid="well-test-decision-submit"
          >
            {t(`production.wellTests.${target.decision}`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function WellTestDecisionModal({ opened, target, onClose }: { opened: boolean; target: Decision | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={target === null ? '' : t(`production.wellTests.${target.decision}Title`, { well: target.wellCode })}
    >
      {target !== null && <DecisionForm key={`${target.test.id}|${target.decision}`} target={target} onClose={onClose} />}
    </Modal>
  );
}
