import { Alert, Button, Group, NativeSelect, NumberInput, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { fetchAssets } from '../../api/assets';
import { newIdempotencyKey } from '../../api/client';
import {
  DCA_MODELS,
  fetchForecasts,
  fetchRates,
  fitDecline,
  forecastDecline,
  RATE_SOURCES,
  RESERVOIR_FLUIDS,
  reservoirKeys,
  saveForecast,
  type DcaFitResult,
  type DcaModel,
  type DcaParameters,
  type RateSource,
  type ReservoirFluid,
} from '../../api/reservoir';
import { ErrorMessage } from '../../shell/error-message';
import { useUnitSystem } from '../../shell/unit-system';
import { displayUnitLabel, formatNumber, formatQuantity, fromDisplay, toDisplay } from '../../units/units';
import { DeclineChart, type DeclineLayer } from './decline-chart';
import { addDays, dayMs, daysBetween, exclusionsByDate, fitInput, outlierDates, type Exclusion } from './decline-series';

const DAY_MS = 86_400_000;
const FORECAST_YEARS = 10;
const COLORS = { included: '#4263eb', excluded: '#adb5bd', forecast: '#e03131' };

function rateUnit(fluid: ReservoirFluid): string {
  return fluid === 'gas' ? 'Sm3/d' : 'm3/d';
}

function volumeUnit(fluid: ReservoirFluid): string {
  return fluid === 'gas' ? 'Sm3' : 'm3';
}

/** A curve being looked at: from a fit, or adjusted by hand. */
interface Curve {
  parameters: DcaParameters;
  referenceDate: string;
  /** The first day of the fit window on the series. */
  windowStart: string;
  fit: DcaFitResult | null;
}

function useWells() {
  return useQuery({
    queryKey: ['assets', 'wells', 'reservoir'],
    queryFn: ({ signal }) => fetchAssets({ search: '', kind: 'well', parentId: null, status: null, liftType: null, limit: 500, offset: 0 }, signal),
    staleTime: 60_000,
  });
}

/** Well decline analysis (docs/reservoir-data.md "Screens"): history, fit, manual adjustment, forecast, saved versions. */
export function DeclinePage() {
  const { t, i18n } = useTranslation();
  const { system } = useUnitSystem();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const wellId = params.get('well') ?? '';
  const [fluid, setFluid] = useState<ReservoirFluid>('oil');
  const [source, setSource] = useState<RateSource>('history');
  const [windowFrom, setWindowFrom] = useState('');
  const [economicLimit, setEconomicLimit] = useState<number | ''>('');
  const [curve, setCurve] = useState<Curve | null>(null);
  const [reason, setReason] = useState('');
  const [saveKey, setSaveKey] = useState(newIdempotencyKey);
  const wells = useWells();
  const interval = source === 'history' ? 'monthly' : 'daily';
  const rateQuery = { fluid, source, interval } as const;
  const series = useQuery({
    queryKey: reservoirKeys.rates(wellId, rateQuery),
    queryFn: ({ signal }) => fetchRates(wellId, rateQuery, signal),
    enabled: wellId !== '',
  });
  const versions = useQuery({ queryKey: reservoirKeys.forecasts(wellId), queryFn: ({ signal }) => fetchForecasts(wellId, signal), enabled: wellId !== '' });
  const input = useMemo(() => (series.data ? fitInput(series.data) : null), [series.data]);
  const unit = rateUnit(fluid);
  const unitLabel = displayUnitLabel(unit, system);
  const lastDate = series.data?.points.at(-1)?.date;
  const economicLimitSi = economicLimit === '' ? undefined : fromDisplay(economicLimit, unit, system);

  const fit = useMutation({
    mutationFn: () => {
      if (!input) throw new Error('no series');
      const windowStartDays = windowFrom === '' ? undefined : daysBetween(input.origin, windowFrom);
      return fitDecline({ model: 'hyperbolic', points: input.points, ...(windowStartDays === undefined ? {} : { windowStartDays }) });
    },
    onSuccess: (result) => {
      if (!input) return;
      const first = input.points.findIndex((point) => point.timeDays >= result.referenceTimeDays - 1e-9);
      // Day 0 of the curve, floored to a whole day so the window's first point stays on or after it.
      setCurve({
        parameters: result.parameters,
        referenceDate: addDays(input.origin, Math.floor(result.referenceTimeDays)),
        windowStart: input.sources[first]?.date ?? input.origin,
        fit: result,
      });
    },
  });

  const horizonDays = curve && lastDate ? Math.max(daysBetween(curve.referenceDate, lastDate), 0) + FORECAST_YEARS * 365.25 : 0;
  const forecastRequest = curve
    ? {
        parameters: curve.parameters,
        horizonDays,
        stepDays: Math.max(horizonDays / 400, 1),
        asOfDays: Math.max(daysBetween(curve.referenceDate, new Date().toISOString().slice(0, 10)), 0),
        ...(economicLimitSi === undefined ? {} : { economicLimitRatePerDay: economicLimitSi }),
      }
    : null;
  const forecast = useQuery({
    queryKey: reservoirKeys.dcaForecast(forecastRequest ?? { parameters: { model: 'exponential', initialRatePerDay: 1, initialDeclineNominalPerYear: 1 }, horizonDays: 1, stepDays: 1 }),
    queryFn: ({ signal }) => (forecastRequest ? forecastDecline(forecastRequest, signal) : Promise.reject(new Error('no curve'))),
    enabled: forecastRequest !== null && horizonDays > 0,
  });

  const save = useMutation({
    mutationFn: () => {
      if (!curve || !lastDate) throw new Error('no curve');
      return saveForecast(
        wellId,
        {
          fluid,
          source,
          interval,
          windowStart: curve.windowStart,
          windowEnd: lastDate,
          parameters: curve.parameters,
          referenceDate: curve.referenceDate,
          ...(economicLimitSi === undefined ? {} : { economicLimitRatePerDay: economicLimitSi }),
          excludedDates: curve.fit && input ? outlierDates(curve.fit, input) : [],
          reason,
        },
        saveKey,
      );
    },
    onSuccess: async () => {
      setReason('');
      setSaveKey(newIdempotencyKey());
      await queryClient.invalidateQueries({ queryKey: reservoirKeys.forecasts(wellId) });
    },
  });

  const reasons = series.data ? exclusionsByDate(series.data, curve?.fit ?? null, input) : new Map<string, Exclusion>();
  const layers: DeclineLayer[] = [];
  if (series.data) {
    const shown = series.data.points.filter((point) => point.rate !== null);
    const toUnit = (value: number) => toDisplay(value, unit, system).value;
    const included = shown.filter((point) => !reasons.has(point.date));
    const excluded = shown.filter((point) => reasons.has(point.date));
    layers.push({ label: t('reservoir.decline.history'), color: COLORS.included, kind: 'points', xs: included.map((point) => dayMs(point.date)), ys: included.map((point) => toUnit(point.rate ?? 0)) });
    layers.push({
      label: t('reservoir.decline.excluded'),
      color: COLORS.excluded,
      kind: 'points',
      xs: excluded.map((point) => dayMs(point.date)),
      ys: excluded.map((point) => toUnit(point.rate ?? 0)),
      notes: excluded.map((point) => t(`reservoir.exclusion.${reasons.get(point.date) ?? 'manual'}`)),
    });
    if (curve && forecast.data) {
      const start = dayMs(curve.referenceDate);
      layers.push({
        label: t('reservoir.decline.forecast'),
        color: COLORS.forecast,
        kind: 'line',
        xs: forecast.data.points.map((point) => start + Math.round(point.timeDays * DAY_MS)),
        ys: forecast.data.points.map((point) => toUnit(point.ratePerDay)),
      });
    }
  }

  const setParameter = (change: Partial<DcaParameters>) => setCurve((current) => (current ? { ...current, parameters: { ...current.parameters, ...change }, fit: current.fit } : current));
  const volume = (value: number | null) => (value === null ? '—' : formatQuantity(value, volumeUnit(fluid), system, i18n.language));

  return (
    <Stack data-testid="reservoir-decline-page">
      <Title order={2}>{t('reservoir.decline.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('reservoir.decline.intro')}
      </Text>
      {wells.isError && <ErrorMessage error={wells.error} />}
      <Group align="flex-end" gap="md" wrap="wrap">
        <NativeSelect
          label={t('reservoir.well')}
          data={[{ value: '', label: t('reservoir.pickWell'), disabled: true }, ...(wells.data?.assets ?? []).map((well) => ({ value: well.id, label: `${well.code} — ${well.name}` }))]}
          value={wellId}
          onChange={(event) => {
            setCurve(null);
            setParams({ well: event.currentTarget.value });
          }}
          w={280}
          data-testid="reservoir-well"
        />
        <SegmentedControl
          data={RESERVOIR_FLUIDS.map((value) => ({ value, label: t(`reservoir.fluid.${value}`) }))}
          value={fluid}
          onChange={(value) => {
            setCurve(null);
            setFluid(value);
          }}
          data-testid="reservoir-fluid"
        />
        <SegmentedControl
          data={RATE_SOURCES.map((value) => ({ value, label: t(`reservoir.source.${value}`) }))}
          value={source}
          onChange={(value) => {
            setCurve(null);
            setSource(value);
          }}
          data-testid="reservoir-source"
        />
        <TextInput type="date" label={t('reservoir.decline.windowStart')} description={t('reservoir.decline.windowStartHint')} value={windowFrom} onChange={(event) => setWindowFrom(event.currentTarget.value)} w={190} data-testid="reservoir-window-start" />
        <Button onClick={() => fit.mutate()} loading={fit.isPending} disabled={!input || input.points.length === 0} data-testid="reservoir-fit">
          {t('reservoir.decline.fit')}
        </Button>
      </Group>
      {wellId === '' && <Alert color="blue">{t('reservoir.pickWellFirst')}</Alert>}
      {series.isError && <ErrorMessage error={series.error} />}
      {fit.isError && <ErrorMessage error={fit.error} />}
      {series.data && series.data.points.length === 0 && (
        <Alert color="yellow" data-testid="reservoir-no-data">
          {t('reservoir.decline.noData')}
        </Alert>
      )}
      {series.data && series.data.points.length > 0 && (
        <Paper withBorder p="sm">
          <DeclineChart layers={layers} xIsTime yLabel={unitLabel} testId="reservoir-decline-chart" />
        </Paper>
      )}
      {curve && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Paper withBorder p="sm" data-testid="reservoir-parameters">
            <Title order={4} mb="xs">
              {t('reservoir.decline.parameters')}
            </Title>
            <Stack gap="xs">
              <NativeSelect
                label={t('reservoir.decline.model')}
                data={DCA_MODELS.map((value) => ({ value, label: t(`reservoir.model.${value}`) }))}
                value={curve.parameters.model}
                onChange={(event) => setParameter({ model: event.currentTarget.value as DcaModel })}
                data-testid="reservoir-model"
              />
              <NumberInput
                label={t('reservoir.decline.initialRate', { unit: unitLabel })}
                value={toDisplay(curve.parameters.initialRatePerDay, unit, system).value}
                decimalScale={2}
                min={0}
                onChange={(value) => typeof value === 'number' && value > 0 && setParameter({ initialRatePerDay: fromDisplay(value, unit, system) })}
                data-testid="reservoir-qi"
              />
              <NumberInput
                label={t('reservoir.decline.initialDecline')}
                value={curve.parameters.initialDeclineNominalPerYear * 100}
                decimalScale={2}
                min={0}
                onChange={(value) => typeof value === 'number' && value > 0 && setParameter({ initialDeclineNominalPerYear: value / 100 })}
                data-testid="reservoir-di"
              />
              {curve.parameters.model === 'hyperbolic' && (
                <NumberInput
                  label={t('reservoir.decline.bExponent')}
                  value={curve.parameters.bExponent ?? 0.5}
                  decimalScale={3}
                  step={0.05}
                  min={0}
                  max={2}
                  onChange={(value) => typeof value === 'number' && value >= 0 && setParameter({ bExponent: value })}
                  data-testid="reservoir-b"
                />
              )}
              <NumberInput
                label={t('reservoir.decline.economicLimit', { unit: unitLabel })}
                value={economicLimit}
                min={0}
                onChange={(value) => setEconomicLimit(typeof value === 'number' && value > 0 ? value : '')}
                data-testid="reservoir-economic-limit"
              />
              <Text size="xs" c="dimmed">
                {t('reservoir.decline.reference', { date: curve.referenceDate })}
              </Text>
            </Stack>
          </Paper>
          <Paper withBorder p="sm" data-testid="reservoir-results">
            <Title order={4} mb="xs">
              {t('reservoir.decline.results')}
            </Title>
            {forecast.isError && <ErrorMessage error={forecast.error} />}
            <Table>
              <Table.Tbody>
                {curve.fit && (
                  <Table.Tr>
                    <Table.Td>{t('reservoir.decline.rSquared')}</Table.Td>
                    <Table.Td data-testid="reservoir-r2">{formatNumber(curve.fit.goodness.rSquaredLog, 3, i18n.language)}</Table.Td>
                  </Table.Tr>
                )}
                <Table.Tr>
                  <Table.Td>{t('reservoir.decline.eur')}</Table.Td>
                  <Table.Td data-testid="reservoir-eur">{volume(forecast.data?.eurVolume ?? null)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td>{t('reservoir.decline.remaining')}</Table.Td>
                  <Table.Td data-testid="reservoir-remaining">{volume(forecast.data?.remainingVolume ?? null)}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Td>{t('reservoir.decline.effectiveDecline')}</Table.Td>
                  <Table.Td>{forecast.data ? `${formatNumber(forecast.data.initialDecline.secantEffectivePerYear * 100, 1, i18n.language)} %` : '—'}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            {(forecast.data?.flags ?? []).map((flag) => (
              <Text key={flag} size="xs" c="orange">
                {t(`reservoir.flag.${flag}`)}
              </Text>
            ))}
            <Group align="flex-end" mt="sm">
              <TextInput label={t('reservoir.decline.reason')} value={reason} onChange={(event) => setReason(event.currentTarget.value)} style={{ flex: 1 }} data-testid="reservoir-reason" />
              <Button onClick={() => save.mutate()} loading={save.isPending} disabled={reason.trim() === ''} data-testid="reservoir-save">
                {t('reservoir.decline.save')}
              </Button>
            </Group>
            {save.isError && <ErrorMessage error={save.error} />}
          </Paper>
        </SimpleGrid>
      )}
      {wellId !== '' && (
        <Paper withBorder p="sm">
          <Title order={4} mb="xs">
            {t('reservoir.decline.versions')}
          </Title>
          {versions.isError && <ErrorMessage error={versions.error} />}
          <Table data-testid="reservoir-versions">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('reservoir.decline.version')}</Table.Th>
                <Table.Th>{t('reservoir.decline.fluidColumn')}</Table.Th>
                <Table.Th>{t('reservoir.decline.model')}</Table.Th>
                <Table.Th>{t('reservoir.decline.eur')}</Table.Th>
                <Table.Th>{t('reservoir.decline.reason')}</Table.Th>
                <Table.Th>{t('reservoir.decline.savedBy')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(versions.data ?? []).length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="dimmed">
                      {t('reservoir.decline.noVersions')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {(versions.data ?? []).map((version) => (
                <Table.Tr key={version.id} data-testid={`reservoir-version-${version.fluid}-${version.version}`}>
                  <Table.Td>v{version.version}</Table.Td>
                  <Table.Td>{t(`reservoir.fluid.${version.fluid}`)}</Table.Td>
                  <Table.Td>{t(`reservoir.model.${version.parameters.model}`)}</Table.Td>
                  <Table.Td>{version.eurVolume === null ? '—' : formatQuantity(version.eurVolume, volumeUnit(version.fluid), system, i18n.language)}</Table.Td>
                  <Table.Td>{version.reason}</Table.Td>
                  <Table.Td>
                    {version.createdBy}, {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(version.createdAt))}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
