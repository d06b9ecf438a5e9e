import type { UserGrant } from '../../../runtime/auth/grants';
import type { Role } from './auth';
import { apiRequest } from './client';

/** A user as an admin sees it (`/api/v1/users`, runtime/auth/schema.ts UserSchema). */
export interface ManagedUser {
  id: string;
  username: string;
  role: Role;
  grants: UserGrant[];
  disabled: boolean;
  createdAt: string;
}

export interface UserCreate {
  username: string;
  role: Role;
  /** The whole set; left out, the user holds none. */
  grants?: UserGrant[];
  /** Left out: the server generates one and returns it once. */
  password?: string;
}

export interface UserChange {
  role?: Role;
  /** Replaces the whole set. */
  grants?: UserGrant[];
  disabled?: boolean;
  password?: string;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const userKeys = {
  all: ['users'] as const,
  tokens: ['auth', 'tokens'] as const,
};

export async function fetchUsers(signal?: AbortSignal): Promise<ManagedUser[]> {
  return ((await apiRequest('/api/v1/users', { signal })) as { users: ManagedUser[] }).users;
}

/** The created user, and the generated password when none was given (shown once). */
export async function createUser(body: UserCreate): Promise<{ user: ManagedUser; password?: string }> {
  return (await apiRequest('/api/v1/users', { method: 'POST', body })) as { user: ManagedUser; password?: string };
}

export async function updateUser(id: string, changes: UserChange): Promise<ManagedUser> {
  const body = (await apiRequest(`/api/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: changes })) as { user: ManagedUser };
  return body.user;
}

export async function fetchApiTokens(signal?: AbortSignal): Promise<ApiToken[]> {
  return ((await apiRequest('/api/v1/auth/tokens', { signal })) as { tokens: ApiToken[] }).tokens;
}

/** The new token's secret comes back this once; the server keeps only its hash. */
export async function createApiToken(name: string, expiresAt?: string): Promise<{ id: string; token: string }> {
  const body = expiresAt === undefined ? { name } : { name, expiresAt };
  return (await apiRequest('/api/v1/auth/tokens', { method: 'POST', body })) as { id: string; token: string };
}

export async function revokeApiToken(id: string): Promise<void> {
  await apiRequest(`/api/v1/auth/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
