import { Anchor, Card, Group, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FieldAsset } from '../../api/field';
import { ErrorMessage } from '../../shell/error-message';
import { PEN_COLORS, TrendChart } from './trend-chart';
import { PRESET_MS } from './trend-state';
import { useTrendData } from './use-trend-data';
import { trendsLink, wellTrendPens } from './well-trends';

/**
 * A well's faceplate trend: its key tags over the last 24 hours, read-only,
 * with a link that opens the same pens in the Trends screen to zoom and export.
 */
export function WellTrendsPanel({ well }: { well: FieldAsset }) {
  const { t } = useTranslation();
  const pens = useMemo(() => wellTrendPens(well), [well]);
  const [nowMs] = useState(() => Date.now());
  const [widthPx, setWidthPx] = useState(0);
  const window = useMemo(() => ({ fromMs: nowMs - PRESET_MS['24h'], toMs: nowMs }), [nowMs]);
  const data = useTrendData(pens, window, widthPx, false, nowMs);
  const chartPens = useMemo(
    () => pens.map((pen, index) => ({ label: pen.path.split('/').pop() ?? pen.path, unitLabel: data.pens[index]?.unitLabel ?? '', axis: pen.axis, color: PEN_COLORS[index] })),
    [pens, data.pens],
  );
  return (
    <Card withBorder padding="sm" data-testid="well-trends">
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{t('trends.well.title')}</Text>
        {pens.length > 0 && (
          <Anchor component={Link} to={trendsLink(pens)} size="sm" data-testid="well-trends-open">
            {t('trends.well.open')}
          </Anchor>
        )}
      </Group>
      {pens.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('trends.well.none')}
        </Text>
      ) : (
        <>
          {data.error !== null && <ErrorMessage error={data.error} />}
          <TrendChart pens={chartPens} data={data.aligned} window={window} height={220} loading={data.loading} onWidthChange={setWidthPx} testId="well-trend-chart" />
        </>
      )}
    </Card>
  );
}
