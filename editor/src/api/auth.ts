import { holdsGrant, type Grant, type UserGrant } from '../../../runtime/auth/grants';
import { apiRequest, setCsrfToken } from './client';

export const ROLES = ['viewer', 'operator', 'engineer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  username: string;
  role: Role;
  /** Functional permissions on top of the role (runtime/auth/grants.ts, docs/permissions.md). */
  grants: UserGrant[];
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface EditorToken {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

export function isRole(value: string): value is Role {
  return ROLES.some((role) => role === value);
}

/** True when `role` is `minimum` or ranks above it; unknown roles get nothing. */
export function hasRole(role: string, minimum: Role): boolean {
  const rank = ROLES.findIndex((candidate) => candidate === role);
  return rank >= 0 && rank >= ROLES.indexOf(minimum);
}

/**
 * Whether the user may take an action the server allows from `minimum` up
 * or to holders of `permission` (a route's role and permission): used to
 * show or hide it; the server still decides.
 */
export function mayAct(user: User, minimum: Role, permission?: Grant): boolean {
  return hasRole(user.role, minimum) || (permission !== undefined && holdsGrant(user, permission));
}

export async function login(username: string, password: string): Promise<Session> {
  const session = (await apiRequest('/api/v1/auth/login', {
    method: 'POST',
    body: { username, password },
    reauthenticate: false,
  })) as Session;
  setCsrfToken(session.csrfToken);
  return session;
}

export async function fetchSession(): Promise<Session> {
  const session = (await apiRequest('/api/v1/auth/me')) as Session;
  setCsrfToken(session.csrfToken);
  return session;
}

export async function logout(): Promise<void> {
  await apiRequest('/api/v1/auth/logout', { method: 'POST', reauthenticate: false });
  setCsrfToken(null);
}

export async function requestEditorToken(): Promise<EditorToken> {
  return (await apiRequest('/api/v1/auth/editor-token', { method: 'POST' })) as EditorToken;
}
