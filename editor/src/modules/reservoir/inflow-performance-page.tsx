import { Alert, Button, Group, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { hasRole } from '../../api/auth';
import { ApiError } from '../../api/client';
import { isErrorDetails, reasonText } from '../../api/error-text';
import { fetchSiteAssets, fetchSites, fetchWellTests } from '../../api/production';
import {
  IPR_METHODS,
  SURVEY_METHODS,
  computeIpr,
  createSurvey,
  deleteSurvey,
  fetchMultiRateTests,
  fetchSurveys,
  inflowKeys,
  type IprMethod,
  type IprResult,
  type PressureSurvey,
  type SurveyMethod,
} from '../../api/reservoir-ipr';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber, formatQuantity, toDisplay, type UnitSystem } from '../../units/units';
import { parseDecimal, toCanonical } from '../production/quantities';
import { emptyInflowForm, inflowChartData, iprBody, serverFieldOf, type InflowForm, type InflowFormError, type InflowSource } from './inflow-form';
import { IprChart } from './ipr-chart';

/** The form's boxes that take a number in the site's units. */
type QuantityField = 'reservoirPressure' | 'bubblePoint' | 'testRate' | 'testPressure' | 'atPressure' | 'targetRate';

const QUANTITY_UNITS: Partial<Record<keyof InflowForm, 'kPa' | 'm3/d'>> = {
  reservoirPressure: 'kPa',
  bubblePoint: 'kPa',
  testRate: 'm3/d',
  testPressure: 'kPa',
  atPressure: 'kPa',
  targetRate: 'm3/d',
};

function isMethod(value: string): value is IprMethod {
  return IPR_METHODS.some((method) => method === value);
}

function isSurveyMethod(value: string): value is SurveyMethod {
  return SURVEY_METHODS.some((method) => method === value);
}

/**
 * Inflow performance (docs/reservoir-ipr.md): pick a well and one of its
 * tests (or type the values), a method, and see the IPR curve with the test
 * point, the AOF, the rate at a flowing pressure and the flowing pressure for
 * a target rate; the well's static pressure surveys below.
 */
