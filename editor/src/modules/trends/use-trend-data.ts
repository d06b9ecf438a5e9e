import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { fetchHistory, historyKeys } from '../../api/history';
import type { TrendPen } from '../../api/trend-views';
import { fetchTags, tagKeys } from '../../api/tags';
import { liveClient } from '../../live/live-client';
import { patternKey } from '../../live/live-protocol';
import { useUnitSystem } from '../../shell/unit-system';
import { alignPens, appendLiveValues, penDataOf, withLivePoints, type AlignedData, type LiveBuffer, type PenData } from './trend-data';
import { pointsForWidth, type TimeWindow } from './trend-state';

/** The tags' own display units (a bar tag on a psi site), from the tag registry; absent ones follow the unit system. */
function useDisplayUnits(paths: readonly string[]): ReadonlyMap<string, string | null> {
  const results = useQueries({
    queries: paths.map((path) => ({
      queryKey: [...tagKeys.all, 'trend-unit', path] as const,
      queryFn: async ({ signal }: { signal: AbortSignal }) => {
        const page = await fetchTags({ search: path, limit: 20, offset: 0 }, signal);
        return page.tags.find((tag) => tag.path === path)?.displayUnit ?? null;
      },
      staleTime: 5 * 60_000,
    })),
  });
  const units = results.map((result) => result.data ?? null);
  const key = JSON.stringify(units);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the units: useQueries returns a new array every render.
  return useMemo(() => new Map(paths.map((path, index) => [path, units[index] ?? null])), [paths, key]);
}

/**
 * The live feed's values of `paths` from the moment `enabled` turns on,
 * kept while they are inside the window (the live tail).
 */
function useLiveTail(paths: readonly string[], enabled: boolean, sinceMs: number): LiveBuffer {
  const [buffer, setBuffer] = useState<LiveBuffer>(new Map());
  const key = enabled ? patternKey(paths) : '';
  useEffect(() => {
    if (key === '') return undefined;
    const wanted = key.split('\n');
    const take = () => setBuffer((previous) => appendLiveValues(previous, liveClient.values(key), wanted, sinceMs));
    const stop = liveClient.watch(key, take);
    take();
    return () => {
      stop();
      setBuffer(new Map());
    };
  }, [key, sinceMs]);
  return buffer;
}

export interface TrendData {
  pens: PenData[];
  aligned: AlignedData;
  loading: boolean;
  error: unknown;
}

/**
 * History of the pens over `fetchWindow` at about one point per pixel of
 * `widthPx` (so the server answers long ranges from rollups), in display
 * units, with the live tail appended when `live` is on. Nothing is asked
 * while `widthPx` is 0: the chart reports its width once it is laid out.
 */
export function useTrendData(pens: readonly TrendPen[], fetchWindow: TimeWindow, widthPx: number, live: boolean, liveSinceMs: number): TrendData {
  const { system } = useUnitSystem();
  const paths = useMemo(() => pens.map((pen) => pen.path), [pens]);
  const displayUnits = useDisplayUnits(paths);
  const query = {
    paths: paths.join(','),
    from: new Date(Math.floor(fetchWindow.fromMs)).toISOString(),
    to: new Date(Math.ceil(fetchWindow.toMs)).toISOString(),
    mode: 'buckets' as const,
    points: pointsForWidth(widthPx),
  };
  const history = useQuery({
    queryKey: historyKeys.query(query),
    queryFn: ({ signal }) => fetchHistory(query, signal),
    enabled: paths.length > 0 && widthPx > 0,
    placeholderData: keepPreviousData,
  });
  const tail = useLiveTail(paths, live, liveSinceMs);
  const series = history.data?.series;
  const pensData = useMemo(
    () =>
      paths.map((path) => {
        const units = { system, displayUnit: displayUnits.get(path) ?? null };
        const found = series?.find((each) => each.path === path);
        const stored: PenData = found ? penDataOf(found, units) : { path, unitLabel: '', times: [], values: [], mins: null, maxs: null };
        return live && found ? withLivePoints(stored, tail.get(path) ?? [], found.unit, units) : stored;
      }),
    [paths, series, system, displayUnits, live, tail],
  );
  const aligned = useMemo(() => alignPens(pensData), [pensData]);
  return { pens: pensData, aligned, loading: history.isFetching || (paths.length > 0 && widthPx === 0), error: history.error };
}
