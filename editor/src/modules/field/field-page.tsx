import { Box, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Field, FieldAsset } from '../../api/field';
import type { LiveValue, LiveValues } from '../../live/live-protocol';
import { LiveStatusBadge } from '../../live/live-status-badge';
import { useLiveTags } from '../../live/use-live-tags';
import { useKindLabel } from '../assets/asset-labels';
import { AssetCard, CodeLink, StateBadge } from './field-cards';
import { layoutField, type WellGroup } from './field-layout';
import { WithField } from './field-query';
import { assetState, keyPointsOf, type AssetState, type KeyPoint } from './key-points';
import { BAD_HATCH, paletteVar, STATE_COLOR, stateLabelKey } from './state-palette';

/**
 * Up to this many wells every group opens with its well cards; a bigger field
 * opens on its groups (counts, and the wells that are not running) and a group
 * or a search shows the cards: semantic zoom without a zoomed diagram.
 */
export const OPEN_GROUPS_UP_TO_WELLS = 40;
const LEGEND_STATES: readonly Exclude<AssetState, 'none' | 'unknown'>[] = ['running', 'stopped', 'tripped', 'shut-in'];
const CARD_COLUMNS = { base: 1, xs: 2, sm: 3, lg: 4, xl: 6 };

interface Prepared {
  asset: FieldAsset;
  keyPoints: KeyPoint[];
  paths: (string | null)[];
}

function prepare(asset: FieldAsset): Prepared {
  const keyPoints = keyPointsOf(asset);
  const pathOf = new Map(asset.points.map((point) => [point.point, point.tagPath]));
  return { asset, keyPoints, paths: keyPoints.map((keyPoint) => pathOf.get(keyPoint.point) ?? null) };
}

function valuesOf(prepared: Prepared, live: LiveValues): (LiveValue | undefined)[] {
  return prepared.paths.map((path) => (path === null ? undefined : live.get(path)));
}

function stateOf(prepared: Prepared, live: LiveValues): AssetState {
  const values = valuesOf(prepared, live);
  const index = new Map(prepared.keyPoints.map((keyPoint, i) => [keyPoint.point, i]));
  return assetState(prepared.asset, prepared.keyPoints, (point) => values[index.get(point) ?? -1]);
}

function Legend() {
  const { t } = useTranslation();
  return (
    <Group gap="md" data-testid="field-legend">
      {LEGEND_STATES.map((state) => (
        <Group key={state} gap={6} wrap="nowrap">
          <Box w={16} h={12} style={{ border: `2px solid ${paletteVar(STATE_COLOR[state], 6)}`, background: paletteVar(STATE_COLOR[state], 0), borderRadius: 3 }} />
          <Text size="sm">{t(stateLabelKey(state))}</Text>
        </Group>
      ))}
      <Group gap={6} wrap="nowrap">
        <Box w={16} h={12} style={{ border: `2px dashed ${paletteVar('red', 7)}`, background: BAD_HATCH, borderRadius: 3 }} />
        <Text size="sm">{t('field.legend.badQuality')}</Text>
      </Group>
      <Group gap={6} wrap="nowrap">
        <Box w={16} h={12} style={{ border: `2px dashed ${paletteVar('gray', 5)}`, background: paletteVar('gray', 0), borderRadius: 3 }} />
        <Text size="sm">{t('field.legend.stale')}</Text>
      </Group>
    </Group>
  );
}

function Cards({ items, live, liftGasFrom }: { items: readonly Prepared[]; live: LiveValues; liftGasFrom?: ReadonlyMap<string, string> }) {
  return (
    <SimpleGrid cols={CARD_COLUMNS} spacing="xs" verticalSpacing="xs">
      {items.map((item) => (
        <AssetCard
          key={item.asset.code}
          asset={item.asset}
          keyPoints={item.keyPoints}
          values={valuesOf(item, live)}
          state={stateOf(item, live)}
          liftGasFrom={liftGasFrom?.get(item.asset.code)}
        />
      ))}
    </SimpleGrid>
  );
}

