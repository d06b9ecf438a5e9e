import { approvalLimitOf, holdsGrant, isGrant, type Grant, type UserGrant } from '../../../../runtime/auth/grants';
import type { Session } from '../../api/auth';

/*
 * Which procurement actions the signed-in user is shown (docs/erp-procurement-screens.md
 * "Who sees what"). The server checks the same rules on every request; hiding a button only
 * spares the user a 403. The grants come with the session (/auth/me).
 */

function isUserGrant(value: unknown): value is UserGrant {
  if (typeof value !== 'object' || value === null) return false;
  const { grant, approvalLimit } = value as Record<string, unknown>;
  return isGrant(grant) && (approvalLimit === undefined || typeof approvalLimit === 'number');
}

/** The session user's grants; a server that sends none (or an older one) grants nothing. */
export function grantsOf(user: Session['user']): UserGrant[] {
  const grants: unknown = 'grants' in user ? user.grants : undefined;
  return Array.isArray(grants) ? grants.filter(isUserGrant) : [];
}

export interface ProcurementAccess {
  /** Suppliers, prices, requisitions and purchase orders: engineers, or the buyer grant. */
  buy: boolean;
  /** Approve or reject submitted orders: admins, or the approver grant up to its limit. */
  approve: boolean;
  /** The largest order total in the site currency the user may approve (Infinity for admins). */
  approvalLimit: number;
  /** Receive goods against an order: operators, or the storekeeper grant. */
  receive: boolean;
  /** Enter supplier invoices and accept match exceptions: engineers, or the buyer grant. */
  invoice: boolean;
  /** Raise a requisition by hand: operators, or the buyer grant. */
  requisition: boolean;
}

const RANK = { viewer: 0, operator: 1, engineer: 2, admin: 3 } as const;

export function procurementAccess(user: Session['user']): ProcurementAccess {
  const holder = { role: user.role, grants: grantsOf(user) };
  const atLeast = (role: keyof typeof RANK) => RANK[user.role] >= RANK[role];
  const has = (grant: Grant) => holdsGrant(holder, grant);
  const approvalLimit = approvalLimitOf(holder);
  return {
    buy: atLeast('engineer') || has('buyer'),
    approve: has('approver') && approvalLimit > 0,
    approvalLimit,
    receive: atLeast('operator') || has('storekeeper'),
    invoice: atLeast('engineer') || has('buyer'),
    requisition: atLeast('operator') || has('buyer'),
  };
}
