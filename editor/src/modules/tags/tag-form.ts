import type { Role } from '../../api/auth';
import type { TagDataType, TagFields, WriteRole } from '../../api/tags';
import { serverReasonText } from '../../api/error-text';

/** What the inputs hold: numbers stay text until submitted so a half-typed "-" is not lost. */
export interface TagFormState {
  path: string;
  dataType: TagDataType;
  unit: string;
  /** '' follows the site's unit system. */
  displayUnit: string;
  description: string;
  deadband: string;
  scaled: boolean;
  rawMin: string;
  rawMax: string;
  engMin: string;
  engMax: string;
  source: string;
  readRole: Role;
  historyEnabled: boolean;
  historyDeviation: string;
  historyMaxIntervalSeconds: string;
  writable: boolean;
  writeMin: string;
  writeMax: string;
  writeRole: WriteRole;
}

export const SCALING_FIELDS = ['rawMin', 'rawMax', 'engMin', 'engMax'] as const;
type ScalingField = (typeof SCALING_FIELDS)[number];

export type FormField = Exclude<keyof TagFormState, 'scaled' | 'writable'> | 'scaling' | 'writable';
export type FieldErrors = Partial<Record<FormField, string>>;
/** Checked in the browser: only that a number input holds a number. */
export type InputErrors = Partial<Record<FormField, 'notANumber'>>;

export function emptyTagForm(): TagFormState {
  return {
    path: '',
    dataType: 'float',
    unit: '',
    displayUnit: '',
    description: '',
    deadband: '0',
    scaled: false,
    rawMin: '',
    rawMax: '',
    engMin: '',
    engMax: '',
    source: '',
    readRole: 'viewer',
    historyEnabled: false,
    historyDeviation: '0',
    historyMaxIntervalSeconds: '3600',
    writable: false,
    writeMin: '',
    writeMax: '',
    writeRole: 'operator',
  };
}

export function tagFormFrom(fields: TagFields): TagFormState {
  return {
    path: fields.path,
    dataType: fields.dataType,
    unit: fields.unit,
    displayUnit: fields.displayUnit ?? '',
    description: fields.description,
    deadband: String(fields.deadband),
    scaled: fields.scaling !== null,
    rawMin: fields.scaling === null ? '' : String(fields.scaling.rawMin),
    rawMax: fields.scaling === null ? '' : String(fields.scaling.rawMax),
    engMin: fields.scaling === null ? '' : String(fields.scaling.engMin),
    engMax: fields.scaling === null ? '' : String(fields.scaling.engMax),
    source: fields.source ?? '',
    readRole: fields.readRole,
    historyEnabled: fields.historyEnabled,
    historyDeviation: String(fields.historyDeviation),
    historyMaxIntervalSeconds: String(fields.historyMaxIntervalSeconds),
    writable: fields.writable,
    writeMin: fields.writeMin === null ? '' : String(fields.writeMin),
    writeMax: fields.writeMax === null ? '' : String(fields.writeMax),
    writeRole: fields.writeRole,
  };
}

function parseNumber(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text.trim().replace(',', '.'));
  return Number.isFinite(value) ? value : null;
}

function optional(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * The request body for the form, or the inputs that cannot become one. Only
 * what the browser cannot send is checked here: the server owns the rules
 * (path syntax, units, ranges) and answers with field errors.
 */
export function tagFieldsFrom(state: TagFormState): { fields: TagFields } | { errors: InputErrors } {
  const errors: InputErrors = {};
  const deadband = state.deadband.trim() === '' ? 0 : parseNumber(state.deadband);
  if (deadband === null) errors.deadband = 'notANumber';
  const historyDeviation = state.historyDeviation.trim() === '' ? 0 : parseNumber(state.historyDeviation);
  if (historyDeviation === null) errors.historyDeviation = 'notANumber';
  const historyMaxIntervalSeconds = state.historyMaxIntervalSeconds.trim() === '' ? 3600 : parseNumber(state.historyMaxIntervalSeconds);
  if (historyMaxIntervalSeconds === null) errors.historyMaxIntervalSeconds = 'notANumber';
  const scaling: Partial<Record<ScalingField, number>> = {};
  if (state.scaled) {
    for (const field of SCALING_FIELDS) {
      const value = parseNumber(state[field]);
      if (value === null) errors[field] = 'notANumber';
      else scaling[field] = value;
    }
  }
  // An empty write limit is no limit on that side.
  const writeMin = parseNumber(state.writeMin);
  const writeMax = parseNumber(state.writeMax);
  if (writeMin === null && state.writeMin.trim() !== '') errors.writeMin = 'notANumber';
  if (writeMax === null && state.writeMax.trim() !== '') errors.writeMax = 'notANumber';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    fields: {
      path: state.path.trim(),
      dataType: state.dataType,
      unit: state.unit,
      displayUnit: optional(state.displayUnit),
      description: state.description.trim(),
      deadband: deadband ?? 0,
      scaling:
        state.scaled &&
        scaling.rawMin !== undefined &&
        scaling.rawMax !== undefined &&
        scaling.engMin !== undefined &&
        scaling.engMax !== undefined
          ? { rawMin: scaling.rawMin, rawMax: scaling.rawMax, engMin: scaling.engMin, engMax: scaling.engMax }
          : null,
      source: optional(state.source),
      readRole: state.readRole,
      historyEnabled: state.historyEnabled,
      historyDeviation: historyDeviation ?? 0,
      historyMaxIntervalSeconds: historyMaxIntervalSeconds ?? 3600,
      writable: state.writable,
      writeMin,
      writeMax,
      writeRole: state.writeRole,
    },
  };
}

/** Only what the engineer changed goes into the PATCH, so concurrent edits of other fields are not undone. */
export function changedFields(original: TagFields, next: TagFields): Partial<TagFields> {
  const changes: Partial<Record<keyof TagFields, unknown>> = {};
  for (const key of Object.keys(next) as (keyof TagFields)[]) {
    if (JSON.stringify(original[key]) !== JSON.stringify(next[key])) changes[key] = next[key];
  }
  return changes as Partial<TagFields>;
}

const FORM_FIELDS: readonly FormField[] = [
  'path',
  'dataType',
  'unit',
  'displayUnit',
  'description',
  'deadband',
  'scaling',
  ...SCALING_FIELDS,
  'source',
  'readRole',
  'historyEnabled',
  'historyDeviation',
  'historyMaxIntervalSeconds',
  'writable',
  'writeMin',
  'writeMax',
  'writeRole',
];

function isFormField(value: string): value is FormField {
  return FORM_FIELDS.some((field) => field === value);
}

/**
 * The server's `details: { field, reason }` as errors per input. Field names
 * may come as JSON pointers ("/scaling/rawMin") or dotted ("scaling.rawMin");
 * a list of them is accepted too. Fields the form has no input for are
 * returned apart so they can still be shown.
 */
export function serverFieldErrors(details: unknown): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  const entries: unknown[] = Array.isArray(details) ? details : [details];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null || !('field' in entry) || !('reason' in entry)) continue;
    const { field, reason } = entry;
    if (typeof field !== 'string' || typeof reason !== 'string') continue;
    const name = field.replace(/^\//, '').split(/[./]/).pop() ?? '';
    const text = serverReasonText(entry);
    if (isFormField(name)) fields[name] = text;
    else other.push(`${field}: ${text}`);
  }
  return { fields, other };
}
