import type { FailureCodeEntry, FailureCodeKind, Plan, PlanCreate, PlanUpdate } from '../../api/maintenance';

/*
 * What the maintenance screens check before sending, and how they turn
 * their inputs into request bodies. The server owns the rules and answers
 * 400 naming the field; these checks only spare a round trip for what the
 * browser can see (a missing value, a file over the size limit).
 */

/** The server's limits on attachments (erp-modules/maintenance/schema.ts); a unit test keeps them equal. */
export const ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024;
export const ATTACHMENT_CONTENT_TYPES = ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'] as const;
export const FAILURE_CODE_KINDS = ['problem', 'cause', 'remedy'] as const satisfies readonly FailureCodeKind[];
export const METERS = ['run_hours', 'starts', 'throughput', 'manual'] as const satisfies readonly NonNullable<Plan['meter']>[];

export type AttachmentProblem = 'tooLarge' | 'typeNotAllowed' | 'empty';

/** Why a chosen file cannot be attached, before it is read and sent; null when it can. */
export function attachmentProblem(file: { size: number; type: string }): AttachmentProblem | null {
  if (file.size === 0) return 'empty';
  if (file.size > ATTACHMENT_MAX_BYTES) return 'tooLarge';
  if (!(ATTACHMENT_CONTENT_TYPES as readonly string[]).includes(file.type)) return 'typeNotAllowed';
  return null;
}

/** Base64 of a file's bytes, in chunks: spreading 2 MiB into one call would overflow the argument stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  const CHUNK = 0x8000;
  let binary = '';
  for (let start = 0; start < bytes.length; start += CHUNK) binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  return btoa(binary);
}

export type PlanInputError = 'required' | 'notPositive';

export interface PlanForm {
  equipmentId: string | null;
  name: string;
  kind: 'calendar' | 'meter';
  intervalDays: number | string;
  meter: NonNullable<Plan['meter']>;
  tagPath: string;
  intervalAmount: number | string;
  /** One task a line. */
  tasks: string;
}

export type PlanFormErrors = Partial<Record<keyof PlanForm, PlanInputError>>;

export const EMPTY_PLAN_FORM: PlanForm = { equipmentId: null, name: '', kind: 'calendar', intervalDays: '', meter: 'run_hours', tagPath: '', intervalAmount: '', tasks: '' };

/** The form showing an existing plan, to edit it. */
export function planToForm(plan: Plan): PlanForm {
  return {
    equipmentId: plan.equipmentId,
    name: plan.name,
    kind: plan.kind,
    intervalDays: plan.intervalDays ?? '',
    meter: plan.meter ?? 'run_hours',
    tagPath: plan.tagPath ?? '',
    intervalAmount: plan.intervalAmount ?? '',
    tasks: plan.tasks.join('\n'),
  };
}

function positive(value: number | string): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

function taskLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The fields of a plan both create and edit send: the name, the interval of its kind, the tag, the tasks. */
function planFields(form: PlanForm, errors: PlanFormErrors): { name: string; intervalDays?: number; tagPath?: string; intervalAmount?: number; tasks: string[] } {
  const name = form.name.trim();
  if (name === '') errors.name = 'required';
  const tasks = taskLines(form.tasks);
  if (form.kind === 'calendar') {
    const intervalDays = positive(form.intervalDays);
    if (intervalDays === null) errors.intervalDays = form.intervalDays === '' ? 'required' : 'notPositive';
    return { name, tasks, ...(intervalDays === null ? {} : { intervalDays }) };
  }
  const intervalAmount = positive(form.intervalAmount);
  if (intervalAmount === null) errors.intervalAmount = form.intervalAmount === '' ? 'required' : 'notPositive';
  const tagPath = form.tagPath.trim();
  if (form.meter !== 'manual' && tagPath === '') errors.tagPath = 'required';
  return { name, tasks, ...(intervalAmount === null ? {} : { intervalAmount }), ...(form.meter === 'manual' ? {} : { tagPath }) };
}

export function planCreateBody(form: PlanForm): { body: PlanCreate } | { errors: PlanFormErrors } {
  const errors: PlanFormErrors = {};
  if (form.equipmentId === null) errors.equipmentId = 'required';
  const fields = planFields(form, errors);
  if (Object.keys(errors).length > 0 || form.equipmentId === null) return { errors };
  return { body: { equipmentId: form.equipmentId, kind: form.kind, ...(form.kind === 'meter' ? { meter: form.meter } : {}), ...fields } };
}

/** An edit keeps the plan's kind and meter (the server refuses changing them); the form shows them fixed. */
export function planUpdateBody(plan: Plan, form: PlanForm): { body: PlanUpdate } | { errors: PlanFormErrors } {
  const errors: PlanFormErrors = {};
  const fields = planFields({ ...form, kind: plan.kind, meter: plan.meter ?? 'manual' }, errors);
  if (Object.keys(errors).length > 0) return { errors };
  return { body: { rowVersion: plan.rowVersion, ...fields } };
}

/** A code's text in the user's language. */
export function failureCodeDescription(code: Pick<FailureCodeEntry, 'descriptionEn' | 'descriptionEs'>, language: string): string {
  return language.startsWith('es') ? code.descriptionEs : code.descriptionEn;
}

export interface FailureCodeOption {
  value: string;
  label: string;
}

/**
 * The choices for one failure-code input: the catalogue's active codes of
 * its kind, and the order's current value when it is not among them (free
 * text from before the catalogue, or a code since deactivated), marked so,
 * because the server keeps accepting the value an order already holds.
 */
export function failureCodeOptions(
  codes: readonly FailureCodeEntry[],
  kind: FailureCodeKind,
  current: string | null,
  language: string,
  notInCatalogue: string,
): FailureCodeOption[] {
  const options = codes.filter((code) => code.kind === kind && code.active).map((code) => ({ value: code.code, label: `${code.code} — ${failureCodeDescription(code, language)}` }));
  if (current !== null && !options.some((option) => option.value === current)) options.push({ value: current, label: `${current} (${notInCatalogue})` });
  return options;
}

/** How a failure code reads on the screens: with its description when the catalogue knows it. */
export function failureCodeText(codes: readonly FailureCodeEntry[], kind: FailureCodeKind, value: string | null, language: string): string {
  if (value === null || value === '') return '—';
  const entry = codes.find((code) => code.kind === kind && code.code === value);
  return entry ? `${value} — ${failureCodeDescription(entry, language)}` : value;
}
