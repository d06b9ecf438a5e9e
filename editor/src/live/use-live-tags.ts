import { useCallback, useSyncExternalStore } from 'react';
import { liveClient, type LiveStatus } from './live-client';
import { patternKey, type LiveValues } from './live-protocol';

/**
 * Live values of every tag matching `patterns`, keyed by path. Components
 * asking for the same patterns share one server subscription; the map is
 * replaced (never mutated) when a value changes.
 */
export function useLiveTags(patterns: readonly string[]): LiveValues {
  // The key, not the array, decides identity: callers may build a new array every render.
  const key = patternKey(patterns);
  const subscribe = useCallback((listener: () => void) => liveClient.watch(key, listener), [key]);
  const getSnapshot = useCallback(() => liveClient.values(key), [key]);
  return useSyncExternalStore(subscribe, getSnapshot);
}

const watchStatus = (listener: () => void) => liveClient.watchStatus(listener);
const getStatus = () => liveClient.getStatus();

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(watchStatus, getStatus);
}
