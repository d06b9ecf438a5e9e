import { Type, type TSchema } from "@sinclair/typebox";
import type { Response, Router } from "express";
import type { AuditDocumentation, RouteRegistry } from "../../runtime/http/route-registry.js";
import { toHttpError } from "../shared/service-error.js";
import { DowntimeInputSchema, GasDispositionInputSchema, MeterReadingInputSchema, RunTicketInputSchema, TankGaugeInputSchema, WellTestInputSchema } from "./entry-schemas.js";
import type { EntryService } from "./entry-service.js";
import type { RecordedEntry } from "./ports.js";
import {
  CloseDowntimeSchema,
  DowntimeEventSchema,
  DowntimeQuerySchema,
  ENTRY_TYPES,
  EntryTypeSchema,
  GasBalanceQuerySchema,
  GasBalanceSchema,
  GasDispositionQuerySchema,
  GasDispositionSchema,
  MeterReadingQuerySchema,
  MeterReadingSchema,
  ProductionEntrySchema,
  RunTicketQuerySchema,
  RunTicketSchema,
  TankGaugeQuerySchema,
  TankGaugeSchema,
  VoidEntrySchema,
  WellTestDecisionSchema,
  WellTestQuerySchema,
  WellTestSchema,
  pageSchema,
} from "./schema.js";

const TAGS = ["production"];
const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

/** 201 for a new entry; 200 with the first entry when its sourceKey was recorded before. */
function sendRecorded(res: Response, recorded: RecordedEntry): void {
  res.status(recorded.replayed ? 200 : 201).json(recorded.entry);
}

/** A new entry writes its audit row (201); a replay of its sourceKey writes none (200). */
function recordAudit(action: string): AuditDocumentation {
  return { actions: [action], rows: { 201: 1, 200: 0 } };
}

function recordResponses(entry: TSchema) {
  return { 201: entry, 200: entry };
}