export function InflowPerformancePage() {
  const { t } = useTranslation();
  const [site, setSite] = useState('');
  const [wellId, setWellId] = useState('');
  const sites = useQuery({ queryKey: ['reservoir-ipr', 'sites'], queryFn: ({ signal }) => fetchSites(signal) });
  const wells = useQuery({
    queryKey: ['reservoir-ipr', 'wells', site],
    queryFn: ({ signal }) => fetchSiteAssets(site, 'well', signal),
    enabled: site !== '',
  });

  return (
    <Stack data-testid="inflow-performance">
      <Title order={2}>{t('inflow.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('inflow.intro')}
      </Text>
      <Group align="flex-end">
        <NativeSelect
          label={t('inflow.site')}
          data={[{ value: '', label: t('inflow.pick'), disabled: true }, ...(sites.data ?? []).map((asset) => ({ value: asset.id, label: `${asset.code} — ${asset.name}` }))]}
          value={site}
          onChange={(event) => {
            setSite(event.currentTarget.value);
            setWellId('');
          }}
          data-testid="inflow-site"
        />
        <NativeSelect
          label={t('inflow.well')}
          data={[{ value: '', label: t('inflow.noWell') }, ...(wells.data ?? []).map((asset) => ({ value: asset.id, label: asset.code }))]}
          value={wellId}
          onChange={(event) => setWellId(event.currentTarget.value)}
          disabled={site === ''}
          data-testid="inflow-well"
        />
      </Group>
      {sites.isError && <ErrorMessage error={sites.error} />}
      <InflowCalculator key={wellId} site={site} wellId={wellId} />
      {wellId !== '' && <SurveysPanel wellId={wellId} />}
    </Stack>
  );
}

function InflowCalculator({ site, wellId }: { site: string; wellId: string }) {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const [form, setForm] = useState<InflowForm>(() => ({ ...emptyInflowForm(), source: wellId === '' ? 'values' : 'stored' }));
  const [errors, setErrors] = useState<Partial<Record<keyof InflowForm, InflowFormError>>>({});
  const set = (field: keyof InflowForm, value: string) => setForm((current) => ({ ...current, [field]: value }));
  const stored = form.source === 'stored' && wellId !== '';
  const tests = useQuery({
    queryKey: ['reservoir-ipr', 'well-tests', site, wellId],
    queryFn: ({ signal }) => fetchWellTests(site, null, signal),
    enabled: stored && form.method !== 'fetkovich',
    select: (page) => page.items.filter((test) => test.wellId === wellId && test.status !== 'rejected' && test.bottomholePressureKpa !== null),
  });
  const multiRate = useQuery({
    queryKey: inflowKeys.multiRate(wellId),
    queryFn: ({ signal }) => fetchMultiRateTests(wellId, signal),
    enabled: stored && form.method === 'fetkovich',
  });
  const compute = useMutation({ mutationFn: computeIpr });
  const unit = (canonical: 'kPa' | 'm3/d') => displayUnitLabel(canonical, system);
  const quantity = (value: number, canonical: 'kPa' | 'm3/d') => formatQuantity(value, canonical, system, i18n.language);
  // The server's refusal next to the input it is about, its limit in the site's units.
  const serverError = compute.error instanceof ApiError && isErrorDetails(compute.error.details) ? compute.error.details : null;
  const serverField = serverFieldOf(serverError?.field);
  const serverText = (field: keyof InflowForm): string | undefined => {
    if (serverError === null || serverField !== field) return undefined;
    const canonical = QUANTITY_UNITS[field];
    const limit = serverError.params?.limit;
    const params = canonical !== undefined && typeof limit === 'number' ? { ...serverError.params, limit: quantity(limit, canonical) } : serverError.params;
    return reasonText(t, { ...serverError, params });
  };
  const errorOf = (field: keyof InflowForm) => (errors[field] === undefined ? serverText(field) : t(`inflow.errors.${errors[field]}`));
  const input = (field: QuantityField, canonical: 'kPa' | 'm3/d', required = false) => (
    <TextInput
      label={`${t(`inflow.fields.${field}`)} [${unit(canonical)}]`}
      value={form[field]}
      onChange={(event) => set(field, event.currentTarget.value)}
      error={errorOf(field)}
      required={required}
      inputMode="decimal"
      data-testid={`inflow-${field}`}
    />
  );

  const submit = () => {
    const built = iprBody(form, wellId, system);
    if ('errors' in built) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    compute.mutate(built.body);
  };

  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={t('inflow.method')}
              data={IPR_METHODS.map((method) => ({ value: method, label: t(`inflow.methods.${method}`) }))}
              value={form.method}
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (isMethod(value)) setForm((current) => ({ ...current, method: value }));
              }}
              data-testid="inflow-method"
            />
            <NativeSelect
              label={t('inflow.source')}
              data={[
                { value: 'stored', label: t('inflow.sources.stored'), disabled: wellId === '' },
                { value: 'values', label: t('inflow.sources.values') },
              ]}
              value={stored ? 'stored' : 'values'}
              onChange={(event) => {
                // Read now: the event's target is gone by the time the state updater runs.
                const source: InflowSource = event.currentTarget.value === 'values' ? 'values' : 'stored';
                setForm((current) => ({ ...current, source }));
              }}
              data-testid="inflow-source"
            />
            {stored && form.method !== 'fetkovich' && (
              <NativeSelect
                label={t('inflow.fields.wellTestId')}
                data={[
                  { value: '', label: tests.data?.length === 0 ? t('inflow.noTests') : t('inflow.pick'), disabled: true },
                  ...(tests.data ?? []).map((test) => ({
                    value: test.id,
                    label: `${test.startedAt.slice(0, 10)} · ${quantity(test.oilRateM3PerDay, 'm3/d')} · ${quantity(test.bottomholePressureKpa ?? 0, 'kPa')}`,
                  })),
                ]}
                value={form.wellTestId}
                onChange={(event) => set('wellTestId', event.currentTarget.value)}
                error={errorOf('wellTestId')}
                data-testid="inflow-wellTestId"
              />
            )}
            {stored && form.method === 'fetkovich' && (
              <NativeSelect
                label={t('inflow.fields.multiRateTestId')}
                data={[
                  { value: '', label: multiRate.data?.length === 0 ? t('inflow.noTests') : t('inflow.pick'), disabled: true },
                  ...(multiRate.data ?? []).map((test) => ({ value: test.id, label: `${test.testedOn} · ${t('inflow.pointCount', { count: test.points.length })}` })),
                ]}
                value={form.multiRateTestId}
                onChange={(event) => set('multiRateTestId', event.currentTarget.value)}
                error={errorOf('multiRateTestId')}
                data-testid="inflow-multiRateTestId"
              />
            )}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {input('reservoirPressure', 'kPa', !stored)}
            {input('bubblePoint', 'kPa')}
            {!stored && form.method !== 'fetkovich' && input('testRate', 'm3/d', true)}
            {!stored && form.method !== 'fetkovich' && input('testPressure', 'kPa', true)}
            {input('atPressure', 'kPa')}
            {input('targetRate', 'm3/d')}
          </SimpleGrid>
          {!stored && form.method === 'fetkovich' && (
            <Textarea
              label={`${t('inflow.fields.points')} [${unit('m3/d')} ${unit('kPa')}]`}
              description={t('inflow.pointsHint')}
              autosize
              minRows={3}
              value={form.points}
              onChange={(event) => set('points', event.currentTarget.value)}
              error={errorOf('points')}
              data-testid="inflow-points"
            />
          )}
          <Text size="xs" c="dimmed">
            {t('inflow.gaugeNote')}
          </Text>
          <Group>
            <Button type="submit" loading={compute.isPending} data-testid="inflow-compute">
              {t('inflow.compute')}
            </Button>
          </Group>
          {/* A refusal about one input shows under it, in the site's units; others here. */}
          {compute.isError && serverField === undefined && (
            <Alert color="red" data-testid="inflow-error">
              <ErrorMessage error={compute.error} />
            </Alert>
          )}
          {compute.isSuccess && <InflowResult result={compute.data} system={system} />}
        </Stack>
      </form>
    </Paper>
  );
}

