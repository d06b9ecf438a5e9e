import { ActionIcon, Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { hasRole } from '../../api/auth';
import { fetchTags, tagKeys } from '../../api/tags';
import { createTrendView, deleteTrendView, fetchTrendViews, trendViewKeys, updateTrendView, type TrendRange, type TrendView } from '../../api/trend-views';
import { LiveStatusBadge } from '../../live/live-status-badge';
import { ConfirmDialog } from '../../shell/confirm-dialog';
import { ErrorMessage } from '../../shell/error-message';
import { useSession } from '../../shell/session';
import { isoToLocalInput, localInputToIso } from '../assets/status-change';
import { PEN_COLORS, TrendChart } from './trend-chart';
import { csvFileName, trendCsv } from './trend-data';
import {
  absoluteRange,
  DEFAULT_RANGE,
  isPreset,
  MAX_TREND_PENS,
  PRESET_MS,
  TREND_PRESETS,
  trendStateFromParams,
  trendStateToParams,
  windowOf,
  withAxes,
  type TimeWindow,
  type TrendState,
} from './trend-state';
import { useTrendData } from './use-trend-data';

const SEARCH_DEBOUNCE_MS = 300;
/** The live tail slides the window this often. */
const LIVE_TICK_MS = 5_000;
/** ...and reloads the stored history this often, so the tail does not grow without end. */
const LIVE_RELOAD_MS = 5 * 60_000;

function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has started the download; the URL is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function TagPicker({ chosen, onPick, disabled }: { chosen: readonly string[]; onPick: (path: string) => void; disabled: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const found = useQuery({
    queryKey: tagKeys.page({ search: debounced, limit: 20, offset: 0 }),
    queryFn: ({ signal }) => fetchTags({ search: debounced, limit: 20, offset: 0 }, signal),
  });
  const options = (found.data?.tags ?? []).filter((tag) => !chosen.includes(tag.path)).map((tag) => ({ value: tag.path, label: tag.path }));
  return (
    <Select
      searchable
      w={{ base: '100%', sm: 340 }}
      disabled={disabled}
      placeholder={t('trends.addTag')}
      aria-label={t('trends.addTag')}
      data-testid="trends-tag-picker"
      data={options}
      value={null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={found.isFetching ? t('trends.searching') : t('trends.noTags')}
      onChange={(path) => {
        if (path === null) return;
        onPick(path);
        setSearch('');
      }}
    />
  );
}

function CustomRange({ window, onApply }: { window: TimeWindow; onApply: (range: TrendRange) => void }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => isoToLocalInput(new Date(window.fromMs).toISOString()));
  const [to, setTo] = useState(() => isoToLocalInput(new Date(window.toMs).toISOString()));
  const fromIso = localInputToIso(from);
  const toIso = localInputToIso(to);
  const valid = fromIso !== null && toIso !== null && Date.parse(toIso) > Date.parse(fromIso);
  return (
    <Group gap="xs" align="flex-end">
      <TextInput type="datetime-local" size="xs" label={t('trends.from')} value={from} onChange={(event) => setFrom(event.currentTarget.value)} data-testid="trends-custom-from" />
      <TextInput type="datetime-local" size="xs" label={t('trends.to')} value={to} onChange={(event) => setTo(event.currentTarget.value)} data-testid="trends-custom-to" />
      <Button size="xs" disabled={!valid} onClick={() => valid && onApply({ kind: 'absolute', from: fromIso, to: toIso })} data-testid="trends-custom-apply">
        {t('trends.apply')}
      </Button>
    </Group>
  );
}

function SaveViewModal({ opened, onClose, onSave, pending, error }: { opened: boolean; onClose: () => void; onSave: (name: string) => void; pending: boolean; error: unknown }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title={t('trends.views.saveAs')}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim() !== '') onSave(name.trim());
        }}
      >
        <Stack>
          <TextInput label={t('trends.views.name')} value={name} maxLength={100} onChange={(event) => setName(event.currentTarget.value)} data-testid="trends-view-name" data-autofocus />
          {error !== null && <ErrorMessage error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('trends.cancel')}
            </Button>
            <Button type="submit" loading={pending} disabled={name.trim() === ''} data-testid="trends-view-save-submit">
              {t('trends.views.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function SavedViews({ state, onOpen }: { state: TrendState; onOpen: (view: TrendView | null) => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const canSave = hasRole(user.role, 'operator');
  const client = useQueryClient();
  const views = useQuery({ queryKey: trendViewKeys.all, queryFn: ({ signal }) => fetchTrendViews(signal) });
  const current = views.data?.find((view) => view.id === state.viewId) ?? null;
  const [saveAsOpen, setSaveAsOpen] = useState(false);
  const [deleting, setDeleting] = useState<TrendView | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: trendViewKeys.all });
  const create = useMutation({
    mutationFn: (name: string) => createTrendView({ name, pens: state.pens, range: state.range }),
    onSuccess: async (view) => {
      setSaveAsOpen(false);
      await refresh();
      onOpen(view);
    },
  });
  const update = useMutation({
    mutationFn: (view: TrendView) => updateTrendView(view.id, { pens: state.pens, range: state.range, rowVersion: view.rowVersion }),
    onSettled: refresh,
  });
  return (
    <Group gap="xs" align="flex-end">
      <Select
        size="xs"
        w={220}
        label={t('trends.views.label')}
        placeholder={t('trends.views.none')}
        data={(views.data ?? []).map((view) => ({ value: view.id, label: view.name }))}
        value={current?.id ?? null}
        clearable
        onChange={(id) => onOpen(views.data?.find((view) => view.id === id) ?? null)}
        data-testid="trends-views"
      />
      {canSave && current !== null && (
        <Button size="xs" variant="default" loading={update.isPending} disabled={state.pens.length === 0} onClick={() => update.mutate(current)} data-testid="trends-view-save">
          {t('trends.views.save')}
        </Button>
      )}
      {canSave && (
        <Button size="xs" variant="default" disabled={state.pens.length === 0} onClick={() => setSaveAsOpen(true)} data-testid="trends-view-save-as">
          {t('trends.views.saveAs')}
        </Button>
      )}
      {canSave && current !== null && (
        <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(current)} data-testid="trends-view-delete">
          {t('trends.views.delete')}
        </Button>
      )}
      {update.error !== null && <ErrorMessage error={update.error} />}
      <SaveViewModal opened={saveAsOpen} onClose={() => setSaveAsOpen(false)} onSave={(name) => create.mutate(name)} pending={create.isPending} error={create.error} />
      <ConfirmDialog
        item={deleting}
        onClose={() => setDeleting(null)}
        title={t('trends.views.deleteTitle', { name: deleting?.name ?? '' })}
        failedTitle={t('trends.views.deleteFailed')}
        cancelLabel={t('trends.cancel')}
        confirmLabel={t('trends.views.delete')}
        action={async (view) => {
          await deleteTrendView(view.id);
          onOpen(null);
        }}
        invalidates={trendViewKeys.all}
        confirmTestId="trends-view-delete-confirm"
      >
        <Text size="sm">{t('trends.views.deleteMessage')}</Text>
      </ConfirmDialog>
    </Group>
  );
}

