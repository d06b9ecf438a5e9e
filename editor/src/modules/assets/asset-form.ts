/**
 * The asset form without React: its state (text as typed, quantities in the
 * site's unit system), the checks the server would make, the request body in
 * SI, and the PATCH of only what changed.
 */
import { isTagPath } from '../../../../runtime/tags/tag-path';
import type {
  Asset,
  AssetCreate,
  AssetKind,
  AssetPatch,
  Completion,
  EquipmentType,
  Fluid,
  LiftType,
  MeterService,
  Perforation,
  SeparatorService,
  SiteType,
  StrappingPoint,
  TagLink,
  WellStatus,
} from '../../api/assets';
import type { UnitSystem } from '../../units/units';
import { fromInputText, parseDecimal, toInputText, type AssetUnit } from './asset-units';
import { serverReasonText } from '../../api/error-text';

/** The tag path segment rule (ASSET_CODE_PATTERN on the server): a code is the middle level of its tags' paths. */
export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const ROLE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

/** The server's length limits, set on the inputs so a longer text cannot be typed. */
export const MAX_LENGTH = {
  code: 64,
  name: 200,
  description: 2000,
  uwi: 40,
  zone: 100,
  equipmentText: 200,
  reason: 500,
  role: 40,
  tagPath: 194,
} as const;

export interface PerforationRow {
  top: string;
  bottom: string;
  zone: string;
}

export interface StrappingRow {
  level: string;
  volume: string;
}

export interface TagLinkRow {
  role: string;
  tagPath: string;
}

export const COMPLETION_FIELDS = ['totalDepth', 'tubingOd', 'tubingDepth', 'casingOd', 'kickoffDepth'] as const;
export type CompletionField = (typeof COMPLETION_FIELDS)[number];

const COMPLETION_KEYS: Record<CompletionField, { key: Exclude<keyof Completion, 'perforations'>; unit: AssetUnit }> = {
  totalDepth: { key: 'totalDepthM', unit: 'm' },
  tubingOd: { key: 'tubingOdMm', unit: 'mm' },
  tubingDepth: { key: 'tubingDepthM', unit: 'm' },
  casingOd: { key: 'casingOdMm', unit: 'mm' },
  kickoffDepth: { key: 'kickoffDepthM', unit: 'm' },
};

export function completionUnit(field: CompletionField): AssetUnit {
  return COMPLETION_KEYS[field].unit;
}

/** The completion's SI value behind an input. */
export function completionValue(completion: Completion, field: CompletionField): number | undefined {
  return completion[COMPLETION_KEYS[field].key];
}

/** What the inputs hold: numbers stay text until submitted so a half-typed "-" is not lost. */
export interface AssetFormState {
  kind: AssetKind;
  code: string;
  name: string;
  description: string;
  /** '' for none (a field). */
  parentId: string;
  siteType: SiteType;
  latitude: string;
  longitude: string;
  uwi: string;
  liftType: LiftType;
  /** The first status of a new well; an existing well changes status through its own action. */
  status: WellStatus;
  completion: Record<CompletionField, string>;
  perforations: PerforationRow[];
  equipmentType: EquipmentType;
  manufacturer: string;
  model: string;
  serialNumber: string;
  capacity: string;
  strapping: StrappingRow[];
  /** '' for none. */
  meterService: MeterService | '';
  /** '' for none. */
  separatorService: SeparatorService | '';
  fluid: Fluid | '';
  tags: TagLinkRow[];
}

export type FormErrorCode =
  | 'required'
  | 'pattern'
  | 'notANumber'
  | 'positive'
  | 'notNegative'
  | 'latitudeRange'
  | 'longitudeRange'
  | 'topNotAboveBottom'
  | 'belowTotalDepth'
  | 'minPoints'
  | 'levelNotIncreasing'
  | 'volumeDecreasing'
  | 'belowTableTop'
  | 'duplicateRole'
  | 'roleFormat'
  | 'tagPath';

