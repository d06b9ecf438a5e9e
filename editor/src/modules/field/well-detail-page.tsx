import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Field, FieldAsset } from '../../api/field';
import type { LiveValue } from '../../live/live-protocol';
import { lastUpdate, stalenessOf, worstStaleness } from '../../live/live-staleness';
import { LiveStatusBadge } from '../../live/live-status-badge';
import { LiveValueText, STALE_OPACITY } from '../../live/live-value-text';
import { useLiveStatus, useLiveTags } from '../../live/use-live-tags';
import { formatTimestamp } from '../../units/format-time';
import { WellAlarmsPanel } from '../alarms/well-alarms-panel';
import { WithField } from './field-query';
import { assetState, keyPointsOf } from './key-points';
import { STATE_COLOR, stateLabelKey } from './state-palette';
import { SetpointWriteButton, useAssetTags } from './setpoint-write-dialog';
import { WellTrendsPanel } from '../trends/well-trends-panel';

function PointCard({ point, unit, description, writable, value, children }: {
  point: string;
  unit: string;
  description: string;
  writable: boolean;
  value: LiveValue | undefined;
  /** The setpoint's write button, when the user may write it. */
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { state: feed } = useLiveStatus();
  const staleness = stalenessOf(value, feed);
  return (
    <Card
      withBorder
      padding="sm"
      data-testid={`well-point-${point}`}
      data-quality={value?.q ?? 'none'}
      data-stale={staleness ?? 'none'}
      bg={staleness === 'feedDown' ? 'gray.0' : undefined}
    >
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Text size="sm" fw={700} truncate>
          {point}
        </Text>
        {writable && (
          <Tooltip label={t('well.writableHint')}>
            <Badge fz="xs" variant="outline" data-testid={`well-writable-${point}`}>
              {t('well.writable')}
            </Badge>
          </Tooltip>
        )}
      </Group>
      <Text size="xs" c="dimmed" lineClamp={2} h={34}>
        {description}
      </Text>
      <LiveValueText value={value} unit={unit} size="xl" fw={600} testId={`well-value-${point}`} />
      <Group justify="space-between" gap={4}>
        {/* When it was last reported; a steady value also says since when it has not changed. */}
        <Text size="xs" c="dimmed" data-testid={`well-updated-${point}`}>
          {value === undefined ? '' : t('live.lastUpdate', { time: formatTimestamp(lastUpdate(value), i18n.language) })}
          {value !== undefined && lastUpdate(value) !== value.t && (
            <>
              <br />
              {t('live.lastChange', { time: formatTimestamp(value.t, i18n.language) })}
            </>
          )}
        </Text>
        {value !== undefined && value.q !== 'good' && (
          <Text size="xs" c={value.q === 'bad' ? 'red.7' : 'orange.7'}>
            {t(`live.quality.${value.q}`)}
          </Text>
        )}
      </Group>
      {children}
    </Card>
  );
}

function WellDetail({ field, well }: { field: Field; well: FieldAsset }) {
  const { t } = useTranslation();
  const values = useLiveTags(well.points.map((point) => point.tagPath));
  const pathOf = new Map(well.points.map((point) => [point.point, point.tagPath]));
  const valueOf = (point: string) => values.get(pathOf.get(point) ?? '');
  const keyPoints = keyPointsOf(well);
  const tags = useAssetTags(field.siteId, well.code);
  // The register's status wins over the RUN tag: a well shut in there shows shut in.
  const state = assetState(well, keyPoints, valueOf);
  const { state: feed } = useLiveStatus();
  // While the feed is down the state is the last one known: grey, never a live green RUNNING.
  const feedDown = worstStaleness(keyPoints.map((keyPoint) => valueOf(keyPoint.point)), feed) === 'feedDown';
  return (
    <Stack data-testid="well-detail">
      <Anchor component={Link} to="/field" size="sm">
        {t('well.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{well.code}</Title>
            {well.liftType !== undefined && (
              <Badge variant="light" fz="xs" data-testid="well-lift-type">
                {t(`assets.liftType.${well.liftType}`)}
              </Badge>
            )}
            {state !== 'none' && (
              <Tooltip label={t('field.staleState')} disabled={!feedDown}>
                <Badge
                  color={feedDown ? 'gray' : STATE_COLOR[state]}
                  variant={feedDown ? 'outline' : 'filled'}
                  fz="xs"
                  style={feedDown ? { opacity: STALE_OPACITY } : undefined}
                  data-testid="well-state"
                  data-state={state}
                  data-stale={feedDown}
                >
                  {t(stateLabelKey(state))}
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Text c="dimmed">{well.name}</Text>
          <Anchor component={Link} to={`/assets/code/${encodeURIComponent(well.code)}`} size="sm" data-testid="well-asset-link">
            {t('well.inRegister')}
          </Anchor>
        </Stack>
        <LiveStatusBadge />
      </Group>
      {well.points.length === 0 ? (
        <Text c="dimmed">{t('well.noPoints')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }}>
          {well.points.map((point) => (
            <PointCard key={point.point} {...point} value={valueOf(point.point)}>
              <SetpointWriteButton tag={tags.get(point.tagPath)} point={point.point} value={valueOf(point.point)} />
            </PointCard>
          ))}
        </SimpleGrid>
      )}
      <WellAlarmsPanel prefix={`${field.siteId}/${well.code}/`} />
      <WellTrendsPanel well={well} />
    </Stack>
  );
}

export function WellDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  return (
    <WithField>
      {(field) => {
        const well = field.assets.find((asset) => asset.code === id && asset.kind === 'well');
        if (well === undefined) {
          return (
            <Alert color="yellow" title={t('well.notFound', { id })} data-testid="well-not-found">
              <Anchor component={Link} to="/field">
                {t('well.back')}
              </Anchor>
            </Alert>
          );
        }
        return <WellDetail field={field} well={well} />;
      }}
    </WithField>
  );
}
