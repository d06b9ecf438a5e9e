import { approvalLimitOf } from '../../../../runtime/auth/grants';
import { mayAct, type User } from '../../api/auth';

/*
 * Which procurement actions the signed-in user is shown (docs/erp-procurement-screens.md
 * "Who sees what"): each is the role and permission of its route. The server checks the
 * same on every request; hiding a button only spares the user a 403.
 */

export interface ProcurementAccess {
  /** Suppliers, prices, purchase orders and the buyer's moves: engineers, or the buyer grant. */
  buy: boolean;
  /** Approve or reject orders, accept invoice exceptions: admins, or the approver grant. */
  approve: boolean;
  /** The largest order total in the site currency the user may approve (Infinity for admins). */
  approvalLimit: number;
  /** Receive goods against an order: operators, or the storekeeper grant. */
  receive: boolean;
  /** Enter supplier invoices: engineers, or the buyer grant. */
  invoice: boolean;
  /** Raise a requisition by hand: operators, or the buyer grant. */
  requisition: boolean;
}

export function procurementAccess(user: User): ProcurementAccess {
  return {
    buy: mayAct(user, 'engineer', 'buyer'),
    approve: mayAct(user, 'admin', 'approver'),
    approvalLimit: approvalLimitOf(user),
    receive: mayAct(user, 'operator', 'storekeeper'),
    invoice: mayAct(user, 'engineer', 'buyer'),
    requisition: mayAct(user, 'operator', 'buyer'),
  };
}
