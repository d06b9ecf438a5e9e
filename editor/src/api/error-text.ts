import i18next, { type TFunction } from 'i18next';
import {
  isErrorCode,
  isReason,
  type ErrorDetails,
  type ErrorParam,
  type ErrorParams,
} from '../../../runtime/error-contract';
import type en from '../i18n/en.json';
import { ApiError } from './client';

type Catalogue = typeof en;

/*
 * The API's errors in the user's language. The server answers a stable code
 * and, when a value is at fault, details {field, reason, params}
 * (runtime/error-contract.ts); every code and reason has a translation in
 * both locales (i18n/api-errors.*.json, the `apiErrors` namespace), and a
 * test checks that none is missing. The server's English message is only a
 * last resort, for answers that are not Petroflow's (a proxy's 502).
 *
 * The catalogue is its own namespace, read as templates here: in the main
 * one its ~130 keys pushed i18next's key types past TypeScript's depth.
 */

function language(): string {
  return i18next.resolvedLanguage ?? i18next.language ?? 'en';
}

/** An apiErrors template with {{params}} filled in (the user's language, else English). */
function apiText(key: string, params: Record<string, string> = {}): string {
  const template: unknown = i18next.getResource(language(), 'apiErrors', key) ?? i18next.getResource('en', 'apiErrors', key);
  if (typeof template !== 'string') return key;
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => params[name] ?? '');
}

function hasKey<T extends object>(table: T, key: unknown): key is keyof T & string {
  return typeof key === 'string' && Object.hasOwn(table, key);
}

export function isErrorDetails(value: unknown): value is ErrorDetails {
  if (typeof value !== 'object' || value === null) return false;
  const { field, reason, params } = value as Record<string, unknown>;
  return (
    isReason(reason) &&
    (field === undefined || typeof field === 'string') &&
    (params === undefined || (typeof params === 'object' && params !== null && !Array.isArray(params)))
  );
}

/** A param's value as the user reads it: a kind or type by its label, numbers in the language's notation. */
function paramText(t: TFunction, name: string, value: ErrorParam): string {
  const labels = i18next.getResourceBundle(language(), 'translation') as Catalogue | undefined;
  const one = (item: string | number | boolean): string => {
    if (typeof item === 'number') return new Intl.NumberFormat(language()).format(item);
    if (typeof item === 'boolean') return String(item);
    if (labels) {
      if ((name === 'kind' || name === 'parentKind' || name === 'parents') && hasKey(labels.assets.kind, item)) return t(`assets.kind.${item}`);
      if (name === 'type' && hasKey(labels.assets.equipmentType, item)) return t(`assets.equipmentType.${item}`);
      if (name === 'status' && hasKey(labels.production.wellTests.statuses, item)) return t(`production.wellTests.statuses.${item}`);
    }
    if (name === 'expected') return apiText(`types.${item}`);
    return item;
  };
  if (!Array.isArray(value)) return one(value as string | number | boolean);
  const separator = name === 'expected' || name === 'parents' ? apiText('or') : ', ';
  return (value as readonly string[]).map(one).join(separator);
}

function translatedParams(t: TFunction, params: ErrorParams | undefined): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) texts[name] = paramText(t, name, value);
  return texts;
}

/** The field as the user recognises it: without the request part it came in (body., query., params.). */
export function fieldLabel(field: string): string {
  return field.replace(/^(body|query|params)\./, '');
}

/** A reason in the user's language, without the field: "debe ser al menos 0". */
export function reasonText(t: TFunction, details: ErrorDetails): string {
  return apiText(`reasons.${details.reason}`, translatedParams(t, details.params));
}

/** Field and reason: "levelM: está fuera de la tabla de aforo del tanque (0 a 12 m)". */
export function detailsText(t: TFunction, details: ErrorDetails): string {
  const reason = reasonText(t, details);
  return details.field ? apiText('field', { field: fieldLabel(details.field), reason }) : reason;
}

/**
 * What a form shows under one input for one of the server's details: the
 * translated reason when the server gave one from the contract, else the
 * text it sent (older servers, or a test's own words).
 */
export function serverReasonText(entry: { reason: unknown; field?: unknown; params?: unknown }): string {
  const details = { reason: entry.reason, params: 'params' in entry ? entry.params : undefined };
  return isErrorDetails(details) ? reasonText(i18next.t, details) : String(entry.reason);
}

export interface ApiErrorText {
  /** What went wrong, in general. */
  summary: string;
  /** Which value and why, when the server said. */
  detail: string | null;
}

/** A failed request as the user reads it, in their language. */
export function apiErrorText(t: TFunction, error: unknown): ApiErrorText {
  if (error instanceof ApiError) {
    if (error.status === 0) return { summary: t('errors.network'), detail: null };
    const detail = isErrorDetails(error.details) ? detailsText(t, error.details) : null;
    if (isErrorCode(error.code)) return { summary: apiText(`codes.${error.code}`), detail };
    return { summary: t('errors.generic'), detail: detail ?? apiText('unknown', { status: String(error.status) }) };
  }
  const message = error instanceof Error && error.message !== '' ? error.message : null;
  return { summary: t('errors.generic'), detail: message === null ? null : t('errors.detail', { message }) };
}
