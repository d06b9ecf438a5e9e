import 'uplot/dist/uPlot.min.css';
import { Box, useComputedColorScheme } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import { formatNumber } from '../../units/units';
import type { InflowChartData } from './inflow-form';
import { chartAxisColors } from '../../shell/chart-axis-colors';

interface IprChartProps {
  data: InflowChartData;
  rateUnit: string;
  pressureUnit: string;
  testId?: string;
}

const CURVE_COLOR = '#4263eb';
const TEST_COLOR = '#e03131';

/**
 * The IPR curve over uPlot (as the trends screen): rate on x, flowing
 * pressure on y, the test points as dots. Rebuilt when the data changes (a
 * curve is at most a few hundred points).
 */
export function IprChart({ data, rateUnit, pressureUnit, testId = 'ipr-chart' }: IprChartProps) {
  const { t, i18n } = useTranslation();
  const scheme = useComputedColorScheme('light');
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const { axisStroke: stroke, grid } = chartAxisColors(scheme);
    const number = (_u: uPlot, splits: number[]) => splits.map((split) => formatNumber(split, 3, i18n.language, false));
    const options: uPlot.Options = {
      width: Math.max(100, element.clientWidth),
      height: 320,
      series: [
        { label: t('inflow.chart.rate') },
        { label: t('inflow.chart.curve'), stroke: CURVE_COLOR, width: 2, spanGaps: true, points: { show: false } },
        { label: t('inflow.chart.test'), stroke: TEST_COLOR, width: 0, paths: () => null, points: { show: true, size: 9, fill: TEST_COLOR } },
      ],
      scales: { x: { time: false }, y: { auto: true, range: (_u, _min, max) => [0, max] } },
      axes: [
        { stroke, grid, label: `${t('inflow.chart.rate')} [${rateUnit}]`, values: number },
        { stroke, grid, label: `${t('inflow.chart.pressure')} [${pressureUnit}]`, values: number, size: 60 },
      ],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
    };
    const plot = new uPlot(options, [data.rates, data.curve, data.tests] as uPlot.AlignedData, element);
    const observer = new ResizeObserver(() => {
      const width = Math.max(100, element.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: 320 });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data, rateUnit, pressureUnit, scheme, i18n.language, t]);

  return (
    <Box data-testid={testId} data-points={data.curve.filter((value) => value !== null).length}>
      <div ref={host} style={{ width: '100%' }} />
    </Box>
  );
}
