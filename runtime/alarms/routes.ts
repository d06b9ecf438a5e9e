import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import { HttpError } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import { TAG_PATH_PATTERN } from "../tags/tag-path.js";
import { AlarmError, type AlarmEngine } from "./alarm-engine.js";
import { AlarmJournalEntrySchema, AlarmKpisSchema, AlarmModeSchema, AlarmPrioritySchema, AlarmSchema, type AlarmJournalEntry } from "./schema.js";

function toHttp(error: unknown): never {
  if (error instanceof AlarmError) {
    const status = { not_found: 404, invalid_state: 409, invalid_input: 400 }[error.code];
    const field = error.code === "invalid_input" ? "body.until" : "id";
    throw new HttpError(status, error.code, error.message, error.reason ? { field, reason: error.reason, ...(error.params ? { params: error.params } : {}) } : undefined);
  }
  throw error;
}

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false });
const Comment = Type.String({ maxLength: 500 });
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const AlarmAnswer = Type.Object({ alarm: AlarmSchema });
/** One day of KPIs unless the caller says otherwise; at most 93 days (a quarter) per request. */
const DEFAULT_KPI_RANGE_MS = 24 * 3600_000;
const MAX_KPI_RANGE_MS = 93 * 24 * 3600_000;

const JournalQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ format: "date-time" })),
    to: Type.Optional(Type.String({ format: "date-time" })),
    area: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    priority: Type.Optional(AlarmPrioritySchema),
    tagPath: Type.Optional(Type.String({ pattern: TAG_PATH_PATTERN })),
    alarmId: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    search: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

const CSV_COLUMNS: readonly (keyof AlarmJournalEntry)[] = ["at", "alarmId", "tagPath", "kind", "priority", "area", "message", "transition", "fromState", "toState", "mode", "value", "user", "comment"];
/** The CSV export reads the journal in pages of this size, up to this many rows. */
const CSV_PAGE = 1000;
const CSV_MAX_ROWS = 100_000;

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function journalCsv(entries: readonly AlarmJournalEntry[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const entry of entries) lines.push(CSV_COLUMNS.map((column) => csvCell(entry[column])).join(","));
  return lines.join("\n") + "\n";
}

