import { Alert, Button, Modal, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { BOTTOMHOLE_PRESSURE_SOURCES, decideWellTest, productionKeys, proposeWellTest, type Asset, type WellTest } from '../../api/production';
import { useUnitSystem } from '../../shell/unit-system';
import { localDateTimeInput } from './dates';
import { DialogForm, useDialogMutation } from './dialog-form';
import { AssetSelect, CodeSelect, FormFailure, QuantityInput, TextEntry, TimeInput } from './entry-inputs';
import { wellTestBody, type WellTestForm } from './entry-forms';
import { useEntryForm } from './use-entry-form';

type NumberField = Exclude<keyof WellTestForm, 'wellId' | 'startedAt' | 'notes' | 'bottomholePressureSource'>;

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
      liftGasRate: '',
      choke: '',
      tubingPressure: '',
      casingPressure: '',
      separatorPressure: '',
      bottomholePressure: '',
      bottomholePressureSource: 'measured',
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
      liftGasInjectionSm3PerDay: 'liftGasRate',
      chokePercent: 'choke',
      tubingPressureKpa: 'tubingPressure',
      casingPressureKpa: 'casingPressure',
      separatorPressureKpa: 'separatorPressure',
      bottomholePressureKpa: 'bottomholePressure',
      bottomholePressureSource: 'bottomholePressureSource',
      notes: 'notes',
    },
    keepAfterSave: (saved) => saved,
    onSaved: onClose,
  });
  const { form, set, field } = entry;
  const quantity = (name: NumberField, unit: 'm3/d' | 'Sm3/d' | 'kPa' | 'h' | '%', required = false) => (
    <QuantityInput
      label={t(`production.wellTests.fields.${name}`)}
      unit={unit}
      {...field(name)}
      required={required}
      testId={`well-test-${name}`}
    />
  );

  return (
    <DialogForm
      testId="well-test-form"
      onSubmit={entry.submit}
      pending={entry.mutation.isPending}
      submitLabel={t('production.wellTests.propose')}
      submitTestId="well-test-submit"
      onClose={onClose}
    >
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <AssetSelect label={t('production.wellTests.well')} assets={wells} {...field('wellId')} required testId="well-test-well" />
        <TimeInput label={t('production.wellTests.startedAt')} {...field('startedAt')} required testId="well-test-start" />
        {quantity('durationHours', 'h', true)}
        {quantity('oilRate', 'm3/d', true)}
        {quantity('gasRate', 'Sm3/d', true)}
        {quantity('waterRate', 'm3/d', true)}
        {quantity('liftGasRate', 'Sm3/d')}
        {quantity('choke', '%')}
        {quantity('tubingPressure', 'kPa')}
        {quantity('casingPressure', 'kPa')}
        {quantity('separatorPressure', 'kPa')}
        {quantity('bottomholePressure', 'kPa')}
        <CodeSelect
          label={t('production.wellTests.fields.bottomholePressureSource')}
          codes={BOTTOMHOLE_PRESSURE_SOURCES}
          codeLabel={(source) => t(`production.wellTests.bottomholeSources.${source}`)}
          {...field('bottomholePressureSource')}
          disabled={form.bottomholePressure.trim() === ''}
          testId="well-test-bottomholePressureSource"
        />
      </SimpleGrid>
      <TextEntry label={t('production.notes')} value={form.notes} onChange={(text) => set('notes', text)} />
      <FormFailure failure={entry.failure} testId="well-test-error" />
    </DialogForm>
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
  // The version read with the list goes along: a test decided meanwhile answers 409.
  const decide = useDialogMutation(() => decideWellTest(target.test.id, target.decision, target.test.rowVersion, note.trim()), onClose);
  const stale = decide.error instanceof ApiError && decide.error.status === 409;
  return (
    <DialogForm
      testId="well-test-decision-form"
      onSubmit={() => decide.mutate()}
      pending={decide.isPending}
      error={stale ? null : decide.error}
      submitLabel={t(`production.wellTests.${target.decision}`)}
      submitColor={target.decision === 'approve' ? 'green' : 'red'}
      submitDisabled={stale}
      submitTestId="well-test-decision-submit"
      onClose={onClose}
    >
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
    </DialogForm>
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
