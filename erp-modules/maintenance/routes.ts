import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import { WORK_ORDER_STATUSES } from "./model/work-order-state.js";
import {
  AttachmentCreateSchema,
  AttachmentParamsSchema,
  EquipmentHistoryQuerySchema,
  EquipmentHistorySchema,
  IdParamsSchema,
  PartConsumeSchema,
  PartParamsSchema,
  PartReserveSchema,
  PartSchema,
  LabourCreateSchema,
  PlanCreateSchema,
  PlanSchema,
  PlanStatusSchema,
  ReadingCreateSchema,
  TaskCreateSchema,
  TaskParamsSchema,
  TaskUpdateSchema,
  TransitionSchema,
  WorkOrderCreateSchema,
  WorkOrderDetailSchema,
  WorkOrderListQuerySchema,
  WorkOrderSchema,
  WorkOrderUpdateSchema,
} from "./schema.js";
import type { MaintenanceService } from "./service.js";

const TAGS = ["maintenance"];

/**
 * Maintenance routes (docs/erp-maintenance.md, docs/permissions.md).
 * Technician work is operator, or the technician grant (update, transitions,
 * tasks, labour, attachments, parts); approval and cancel need engineer,
 * checked by the service per transition. Opening an order and meter
 * readings are operator work: a technician grant is for work on an order.
 */