export function registerEntryRoutes(router: Router, routes: RouteRegistry, entries: EntryService): void {
  routes.add(router, {
    method: "post",
    path: "/production/tank-gauges",
    summary: "Record a tank gauge; the volume comes from the tank's strapping table",
    tags: TAGS,
    audit: recordAudit("production.tank_gauge.record"),
    role: "operator",
    schemas: { body: TankGaugeInputSchema, responses: recordResponses(TankGaugeSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await entries.recordTankGauge(body, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/tank-gauges",
    summary: "Tank gauges, newest first (voided ones flagged)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: TankGaugeQuerySchema, responses: { 200: pageSchema(TankGaugeSchema) } },
    handler: async ({ res, query }) => {
      res.json(await entries.listTankGauges(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/meter-readings",
    summary: "Record a meter's volume for a production day",
    tags: TAGS,
    audit: recordAudit("production.meter_reading.record"),
    role: "operator",
    schemas: { body: MeterReadingInputSchema, responses: recordResponses(MeterReadingSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await entries.recordMeterReading(body, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/meter-readings",
    summary: "Meter readings, newest production day first (from/to: days, inclusive)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: MeterReadingQuerySchema, responses: { 200: pageSchema(MeterReadingSchema) } },
    handler: async ({ res, query }) => {
      res.json(await entries.listMeterReadings(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/run-tickets",
    summary: "Record a run ticket (a volume shipped by truck or pipeline); 409 when its number is already used at the site",
    tags: TAGS,
    audit: recordAudit("production.run_ticket.record"),
    role: "operator",
    schemas: { body: RunTicketInputSchema, responses: { ...recordResponses(RunTicketSchema), 409: null } },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await entries.recordRunTicket(body, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/run-tickets",
    summary: "Run tickets, newest first",
    tags: TAGS,
    role: "viewer",
    schemas: { query: RunTicketQuerySchema, responses: { 200: pageSchema(RunTicketSchema) } },
    handler: async ({ res, query }) => {
      res.json(await entries.listRunTickets(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/downtime",
    summary: "Record a well's downtime (open without endedAt); 409 when the well already has an open one",
    tags: TAGS,
    audit: recordAudit("production.downtime_event.record"),
    role: "operator",
    schemas: { body: DowntimeInputSchema, responses: { ...recordResponses(DowntimeEventSchema), 409: null } },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await entries.recordDowntime(body, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/downtime/:id/close",
    summary: "Close an open downtime event; 409 when it is closed or voided",
    tags: TAGS,
    audit: { actions: ["production.downtime_event.close"], rows: { 200: 1 } },
    role: "operator",
    schemas: { params: IdParams, body: CloseDowntimeSchema, responses: { 200: DowntimeEventSchema, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json(await entries.closeDowntime(params.id, body.endedAt, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/downtime",
    summary: "Downtime events overlapping from/to, newest first (open=true: only open ones)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: DowntimeQuerySchema, responses: { 200: pageSchema(DowntimeEventSchema) } },
    handler: async ({ res, query }) => {
      res.json(await entries.listDowntime(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/gas-dispositions",
    summary: "Record where some of a site's gas went on a production day (sales, fuel, flare, vent, lift_recycle)",
    tags: TAGS,
    audit: recordAudit("production.gas_disposition.record"),
    role: "operator",
    schemas: { body: GasDispositionInputSchema, responses: recordResponses(GasDispositionSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await entries.recordGasDisposition(body, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/gas-dispositions",
    summary: "Gas dispositions, newest production day first (from/to: days, inclusive)",
    tags: TAGS,
    role: "viewer",
    schemas: { query: GasDispositionQuerySchema, responses: { 200: pageSchema(GasDispositionSchema) } },
    handler: async ({ res, query }) => {
      res.json(await entries.listGasDispositions(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/gas-balance",
    summary: "A site's gas balance of a day: measured gas against sales, fuel, flare, vent and lift recycle",
    tags: TAGS,
    role: "viewer",
    schemas: { query: GasBalanceQuerySchema, responses: { 200: GasBalanceSchema } },
    handler: async ({ res, query }) => {
      res.json(await entries.gasBalance(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/entries/:entryType/:id/void",
    summary: "Void an entry (it stays, flagged; reads and allocation skip it); 409 when already voided",
    tags: TAGS,
    audit: { actions: ENTRY_TYPES.map((type) => `production.${type}.void`), rows: { 200: 1 } },
    role: "operator",
    schemas: {
      params: Type.Object({ entryType: EntryTypeSchema, id: Type.String({ format: "uuid" }) }),
      body: VoidEntrySchema,
      responses: { 200: ProductionEntrySchema, 404: null, 409: null },
    },
    handler: async ({ res, params, body, principal }) => {
      res.json(await entries.voidEntry(params.entryType, params.id, body.reason, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/production/well-tests",
    summary: "Propose a well test (an engineer approves or rejects it)",
    tags: TAGS,
    audit: recordAudit("production.well_test.propose"),
    role: "operator",
    schemas: { body: WellTestInputSchema, responses: recordResponses(WellTestSchema) },
    handler: async ({ res, body, principal }) => {
      sendRecorded(res, await entries.proposeWellTest(body, principal.user.username, { role: principal.user.role }).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/well-tests",
    summary: "Well tests, newest first",
    tags: TAGS,
    role: "viewer",
    schemas: { query: WellTestQuerySchema, responses: { 200: pageSchema(WellTestSchema) } },
    handler: async ({ res, query }) => {
      res.json(await entries.listWellTests(query).catch(toHttpError));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/production/well-tests/:id",
    summary: "One well test",
    tags: TAGS,
    role: "viewer",
    schemas: { params: IdParams, responses: { 200: WellTestSchema, 404: null } },
    handler: async ({ res, params }) => {
      res.json(await entries.getWellTest(params.id).catch(toHttpError));
    },
  });

  for (const decision of ["approve", "reject"] as const) {
    routes.add(router, {
      method: "post",
      path: `/production/well-tests/:id/${decision}`,
      summary: `${decision === "approve" ? "Approve" : "Reject"} a proposed well test; send the rowVersion you read (409 stale / invalid_state)`,
      tags: TAGS,
      audit: { actions: [`production.well_test.${decision}`], rows: { 200: 1 } },
      role: "engineer",
      schemas: { params: IdParams, body: WellTestDecisionSchema, responses: { 200: WellTestSchema, 404: null, 409: null } },
      handler: async ({ res, params, body, principal }) => {
        const actor = principal.user.username;
        const decided =
          decision === "approve" ? entries.approveWellTest(params.id, body, actor) : entries.rejectWellTest(params.id, body, actor);
        res.json(await decided.catch(toHttpError));
      },
    });
  }
}
