import type { Role } from "./roles.js";

/**
 * Functional permissions a user holds on top of their role (docs/permissions.md).
 * The role ladder says how much of the site a user may change; a grant widens
 * it for one job, so a storekeeper or a contractor technician needs no
 * operator or engineer role. Approving purchases is only ever a grant (or
 * admin): an engineer who may buy may not approve their own spending.
 */
export const GRANTS = ["technician", "storekeeper", "buyer", "approver"] as const;
export type Grant = (typeof GRANTS)[number];

export interface UserGrant {
  grant: Grant;
  /** approver only: the largest purchase order total, in the site currency, this user may approve. */
  approvalLimit?: number;
}

export interface GrantHolder {
  role: Role;
  grants: readonly UserGrant[];
}

export function isGrant(value: unknown): value is Grant {
  return typeof value === "string" && (GRANTS as readonly string[]).includes(value);
}

/** Admins hold every grant. */
export function holdsGrant(user: GrantHolder, grant: Grant): boolean {
  return user.role === "admin" || user.grants.some((held) => held.grant === grant);
}

/** The largest total the user may approve: unlimited for admins, the approver grant's limit, else 0. */
export function approvalLimitOf(user: GrantHolder): number {
  if (user.role === "admin") return Number.POSITIVE_INFINITY;
  const approver = user.grants.find((held) => held.grant === "approver");
  return approver?.approvalLimit ?? 0;
}
