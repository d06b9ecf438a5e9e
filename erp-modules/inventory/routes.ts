import { Type, type TSchema } from "@sinclair/typebox";
import type { Response, Router } from "express";
import type { AuditDocumentation, RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import {
  AdjustmentInputSchema,
  AvailabilitySchema,
  ConsumeReservationInputSchema,
  CountInputSchema,
  CountSchema,
  IssueInputSchema,
  ItemInputSchema,
  ItemSchema,
  LocationInputSchema,
  LocationSchema,
  MoveQuerySchema,
  ReceiptInputSchema,
  ReorderPointInputSchema,
  ReorderPointSchema,
  RESERVATION_STATUSES,
  ReservationInputSchema,
  ReservationSchema,
  ReversalInputSchema,
  StockBalanceSchema,
  StockMoveSchema,
  StockQuerySchema,
  TransferInputSchema,
  pageSchema,
  type Recorded,
} from "./schema.js";
import type { InventoryService } from "./service.js";

/*
 * Roles (docs/erp-inventory.md, docs/permissions.md): the storekeeper
 * receives, issues, transfers, reserves and counts: an operator, or any user
 * with the storekeeper grant. An engineer defines items, locations and
 * reorder points, writes stock off (adjustments) and reverses moves; those
 * stay off the grant, so the one who counts is not the one who writes off.
 */

const TAGS = ["inventory"];
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });
const AvailabilityQuery = Type.Object({ locationId: Type.Optional(Type.String({ format: "uuid" })) }, { additionalProperties: false });
const ReservationQuery = Type.Object(
  {
    itemId: Type.Optional(Type.String({ format: "uuid" })),
    status: Type.Optional(Type.Union(RESERVATION_STATUSES.map((status) => Type.Literal(status)))),
    sourceType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    sourceId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
const ReleaseInput = Type.Object({}, { additionalProperties: false });

/** 201 for a new write; 200 with the first one when its sourceKey was recorded before. */
function sendRecorded<T>(res: Response, recorded: Recorded<T>): void {
  res.status(recorded.replayed ? 200 : 201).json(recorded.value);
}

function recordAudit(action: string, rows = 1): AuditDocumentation {
  return { actions: [action], rows: { 201: rows, 200: 0 } };
}

function recordResponses(schema: TSchema) {
  return { 201: schema, 200: schema, 404: null, 409: null };
}

export function registerInventoryRoutes(router: Router, routes: RouteRegistry, inventory: InventoryService): void {
  routes.add(router, {
    method: "get",
    path: "/inventory/items",
    summary: "Items (spare parts, chemicals, tubulars) with on hand and moving-average cost",
    tags: TAGS,
    role: "viewer",
    schemas: { responses: { 200: Type.Array(ItemSchema) } },
    handler: async ({ res }) => {
      res.json(await inventory.listItems().catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/items",
    summary: "Define an item: base unit and conversions, lot/serial tracking, whether it may go negative, owner and valuation currency",
    tags: TAGS,
    audit: { actions: ["inventory.item.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: ItemInputSchema, responses: { 201: ItemSchema, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await inventory.createItem(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/items/:id",
    summary: "One item",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: ItemSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await inventory.getItem(params.id).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/items/:id/availability",
    summary: "On hand, reserved and available of an item at one location or across all",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParams, query: AvailabilityQuery, responses: { 200: AvailabilitySchema, 404: null } },
    handler: async ({ res, params, query }) => {
      res.json(await inventory.availability(params.id, query.locationId).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/locations",
    summary: "Warehouses, bins and yards, and the site's virtual locations (supplier, consumption, adjustment, count)",
    tags: TAGS,
    role: "viewer",
    schemas: { responses: { 200: Type.Array(LocationSchema) } },
    handler: async ({ res }) => {
      res.json(await inventory.listLocations().catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/locations",
    summary: "Define a warehouse, bin or yard",
    tags: TAGS,
    audit: { actions: ["inventory.location.create"], rows: { 201: 1 } },
    role: "engineer",
    schemas: { body: LocationInputSchema, responses: { 201: LocationSchema, 404: null, 409: null } },
    handler: async ({ res, body, principal }) => {
      res.status(201).json(await inventory.createLocation(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/stock",
    summary: "Stock by item, location and lot: on hand, reserved, available and value",
    tags: TAGS,
    role: "viewer",
    schemas: { query: StockQuerySchema, responses: { 200: Type.Array(StockBalanceSchema) } },
    handler: async ({ res, query }) => {
      res.json(await inventory.onHand(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/moves",
    summary: "The stock ledger, newest first",
    tags: TAGS,
    role: "viewer",
    schemas: { query: MoveQuerySchema, responses: { 200: pageSchema(StockMoveSchema) } },
    handler: async ({ res, query }) => {
      res.json(await inventory.listMoves(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/receipts",
    summary: "Receive stock from the supplier at a unit cost; updates the moving average",
    tags: TAGS,
    audit: recordAudit("inventory.stock_move.receipt"),
    role: "operator",
    permission: "storekeeper",
    schemas: { body: ReceiptInputSchema, responses: recordResponses(StockMoveSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await inventory.receive(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/issues",
    summary: "Issue stock to a well, equipment, work order or AFE at the moving-average cost; 409 naming the available quantity",
    tags: TAGS,
    audit: recordAudit("inventory.stock_move.issue"),
    role: "operator",
    permission: "storekeeper",
    schemas: { body: IssueInputSchema, responses: recordResponses(StockMoveSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await inventory.issue(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/transfers",
    summary: "Move stock between two internal locations",
    tags: TAGS,
    audit: recordAudit("inventory.stock_move.transfer"),
    role: "operator",
    permission: "storekeeper",
    schemas: { body: TransferInputSchema, responses: recordResponses(StockMoveSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await inventory.transfer(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/adjustments",
    summary: "Correct stock at a location (found or lost), with a reason",
    tags: TAGS,
    audit: recordAudit("inventory.stock_move.adjustment"),
    role: "engineer",
    schemas: { body: AdjustmentInputSchema, responses: recordResponses(StockMoveSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await inventory.adjust(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/moves/:id/reverse",
    summary: "Reverse a move with the opposite move at its cost (the ledger is append-only)",
    tags: TAGS,
    audit: recordAudit("inventory.stock_move.reversal"),
    role: "engineer",
    schemas: { params: IdParams, body: ReversalInputSchema, responses: recordResponses(StockMoveSchema) },
    handler: async ({ res, params, body, principal }) => {
      sendRecorded(res, await inventory.reverse(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/reservations",
    summary: "Reservations, newest first",
    tags: TAGS,
    role: "viewer",
    schemas: { query: ReservationQuery, responses: { 200: Type.Array(ReservationSchema) } },
    handler: async ({ res, query }) => {
      res.json(await inventory.listReservations(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/reservations",
    summary: "Reserve stock for a document (lowers available, not on hand)",
    tags: TAGS,
    audit: recordAudit("inventory.reservation.create"),
    role: "operator",
    permission: "storekeeper",
    schemas: { body: ReservationInputSchema, responses: recordResponses(ReservationSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await inventory.reserve(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/reservations/:id/release",
    summary: "Give back what is left of an open reservation",
    tags: TAGS,
    audit: { actions: ["inventory.reservation.release"], rows: { 200: 1 } },
    role: "operator",
    permission: "storekeeper",
    schemas: { params: IdParams, body: ReleaseInput, responses: { 200: ReservationSchema, 404: null, 409: null } },
    handler: async ({ res, params, principal }) => {
      res.json(await inventory.releaseReservation(params.id, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/reservations/:id/consume",
    summary: "Issue reserved stock to its cost object",
    tags: TAGS,
    audit: { actions: ["inventory.stock_move.issue", "inventory.reservation.consume"], rows: { 201: 2, 200: 0 } },
    role: "operator",
    permission: "storekeeper",
    schemas: { params: IdParams, body: ConsumeReservationInputSchema, responses: recordResponses(StockMoveSchema) },
    handler: async ({ res, params, body, principal }) => {
      sendRecorded(res, await inventory.consumeReservation(params.id, body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/reorder-points",
    summary: "Reorder points per item and location",
    tags: TAGS,
    role: "viewer",
    schemas: { responses: { 200: Type.Array(ReorderPointSchema) } },
    handler: async ({ res }) => {
      res.json(await inventory.listReorderPoints().catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "put",
    path: "/inventory/reorder-points",
    summary: "Set an item's reorder point at a location; inventory.stock.below_reorder_point fires once per crossing",
    tags: TAGS,
    audit: { actions: ["inventory.reorder_point.set"], rows: { 200: 1 } },
    role: "engineer",
    schemas: { body: ReorderPointInputSchema, responses: { 200: ReorderPointSchema, 404: null } },
    handler: async ({ res, body, principal }) => {
      res.json(await inventory.setReorderPoint(body, principal.user.username).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/inventory/counts",
    summary: "Physical counts, newest first",
    tags: TAGS,
    role: "viewer",
    schemas: { responses: { 200: Type.Array(CountSchema) } },
    handler: async ({ res }) => {
      res.json(await inventory.listCounts().catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/inventory/counts",
    summary: "Post a physical count: each difference becomes an adjustment against the count location",
    tags: TAGS,
    audit: { actions: ["inventory.count.post", "inventory.stock_move.adjustment"], rows: { 201: "any", 200: 0 } },
    role: "operator",
    permission: "storekeeper",
    schemas: { body: CountInputSchema, responses: recordResponses(CountSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await inventory.postCount(body, principal.user.username).catch(toHttpError));
    },
  });
}