function InflowResult({ result, system }: { result: IprResult; system: UnitSystem }) {
  const { t, i18n } = useTranslation();
  const quantity = (value: number, canonical: 'kPa' | 'm3/d') => formatQuantity(value, canonical, system, i18n.language);
  const stat = (label: string, value: string, testId: string) => (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {value}
      </Text>
    </div>
  );
  const source =
    result.reservoirPressureSource === 'survey' && result.surveyedOn !== null
      ? t('inflow.result.fromSurvey', { date: result.surveyedOn })
      : t(`inflow.result.pressureSources.${result.reservoirPressureSource}`);
  return (
    <Stack data-testid="inflow-result">
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {stat(t('inflow.result.aof'), quantity(result.aofM3PerDay, 'm3/d'), 'inflow-aof')}
        {stat(t('inflow.result.reservoirPressure'), `${quantity(result.reservoirPressureKpa, 'kPa')} (${source})`, 'inflow-pr')}
        {result.bubblePointKpa !== null && stat(t('inflow.result.bubblePoint'), quantity(result.bubblePointKpa, 'kPa'), 'inflow-pb')}
        {result.productivityIndexM3PerDayPerKpa !== null &&
          stat(
            t('inflow.result.productivityIndex'),
            // J per display unit: the rate of one pressure unit of drawdown, a small number (three decimals, not the rate's).
            `${formatNumber(toDisplay(result.productivityIndexM3PerDayPerKpa * toCanonical(1, 'kPa', system), 'm3/d', system).value, 3, i18n.language, false)} ${displayUnitLabel('m3/d', system)} / ${displayUnitLabel('kPa', system)}`,
            'inflow-j',
          )}
        {result.fetkovich !== null &&
          stat('n · r²', `${result.fetkovich.n.toFixed(3)} · ${result.fetkovich.rSquared.toFixed(3)}`, 'inflow-n')}
        {result.rateAtPressure !== null &&
          stat(t('inflow.result.rateAt', { pressure: quantity(result.rateAtPressure.flowingPressureKpa, 'kPa') }), quantity(result.rateAtPressure.rateM3PerDay, 'm3/d'), 'inflow-rate-at')}
        {result.pressureForRate !== null &&
          stat(t('inflow.result.pressureFor', { rate: quantity(result.pressureForRate.rateM3PerDay, 'm3/d') }), quantity(result.pressureForRate.flowingPressureKpa, 'kPa'), 'inflow-pressure-for')}
      </SimpleGrid>
      <IprChart data={inflowChartData(result, system)} rateUnit={displayUnitLabel('m3/d', system)} pressureUnit={displayUnitLabel('kPa', system)} />
    </Stack>
  );
}