/** The alarm console's API: live alarms, acknowledge, shelve, out of service, the journal and the KPIs. */
export function registerAlarmRoutes(router: Router, routes: RouteRegistry, engine: AlarmEngine): void {
  routes.add(router, {
    method: "get",
    path: "/alarms",
    summary: "Alarms by priority then newest change (filters: area, priority, state, mode)",
    tags: ["alarms"],
    role: "viewer",
    schemas: {
      query: Type.Object(
        {
          area: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          priority: Type.Optional(AlarmPrioritySchema),
          state: Type.Union([Type.Literal("active"), Type.Literal("unacked"), Type.Literal("all")], { default: "all" }),
          mode: Type.Optional(AlarmModeSchema),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
        },
        { additionalProperties: false },
      ),
      responses: { 200: Type.Object({ alarms: Type.Array(AlarmSchema), total: Type.Integer() }) },
    },
    handler: async ({ res, query }) => {
      const alarms = engine.list({ area: query.area, priority: query.priority, state: query.state, mode: query.mode });
      res.json({ alarms: alarms.slice(query.offset, query.offset + query.limit), total: alarms.length });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/alarms/ack",
    summary: "Acknowledge a page of alarms; those not waiting for an acknowledgement are listed as skipped",
    tags: ["alarms"],
    audit: { actions: ["alarm.acknowledge"], rows: { 200: "any" } },
    role: "operator",
    schemas: {
      body: Type.Object({ ids: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1, maxItems: 1000, uniqueItems: true }), comment: Comment }, { additionalProperties: false }),
      responses: { 200: Type.Object({ acknowledged: Type.Array(AlarmSchema), skipped: Type.Array(Type.String()) }) },
    },
    handler: async ({ res, body, principal }) => {
      res.json(await engine.acknowledgeMany(body.ids, principal.user.username, body.comment));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/alarms/journal",
    summary: "The alarm journal, newest first (filters: time, area, priority, tag, text)",
    tags: ["alarms"],
    role: "viewer",
    schemas: { query: JournalQuerySchema, responses: { 200: Type.Object({ entries: Type.Array(AlarmJournalEntrySchema), total: Type.Integer() }) } },
    handler: async ({ res, query }) => {
      res.json(await engine.journal(query));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/alarms/journal.csv",
    summary: `The alarm journal as CSV, newest first (same filters; at most ${CSV_MAX_ROWS} rows)`,
    tags: ["alarms"],
    role: "viewer",
    schemas: { query: Type.Omit(JournalQuerySchema, ["limit", "offset"]), responses: { 200: null } },
    handler: async ({ res, query }) => {
      const entries: AlarmJournalEntry[] = [];
      for (let offset = 0; offset < CSV_MAX_ROWS; offset += CSV_PAGE) {
        const page = await engine.journal({ ...query, limit: CSV_PAGE, offset });
        entries.push(...page.entries);
        if (page.entries.length < CSV_PAGE) break;
      }
      res.type("text/csv").attachment("alarm-journal.csv").send(journalCsv(entries));
    },
  });

  routes.add(router, {
    method: "get",
    path: "/alarms/kpis",
    summary: "EEMUA 191 / ISA-18.2 alarm KPIs over a range (default: the last 24 hours)",
    tags: ["alarms"],
    role: "viewer",
    schemas: {
      query: Type.Object(
        { from: Type.Optional(Type.String({ format: "date-time" })), to: Type.Optional(Type.String({ format: "date-time" })) },
        { additionalProperties: false },
      ),
      responses: { 200: AlarmKpisSchema },
    },
    handler: async ({ res, query }) => {
      const to = query.to ? Date.parse(query.to) : Date.now();
      const from = query.from ? Date.parse(query.from) : to - DEFAULT_KPI_RANGE_MS;
      if (!(from < to)) throw new HttpError(400, "validation_failed", "query.to must be after query.from", { field: "query.to", reason: "not_after", params: { other: "query.from" } });
      if (to - from > MAX_KPI_RANGE_MS) {
        throw new HttpError(400, "validation_failed", "the range is at most 93 days", { field: "query.to", reason: "period_too_long", params: { limit: 93 } });
      }
      res.json(await engine.kpis(from, to));
    },
  });

  routes.add(router, {
    method: "post",
    path: "/alarms/:id/ack",
    summary: "Acknowledge one alarm, with a comment",
    tags: ["alarms"],
    audit: { actions: ["alarm.acknowledge"], rows: { 200: 1 } },
    role: "operator",
    schemas: { params: IdParams, body: Type.Object({ comment: Comment }, { additionalProperties: false }), responses: { 200: AlarmAnswer, 404: null, 409: null } },
    handler: async ({ res, params, body, principal }) => {
      res.json({ alarm: await engine.acknowledge(params.id, principal.user.username, body.comment).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/alarms/:id/shelve",
    summary: "Shelve an alarm with a reason, for some minutes or until a time (at most the site's maximum shelve time)",
    tags: ["alarms"],
    audit: { actions: ["alarm.shelve"], rows: { 200: 1 } },
    role: "operator",
    schemas: {
      params: IdParams,
      body: Type.Object(
        {
          reason: Reason,
          minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
          until: Type.Optional(Type.String({ format: "date-time" })),
        },
        { additionalProperties: false },
      ),
      responses: { 200: AlarmAnswer, 404: null, 409: null },
    },
    handler: async ({ res, params, body, principal }) => {
      if ((body.minutes === undefined) === (body.until === undefined)) {
        throw new HttpError(400, "validation_failed", "give minutes or until, not both", { field: "body.minutes", reason: "required" });
      }
      const until = body.until !== undefined ? new Date(body.until) : engine.minutesFromNow(body.minutes ?? 0);
      res.json({ alarm: await engine.shelve(params.id, principal.user.username, body.reason, until).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/alarms/:id/unshelve",
    summary: "Return a shelved alarm to service before its shelve expires",
    tags: ["alarms"],
    audit: { actions: ["alarm.unshelve", "alarm.activate"], rows: { 200: "any" } },
    role: "operator",
    schemas: { params: IdParams, responses: { 200: AlarmAnswer, 404: null, 409: null } },
    handler: async ({ res, params, principal }) => {
      res.json({ alarm: await engine.unshelve(params.id, principal.user.username).catch(toHttp) });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/alarms/:id/out-of-service",
    summary: "Take an alarm out of service (or put it back), with a reason",
    tags: ["alarms"],
    audit: { actions: ["alarm.out_of_service", "alarm.in_service", "alarm.activate"], rows: { 200: "any" } },
    role: "engineer",
    schemas: {
      params: IdParams,
      body: Type.Object({ outOfService: Type.Boolean(), reason: Reason }, { additionalProperties: false }),
      responses: { 200: AlarmAnswer, 404: null, 409: null },
    },
    handler: async ({ res, params, body, principal }) => {
      res.json({ alarm: await engine.setOutOfService(params.id, principal.user.username, body.outOfService, body.reason).catch(toHttp) });
    },
  });
}