/**
 * Errors by input: `code`, `completion.totalDepth`, `perforations.0.top`,
 * `strapping.1.level`, `strapping` (the whole table), `tags.2.role`...
 */
export type FormErrors = Record<string, FormErrorCode>;

const EMPTY_COMPLETION: Record<CompletionField, string> = {
  totalDepth: '',
  tubingOd: '',
  tubingDepth: '',
  casingOd: '',
  kickoffDepth: '',
};

export function emptyAssetForm(kind: AssetKind, parentId: string | null): AssetFormState {
  return {
    kind,
    code: '',
    name: '',
    description: '',
    parentId: parentId ?? '',
    siteType: 'pad',
    latitude: '',
    longitude: '',
    uwi: '',
    liftType: 'natural_flow',
    status: 'producing',
    completion: { ...EMPTY_COMPLETION },
    perforations: [],
    equipmentType: 'separator',
    manufacturer: '',
    model: '',
    serialNumber: '',
    capacity: '',
    strapping: [],
    meterService: '',
    separatorService: '',
    fluid: '',
    tags: [],
  };
}

const numberText = (value: number | null): string => (value === null ? '' : String(value));

/** The form showing `asset`, its quantities in `system`. */
export function assetFormFrom(asset: Asset, system: UnitSystem): AssetFormState {
  const empty = emptyAssetForm(asset.kind, asset.parentId);
  const completion = asset.well?.completion ?? {};
  const equipment = asset.equipment;
  return {
    ...empty,
    code: asset.code,
    name: asset.name,
    description: asset.description,
    siteType: asset.siteType ?? empty.siteType,
    latitude: numberText(asset.latitude),
    longitude: numberText(asset.longitude),
    uwi: asset.well?.uwi ?? '',
    liftType: asset.well?.liftType ?? empty.liftType,
    status: asset.well?.status ?? empty.status,
    completion: {
      totalDepth: toInputText(completion.totalDepthM, 'm', system),
      tubingOd: toInputText(completion.tubingOdMm, 'mm', system),
      tubingDepth: toInputText(completion.tubingDepthM, 'm', system),
      casingOd: toInputText(completion.casingOdMm, 'mm', system),
      kickoffDepth: toInputText(completion.kickoffDepthM, 'm', system),
    },
    perforations: (completion.perforations ?? []).map((perforation) => ({
      top: toInputText(perforation.topM, 'm', system),
      bottom: toInputText(perforation.bottomM, 'm', system),
      zone: perforation.zone ?? '',
    })),
    equipmentType: equipment?.equipmentType ?? empty.equipmentType,
    manufacturer: equipment?.manufacturer ?? '',
    model: equipment?.model ?? '',
    serialNumber: equipment?.serialNumber ?? '',
    capacity: toInputText(equipment?.capacityM3, 'm3', system),
    strapping: (equipment?.strappingTable ?? []).map((point) => ({
      level: toInputText(point.levelM, 'm', system),
      volume: toInputText(point.volumeM3, 'm3', system),
    })),
    meterService: equipment?.meterService ?? '',
    separatorService: equipment?.separatorService ?? '',
    fluid: equipment?.fluid ?? '',
    tags: asset.tags.map((tag) => ({ role: tag.role, tagPath: tag.tagPath })),
  };
}

