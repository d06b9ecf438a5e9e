import 'uplot/dist/uPlot.min.css';
import { ActionIcon, Box, Group, Loader, Text, Tooltip, useComputedColorScheme } from '@mantine/core';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import { formatNumber } from '../../units/units';
import type { AlignedData } from './trend-data';
import { panWindow, selectedWindow, zoomWindow, type TimeWindow } from './trend-state';
import { chartAxisColors } from '../../shell/chart-axis-colors';

/** Pen colours in order; distinguishable on light and dark backgrounds and by most colour-blind readers. */
export const PEN_COLORS = ['#4263eb', '#f76707', '#0ca678', '#e03131', '#ae3ec9', '#1098ad', '#74b816', '#d6336c'] as const;

export interface TrendChartPen {
  /** Legend text, usually the tag path. */
  label: string;
  /** The unit its values are in, as printed on its axis ('' for none). */
  unitLabel: string;
  /** Pens with the same axis number share a y axis; axis 0 is on the left, 1 on the right, and so on alternating. */
  axis: number;
  /** Defaults to PEN_COLORS by position. */
  color?: string;
}

export interface TrendChartProps {
  /** What to draw, in the order of `data.pens`. */
  pens: readonly TrendChartPen[];
  /** Times (epoch ms) and values per pen, in display units (trend-data.ts: penDataOf, alignPens). A pen with mins/maxs gets a min/max band behind its line. */
  data: AlignedData;
  /** The x range shown; the chart never changes it itself, it asks through onWindowChange. */
  window: TimeWindow;
  /** Drag-to-zoom on the plot, and the pan and zoom-out buttons. Without it the chart is fixed (no buttons, no selection). */
  onWindowChange?: (window: TimeWindow) => void;
  /** The reset-zoom button; shown when given. */
  onReset?: () => void;
  /** The plot's width in CSS pixels whenever it changes, so the caller can ask for about that many points. */
  onWidthChange?: (widthPx: number) => void;
  /** CSS pixels; the width follows the container. */
  height?: number;
  /** Shows a spinner over the chart (a refetch after a zoom). */
  loading?: boolean;
  testId?: string;
}

const DAY_MS = 86_400_000;

