/**
 * A well's status history (from the asset register) as time it could not
 * produce. Producing wells lose hours only to recorded downtime; a shut-in
 * well is down for the whole span (deferred production, like an operator's
 * shut-in); a suspended or abandoned well is down too but has no potential,
 * so its hours are not deferment. Before its first status (registration) a
 * well counts as producing: the register knows nothing earlier.
 */
import type { WellStatus, WellStatusChange } from "../../shared/asset-lookup.js";
import type { DowntimeInterval } from "./uptime.js";

export type NonProducingStatus = Exclude<WellStatus, "producing">;

export interface StatusInterval extends DowntimeInterval {
  status: NonProducingStatus;
}

/** Statuses whose hours are lost potential (deferment); the others have none. */
export const DEFERRING_STATUSES: ReadonlySet<NonProducingStatus> = new Set(["shut_in"]);

/** The spans one well spent in a status other than producing; the current one open (endedAt null). */
export function nonProducingIntervals(changes: readonly Pick<WellStatusChange, "status" | "effectiveAt">[]): StatusInterval[] {
  const ordered = [...changes].sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt));
  const intervals: StatusInterval[] = [];
  ordered.forEach((change, index) => {
    if (change.status === "producing") return;
    const endedAt = ordered[index + 1]?.effectiveAt ?? null;
    if (endedAt !== null && Date.parse(endedAt) <= Date.parse(change.effectiveAt)) return;
    intervals.push({ status: change.status, startedAt: change.effectiveAt, endedAt });
  });
  return intervals;
}

/** nonProducingIntervals per well id, for a batch of histories. */
export function nonProducingByWell(changes: readonly WellStatusChange[]): Map<string, StatusInterval[]> {
  const byWell = new Map<string, WellStatusChange[]>();
  for (const change of changes) {
    const list = byWell.get(change.wellId);
    if (list) list.push(change);
    else byWell.set(change.wellId, [change]);
  }
  return new Map([...byWell].map(([wellId, list]) => [wellId, nonProducingIntervals(list)]));
}

/** Recorded downtime and status spans together, per well: what uptime is computed from. */
export function withStatusDowntime(
  downtimeByWell: ReadonlyMap<string, readonly DowntimeInterval[]>,
  statusByWell: ReadonlyMap<string, readonly StatusInterval[]>,
): Map<string, DowntimeInterval[]> {
  const merged = new Map<string, DowntimeInterval[]>();
  for (const [wellId, intervals] of downtimeByWell) merged.set(wellId, [...intervals]);
  for (const [wellId, intervals] of statusByWell) merged.set(wellId, [...(merged.get(wellId) ?? []), ...intervals]);
  return merged;
}
