import { Alert, Button, Group, MultiSelect, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAssets } from '../../api/assets';
import { fetchRates, forecastDecline, RATE_SOURCES, RESERVOIR_FLUIDS, typeCurve, type DcaForecastResult, type DcaTypeCurveResult, type RateSource, type ReservoirFluid } from '../../api/reservoir';
import { ErrorMessage } from '../../shell/error-message';
import { formatNumber } from '../../units/units';
import { DeclineChart, type DeclineLayer } from './decline-chart';
import { fitInput } from './decline-series';

interface TypeCurveAnswer {
  result: DcaTypeCurveResult;
  /** The P50 fit drawn over the bins (null without a fit). */
  fitted: DcaForecastResult | null;
}

/** Type curves (docs/reservoir-data.md "Screens"): several wells' rates normalised to their peaks, P10/P50/P90 and the P50 Arps fit. */
export function TypeCurvePage() {
  const { t, i18n } = useTranslation();
  const [wellIds, setWellIds] = useState<string[]>([]);
  const [fluid, setFluid] = useState<ReservoirFluid>('oil');
  const [source, setSource] = useState<RateSource>('history');
  const wells = useQuery({
    queryKey: ['assets', 'wells', 'reservoir'],
    queryFn: ({ signal }) => fetchAssets({ search: '', kind: 'well', parentId: null, status: null, liftType: null, limit: 500, offset: 0 }, signal),
    staleTime: 60_000,
  });
  const build = useMutation({
    mutationFn: async (): Promise<TypeCurveAnswer> => {
      const interval = source === 'history' ? 'monthly' : 'daily';
      const series = await Promise.all(wellIds.map((wellId) => fetchRates(wellId, { fluid, source, interval })));
      const inputs = series.flatMap((one) => {
        const input = fitInput(one);
        return input && input.points.length > 0 ? [{ label: one.wellCode, points: input.points }] : [];
      });
      const result = await typeCurve({ wells: inputs, binDays: interval === 'monthly' ? 30.4375 : 7, minWellsPerBin: Math.min(3, inputs.length) });
      const last = result.bins.at(-1);
      const fitted =
        result.p50Fit && last
          ? await forecastDecline({
              parameters: result.p50Fit.parameters,
              horizonDays: Math.max(last.timeSincePeakDays - result.p50Fit.referenceTimeDays, 1),
              stepDays: Math.max((last.timeSincePeakDays - result.p50Fit.referenceTimeDays) / 200, 1),
            })
          : null;
      return { result, fitted };
    },
  });

  const layers: DeclineLayer[] = [];
  const answer = build.data;
  if (answer) {
    const bins = answer.result.bins;
    const xs = bins.map((bin) => bin.timeSincePeakDays);
    layers.push({ label: 'P10', color: '#0ca678', kind: 'line', xs, ys: bins.map((bin) => bin.p10NormalisedRate) });
    layers.push({ label: 'P50', color: '#4263eb', kind: 'line', xs, ys: bins.map((bin) => bin.p50NormalisedRate) });
    layers.push({ label: 'P90', color: '#f76707', kind: 'line', xs, ys: bins.map((bin) => bin.p90NormalisedRate) });
    const fit = answer.result.p50Fit;
    if (answer.fitted && fit) {
      layers.push({
        label: t('reservoir.typeCurve.p50Fit'),
        color: '#e03131',
        kind: 'line',
        xs: answer.fitted.points.map((point) => point.timeDays + fit.referenceTimeDays),
        ys: answer.fitted.points.map((point) => point.ratePerDay),
      });
    }
  }
  const fit = answer?.result.p50Fit ?? null;

  return (
    <Stack data-testid="reservoir-type-curve-page">
      <Title order={2}>{t('reservoir.typeCurve.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('reservoir.typeCurve.intro')}
      </Text>
      {wells.isError && <ErrorMessage error={wells.error} />}
      <Group align="flex-end" wrap="wrap">
        <MultiSelect
          label={t('reservoir.typeCurve.wells')}
          data={(wells.data?.assets ?? []).map((well) => ({ value: well.id, label: well.code }))}
          value={wellIds}
          onChange={setWellIds}
          searchable
          w={420}
          data-testid="reservoir-type-curve-wells"
        />
        <SegmentedControl data={RESERVOIR_FLUIDS.map((value) => ({ value, label: t(`reservoir.fluid.${value}`) }))} value={fluid} onChange={(value) => setFluid(value)} />
        <SegmentedControl data={RATE_SOURCES.map((value) => ({ value, label: t(`reservoir.source.${value}`) }))} value={source} onChange={(value) => setSource(value)} />
        <Button onClick={() => build.mutate()} loading={build.isPending} disabled={wellIds.length < 2} data-testid="reservoir-type-curve-build">
          {t('reservoir.typeCurve.build')}
        </Button>
      </Group>
      {wellIds.length < 2 && <Alert color="blue">{t('reservoir.typeCurve.pickWells')}</Alert>}
      {build.isError && <ErrorMessage error={build.error} />}
      {answer && (
        <Paper withBorder p="sm">
          <DeclineChart layers={layers} xIsTime={false} xLabel={t('reservoir.typeCurve.timeSincePeak')} yLabel={t('reservoir.typeCurve.normalisedRate')} testId="reservoir-type-curve-chart" />
        </Paper>
      )}
      {fit && (
        <Paper withBorder p="sm" data-testid="reservoir-type-curve-fit">
          <Title order={4} mb="xs">
            {t('reservoir.typeCurve.p50Fit')}
          </Title>
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Td>{t('reservoir.decline.model')}</Table.Td>
                <Table.Td>{t(`reservoir.model.${fit.parameters.model}`)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>{t('reservoir.typeCurve.initialFraction')}</Table.Td>
                <Table.Td>{formatNumber(fit.parameters.initialRatePerDay, 3, i18n.language)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>{t('reservoir.decline.initialDecline')}</Table.Td>
                <Table.Td>{formatNumber(fit.parameters.initialDeclineNominalPerYear * 100, 1, i18n.language)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>{t('reservoir.decline.bExponent')}</Table.Td>
                <Table.Td>{formatNumber(fit.parameters.bExponent ?? 0, 3, i18n.language)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td>{t('reservoir.decline.rSquared')}</Table.Td>
                <Table.Td>{formatNumber(fit.goodness.rSquaredLog, 3, i18n.language)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </Stack>
  );
}
