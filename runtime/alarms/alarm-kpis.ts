import type { AlarmKpis, AlarmPriority } from "./schema.js";

/**
 * Alarm system performance (EEMUA 191 §6 and annex; ISA-18.2 §16), pure
 * over the journal's activations in a range. Measured per fixed 10-minute
 * period counted from `from`, as EEMUA 191 states its targets ("alarms per
 * 10 minutes"): hand-checkable and stable when the range moves by a period.
 */

export interface Activation {
  alarmId: string;
  tagPath: string | null;
  message: string;
  area: string;
  priority: AlarmPriority;
  /** Epoch ms. */
  at: number;
}

export interface StandingCandidate {
  alarmId: string;
  tagPath: string | null;
  message: string;
  /** Epoch ms the alarm became active and stayed so; null when not active. */
  activeSince: number | null;
}

export const PERIOD_MS = 10 * 60_000;
/** EEMUA 191 / ISA-18.2: more than 10 alarms in 10 minutes is a flood. */
export const FLOOD_THRESHOLD_PER_PERIOD = 10;
/** An alarm activated this many times within one minute is chattering. */
export const CHATTER_ACTIVATIONS = 3;
export const CHATTER_WINDOW_MS = 60_000;
/** Active for longer than this is a standing alarm. */
export const STANDING_MS = 24 * 3600_000;
export const BAD_ACTOR_COUNT = 10;

function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Activations per 10-minute period (the last one may be shorter). */
function periodCounts(times: readonly number[], from: number, periods: number): number[] {
  const counts = new Array<number>(periods).fill(0);
  for (const at of times) {
    const index = Math.floor((at - from) / PERIOD_MS);
    if (index >= 0 && index < periods) counts[index] += 1;
  }
  return counts;
}

/** The most activations of one alarm within any one-minute window (sliding). */
export function maxInWindow(sortedTimes: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < sortedTimes.length; end++) {
    while (sortedTimes[end] - sortedTimes[start] >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export function computeAlarmKpis(activations: readonly Activation[], standingCandidates: readonly StandingCandidate[], fromMs: number, toMs: number): AlarmKpis {
  const rangeMs = Math.max(0, toMs - fromMs);
  const periods = Math.max(1, Math.ceil(rangeMs / PERIOD_MS));
  const inRange = activations.filter((activation) => activation.at >= fromMs && activation.at < toMs);
  const total = inRange.length;
  const periodsInRange = rangeMs / PERIOD_MS;

  const byArea = new Map<string, number[]>();
  for (const activation of inRange) {
    const times = byArea.get(activation.area) ?? [];
    times.push(activation.at);
    byArea.set(activation.area, times);
  }
  const perArea = [...byArea.entries()]
    .map(([area, times]) => ({
      area,
      activations: times.length,
      averagePer10Min: periodsInRange > 0 ? round(times.length / periodsInRange) : times.length,
      peakPer10Min: Math.max(...periodCounts(times, fromMs, periods)),
    }))
    .sort((a, b) => b.activations - a.activations || a.area.localeCompare(b.area));

  const counts = periodCounts(
    inRange.map((activation) => activation.at),
    fromMs,
    periods,
  );
  let floodCount = 0;
  let floodMs = 0;
  counts.forEach((count, index) => {
    if (count <= FLOOD_THRESHOLD_PER_PERIOD) return;
    // Consecutive flood periods are one flood.
    if (index === 0 || counts[index - 1] <= FLOOD_THRESHOLD_PER_PERIOD) floodCount += 1;
    const start = fromMs + index * PERIOD_MS;
    floodMs += Math.min(toMs, start + PERIOD_MS) - start;
  });

  const byAlarm = new Map<string, { activation: Activation; times: number[] }>();
  for (const activation of inRange) {
    const entry = byAlarm.get(activation.alarmId) ?? { activation, times: [] };
    entry.times.push(activation.at);
    byAlarm.set(activation.alarmId, entry);
  }
  const chattering = [...byAlarm.values()]
    .map(({ activation, times }) => ({
      alarmId: activation.alarmId,
      tagPath: activation.tagPath,
      message: activation.message,
      activationsInOneMinute: maxInWindow([...times].sort((a, b) => a - b), CHATTER_WINDOW_MS),
    }))
    .filter((entry) => entry.activationsInOneMinute >= CHATTER_ACTIVATIONS)
    .sort((a, b) => b.activationsInOneMinute - a.activationsInOneMinute || a.alarmId.localeCompare(b.alarmId));

  const badActors = [...byAlarm.values()]
    .map(({ activation, times }) => ({
      alarmId: activation.alarmId,
      tagPath: activation.tagPath,
      message: activation.message,
      activations: times.length,
      percentOfTotal: total > 0 ? round((times.length / total) * 100, 1) : 0,
    }))
    .sort((a, b) => b.activations - a.activations || a.alarmId.localeCompare(b.alarmId))
    .slice(0, BAD_ACTOR_COUNT);

  const standing = standingCandidates
    .filter((candidate): candidate is StandingCandidate & { activeSince: number } => candidate.activeSince !== null && toMs - candidate.activeSince > STANDING_MS)
    .sort((a, b) => a.activeSince - b.activeSince)
    .map((candidate) => ({ alarmId: candidate.alarmId, tagPath: candidate.tagPath, message: candidate.message, activeSince: new Date(candidate.activeSince).toISOString() }));

  const prioritySplit = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const activation of inRange) prioritySplit[activation.priority] += 1;

  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    total,
    perArea,
    floods: {
      count: floodCount,
      timeInFloodSeconds: floodMs / 1000,
      percentOfTimeInFlood: rangeMs > 0 ? round((floodMs / rangeMs) * 100) : 0,
      peakPer10Min: Math.max(...counts),
    },
    chattering,
    standing,
    badActors,
    prioritySplit,
  };
}