function timeLabels(locale: string, spanMs: number): (ms: number) => string {
  const format = new Intl.DateTimeFormat(locale, spanMs > 2 * DAY_MS
    ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }
    : spanMs > 5 * 60_000
      ? { hour: '2-digit', minute: '2-digit', hour12: false }
      : { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return (ms) => format.format(ms);
}

interface Layout {
  /** uPlot series index (1-based) of each pen's line, min and max. */
  line: number[];
  band: ([number, number] | null)[];
  axes: number[];
}

function layoutOf(pens: readonly TrendChartPen[], data: AlignedData): Layout {
  let next = 1;
  const line: number[] = [];
  const band: ([number, number] | null)[] = [];
  pens.forEach((_pen, index) => {
    line.push(next++);
    if (data.pens[index]?.mins) {
      band.push([next, next + 1]);
      next += 2;
    } else band.push(null);
  });
  return { line, band, axes: [...new Set(pens.map((pen) => pen.axis))].sort((a, b) => a - b) };
}

function plotData(data: AlignedData): uPlot.AlignedData {
  const columns: (number | null)[][] = [];
  for (const pen of data.pens) {
    columns.push(pen.values);
    if (pen.mins && pen.maxs) columns.push(pen.maxs, pen.mins);
  }
  return [data.times, ...columns] as uPlot.AlignedData;
}

/**
 * A time-series chart over uPlot (docs/decisions.md: why uPlot): several
 * pens on shared or separate y axes, a min/max band for bucketed history,
 * drag-to-zoom on x, pan and zoom-out buttons, following its container's
 * width and the light/dark colour scheme. Controlled: the caller owns the
 * window and the data (e.g. refetches on every zoom), so the same chart
 * serves the Trends screen and a well's faceplate.
 */
export function TrendChart({ pens, data, window, onWindowChange, onReset, onWidthChange, height = 320, loading = false, testId = 'trend-chart' }: TrendChartProps) {
  const { t, i18n } = useTranslation();
  const scheme = useComputedColorScheme('light');
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // uPlot's hooks and scale range outlive a render: they read the latest props through these.
  const windowRef = useRef(window);
  const onWindowChangeRef = useRef(onWindowChange);
  const onWidthChangeRef = useRef(onWidthChange);
  useLayoutEffect(() => {
    windowRef.current = window;
    onWindowChangeRef.current = onWindowChange;
    onWidthChangeRef.current = onWidthChange;
  });
  const [cursorIndex, setCursorIndex] = useState<number | null>(null);

  const layout = useMemo(() => layoutOf(pens, data), [pens, data]);
  // The plot is rebuilt only when its shape changes; new data and windows go to the live instance.
  const shape = JSON.stringify({ pens, band: layout.band, scheme, lang: i18n.language, height, zoomable: onWindowChange !== undefined });
  const colorOf = (index: number) => pens[index]?.color ?? PEN_COLORS[index % PEN_COLORS.length];

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const { axisStroke, grid } = chartAxisColors(scheme);
    const series: uPlot.Series[] = [{}];
    const bands: uPlot.Band[] = [];
    pens.forEach((pen, index) => {
      const color = colorOf(index);
      series.push({ label: pen.label, scale: `y${pen.axis}`, stroke: color, width: 1.5, spanGaps: false, points: { show: false } });
      const band = layout.band[index];
      if (band) {
        const edge: uPlot.Series = { scale: `y${pen.axis}`, stroke: 'transparent', width: 0, points: { show: false } };
        series.push({ ...edge, label: `${pen.label} max` }, { ...edge, label: `${pen.label} min` });
        bands.push({ series: band, fill: `${color}33` });
      }
    });
    const scales: uPlot.Scales = { x: { time: true, auto: false, range: () => [windowRef.current.fromMs, windowRef.current.toMs] } };
    const axes: uPlot.Axis[] = [
      {
        stroke: axisStroke,
        grid,
        values: (u, splits) => {
          const label = timeLabels(i18n.language, (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0));
          return splits.map((split) => label(split));
        },
      },
    ];
    layout.axes.forEach((axis, position) => {
      scales[`y${axis}`] = { auto: true };
      const units = [...new Set(pens.filter((pen) => pen.axis === axis).map((pen) => pen.unitLabel).filter((unit) => unit !== ''))];
      axes.push({
        scale: `y${axis}`,
        side: position % 2 === 0 ? 3 : 1,
        stroke: axisStroke,
        grid: position === 0 ? grid : { show: false },
        label: units.join(', '),
        labelSize: 18,
        values: (_u, splits) => splits.map((split) => formatNumber(split, 3, i18n.language, false)),
        size: 60,
      });
    });
    const options: uPlot.Options = {
      width: Math.max(100, element.clientWidth),
      height,
      ms: 1,
      series,
      bands,
      scales,
      axes,
      legend: { show: false },
      cursor: { drag: { x: onWindowChangeRef.current !== undefined, y: false, setScale: false }, points: { show: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 2) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onWindowChangeRef.current?.(selectedWindow(from, to));
          },
        ],
        setCursor: [(u) => setCursorIndex(u.cursor.idx ?? null)],
      },
    };
    const created = new uPlot(options, [[]], element);
    plot.current = created;
    const observer = new ResizeObserver(() => {
      const width = Math.max(100, element.clientWidth);
      if (width !== created.width) created.setSize({ width, height });
      onWidthChangeRef.current?.(created.bbox.width / devicePixelRatio);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      created.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `shape` stands for everything the options are built from.
  }, [shape]);

  useEffect(() => {
    const current = plot.current;
    if (current === null) return;
    current.batch(() => {
      current.setData(plotData(data), false);
      current.setScale('x', { min: window.fromMs, max: window.toMs });
    });
  }, [shape, data, window]);

  const shownValues = data.times.reduce((count, time, row) =>
    time >= window.fromMs && time <= window.toMs ? count + data.pens.filter((pen) => pen.values[row] !== null).length : count, 0);
  const zoomable = onWindowChange !== undefined;
  const cursorTime = cursorIndex === null ? undefined : data.times[cursorIndex];

  return (
    <Box pos="relative" data-testid={testId} data-from={new Date(window.fromMs).toISOString()} data-to={new Date(window.toMs).toISOString()} data-values={shownValues}>
      <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
        <Group gap="sm" wrap="wrap" data-testid={`${testId}-legend`}>
          {pens.map((pen, index) => {
            const value = cursorIndex === null ? undefined : data.pens[index]?.values[cursorIndex];
            return (
              <Group key={pen.label} gap={4} wrap="nowrap">
                <Box w={12} h={3} bg={colorOf(index)} />
                <Text size="xs" ff="monospace">
                  {pen.label}
                  {pen.unitLabel === '' ? '' : ` [${pen.unitLabel}]`}
                  {value === undefined || value === null ? '' : ` = ${formatNumber(value, 3, i18n.language, false)}`}
                </Text>
              </Group>
            );
          })}
          {cursorTime !== undefined && (
            <Text size="xs" c="dimmed">
              {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' }).format(cursorTime)}
            </Text>
          )}
        </Group>
        {zoomable && (
          <Group gap={4} wrap="nowrap">
            <Tooltip label={t('trends.chart.panBack')}>
              <ActionIcon variant="default" size="sm" aria-label={t('trends.chart.panBack')} data-testid={`${testId}-pan-back`} onClick={() => onWindowChange(panWindow(window, -0.5))}>
                ◀
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('trends.chart.zoomOut')}>
              <ActionIcon variant="default" size="sm" aria-label={t('trends.chart.zoomOut')} data-testid={`${testId}-zoom-out`} onClick={() => onWindowChange(zoomWindow(window, 2))}>
                −
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('trends.chart.panForward')}>
              <ActionIcon variant="default" size="sm" aria-label={t('trends.chart.panForward')} data-testid={`${testId}-pan-forward`} onClick={() => onWindowChange(panWindow(window, 0.5))}>
                ▶
              </ActionIcon>
            </Tooltip>
            {onReset && (
              <Tooltip label={t('trends.chart.reset')}>
                <ActionIcon variant="default" size="sm" aria-label={t('trends.chart.reset')} data-testid={`${testId}-reset`} onClick={onReset}>
                  ↺
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        )}
      </Group>
      <div ref={host} style={{ width: '100%' }} />
      {zoomable && (
        <Text size="xs" c="dimmed">
          {t('trends.chart.zoomHint')}
        </Text>
      )}
      {loading && <Loader size="sm" pos="absolute" top={40} right={16} data-testid={`${testId}-loading`} />}
    </Box>
  );
}
