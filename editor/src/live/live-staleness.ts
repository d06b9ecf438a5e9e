import type { ConnectionState } from './live-client';
import type { LiveValue } from './live-protocol';

/**
 * Whether a value on screen can be trusted as current. `feedDown`: the live
 * connection is not open, so nothing shown is moving. `quality`: the source
 * says the value is uncertain or bad. Age alone never makes a value stale:
 * a steady value is reported again unchanged (its update time moves), and
 * report-by-exception sources send nothing while nothing changes.
 */
export type Staleness = 'fresh' | 'feedDown' | 'quality';

/** null while no value has arrived: there is nothing stale to mark. */
export function stalenessOf(value: LiveValue | null | undefined, feed: ConnectionState): Staleness | null {
  if (value == null) return null;
  if (feed !== 'open') return 'feedDown';
  return value.q === 'good' ? 'fresh' : 'quality';
}

/** When the value was last reported, changed or not (epoch ms). */
export function lastUpdate(value: LiveValue): number {
  return value.u ?? value.t;
}

/** The oldest last update among the values that arrived, or null when none did. */
export function oldestUpdate(values: readonly (LiveValue | null | undefined)[]): number | null {
  let oldest: number | null = null;
  for (const value of values) {
    if (value == null) continue;
    const at = lastUpdate(value);
    if (oldest === null || at < oldest) oldest = at;
  }
  return oldest;
}

const RANK: Record<Staleness, number> = { fresh: 0, quality: 1, feedDown: 2 };

/** The worst staleness among values shown together (one asset); null when none arrived. */
export function worstStaleness(values: readonly (LiveValue | null | undefined)[], feed: ConnectionState): Staleness | null {
  let worst: Staleness | null = null;
  for (const value of values) {
    const staleness = stalenessOf(value, feed);
    if (staleness !== null && (worst === null || RANK[staleness] > RANK[worst])) worst = staleness;
  }
  return worst;
}
