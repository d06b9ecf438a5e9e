import type { FieldAsset, FieldPoint } from '../../api/field';
import type { WellStatus } from '../../api/assets';
import type { LiveValue } from '../../live/live-protocol';

/**
 * Which of an asset's points the overview shows. The register's tag roles are
 * free text (oil_rate, thp), so points are recognised by unit and by the usual
 * instrument names (THP, OIL_RATE, RUNNING, TRIPPED ...) in the role or the point.
 */
export type KeyRole =
  | 'oilRate'
  | 'thp'
  | 'pressure'
  | 'dischargePressure'
  | 'level'
  | 'gasFlow'
  | 'running'
  | 'tripped'
  | 'shutIn'
  | 'flow';

export interface KeyPoint {
  role: KeyRole;
  point: string;
  unit: string;
  /** Tells apart points sharing a role (OIL of OIL_LEVEL next to WATER_LEVEL); null when alone. */
  qualifier: string | null;
}

interface Rule {
  role: KeyRole;
  units: readonly string[];
  name: RegExp;
  /** Take the first point of a matching unit when no name matches. */
  anyOfUnit?: boolean;
  /** How many points may take this role (separators have several levels). */
  count?: number;
}

/** Units a status flag may have: the tag store keeps booleans without a unit (''); older feeds said 'bool'. */
export const FLAG_UNITS: readonly string[] = ['bool', ''];
const RUNNING: Rule = { role: 'running', units: FLAG_UNITS, name: /RUN/i };
const TRIPPED: Rule = { role: 'tripped', units: FLAG_UNITS, name: /TRIP/i };
const SHUT_IN: Rule = { role: 'shutIn', units: FLAG_UNITS, name: /SHUT/i };
const PRESSURE: Rule = { role: 'pressure', units: ['kPa'], name: /PRESS|^PT|^P$/i, anyOfUnit: true };
const LEVELS: Rule = { role: 'level', units: ['%', 'm'], name: /LEVEL|LVL|^LT/i, count: 2 };

/** What the overview draws an asset as: the register's kind, and for equipment its type. */
export type PlantKind = 'site' | 'well' | 'separator' | 'tank' | 'compressor' | 'manifold' | 'other';

export function plantKindOf(asset: Pick<FieldAsset, 'kind' | 'equipmentType'>): PlantKind {
  if (asset.kind !== 'equipment') return asset.kind;
  switch (asset.equipmentType) {
    case 'separator':
    case 'tank':
    case 'compressor':
    case 'manifold':
      return asset.equipmentType;
    case 'header':
      return 'manifold';
    default:
      return 'other';
  }
}

const RULES: Record<PlantKind, readonly Rule[]> = {
  well: [
    { role: 'oilRate', units: ['m3/d'], name: /OIL/i, anyOfUnit: true },
    { role: 'thp', units: ['kPa'], name: /^THP$|TUBING|^WHP$/i },
    RUNNING,
    TRIPPED,
    SHUT_IN,
  ],
  separator: [PRESSURE, LEVELS],
  tank: [{ ...LEVELS, count: 1 }],
  compressor: [
    { role: 'gasFlow', units: ['Sm3/d'], name: /FLOW|RATE|^Q/i, anyOfUnit: true },
    { role: 'dischargePressure', units: ['kPa'], name: /DISCH|^PD/i, anyOfUnit: true },
    RUNNING,
    TRIPPED,
  ],
  manifold: [PRESSURE],
  // Meters, flowlines, sales and disposal points: their flow, else a pressure.
  other: [{ role: 'flow', units: ['m3/d', 'Sm3/d'], name: /FLOW|RATE|^Q/i, anyOfUnit: true }, PRESSURE],
  site: [],
};

/** The overview has room for this many values per asset; the rest still count for its state. */
export const MAX_SHOWN_POINTS = 4;

