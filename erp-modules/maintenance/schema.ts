import { Type, type Static } from "@sinclair/typebox";
import { WORK_ORDER_STATUSES } from "./model/work-order-state.js";

/*
 * Maintenance as the API sees it (docs/erp-maintenance.md). Times are ISO
 * instants (stored UTC), hours are hours, meters are in the plan's own unit
 * (h, starts, or the rate tag's volume unit times days).
 */

const Uuid = Type.String({ format: "uuid" });
const Instant = Type.String({ format: "date-time" });
const Day = Type.String({ format: "date" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
/** Failure codes: a short code from the site's catalogue (ISO 14224 style, e.g. VIB, BRD, REPL). */
const FailureCode = Type.String({ minLength: 1, maxLength: 40, pattern: "^[A-Za-z0-9_.-]+$" });
const TagPath = Type.String({ minLength: 1, maxLength: 200 });

export const WorkOrderStatusSchema = Type.Union(WORK_ORDER_STATUSES.map((status) => Type.Literal(status)));
export const WorkOrderKindSchema = Type.Union([Type.Literal("corrective"), Type.Literal("preventive")]);
export const PrioritySchema = Type.Union([Type.Literal("low"), Type.Literal("normal"), Type.Literal("high"), Type.Literal("urgent")]);

export const WorkOrderCreateSchema = Type.Object(
  {
    equipmentId: Uuid,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    kind: Type.Optional(WorkOrderKindSchema),
    priority: Type.Optional(PrioritySchema),
    failedAt: Type.Optional(Instant),
    /** What opened it (alarm:<tag path>, plan:<id>, or a flow's own key): one open order per condition. */
    conditionKey: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    alarmId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    trendTagPath: Type.Optional(TagPath),
    tasks: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type WorkOrderCreate = Static<typeof WorkOrderCreateSchema>;

export const WorkOrderUpdateSchema = Type.Object(
  {
    rowVersion: Type.Integer({ minimum: 1 }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    priority: Type.Optional(PrioritySchema),
    scheduledFor: Type.Optional(Nullable(Instant)),
    failedAt: Type.Optional(Nullable(Instant)),
    problemCode: Type.Optional(Nullable(FailureCode)),
    causeCode: Type.Optional(Nullable(FailureCode)),
    remedyCode: Type.Optional(Nullable(FailureCode)),
  },
  { additionalProperties: false },
);
export type WorkOrderUpdate = Static<typeof WorkOrderUpdateSchema>;

export const TransitionSchema = Type.Object(
  {
    rowVersion: Type.Integer({ minimum: 1 }),
    to: WorkOrderStatusSchema,
    /** With "scheduled": when. */
    scheduledFor: Type.Optional(Instant),
    /** With "done": when the equipment was back (default now). */
    completedAt: Type.Optional(Instant),
  },
  { additionalProperties: false },
);
export type Transition = Static<typeof TransitionSchema>;

export const TaskSchema = Type.Object({ id: Uuid, ordinal: Type.Integer(), description: Type.String(), done: Type.Boolean() });
export const TaskCreateSchema = Type.Object({ description: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export const TaskUpdateSchema = Type.Object({ done: Type.Boolean() }, { additionalProperties: false });

export const LabourSchema = Type.Object({
  id: Uuid,
  technician: Type.String(),
  hours: Type.Number(),
  workedOn: Day,
  notes: Type.String(),
  createdBy: Type.String(),
  createdAt: Instant,
});
export const LabourCreateSchema = Type.Object(
  {
    technician: Type.String({ minLength: 1, maxLength: 100 }),
    hours: Type.Number({ exclusiveMinimum: 0, maximum: 24 }),
    workedOn: Day,
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type LabourCreate = Static<typeof LabourCreateSchema>;

/** What an attachment may be (docs/erp-maintenance.md "Attachments"). */
export const ATTACHMENT_CONTENT_TYPES = ["image/png", "image/jpeg", "application/pdf", "text/plain"] as const;
export const ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024;

export const AttachmentSchema = Type.Object({
  id: Uuid,
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  createdBy: Type.String(),
  createdAt: Instant,
});
export const AttachmentCreateSchema = Type.Object(
  {
    fileName: Type.String({ minLength: 1, maxLength: 255, pattern: "^[^/\\\\]+$" }),
    contentType: Type.String({ minLength: 1, maxLength: 100 }),
    /** The file, base64: JSON bodies keep one input policy and one Idempotency-Key for uploads too. */
    contentBase64: Type.String({ minLength: 1, maxLength: Math.ceil(ATTACHMENT_MAX_BYTES / 3) * 4 + 4 }),
  },
  { additionalProperties: false },
);
export type AttachmentCreate = Static<typeof AttachmentCreateSchema>;

export const WorkOrderSchema = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  equipmentId: Uuid,
  title: Type.String(),
  description: Type.String(),
  kind: WorkOrderKindSchema,
  priority: PrioritySchema,
  status: WorkOrderStatusSchema,
  conditionKey: Nullable(Type.String()),
  planId: Nullable(Uuid),
  alarmId: Nullable(Type.String()),
  trendTagPath: Nullable(Type.String()),
  failedAt: Nullable(Instant),
  scheduledFor: Nullable(Instant),
  startedAt: Nullable(Instant),
  completedAt: Nullable(Instant),
  problemCode: Nullable(Type.String()),
  causeCode: Nullable(Type.String()),
  remedyCode: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Instant,
  updatedAt: Instant,
  rowVersion: Type.Integer(),
});
export type WorkOrder = Static<typeof WorkOrderSchema>;

export const PartSchema = Type.Object({
  id: Uuid,
  itemId: Uuid,
  locationId: Uuid,
  reservationId: Uuid,
  quantity: Type.Number(),
  unit: Nullable(Type.String()),
  consumedQuantity: Type.Number(),
  /** The value inventory issued at (moving-average cost), in `currency`. */
  consumedValue: Type.Number(),
  currency: Nullable(Type.String()),
  status: Type.Union([Type.Literal("reserved"), Type.Literal("consumed"), Type.Literal("released")]),
  createdBy: Type.String(),
  createdAt: Instant,
});
export type Part = Static<typeof PartSchema>;
export const PartReserveSchema = Type.Object(
  {
    itemId: Uuid,
    locationId: Uuid,
    quantity: Type.Number({ exclusiveMinimum: 0 }),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  },
  { additionalProperties: false },
);
export type PartReserve = Static<typeof PartReserveSchema>;
export const PartConsumeSchema = Type.Object({ quantity: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) }, { additionalProperties: false });
export const PartParamsSchema = Type.Object({ id: Uuid, partId: Uuid });

export const WorkOrderDetailSchema = Type.Intersect([
  WorkOrderSchema,
  Type.Object({
    tasks: Type.Array(TaskSchema),
    labour: Type.Array(LabourSchema),
    labourHours: Type.Number(),
    attachments: Type.Array(AttachmentSchema),
    parts: Type.Array(PartSchema),
    /** Value of the parts consumed, per currency. */
    partsCost: Type.Array(Type.Object({ currency: Type.String(), value: Type.Number() })),
    /** Where the order can go next from its state. */
    nextStatuses: Type.Array(WorkOrderStatusSchema),
  }),
]);
export type WorkOrderDetail = Static<typeof WorkOrderDetailSchema>;

export const WorkOrderListQuerySchema = Type.Object(
  {
    status: Type.Optional(WorkOrderStatusSchema),
    equipmentId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 200 })),
  },
  { additionalProperties: false },
);
export type WorkOrderListQuery = Static<typeof WorkOrderListQuerySchema>;

export const MeterKindSchema = Type.Union([Type.Literal("run_hours"), Type.Literal("starts"), Type.Literal("throughput"), Type.Literal("manual")]);
export type MeterKind = Static<typeof MeterKindSchema>;

export const PlanCreateSchema = Type.Object(
  {
    equipmentId: Uuid,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Union([Type.Literal("calendar"), Type.Literal("meter")]),
    intervalDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 36_500 })),
    meter: Type.Optional(MeterKindSchema),
    /** The running tag (run_hours, starts) or rate tag per day (throughput); none for a manual meter. */
    tagPath: Type.Optional(TagPath),
    intervalAmount: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** When it was last done (default now): the meter counts from here. */
    lastDoneAt: Type.Optional(Instant),
    lastDoneReading: Type.Optional(Type.Number({ minimum: 0 })),
    tasks: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type PlanCreate = Static<typeof PlanCreateSchema>;

export const PlanSchema = Type.Object({
  id: Uuid,
  equipmentId: Uuid,
  name: Type.String(),
  kind: Type.Union([Type.Literal("calendar"), Type.Literal("meter")]),
  intervalDays: Nullable(Type.Number()),
  meter: Nullable(MeterKindSchema),
  tagPath: Nullable(Type.String()),
  intervalAmount: Nullable(Type.Number()),
  lastDoneAt: Instant,
  lastDoneReading: Nullable(Type.Number()),
  tasks: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Instant,
  rowVersion: Type.Integer(),
});
export type Plan = Static<typeof PlanSchema>;

export const PlanStatusSchema = Type.Intersect([
  PlanSchema,
  Type.Object({
    /** Counted since last done (meter plans); null when it could not be counted. */
    meterSinceDone: Nullable(Type.Number()),
    usagePerDay: Nullable(Type.Number()),
    /** Forecast due instant; null when the meter does not move. */
    dueAt: Nullable(Instant),
    due: Type.Boolean(),
  }),
]);
export type PlanStatus = Static<typeof PlanStatusSchema>;

export const ReadingCreateSchema = Type.Object({ readAt: Instant, reading: Type.Number({ minimum: 0 }) }, { additionalProperties: false });
export type ReadingCreate = Static<typeof ReadingCreateSchema>;

const ReliabilitySchema = Type.Object({ failures: Type.Integer(), mtbfHours: Nullable(Type.Number()), mttrHours: Nullable(Type.Number()) });
export const EquipmentHistorySchema = Type.Object({
  equipmentId: Uuid,
  from: Instant,
  to: Instant,
  workOrders: Type.Array(WorkOrderSchema),
  reliability: ReliabilitySchema,
  byFailureCode: Type.Array(Type.Intersect([Type.Object({ problemCode: Type.String() }), ReliabilitySchema])),
});
export type EquipmentHistory = Static<typeof EquipmentHistorySchema>;
export const EquipmentHistoryQuerySchema = Type.Object({ from: Type.Optional(Instant), to: Type.Optional(Instant) }, { additionalProperties: false });

export const IdParamsSchema = Type.Object({ id: Uuid });
export const TaskParamsSchema = Type.Object({ id: Uuid, taskId: Uuid });
export const AttachmentParamsSchema = Type.Object({ id: Uuid, attachmentId: Uuid });

/**
 * Module event `maintenance.work_order.parts_short`: a part could not be
 * reserved on a work order for lack of stock. Procurement raises a
 * requisition line for the shortfall; maintenance knows nothing of it.
 * Quantities are in the item's base unit.
 */
export const PARTS_SHORT_EVENT = "maintenance.work_order.parts_short";
export interface PartsShortPayload extends Record<string, unknown> {
  workOrderId: string;
  workOrderNumber: number;
  itemId: string;
  locationId: string;
  requestedQuantity: number;
  availableQuantity: number;
  shortQuantity: number;
  unit: string;
}
