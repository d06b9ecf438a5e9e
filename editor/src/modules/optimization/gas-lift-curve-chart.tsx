import 'uplot/dist/uPlot.min.css';
import { Box, Text, useComputedColorScheme } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import { formatNumber } from '../../units/units';
import { chartAxisColors } from '../../shell/chart-axis-colors';

export interface CurveChartProps {
  title: string;
  injection: number[];
  oil: number[];
  current: { injection: number; oil: number } | null;
  recommended: { injection: number; oil: number };
  gasUnit: string;
  oilUnit: string;
  testId: string;
}

/** Joins the curve's x values with the two markers' so uPlot (one x column) can draw all three series. */
function alignedData({ injection, oil, current, recommended }: Pick<CurveChartProps, 'injection' | 'oil' | 'current' | 'recommended'>): uPlot.AlignedData {
  const xs = [...new Set([...injection, ...(current ? [current.injection] : []), recommended.injection])].sort((a, b) => a - b);
  const curveAt = new Map(injection.map((x, index) => [x, oil[index] ?? null]));
  return [
    xs,
    xs.map((x) => curveAt.get(x) ?? null),
    xs.map((x) => (current !== null && x === current.injection ? current.oil : null)),
    xs.map((x) => (x === recommended.injection ? recommended.oil : null)),
  ];
}

/**
 * A well's gas-lift performance curve (oil against lift gas) over uPlot, as
 * the trends use it, with the current and the recommended injection marked.
 */
export function GasLiftCurveChart(props: CurveChartProps) {
  const { t, i18n } = useTranslation();
  const scheme = useComputedColorScheme('light');
  const host = useRef<HTMLDivElement>(null);
  const { title, gasUnit, oilUnit, testId } = props;
  const data = JSON.stringify(alignedData(props));

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const { axisStroke: stroke, grid } = chartAxisColors(scheme);
    const values = (_u: uPlot, splits: number[]) => splits.map((split) => formatNumber(split, 0, i18n.language, false));
    const marker = (color: string): uPlot.Series => ({ stroke: color, fill: color, width: 0, paths: () => null, points: { show: true, size: 9, fill: color, stroke: color } });
    const plot = new uPlot(
      {
        width: Math.max(160, element.clientWidth),
        height: 180,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        series: [
          {},
          { label: title, stroke: '#4263eb', width: 1.5, spanGaps: true, points: { show: false } },
          { label: t('gasLift.current'), ...marker('#868e96') },
          { label: t('gasLift.recommended'), ...marker('#f76707') },
        ],
        axes: [
          { stroke, grid, label: gasUnit, labelSize: 16, values },
          { stroke, grid, label: oilUnit, labelSize: 16, values, size: 50 },
        ],
      },
      JSON.parse(data) as uPlot.AlignedData,
      element,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(160, element.clientWidth), height: 180 }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data, scheme, i18n.language, title, gasUnit, oilUnit, t]);

  return (
    <Box data-testid={testId}>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      <div ref={host} style={{ width: '100%' }} />
      <Text size="xs" c="dimmed">
        {t('gasLift.chartLegend')}
      </Text>
    </Box>
  );
}