function pick(points: readonly FieldPoint[], rule: Rule, taken: Set<string>): FieldPoint[] {
  const free = points.filter((point) => !taken.has(point.point) && rule.units.includes(point.unit));
  const named = free.filter((point) => rule.name.test(point.point) || rule.name.test(point.role));
  const chosen = named.length > 0 || rule.anyOfUnit !== true ? named : free;
  return chosen.slice(0, rule.count ?? 1);
}

function qualifier(point: string, rule: Rule): string {
  const rest = point.replace(new RegExp(`[_-]?(${rule.name.source})[_-]?`, 'i'), '');
  return rest === '' ? point : rest;
}

/** The asset's key points in display order; the node shows the first MAX_SHOWN_POINTS. */
export function keyPointsOf(asset: FieldAsset): KeyPoint[] {
  const taken = new Set<string>();
  const result: KeyPoint[] = [];
  for (const rule of RULES[plantKindOf(asset)]) {
    const picked = pick(asset.points, rule, taken);
    for (const point of picked) {
      taken.add(point.point);
      result.push({ role: rule.role, point: point.point, unit: point.unit, qualifier: picked.length > 1 ? qualifier(point.point, rule) : null });
    }
  }
  return result;
}

export type LiveState = 'running' | 'stopped' | 'tripped' | 'shut-in' | 'unknown' | 'none';
/** What the overview shows: the live state, unless the register has taken the well out of production. */
export type AssetState = LiveState | 'suspended' | 'abandoned';

/** A boolean reading that can be trusted; bad quality means the flag is not known. */
function flag(value: LiveValue | undefined): boolean | null {
  if (value === undefined || value.q === 'bad' || typeof value.v !== 'boolean') return null;
  return value.v;
}

/**
 * Running, stopped, tripped or shut in from the asset's status flags. Assets
 * without any (tanks, separators) have no run state: 'none'.
 */
export function liveState(keyPoints: readonly KeyPoint[], valueOf: (point: string) => LiveValue | undefined): LiveState {
  const flagOf = (role: KeyRole) => {
    const keyPoint = keyPoints.find((candidate) => candidate.role === role);
    return keyPoint === undefined ? undefined : flag(valueOf(keyPoint.point));
  };
  const running = flagOf('running');
  const tripped = flagOf('tripped');
  const shutIn = flagOf('shutIn');
  if (running === undefined && tripped === undefined && shutIn === undefined) return 'none';
  if (tripped === true) return 'tripped';
  if (shutIn === true) return 'shut-in';
  if (running === true) return 'running';
  if (running === false) return 'stopped';
  // No running flag: an asset that reports neither trip nor shut-in is running.
  if (running === undefined && tripped !== null && shutIn !== null) return 'running';
  return 'unknown';
}

/**
 * The register's status wins: a well shut in, suspended or abandoned there is
 * shown so whatever its RUN tag says (a tag may lag, be stale or be wired to
 * the wrong pump); a producing well shows its live state.
 */
export function wellState(registerStatus: WellStatus | undefined, live: LiveState): AssetState {
  switch (registerStatus) {
    case 'shut_in':
      return 'shut-in';
    case 'suspended':
    case 'abandoned':
      return registerStatus;
    default:
      return live;
  }
}

/** The overview's state of an asset from its key points and, for a well, the register's status. */
export function assetState(
  asset: Pick<FieldAsset, 'status'>,
  keyPoints: readonly KeyPoint[],
  valueOf: (point: string) => LiveValue | undefined,
): AssetState {
  return wellState(asset.status, liveState(keyPoints, valueOf));
}

/** The worst quality among the values, or null when none has arrived. */
export function worstQuality(values: readonly (LiveValue | undefined)[]): LiveValue['q'] | null {
  const present = values.filter((value): value is LiveValue => value !== undefined);
  if (present.length === 0) return null;
  if (present.some((value) => value.q === 'bad')) return 'bad';
  if (present.some((value) => value.q === 'uncertain')) return 'uncertain';
  return 'good';
}
