import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { tagPath, type Asset, type Field } from '../../api/field';
import type { LiveValue } from '../../live/live-protocol';
import { lastUpdate, stalenessOf, worstStaleness } from '../../live/live-staleness';
import { LiveStatusBadge } from '../../live/live-status-badge';
import { LiveValueText, STALE_OPACITY } from '../../live/live-value-text';
import { useLiveStatus, useLiveTags } from '../../live/use-live-tags';
import { formatTimestamp } from '../../units/format-time';
import { WellAlarmsPanel } from '../alarms/well-alarms-panel';
import { WithField } from './field-query';
import { assetState, keyPointsOf } from './key-points';
import { STATE_COLOR } from './state-palette';
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
            <Badge size="xs" variant="outline" data-testid={`well-writable-${point}`}>
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

function WellDetail({ field, well }: { field: Field; well: Asset }) {
  const { t } = useTranslation();
  const values = useLiveTags([tagPath(field.siteId, well.id, '#')]);
  const valueOf = (point: string) => values.get(tagPath(field.siteId, well.id, point));
  const keyPoints = keyPointsOf(well);
  const tags = useAssetTags(field.siteId, well.id);
  const state = assetState(keyPoints, valueOf);
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
            <Title order={2}>{well.id}</Title>
            {well.liftType !== undefined && (
              <Badge variant="light" data-testid="well-lift-type">
                {t(`field.lift.${well.liftType}`)}
              </Badge>
            )}
            {state !== 'none' && (
              <Tooltip label={t('field.staleState')} disabled={!feedDown}>
                <Badge
                  color={feedDown ? 'gray' : STATE_COLOR[state]}
                  variant={feedDown ? 'outline' : 'filled'}
                  style={feedDown ? { opacity: STALE_OPACITY } : undefined}
                  data-testid="well-state"
                  data-state={state}
                  data-stale={feedDown}
                >
                  {t(`field.state.${state}`)}
                </Badge>
              </Tooltip>
            )}
          </Group>
          <Text c="dimmed">{well.description}</Text>
        </Stack>
        <LiveStatusBadge />
      </Group>
      {well.points.length === 0 ? (
        <Text c="dimmed">{t('well.noPoints')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }}>
          {well.points.map((point) => (
            <PointCard key={point.point} {...point} value={valueOf(point.point)}>
              <SetpointWriteButton tag={tags.get(tagPath(field.siteId, well.id, point.point))} point={point.point} value={valueOf(point.point)} />
            </PointCard>
          ))}
        </SimpleGrid>
      )}
      <WellAlarmsPanel prefix={tagPath(field.siteId, well.id, '')} />
      <WellTrendsPanel field={field} well={well} />
    </Stack>
  );
}

export function WellDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  return (
    <WithField>
      {(field) => {
        const well = field.assets.find((asset) => asset.id === id && asset.kind === 'well');
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