function optionalText(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** Collects the errors of one submission while the body is built. */
class Checker {
  readonly errors: FormErrors = {};

  fail(field: string, code: FormErrorCode): void {
    // The first complaint about an input is the one worth reading.
    if (!(field in this.errors)) this.errors[field] = code;
  }

  /** A quantity input in the form's units, as SI; `original` keeps an untouched value exact. */
  quantity(field: string, text: string, unit: AssetUnit, system: UnitSystem, original: number | null | undefined, minimum: 'positive' | 'notNegative'): number | null {
    const parsed = fromInputText(text, unit, system, original);
    if ('invalid' in parsed) {
      this.fail(field, 'notANumber');
      return null;
    }
    const { value } = parsed;
    if (value !== null && (minimum === 'positive' ? value <= 0 : value < 0)) this.fail(field, minimum);
    return value;
  }

  coordinate(field: 'latitude' | 'longitude', text: string, limit: number): number | null {
    const parsed = parseDecimal(text);
    if ('invalid' in parsed) {
      this.fail(field, 'notANumber');
      return null;
    }
    if (parsed.value !== null && Math.abs(parsed.value) > limit) this.fail(field, field === 'latitude' ? 'latitudeRange' : 'longitudeRange');
    return parsed.value;
  }
}

function completionFrom(state: AssetFormState, system: UnitSystem, original: Completion, check: Checker): Completion {
  const completion: Completion = {};
  for (const field of COMPLETION_FIELDS) {
    const { key, unit } = COMPLETION_KEYS[field];
    const value = check.quantity(`completion.${field}`, state.completion[field], unit, system, original[key], 'positive');
    if (value !== null) completion[key] = value;
  }
  const perforations: Perforation[] = [];
  state.perforations.forEach((row, index) => {
    const previous = original.perforations?.[index];
    const field = `perforations.${index}`;
    const topM = check.quantity(`${field}.top`, row.top, 'm', system, previous?.topM, 'notNegative');
    const bottomM = check.quantity(`${field}.bottom`, row.bottom, 'm', system, previous?.bottomM, 'notNegative');
    if (row.top.trim() === '') check.fail(`${field}.top`, 'required');
    if (row.bottom.trim() === '') check.fail(`${field}.bottom`, 'required');
    if (topM === null || bottomM === null) return;
    if (topM >= bottomM) check.fail(`${field}.bottom`, 'topNotAboveBottom');
    if (completion.totalDepthM !== undefined && bottomM > completion.totalDepthM) check.fail(`${field}.bottom`, 'belowTotalDepth');
    const zone = optionalText(row.zone);
    perforations.push(zone === null ? { topM, bottomM } : { topM, bottomM, zone });
  });
  if (perforations.length > 0) completion.perforations = perforations;
  const { totalDepthM } = completion;
  if (totalDepthM !== undefined) {
    if (completion.tubingDepthM !== undefined && completion.tubingDepthM > totalDepthM) check.fail('completion.tubingDepth', 'belowTotalDepth');
    if (completion.kickoffDepthM !== undefined && completion.kickoffDepthM > totalDepthM) check.fail('completion.kickoffDepth', 'belowTotalDepth');
  }
  return completion;
}

/** A tank's table in SI; null when it has no rows. The rules are the server's (model/strapping.ts). */
function strappingFrom(state: AssetFormState, system: UnitSystem, original: readonly StrappingPoint[], check: Checker): StrappingPoint[] | null {
  if (state.strapping.length === 0) return null;
  if (state.strapping.length < 2) check.fail('strapping', 'minPoints');
  const table: StrappingPoint[] = [];
  state.strapping.forEach((row, index) => {
    const field = `strapping.${index}`;
    const levelM = check.quantity(`${field}.level`, row.level, 'm', system, original[index]?.levelM, 'notNegative');
    const volumeM3 = check.quantity(`${field}.volume`, row.volume, 'm3', system, original[index]?.volumeM3, 'notNegative');
    if (row.level.trim() === '') check.fail(`${field}.level`, 'required');
    if (row.volume.trim() === '') check.fail(`${field}.volume`, 'required');
    if (levelM === null || volumeM3 === null) return;
    const previous = table[table.length - 1];
    // Only compared with a complete neighbour: a blank row above already has its own error.
    if (previous !== undefined && table.length === index) {
      if (levelM <= previous.levelM) check.fail(`${field}.level`, 'levelNotIncreasing');
      if (volumeM3 < previous.volumeM3) check.fail(`${field}.volume`, 'volumeDecreasing');
    }
    table.push({ levelM, volumeM3 });
  });
  return table;
}

function tagsFrom(state: AssetFormState, check: Checker): TagLink[] {
  const tags: TagLink[] = [];
  const roles = new Set<string>();
  state.tags.forEach((row, index) => {
    const role = row.role.trim();
    const tagPath = row.tagPath.trim();
    // A row left blank is one the engineer added and did not use.
    if (role === '' && tagPath === '') return;
    const field = `tags.${index}`;
    if (role === '') check.fail(`${field}.role`, 'required');
    else if (!ROLE_PATTERN.test(role)) check.fail(`${field}.role`, 'roleFormat');
    else if (roles.has(role)) check.fail(`${field}.role`, 'duplicateRole');
    if (tagPath === '') check.fail(`${field}.tagPath`, 'required');
    else if (!isTagPath(tagPath)) check.fail(`${field}.tagPath`, 'tagPath');
    roles.add(role);
    tags.push({ role, tagPath });
  });
  return tags;
}

function equipmentFrom(state: AssetFormState, system: UnitSystem, original: Asset | null, check: Checker): NonNullable<AssetCreate['equipment']> {
  const type = state.equipmentType;
  const before = original?.equipment ?? null;
  const isTank = type === 'tank';
  const capacityM3 = isTank ? check.quantity('capacity', state.capacity, 'm3', system, before?.capacityM3, 'positive') : null;
  const strappingTable = isTank ? strappingFrom(state, system, before?.strappingTable ?? [], check) : null;
  const topVolumeM3 = strappingTable?.[strappingTable.length - 1]?.volumeM3;
  if (capacityM3 !== null && topVolumeM3 !== undefined && topVolumeM3 > capacityM3) check.fail('capacity', 'belowTableTop');
  const takesFluid = type === 'meter' || isTank;
  if (type === 'meter' && state.fluid === '') check.fail('fluid', 'required');
  return {
    equipmentType: type,
    manufacturer: optionalText(state.manufacturer),
    model: optionalText(state.model),
    serialNumber: optionalText(state.serialNumber),
    capacityM3,
    strappingTable,
    meterService: type === 'meter' && state.meterService !== '' ? state.meterService : null,
    separatorService: type === 'separator' && state.separatorService !== '' ? state.separatorService : null,
    fluid: takesFluid && state.fluid !== '' ? state.fluid : null,
  };
}

/**
 * The create body for the form, or the inputs that cannot become one. The
 * checks mirror the server's (schema and service rules) so most mistakes are
 * shown before a round trip; the server's verdict still wins. `original` is
 * the asset being edited: inputs still showing its values keep them exactly.
 */
export function assetBodyFrom(state: AssetFormState, system: UnitSystem, original: Asset | null = null): { body: AssetCreate } | { errors: FormErrors } {
  const check = new Checker();
  const code = state.code.trim();
  if (code === '') check.fail('code', 'required');
  else if (!CODE_PATTERN.test(code)) check.fail('code', 'pattern');
  const name = state.name.trim();
  if (name === '') check.fail('name', 'required');
  const parentId = state.kind === 'field' ? null : optionalText(state.parentId);
  if (state.kind !== 'field' && parentId === null) check.fail('parentId', 'required');
  const latitude = check.coordinate('latitude', state.latitude, 90);
  const longitude = check.coordinate('longitude', state.longitude, 180);

  const body: AssetCreate = {
    kind: state.kind,
    code,
    name,
    parentId,
    description: state.description.trim(),
    latitude,
    longitude,
    tags: tagsFrom(state, check),
  };
  if (state.kind === 'site') body.siteType = state.siteType;
  if (state.kind === 'well') {
    body.well = {
      uwi: optionalText(state.uwi),
      liftType: state.liftType,
      status: state.status,
      completion: completionFrom(state, system, original?.well?.completion ?? {}, check),
    };
  }
  if (state.kind === 'equipment') body.equipment = equipmentFrom(state, system, original, check);
  return Object.keys(check.errors).length > 0 ? { errors: check.errors } : { body };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Only what the engineer changed goes into the PATCH, so concurrent edits of
 * other fields are not undone. Both sides come out of assetBodyFrom, so a
 * value merely re-expressed in the form's units never counts as a change.
 */
export function assetChanges(before: AssetCreate, after: AssetCreate): Omit<AssetPatch, 'rowVersion'> {
  const changes: Omit<AssetPatch, 'rowVersion'> = {};
  if (before.code !== after.code) changes.code = after.code;
  if (before.name !== after.name) changes.name = after.name;
  if (before.description !== after.description) changes.description = after.description;
  if (before.parentId !== after.parentId) changes.parentId = after.parentId;
  if (before.siteType !== after.siteType) changes.siteType = after.siteType;
  if (before.latitude !== after.latitude) changes.latitude = after.latitude;
  if (before.longitude !== after.longitude) changes.longitude = after.longitude;
  if (!same(before.tags, after.tags)) changes.tags = after.tags;
  if (before.well && after.well) {
    const well: NonNullable<AssetPatch['well']> = {};
    if (before.well.uwi !== after.well.uwi) well.uwi = after.well.uwi;
    if (before.well.liftType !== after.well.liftType) well.liftType = after.well.liftType;
    // The server replaces the completion as a whole.
    if (!same(before.well.completion, after.well.completion)) well.completion = after.well.completion;
    if (Object.keys(well).length > 0) changes.well = well;
  }
  if (before.equipment && after.equipment) {
    const previous = before.equipment;
    const next = after.equipment;
    const keys = Object.keys(next) as (keyof typeof next)[];
    const changed = keys.filter((key) => !same(previous[key], next[key]));
    if (changed.length > 0) changes.equipment = Object.fromEntries(changed.map((key) => [key, next[key]]));
  }
  return changes;
}

/** The PATCH for an edited asset, or the inputs that cannot become one. */
export function assetPatchFrom(original: Asset, state: AssetFormState, system: UnitSystem): { changes: Omit<AssetPatch, 'rowVersion'> } | { errors: FormErrors } {
  const before = assetBodyFrom(assetFormFrom(original, system), system, original);
  const after = assetBodyFrom(state, system, original);
  if ('errors' in after) return after;
  // An asset the server accepted but the form would refuse (a rule added later): compare with what the server holds.
  const baseline = 'body' in before ? before.body : null;
  return { changes: baseline === null ? fullPatch(after.body) : assetChanges(baseline, after.body) };
}

function fullPatch(body: AssetCreate): Omit<AssetPatch, 'rowVersion'> {
  const { code, name, description, parentId, siteType, latitude, longitude, tags, well, equipment } = body;
  return {
    code,
    name,
    description,
    parentId,
    siteType,
    latitude,
    longitude,
    tags,
    ...(well ? { well: { uwi: well.uwi, liftType: well.liftType, completion: well.completion } } : {}),
    ...(equipment ? { equipment } : {}),
  };
}

const SERVER_FIELDS: Record<string, string> = {
  'well.uwi': 'uwi',
  'well.liftType': 'liftType',
  'well.completion.totalDepthM': 'completion.totalDepth',
  'well.completion.tubingOdMm': 'completion.tubingOd',
  'well.completion.tubingDepthM': 'completion.tubingDepth',
  'well.completion.casingOdMm': 'completion.casingOd',
  'well.completion.kickoffDepthM': 'completion.kickoffDepth',
  'equipment.equipmentType': 'equipmentType',
  'equipment.manufacturer': 'manufacturer',
  'equipment.model': 'model',
  'equipment.serialNumber': 'serialNumber',
  'equipment.capacityM3': 'capacity',
  'equipment.strappingTable': 'strapping',
  'equipment.meterService': 'meterService',
  'equipment.separatorService': 'separatorService',
  'equipment.fluid': 'fluid',
};

const ROW_FIELDS: { prefix: string; form: string; cells: Record<string, string> }[] = [
  { prefix: 'well.completion.perforations.', form: 'perforations.', cells: { topM: 'top', bottomM: 'bottom', zone: 'zone' } },
  { prefix: 'equipment.strappingTable.', form: 'strapping.', cells: { levelM: 'level', volumeM3: 'volume' } },
  { prefix: 'tags.', form: 'tags.', cells: { role: 'role', tagPath: 'tagPath' } },
];

/**
 * The form input a server error names. The server writes fields dotted, with
 * indexes as segments (`well.completion.perforations.0`; older servers put
 * them in brackets, `perforations[0]`), the request
 * validator under `body.` (`body.well.completion.totalDepthM`), JSON pointers
 * are read too; all land on the same input. A whole row's error goes to its first cell.
 */
export function formFieldOf(serverField: string): string {
  const dotted = serverField
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/^body\./, '');
  const mapped = SERVER_FIELDS[dotted];
  if (mapped !== undefined) return mapped;
  for (const { prefix, form, cells } of ROW_FIELDS) {
    const match = dotted.startsWith(prefix) ? /^(\d+)(?:\.(\w+))?$/.exec(dotted.slice(prefix.length)) : null;
    if (match === null) continue;
    const [, index, cell] = match;
    const firstCell = Object.values(cells)[0];
    return `${form}${index}.${cell === undefined ? firstCell : (cells[cell] ?? firstCell)}`;
  }
  return dotted;
}

/** The server's `details: { field, reason }` (one or a list) as reasons per form input. */
export function serverFieldErrors(details: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const entry of (Array.isArray(details) ? details : [details]) as unknown[]) {
    if (typeof entry !== 'object' || entry === null || !('field' in entry) || !('reason' in entry)) continue;
    const { field, reason } = entry;
    if (typeof field === 'string' && typeof reason === 'string') errors[formFieldOf(field)] = serverReasonText(entry);
  }
  return errors;
}

