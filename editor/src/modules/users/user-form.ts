import { GRANTS, type Grant, type UserGrant } from '../../../../runtime/auth/grants';
import type { Role } from '../../api/auth';
import type { UserCreate } from '../../api/users';

/** The server's rules (runtime/auth), checked here so the form can say which input is wrong before sending. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 8;

export type UserInputError = 'required' | 'badUsername' | 'shortPassword' | 'negativeLimit';

/** The grants as the form edits them: which are ticked, and the approver's limit ('' while empty). */
export interface GrantsForm {
  held: Grant[];
  approvalLimit: number | '';
}

export const NO_GRANTS: GrantsForm = { held: [], approvalLimit: '' };

export interface UserForm {
  username: string;
  role: Role;
  /** '' lets the server generate one. */
  password: string;
  grants: GrantsForm;
}

export function grantsFormOf(grants: readonly UserGrant[]): GrantsForm {
  const approver = grants.find((held) => held.grant === 'approver');
  return { held: grants.map((held) => held.grant), approvalLimit: approver?.approvalLimit ?? '' };
}

/** The set the server takes, in GRANTS order; the approver needs a limit of at least 0 (the server's rule). */
export function grantsBody(form: GrantsForm): { grants: UserGrant[] } | { error: UserInputError } {
  const grants: UserGrant[] = [];
  for (const grant of GRANTS) {
    if (!form.held.includes(grant)) continue;
    if (grant !== 'approver') {
      grants.push({ grant });
      continue;
    }
    if (form.approvalLimit === '') return { error: 'required' };
    if (form.approvalLimit < 0) return { error: 'negativeLimit' };
    grants.push({ grant, approvalLimit: form.approvalLimit });
  }
  return { grants };
}

export function passwordError(password: string): UserInputError | null {
  if (password === '') return 'required';
  return password.length < MIN_PASSWORD_LENGTH ? 'shortPassword' : null;
}

export function userCreateBody(form: UserForm): { body: UserCreate } | { errors: Partial<Record<keyof UserForm, UserInputError>> } {
  const errors: Partial<Record<keyof UserForm, UserInputError>> = {};
  const username = form.username.trim();
  if (username === '') errors.username = 'required';
  else if (!USERNAME.test(username)) errors.username = 'badUsername';
  if (form.password !== '' && form.password.length < MIN_PASSWORD_LENGTH) errors.password = 'shortPassword';
  const grants = grantsBody(form.grants);
  if ('error' in grants) errors.grants = grants.error;
  if ('error' in grants || Object.keys(errors).length > 0) return { errors };
  const body: UserCreate = { username, role: form.role, grants: grants.grants };
  return { body: form.password === '' ? body : { ...body, password: form.password } };
}