function SurveysPanel({ wellId }: { wellId: string }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const { system } = useUnitSystem();
  const queryClient = useQueryClient();
  const canWrite = hasRole(user.role, 'engineer');
  const surveys = useQuery({ queryKey: inflowKeys.surveys(wellId), queryFn: ({ signal }) => fetchSurveys(wellId, signal) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: inflowKeys.surveys(wellId) });
  const remove = useMutation({ mutationFn: deleteSurvey, onSuccess: refresh });
  const quantity = (value: number | null) => (value === null ? '—' : formatQuantity(value, 'kPa', system, i18n.language));
  return (
    <Paper withBorder p="md" data-testid="inflow-surveys">
      <Stack>
        <Title order={4}>{t('inflow.surveys.title')}</Title>
        {surveys.isError && <ErrorMessage error={surveys.error} />}
        {/* A phone scrolls the table inside the card, not the page. */}
        <Table.ScrollContainer minWidth={560}>
          <Table striped data-testid="inflow-survey-list">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('inflow.surveys.date')}</Table.Th>
                <Table.Th>{t('inflow.surveys.pressure')}</Table.Th>
                <Table.Th>{t('inflow.surveys.bubblePoint')}</Table.Th>
                <Table.Th>{t('inflow.surveys.method')}</Table.Th>
                {canWrite && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {surveys.data?.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={canWrite ? 5 : 4}>{t('inflow.surveys.empty')}</Table.Td>
                </Table.Tr>
              )}
              {(surveys.data ?? []).map((survey: PressureSurvey) => (
                <Table.Tr key={survey.id}>
                  <Table.Td>{survey.surveyedOn}</Table.Td>
                  <Table.Td>{quantity(survey.reservoirPressureKpa)}</Table.Td>
                  <Table.Td>{quantity(survey.bubblePointKpa)}</Table.Td>
                  <Table.Td>{t(`inflow.surveys.methods.${survey.method}`)}</Table.Td>
                  {canWrite && (
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(survey)} data-testid={`inflow-survey-delete-${survey.surveyedOn}`}>
                        {t('inflow.surveys.delete')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {remove.isError && <ErrorMessage error={remove.error} />}
        {canWrite && <SurveyForm wellId={wellId} onSaved={refresh} />}
      </Stack>
    </Paper>
  );
}

function SurveyForm({ wellId, onSaved }: { wellId: string; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const { system } = useUnitSystem();
  const [surveyedOn, setSurveyedOn] = useState('');
  const [pressure, setPressure] = useState('');
  const [bubblePoint, setBubblePoint] = useState('');
  const [method, setMethod] = useState<SurveyMethod>('buildup');
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: createSurvey,
    onSuccess: async () => {
      setSurveyedOn('');
      setPressure('');
      setBubblePoint('');
      await onSaved();
    },
  });
  const unit = displayUnitLabel('kPa', system);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        const pr = parseDecimal(pressure);
        const pb = bubblePoint.trim() === '' ? undefined : parseDecimal(bubblePoint);
        if (surveyedOn === '' || pr === null || pb === null) {
          setInvalid(t('inflow.errors.surveyIncomplete'));
          return;
        }
        setInvalid(null);
        save.mutate({
          wellId,
          surveyedOn,
          reservoirPressureKpa: toCanonical(pr, 'kPa', system),
          ...(pb === undefined ? {} : { bubblePointKpa: toCanonical(pb, 'kPa', system) }),
          method,
        });
      }}
    >
      <Group align="flex-end">
        <TextInput type="date" label={t('inflow.surveys.date')} value={surveyedOn} onChange={(event) => setSurveyedOn(event.currentTarget.value)} required data-testid="inflow-survey-date" />
        <TextInput label={`${t('inflow.surveys.pressure')} [${unit}]`} value={pressure} onChange={(event) => setPressure(event.currentTarget.value)} required inputMode="decimal" data-testid="inflow-survey-pressure" />
        <TextInput label={`${t('inflow.surveys.bubblePoint')} [${unit}]`} value={bubblePoint} onChange={(event) => setBubblePoint(event.currentTarget.value)} inputMode="decimal" data-testid="inflow-survey-bubble-point" />
        <NativeSelect
          label={t('inflow.surveys.method')}
          data={SURVEY_METHODS.map((value) => ({ value, label: t(`inflow.surveys.methods.${value}`) }))}
          value={method}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (isSurveyMethod(value)) setMethod(value);
          }}
          data-testid="inflow-survey-method"
        />
        <Button type="submit" loading={save.isPending} data-testid="inflow-survey-save">
          {t('inflow.surveys.add')}
        </Button>
      </Group>
      {invalid !== null && (
        <Text size="sm" c="red" mt="xs">
          {invalid}
        </Text>
      )}
      {save.isError && <ErrorMessage error={save.error} />}
    </form>
  );
}