const COMMON_INPUTS = ['code', 'name', 'description', 'parentId', 'latitude', 'longitude'];
const KIND_INPUTS: Record<AssetKind, string[]> = {
  field: [],
  site: ['siteType'],
  well: ['uwi', 'liftType', 'status', ...COMPLETION_FIELDS.map((field) => `completion.${field}`)],
  equipment: ['equipmentType', 'manufacturer', 'model', 'serialNumber', 'capacity', 'strapping', 'meterService', 'separatorService', 'fluid'],
};

/** Whether the form shows an input (or table) for an error's key; the others go in a banner. */
export function hasInput(state: AssetFormState, key: string): boolean {
  const [head = '', index, cell] = key.split('.');
  const rows: Partial<Record<string, readonly unknown[]>> = {
    perforations: state.kind === 'well' ? state.perforations : [],
    strapping: state.kind === 'equipment' ? state.strapping : [],
    tags: state.tags,
  };
  const table = rows[head];
  if (table !== undefined && index !== undefined && /^\d+$/.test(index)) return Number(index) < table.length && cell !== undefined;
  return [...COMMON_INPUTS, ...KIND_INPUTS[state.kind]].includes(key);
}

/**
 * Rows pasted from a spreadsheet or a calibration certificate: one point a
 * line, level then volume, separated by a tab, a semicolon or spaces (a
 * comma is a decimal separator in Spanish). Lines without two numbers (a
 * header, a blank line) are skipped.
 */
export function parseStrappingPaste(text: string): StrappingRow[] {
  const rows: StrappingRow[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cells = line.trim().split(/\t|;|\s+/).filter((cell) => cell !== '');
    const [level, volume] = cells;
    if (cells.length !== 2 || level === undefined || volume === undefined) continue;
    const parsed = [parseDecimal(level), parseDecimal(volume)];
    if (parsed.every((cell) => 'value' in cell && cell.value !== null)) rows.push({ level, volume });
  }
  return rows;
}