/** The Trends screen (issue 9 §3): route /trends, state in the URL (trend-state.ts). */
export function TrendsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => trendStateFromParams(params), [params]);
  const setState = (next: TrendState) => setParams(trendStateToParams(next), { replace: true });
  // Presets end "now": the moment the range was chosen, moved on by the live tail or a refresh.
  const [anchorMs, setAnchorMs] = useState(() => Date.now());
  const [liveNowMs, setLiveNowMs] = useState(anchorMs);
  const [widthPx, setWidthPx] = useState(0);
  const [resetRange, setResetRange] = useState<TrendRange>(state.range.kind === 'preset' ? state.range : DEFAULT_RANGE);

  useEffect(() => {
    if (!state.live) return undefined;
    const tick = setInterval(() => {
      const now = Date.now();
      setLiveNowMs(now);
      setAnchorMs((anchor) => (now - anchor >= LIVE_RELOAD_MS ? now : anchor));
    }, LIVE_TICK_MS);
    return () => clearInterval(tick);
  }, [state.live]);

  const fetchWindow = windowOf(state.range, anchorMs);
  const shownWindow = state.live ? windowOf(state.range, Math.max(liveNowMs, anchorMs)) : fetchWindow;
  const data = useTrendData(state.pens, fetchWindow, widthPx, state.live, anchorMs);

  const chooseRange = (range: TrendRange) => {
    const now = Date.now();
    setAnchorMs(now);
    setLiveNowMs(now);
    if (range.kind === 'preset') setResetRange(range);
    setState({ ...state, range, live: state.live && range.kind === 'preset' });
  };
  const separate = state.pens.length > 1 && new Set(state.pens.map((pen) => pen.axis)).size === state.pens.length;
  const chartPens = useMemo(
    () => state.pens.map((pen, index) => ({ label: pen.path, unitLabel: data.pens[index]?.unitLabel ?? '', axis: pen.axis, color: PEN_COLORS[index % PEN_COLORS.length] })),
    [state.pens, data.pens],
  );
  const [custom, setCustom] = useState(state.range.kind === 'absolute');
  const rangeChoice = custom || state.range.kind === 'absolute' ? 'custom' : state.range.preset;

  return (
    <Stack data-testid="trends-page">
      <Group justify="space-between">
        <Title order={2}>{t('trends.title')}</Title>
        <LiveStatusBadge />
      </Group>
      <Paper withBorder p="sm">
        <Stack gap="sm">
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TagPicker
              chosen={state.pens.map((pen) => pen.path)}
              disabled={state.pens.length >= MAX_TREND_PENS}
              onPick={(path) => setState({ ...state, pens: [...state.pens, { path, axis: separate || state.pens.length === 0 ? state.pens.length : 0 }] })}
            />
            <Switch
              label={t('trends.separateAxes')}
              checked={separate}
              disabled={state.pens.length < 2}
              onChange={(event) => setState({ ...state, pens: withAxes(state.pens, event.currentTarget.checked) })}
              data-testid="trends-separate-axes"
            />
            <SavedViews
              state={state}
              onOpen={(view) => {
                if (view === null) {
                  setState({ ...state, viewId: null });
                  return;
                }
                const now = Date.now();
                setAnchorMs(now);
                setLiveNowMs(now);
                setResetRange(view.range);
                setCustom(view.range.kind === 'absolute');
                setState({ pens: view.pens, range: view.range, live: false, viewId: view.id });
              }}
            />
          </Group>
          <Group gap="xs" wrap="wrap">
            {state.pens.map((pen, index) => (
              <Badge
                key={pen.path}
                variant="outline"
                color="gray"
                leftSection={<span style={{ display: 'inline-block', width: 10, height: 10, background: PEN_COLORS[index % PEN_COLORS.length] }} />}
                rightSection={
                  <ActionIcon size="xs" variant="transparent" aria-label={t('trends.removePen', { path: pen.path })} onClick={() => setState({ ...state, pens: state.pens.filter((other) => other.path !== pen.path) })}>
                    ×
                  </ActionIcon>
                }
                data-testid={`trends-pen-${pen.path}`}
                tt="none"
              >
                {pen.path}
              </Badge>
            ))}
          </Group>
          <Group gap="sm" align="flex-end" wrap="wrap">
            <SegmentedControl
              size="xs"
              data={[...TREND_PRESETS.map((preset) => ({ value: preset, label: t(`trends.presets.${preset}`) })), { value: 'custom', label: t('trends.presets.custom') }]}
              value={rangeChoice}
              onChange={(value) => {
                if (isPreset(value)) {
                  setCustom(false);
                  chooseRange({ kind: 'preset', preset: value });
                } else setCustom(true);
              }}
              data-testid="trends-range"
            />
            {rangeChoice === 'custom' && <CustomRange key={`${fetchWindow.fromMs}-${fetchWindow.toMs}`} window={fetchWindow} onApply={chooseRange} />}
            <Switch
              label={t('trends.live')}
              checked={state.live}
              onChange={(event) => {
                const on = event.currentTarget.checked;
                const now = Date.now();
                setAnchorMs(now);
                setLiveNowMs(now);
                // The tail slides a window ending now: a zoomed range becomes the preset nearest its length.
                const range: TrendRange = state.range.kind === 'preset' || !on ? state.range : { kind: 'preset', preset: TREND_PRESETS.find((preset) => PRESET_MS[preset] >= fetchWindow.toMs - fetchWindow.fromMs) ?? '30d' };
                if (on) setCustom(false);
                setState({ ...state, range, live: on });
              }}
              data-testid="trends-live"
            />
            <Button
              size="xs"
              variant="default"
              disabled={state.pens.length === 0}
              onClick={() => downloadText(trendCsv(data.aligned, data.pens, shownWindow), csvFileName(shownWindow), 'text/csv')}
              data-testid="trends-export"
            >
              {t('trends.exportCsv')}
            </Button>
          </Group>
        </Stack>
      </Paper>
      {data.error !== null && <ErrorMessage error={data.error} />}
      {state.pens.length === 0 ? (
        <Alert color="gray" data-testid="trends-empty">
          {t('trends.empty')}
        </Alert>
      ) : (
        <Paper withBorder p="sm">
          <TrendChart
            pens={chartPens}
            data={data.aligned}
            window={shownWindow}
            height={420}
            loading={data.loading}
            onWidthChange={setWidthPx}
            onWindowChange={(window) => {
              setCustom(true);
              setState({ ...state, range: absoluteRange(window), live: false });
            }}
            onReset={() => chooseRange(resetRange)}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {t('trends.unitsNote')}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}
