/*
 * The work order's life (docs/erp-maintenance.md "Work order states"):
 * requested -> approved -> scheduled -> in_progress -> done, with cancel
 * from any open state. Done and cancelled are final. Pure, no I/O.
 */

export const WORK_ORDER_STATUSES = ["requested", "approved", "scheduled", "in_progress", "done", "cancelled"] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** Who may make a transition on the role ladder: technician work is operator, approval is engineer. */
export type TransitionRole = "operator" | "engineer";

const TRANSITIONS: Record<WorkOrderStatus, Partial<Record<WorkOrderStatus, TransitionRole>>> = {
  requested: { approved: "engineer", cancelled: "engineer" },
  // Scheduling skips nothing: an approved order must get a time before work starts, but a technician may start an approved urgent one.
  approved: { scheduled: "operator", in_progress: "operator", cancelled: "engineer" },
  scheduled: { in_progress: "operator", approved: "operator", cancelled: "engineer" },
  in_progress: { done: "operator", scheduled: "operator", cancelled: "engineer" },
  done: {},
  cancelled: {},
};

/** Open work orders hold their condition key (one open order per condition). */
export function isOpen(status: WorkOrderStatus): boolean {
  return status !== "done" && status !== "cancelled";
}

/** The role a transition needs, or null when the move is not allowed. */
export function transitionRole(from: WorkOrderStatus, to: WorkOrderStatus): TransitionRole | null {
  return TRANSITIONS[from][to] ?? null;
}

/** Where a work order can go from a state. */
export function nextStatuses(from: WorkOrderStatus): WorkOrderStatus[] {
  return Object.keys(TRANSITIONS[from]) as WorkOrderStatus[];
}