function GroupSection({ group, wells, live, liftGasFrom, open, onToggle }: {
  group: WellGroup;
  wells: readonly Prepared[];
  live: LiveValues;
  liftGasFrom: ReadonlyMap<string, string>;
  open: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  const kindLabel = useKindLabel();
  const states = wells.map((well) => ({ well: well.asset, state: stateOf(well, live) }));
  const counts = new Map<AssetState, number>();
  for (const { state } of states) counts.set(state, (counts.get(state) ?? 0) + 1);
  // The wells that need a look are named even while the group is closed.
  const exceptions = states.filter(({ state }) => state !== 'running' && state !== 'none');
  const key = group.code ?? 'none';
  const title =
    group.gathering === null
      ? t('field.group.unconnected')
      : `${group.gathering.code} · ${kindLabel({ kind: group.gathering.kind, siteType: group.gathering.siteType, equipmentType: group.gathering.equipmentType })}`;
  return (
    <Card withBorder padding="sm" data-testid={`field-group-${key}`} data-open={open}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Stack gap={2}>
            <Text fw={700}>
              {title}
              {!group.connected && group.gathering !== null && ` · ${t('field.group.notConnected')}`}
            </Text>
            {group.route.length > 0 && (
              <Group gap={4} data-testid={`field-route-${key}`}>
                <Text size="sm" c="dimmed">
                  {t('field.group.route')}
                </Text>
                {group.route.map((asset, index) => (
                  <Group key={asset.code} gap={4}>
                    {index > 0 && <Text size="sm" c="dimmed">→</Text>}
                    <CodeLink asset={asset} />
                  </Group>
                ))}
              </Group>
            )}
          </Stack>
          <Button size="sm" variant="light" onClick={onToggle} aria-expanded={open} data-testid={`field-group-toggle-${key}`}>
            {open ? t('field.group.hide') : t('field.group.show', { count: wells.length })}
          </Button>
        </Group>
        <Group gap="sm" data-testid={`field-group-summary-${key}`}>
          <Text size="sm">{t('field.wellCount', { count: wells.length })}</Text>
          {[...counts].map(([state, count]) =>
            state === 'none' ? null : (
              <Text key={state} size="sm" c={`${STATE_COLOR[state]}.8`} data-testid={`field-group-count-${key}-${state}`}>
                {t(stateLabelKey(state))}: {count}
              </Text>
            ),
          )}
        </Group>
        {!open && exceptions.length > 0 && (
          <Group gap="xs" data-testid={`field-group-exceptions-${key}`}>
            {exceptions.map(({ well, state }) => (
              <Group key={well.code} gap={4} wrap="nowrap">
                <CodeLink asset={well} />
                {state !== 'none' && <StateBadge state={state} feedDown={false} testId={`field-exception-${well.code}`} />}
              </Group>
            ))}
          </Group>
        )}
        {open && <Cards items={wells} live={live} liftGasFrom={liftGasFrom} />}
      </Stack>
    </Card>
  );
}

function FieldOverview({ field }: { field: Field }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const { layout, prepared, paths } = useMemo(() => {
    const layout = layoutField(field);
    const prepared = new Map(field.assets.map((asset) => [asset.code, prepare(asset)]));
    const shown = [...layout.groups.flatMap((group) => group.wells), ...layout.facilities];
    // Only the values on screen are subscribed, not every tag of the site.
    const paths = shown.flatMap((asset) => prepared.get(asset.code)?.paths ?? []).filter((path): path is string => path !== null);
    return { layout, prepared, paths };
  }, [field]);
  const live = useLiveTags(paths);
  const wellTotal = layout.groups.reduce((sum, group) => sum + group.wells.length, 0);
  const openByDefault = wellTotal <= OPEN_GROUPS_UP_TO_WELLS;
  const query = search.trim().toLowerCase();
  const matches = (asset: FieldAsset) => query === '' || asset.code.toLowerCase().includes(query) || asset.name.toLowerCase().includes(query);
  const preparedOf = (asset: FieldAsset) => prepared.get(asset.code) ?? prepare(asset);
  const facilities = layout.facilities.filter(matches).map(preparedOf);

  if (field.assets.length === 0) return <Text c="dimmed">{t('field.empty')}</Text>;
  return (
    <Stack gap="sm" data-testid="field-diagram" data-wells={wellTotal}>
      <TextInput
        label={t('field.search')}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
        maw={360}
        data-testid="field-search"
      />
      {layout.groups.map((group) => {
        const key = group.code ?? 'none';
        const wells = group.wells.filter(matches).map(preparedOf);
        if (wells.length === 0) return null;
        // A search opens the groups it finds wells in.
        const open = query !== '' || openByDefault !== toggled.has(key);
        return (
          <GroupSection
            key={key}
            group={group}
            wells={wells}
            live={live}
            liftGasFrom={layout.liftGasFrom}
            open={open}
            onToggle={() =>
              setToggled((before) => {
                const after = new Set(before);
                if (!after.delete(key)) after.add(key);
                return after;
              })
            }
          />
        );
      })}
      {facilities.length > 0 && (
        <Card withBorder padding="sm" data-testid="field-facilities">
          <Stack gap="xs">
            <Text fw={700}>{t('field.facilities')}</Text>
            <Cards items={facilities} live={live} />
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

export function FieldPage() {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="field-page">
      <Group justify="space-between">
        <Title order={2}>{t('field.title')}</Title>
        <LiveStatusBadge />
      </Group>
      <Legend />
      <WithField>{(field) => <FieldOverview field={field} />}</WithField>
    </Stack>
  );
}
