import { Type } from "@sinclair/typebox";
import { PlanStatusSchema, WorkOrderDetailSchema, WorkOrderListQuerySchema, WorkOrderSchema, type WorkOrder } from "../../../../erp-modules/maintenance/schema.js";
import { isOpen, WORK_ORDER_STATUSES } from "../../../../erp-modules/maintenance/model/work-order-state.js";
import { defineQuery, queryParams, type ErpQuery } from "../erp-query-definition.js";

const Uuid = Type.String({ format: "uuid" });
const OPEN_STATUSES = WORK_ORDER_STATUSES.filter(isOpen);

export const maintenanceQueries: readonly ErpQuery[] = [
  defineQuery({
    name: "maintenance.open-work-orders",
    module: "maintenance",
    description: "Work orders not done or cancelled (requested, approved, scheduled, in progress), newest first; of one equipment, or all.",
    params: queryParams({ equipmentId: Type.Optional(Uuid), limit: Type.Integer({ minimum: 1, maximum: 500, default: 200 }) }),
    result: Type.Array(WorkOrderSchema),
    async run(reads, { equipmentId, limit }) {
      const open: WorkOrder[] = [];
      // One list per open status: the service filters by one status, and a limit over all orders could hide open ones behind done ones.
      for (const status of OPEN_STATUSES) open.push(...(await reads.maintenance.workOrders.list({ status, limit, ...(equipmentId ? { equipmentId } : {}) })));
      return open.sort((a, b) => b.number - a.number).slice(0, limit);
    },
  }),
  defineQuery({
    name: "maintenance.work-orders",
    module: "maintenance",
    description: "Work orders, newest first, by status and equipment.",
    params: WorkOrderListQuerySchema,
    result: Type.Array(WorkOrderSchema),
    run: (reads, params) => reads.maintenance.workOrders.list(params),
  }),
  defineQuery({
    name: "maintenance.work-order",
    module: "maintenance",
    description: "One work order with its tasks, labour, parts and attachments (names, not contents).",
    params: queryParams({ workOrderId: Uuid }),
    result: WorkOrderDetailSchema,
    run: (reads, { workOrderId }) => reads.maintenance.workOrders.get(workOrderId),
  }),
  defineQuery({
    name: "maintenance.plans-due",
    module: "maintenance",
    description: "Preventive plans due now (calendar or meter), with the meter since last done and the forecast due date; of one equipment, or all.",
    params: queryParams({ equipmentId: Type.Optional(Uuid) }),
    result: Type.Array(PlanStatusSchema),
    async run(reads, { equipmentId }) {
      return (await reads.maintenance.plans.list(equipmentId)).filter((plan) => plan.due);
    },
  }),
];
