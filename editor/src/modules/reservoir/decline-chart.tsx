import 'uplot/dist/uPlot.min.css';
import { Box, Group, Text, useComputedColorScheme } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import { formatNumber } from '../../units/units';
import { chartAxisColors } from '../../shell/chart-axis-colors';

/** One layer of a decline chart: measured points (dots) or a curve (line). */
export interface DeclineLayer {
  label: string;
  color: string;
  kind: 'points' | 'line';
  xs: readonly number[];
  ys: readonly (number | null)[];
  /** Shown under the chart when the cursor is on one of the layer's points (an excluded point's reason). */
  notes?: readonly (string | null)[];
}

export interface DeclineChartProps {
  layers: readonly DeclineLayer[];
  /** x values are epoch ms (dates) or plain days. */
  xIsTime: boolean;
  xLabel?: string;
  yLabel: string;
  height?: number;
  testId: string;
}

interface Merged {
  data: uPlot.AlignedData;
  /** For each layer and merged row, the layer's note at that x (or null). */
  notes: (string | null)[][];
}

/** Every layer on one sorted x axis (uPlot's aligned data), nulls where a layer has no value. */
function merge(layers: readonly DeclineLayer[]): Merged {
  const xs = [...new Set(layers.flatMap((layer) => layer.xs))].sort((a, b) => a - b);
  const row = new Map(xs.map((x, index) => [x, index]));
  const columns: (number | null)[][] = layers.map(() => xs.map(() => null));
  const notes: (string | null)[][] = layers.map(() => xs.map(() => null));
  layers.forEach((layer, index) => {
    layer.xs.forEach((x, position) => {
      const at = row.get(x);
      if (at === undefined) return;
      const y = layer.ys[position];
      // A log axis has no place for zero or less.
      columns[index][at] = y !== null && y !== undefined && y > 0 ? y : null;
      notes[index][at] = layer.notes?.[position] ?? null;
    });
  });
  return { data: [xs, ...columns] as uPlot.AlignedData, notes };
}

/**
 * Rate against time on a logarithmic rate axis (uPlot, as the trends chart):
 * measured points as dots, fitted and forecast curves as lines. The cursor's
 * values, and the reason of an excluded point, are read out under the chart.
 */
export function DeclineChart({ layers, xIsTime, xLabel, yLabel, height = 360, testId }: DeclineChartProps) {
  const { i18n } = useTranslation();
  const scheme = useComputedColorScheme('light');
  const host = useRef<HTMLDivElement>(null);
  const [cursor, setCursor] = useState<number | null>(null);
  const merged = useMemo(() => merge(layers), [layers]);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const { axisStroke, grid } = chartAxisColors(scheme);
    const dateFormat = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'short', timeZone: 'UTC' });
    const options: uPlot.Options = {
      width: Math.max(100, element.clientWidth),
      height,
      ms: 1,
      legend: { show: false },
      scales: { x: { time: xIsTime }, y: { distr: 3, log: 10 } },
      series: [
        {},
        ...layers.map(
          (layer): uPlot.Series =>
            layer.kind === 'points'
              ? { label: layer.label, stroke: layer.color, width: 0, paths: () => null, points: { show: true, size: 6, stroke: layer.color, fill: layer.color } }
              : { label: layer.label, stroke: layer.color, width: 2, spanGaps: true, points: { show: false } },
        ),
      ],
      axes: [
        {
          stroke: axisStroke,
          grid,
          label: xLabel,
          values: (_u, splits) => splits.map((split) => (xIsTime ? dateFormat.format(split) : formatNumber(split, 0, i18n.language))),
        },
        { stroke: axisStroke, grid, label: yLabel, size: 70, values: (_u, splits) => splits.map((split) => formatNumber(split, 3, i18n.language, false)) },
      ],
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      hooks: { setCursor: [(u) => setCursor(u.cursor.idx ?? null)] },
    };
    const created = new uPlot(options, merged.data, element);
    const observer = new ResizeObserver(() => {
      const width = Math.max(100, element.clientWidth);
      if (width !== created.width) created.setSize({ width, height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      created.destroy();
    };
  }, [layers, merged, scheme, i18n.language, height, xIsTime, xLabel, yLabel]);

  const x = cursor === null ? undefined : merged.data[0][cursor];
  const counts = layers.map((layer) => layer.ys.filter((y) => y !== null && y > 0).length);
  return (
    <Box data-testid={testId} data-points={counts.join(',')}>
      <Group gap="sm" mb={4} wrap="wrap">
        {layers.map((layer, index) => {
          const value = cursor === null ? null : (merged.data[index + 1][cursor] ?? null);
          const note = cursor === null ? null : merged.notes[index][cursor];
          return (
            <Group key={layer.label} gap={4} wrap="nowrap" data-testid={`${testId}-layer-${index}`}>
              <Box w={12} h={layer.kind === 'points' ? 8 : 3} bg={layer.color} style={{ borderRadius: layer.kind === 'points' ? 4 : 0 }} />
              <Text size="xs">
                {layer.label}
                {value === null ? '' : ` = ${formatNumber(value, 3, i18n.language, false)}`}
                {note === null ? '' : ` (${note})`}
              </Text>
            </Group>
          );
        })}
        {x !== undefined && (
          <Text size="xs" c="dimmed">
            {xIsTime ? new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(x) : formatNumber(x, 0, i18n.language)}
          </Text>
        )}
      </Group>
      <div ref={host} style={{ width: '100%' }} />
    </Box>
  );
}
