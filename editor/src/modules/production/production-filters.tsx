import { Alert, Loader, NativeSelect, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { fetchSites, fetchSiteAssets, productionKeys, type Asset } from '../../api/production';
import { ErrorMessage } from '../../shell/error-message';
import { isDate, isMonth, monthOf, previousProductionDay, productionDay } from './dates';
import { useProductionDayClock } from './use-production-day';

const SITE_STORAGE_KEY = 'petroflow.production.site';

/**
 * The site, day and month every production screen works on. They live in the
 * URL (a report can be linked) and the site is remembered between visits.
 */
/**
 * Site, day, month and run of a production page, kept in the URL. Entry
 * pages open on today; reports and allocation on `closedDay`, the last
 * closed production day (yesterday), which is what they are read for.
 */
export function useProductionParams(defaultDay: 'today' | 'closedDay' = 'today') {
  const [params, setParams] = useSearchParams();
  const clock = useProductionDayClock();
  const now = new Date();
  const today = productionDay(now, clock);
  const dateParam = params.get('date') ?? '';
  const monthParam = params.get('month') ?? '';
  const site = params.get('site') ?? localStorage.getItem(SITE_STORAGE_KEY) ?? '';
  const date = isDate(dateParam) ? dateParam : defaultDay === 'today' ? today : previousProductionDay(now, clock);
  const month = isMonth(monthParam) ? monthParam : monthOf(today);

  const update = (key: 'site' | 'date' | 'month' | 'run', value: string) => {
    if (key === 'site') localStorage.setItem(SITE_STORAGE_KEY, value);
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value === '') next.delete(key);
        else next.set(key, value);
        // A run belongs to one site and day: another site or day starts from its latest run.
        if (key !== 'run') next.delete('run');
        return next;
      },
      { replace: true },
    );
  };
  return { site, date, month, runId: params.get('run'), today, update };
}

function siteLabel(site: Asset): string {
  return `${site.code} — ${site.name}`;
}

/** The site picker; with a single site it picks that one. */
export function SitePicker({ value, onChange }: { value: string; onChange: (siteId: string) => void }) {
  const { t } = useTranslation();
  const sites = useQuery({ queryKey: productionKeys.sites, queryFn: ({ signal }) => fetchSites(signal), staleTime: 60_000 });
  const known = sites.data?.some((site) => site.id === value) ?? false;
  const only = sites.data?.length === 1 ? sites.data[0] : undefined;

  useEffect(() => {
    // A remembered site that no longer exists (or none yet) gives way to the only one there is.
    if (only !== undefined && !known) onChange(only.id);
  }, [only, known, onChange]);

  if (sites.isError) return <ErrorMessage error={sites.error} />;
  return (
    <NativeSelect
      label={t('production.filters.site')}
      data={[
        { value: '', label: t('production.filters.pickSite'), disabled: true },
        ...(sites.data ?? []).map((site) => ({ value: site.id, label: siteLabel(site) })),
      ]}
      value={known ? value : ''}
      onChange={(event) => onChange(event.currentTarget.value)}
      rightSection={sites.isPending ? <Loader size="xs" /> : undefined}
      w={280}
      data-testid="production-site"
    />
  );
}

/** A production day (a UTC calendar day, which the input says). */
export function DateInput({ value, onChange }: { value: string; onChange: (date: string) => void }) {
  const { t } = useTranslation();
  return (
    <TextInput
      type="date"
      label={t('production.filters.productionDay')}
      description={t('production.filters.utcDay')}
      value={value}
      onChange={(event) => {
        if (isDate(event.currentTarget.value)) onChange(event.currentTarget.value);
      }}
      w={170}
      data-testid="production-date"
    />
  );
}

export function MonthInput({ value, onChange }: { value: string; onChange: (month: string) => void }) {
  const { t } = useTranslation();
  return (
    <TextInput
      type="month"
      label={t('production.filters.month')}
      value={value}
      onChange={(event) => {
        if (isMonth(event.currentTarget.value)) onChange(event.currentTarget.value);
      }}
      w={170}
      data-testid="production-month"
    />
  );
}

/** Shown instead of a screen's content until a site is picked. */
export function PickSiteFirst() {
  const { t } = useTranslation();
  return (
    <Alert color="blue" data-testid="production-pick-site">
      <Text size="sm">{t('production.filters.pickSiteFirst')}</Text>
    </Alert>
  );
}

/** The site's wells, tanks and meters (direct children), for pickers and for naming rows by code. */
export function useSiteAssets(siteId: string) {
  const wells = useQuery({
    queryKey: productionKeys.children(siteId, 'well'),
    queryFn: ({ signal }) => fetchSiteAssets(siteId, 'well', signal),
    enabled: siteId !== '',
    staleTime: 60_000,
  });
  const equipment = useQuery({
    queryKey: productionKeys.children(siteId, 'equipment'),
    queryFn: ({ signal }) => fetchSiteAssets(siteId, 'equipment', signal),
    enabled: siteId !== '',
    staleTime: 60_000,
  });
  const all = [...(wells.data ?? []), ...(equipment.data ?? [])];
  return {
    wells: wells.data ?? [],
    tanks: (equipment.data ?? []).filter((asset) => asset.equipment?.equipmentType === 'tank'),
    meters: (equipment.data ?? []).filter((asset) => asset.equipment?.equipmentType === 'meter'),
    codeOf: (id: string | null) => (id === null ? '' : (all.find((asset) => asset.id === id)?.code ?? id.slice(0, 8))),
    error: wells.error ?? equipment.error,
  };
}

export function assetOptions(assets: readonly Asset[]): { value: string; label: string }[] {
  return assets.map((asset) => ({ value: asset.id, label: siteLabel(asset) }));
}