export function registerMaintenanceRoutes(router: Router, routes: RouteRegistry, service: MaintenanceService): void {
  const { workOrders, plans, parts } = service;

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders",
    summary: "Open a work order; with a conditionKey an open order already holds, answers that order (200) and writes nothing",
    tags: TAGS,
    role: "operator",
    audit: { actions: ["maintenance.work_order.create"], rows: { 201: 1 } },
    schemas: { body: WorkOrderCreateSchema, responses: { 200: WorkOrderSchema, 201: WorkOrderSchema, 404: null } },
    handler: async ({ res, body, principal }) => {
      const { workOrder, created } = await workOrders.create(body, principal.user.username).catch(toHttpError);
      res.status(created ? 201 : 200).json(workOrder);
    },
  });

  routes.add(router, {
    method: "get",
    path: "/maintenance/work-orders",
    summary: "Work orders, newest first (the board)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: WorkOrderListQuerySchema, responses: { 200: Type.Array(WorkOrderSchema) } },
    handler: async ({ res, query }) => {
      res.json(await workOrders.list(query));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/maintenance/work-orders/:id",
    summary: "One work order with its tasks, labour, attachments and the states it can go to",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, responses: { 200: WorkOrderDetailSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await workOrders.get(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/maintenance/work-orders/:id",
    summary: "Edit an open work order (title, priority, schedule, failure codes: problem, cause, remedy)",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.update"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: WorkOrderUpdateSchema, responses: { 200: WorkOrderSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await workOrders.update(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders/:id/transition",
    summary: "Move a work order: approve and cancel need engineer; a move its state does not allow is 409 transition_not_allowed",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: WORK_ORDER_STATUSES.map((status) => `maintenance.work_order.${status}`), rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: TransitionSchema, responses: { 200: WorkOrderSchema, 403: null, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await workOrders.transition(params.id, body, principal.user.username, principal.user.role, principal.user.grants).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders/:id/tasks",
    summary: "Add a task to an open work order",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.task_add"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: TaskCreateSchema, responses: { 200: WorkOrderSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await workOrders.addTask(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/maintenance/work-orders/:id/tasks/:taskId",
    summary: "Tick a task done (or not)",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.task_update"], rows: { 200: 1 } },
    schemas: { params: TaskParamsSchema, body: TaskUpdateSchema, responses: { 200: WorkOrderSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await workOrders.setTaskDone(params.id, params.taskId, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders/:id/labour",
    summary: "Book labour hours on a work order",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.labour_add"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: LabourCreateSchema, responses: { 200: WorkOrderSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await workOrders.addLabour(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders/:id/attachments",
    summary: "Attach a small file (PNG, JPEG, PDF or text, at most 2 MiB, base64 in JSON)",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.attachment_add"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: AttachmentCreateSchema, responses: { 200: WorkOrderSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await workOrders.addAttachment(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/maintenance/work-orders/:id/attachments/:attachmentId",
    summary: "Download an attachment (always as a download, never rendered inline)",
    tags: TAGS,
    role: "viewer",
    schemas: { params: AttachmentParamsSchema, responses: { 200: null, 404: null } },
    handler: async ({ res, params }) => {
      const file = await workOrders.attachment(params.id, params.attachmentId).catch(toHttpError);
      res.set("X-Content-Type-Options", "nosniff").type(file.contentType).attachment(file.fileName).send(file.content);
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders/:id/parts",
    summary: "Reserve a part from inventory for an open work order (lowers available stock; 409 insufficient_stock when there is not enough)",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.part_reserve", "inventory.reservation.create"], rows: { 201: 2 } },
    schemas: { params: IdParamsSchema, body: PartReserveSchema, responses: { 201: PartSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.status(201).json(await parts.reserve(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders/:id/parts/:partId/consume",
    summary: "Consume a reserved part (all that is left, or quantity): inventory issues it to the work order at its average cost",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.part_consume", "inventory.reservation.consume"], rows: { 200: "any" } },
    schemas: { params: PartParamsSchema, body: PartConsumeSchema, responses: { 200: PartSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await parts.consume(params.id, params.partId, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/work-orders/:id/parts/:partId/release",
    summary: "Give back a reserved part to inventory",
    tags: TAGS,
    role: "operator",
    permission: "technician",
    audit: { actions: ["maintenance.work_order.part_release", "inventory.reservation.release"], rows: { 200: 2 } },
    schemas: { params: PartParamsSchema, responses: { 200: PartSchema, 404: null, 409: null } },
    handler: async ({ res, params, principal }) => {
      res.json(await parts.release(params.id, params.partId, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/maintenance/equipment/:id/history",
    summary: "An equipment's work orders with MTBF and MTTR, overall and per failure code (default: the last 365 days)",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParamsSchema, query: EquipmentHistoryQuerySchema, responses: { 200: EquipmentHistorySchema, 404: null } },
    handler: async ({ res, params, query }) => {
      res.json(await workOrders.equipmentHistory(params.id, query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/plans",
    summary: "Create a preventive plan for an equipment: by calendar (intervalDays) or by meter (run_hours, starts, throughput from a tag; manual readings)",
    tags: TAGS,
    role: "engineer",
    audit: { actions: ["maintenance.plan.create"], rows: { 201: 1 } },
    schemas: { body: PlanCreateSchema, responses: { 201: PlanSchema, 404: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await plans.create(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/maintenance/plans",
    summary: "Plans with their meter since last done, recent usage rate and forecast due date",
    tags: TAGS,
    role: "viewer",
    schemas: { query: Type.Object({ equipmentId: Type.Optional(Type.String({ format: "uuid" })) }, { additionalProperties: false }), responses: { 200: Type.Array(PlanStatusSchema) } },
    handler: async ({ res, query }) => {
      res.json(await plans.list(query.equipmentId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/plans/:id/readings",
    summary: "A hand reading of a manual meter (only where no tag counts it)",
    tags: TAGS,
    role: "operator",
    audit: { actions: ["maintenance.meter_reading.create"], rows: { 200: 1 } },
    schemas: { params: IdParamsSchema, body: ReadingCreateSchema, responses: { 200: PlanStatusSchema, 404: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await plans.addReading(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/maintenance/plans/check",
    summary: "Run the due check now: opens a work order for every plan due (one per plan)",
    tags: TAGS,
    role: "engineer",
    audit: { actions: ["maintenance.work_order.create"], rows: { 200: "any" } },
    schemas: { responses: { 200: Type.Array(WorkOrderSchema) } },
    handler: async ({ res }) => {
      res.json(await plans.checkDue());
    },
  });
}
