import type { Role } from '../../api/auth';
import type { UserCreate } from '../../api/users';

/** The server's rules (runtime/auth), checked here so the form can say which input is wrong before sending. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;
export const MIN_PASSWORD_LENGTH = 8;

export type UserInputError = 'required' | 'badUsername' | 'shortPassword';

export interface UserForm {
  username: string;
  role: Role;
  /** '' lets the server generate one. */
  password: string;
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
  if (Object.keys(errors).length > 0) return { errors };
  return { body: form.password === '' ? { username, role: form.role } : { username, role: form.role, password: form.password } };
}
