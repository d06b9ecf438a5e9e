import { Type, type Static } from "@sinclair/typebox";
import { TAG_PATH_PATTERN } from "../tags/tag-path.js";

/**
 * The alarm engine's wire contract (ISA-18.2 states, EEMUA 191 KPIs),
 * shared by the server, the nodes and the web app.
 */

export const AlarmPrioritySchema = Type.Union([Type.Literal("critical"), Type.Literal("high"), Type.Literal("medium"), Type.Literal("low")]);
export type AlarmPriority = Static<typeof AlarmPrioritySchema>;

/** What a tag alarm watches; `system` alarms are raised by the runtime itself (device comms, spool, database, certificates). */
export const AlarmKindSchema = Type.Union([
  Type.Literal("hihi"),
  Type.Literal("hi"),
  Type.Literal("lo"),
  Type.Literal("lolo"),
  Type.Literal("roc"),
  Type.Literal("discrete"),
  Type.Literal("deviation"),
  Type.Literal("system"),
]);
export type AlarmKind = Static<typeof AlarmKindSchema>;

/** ISA-18.2 alarm states (the state of the condition and of its acknowledgement). */
export const AlarmStateSchema = Type.Union([Type.Literal("normal"), Type.Literal("active_unack"), Type.Literal("active_ack"), Type.Literal("rtn_unack")]);
export type AlarmState = Static<typeof AlarmStateSchema>;

/** Overlays that take an alarm out of the operator's list: shelved (operator, expires), suppressed by design (a condition such as a shut-in well), out of service (engineer). */
export const AlarmModeSchema = Type.Union([Type.Literal("enabled"), Type.Literal("shelved"), Type.Literal("suppressed"), Type.Literal("out_of_service")]);
export type AlarmMode = Static<typeof AlarmModeSchema>;

const Nullable = <T extends ReturnType<typeof Type.Number> | ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** The fields an engineer sets on a tag alarm (API body, CSV row, UI form). */
export const AlarmDefinitionInputSchema = Type.Object(
  {
    tagPath: Type.String({ pattern: TAG_PATH_PATTERN }),
    kind: Type.Union([Type.Literal("hihi"), Type.Literal("hi"), Type.Literal("lo"), Type.Literal("lolo"), Type.Literal("roc"), Type.Literal("discrete"), Type.Literal("deviation")]),
    /** hihi/hi/lo/lolo: the limit; roc: units per minute; deviation: the allowed difference from the setpoint tag. */
    limit: Nullable(Type.Number()),
    /** discrete: the value that is abnormal (JSON text: `true`, `0`, `"TRIP"`). */
    alarmState: Nullable(Type.String({ maxLength: 100 })),
    /** deviation: the setpoint tag compared against. */
    setpointPath: Nullable(Type.String({ pattern: TAG_PATH_PATTERN })),
    priority: AlarmPrioritySchema,
    /** The value must come back this far inside the limit before the alarm clears (tag units). */
    deadband: Type.Number({ minimum: 0 }),
    onDelaySeconds: Type.Number({ minimum: 0, maximum: 86400 }),
    offDelaySeconds: Type.Number({ minimum: 0, maximum: 86400 }),
    area: Type.String({ minLength: 1, maxLength: 100 }),
    message: Type.String({ maxLength: 500 }),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type AlarmDefinitionInput = Static<typeof AlarmDefinitionInputSchema>;

export const AlarmDefinitionSchema = Type.Composite([
  AlarmDefinitionInputSchema,
  Type.Object({ id: Type.String({ format: "uuid" }), rowVersion: Type.Integer(), updatedAt: Type.String({ format: "date-time" }) }),
]);
export type AlarmDefinition = Static<typeof AlarmDefinitionSchema>;

/** One alarm as the console shows it: a tag alarm (id = its definition's id) or a system alarm (id = `system:<key>`). */
export const AlarmSchema = Type.Object(
  {
    id: Type.String(),
    kind: AlarmKindSchema,
    tagPath: Nullable(Type.String()),
    priority: AlarmPrioritySchema,
    area: Type.String(),
    message: Type.String(),
    state: AlarmStateSchema,
    mode: AlarmModeSchema,
    /** The value that raised it (or last seen), and the limit it crossed. */
    value: Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]),
    limit: Nullable(Type.Number()),
    activeSince: Nullable(Type.String({ format: "date-time" })),
    lastChangeAt: Type.String({ format: "date-time" }),
    ackedAt: Nullable(Type.String({ format: "date-time" })),
    ackedBy: Nullable(Type.String()),
    ackComment: Nullable(Type.String()),
    shelvedUntil: Nullable(Type.String({ format: "date-time" })),
    shelvedBy: Nullable(Type.String()),
    modeReason: Nullable(Type.String({ description: "why shelved, suppressed or out of service" })),
  },
  { additionalProperties: false },
);
export type Alarm = Static<typeof AlarmSchema>;

export const AlarmTransitionSchema = Type.Union([
  Type.Literal("activate"),
  Type.Literal("acknowledge"),
  Type.Literal("return"),
  Type.Literal("reset"),
  Type.Literal("shelve"),
  Type.Literal("unshelve"),
  Type.Literal("shelve_expired"),
  Type.Literal("suppress"),
  Type.Literal("unsuppress"),
  Type.Literal("out_of_service"),
  Type.Literal("in_service"),
]);
export type AlarmTransition = Static<typeof AlarmTransitionSchema>;

/** One row of the append-only alarm journal: every transition, with who and why where a person did it. */
export const AlarmJournalEntrySchema = Type.Object(
  {
    id: Type.String(),
    at: Type.String({ format: "date-time" }),
    alarmId: Type.String(),
    tagPath: Nullable(Type.String()),
    kind: AlarmKindSchema,
    priority: AlarmPrioritySchema,
    area: Type.String(),
    message: Type.String(),
    transition: AlarmTransitionSchema,
    fromState: AlarmStateSchema,
    toState: AlarmStateSchema,
    mode: AlarmModeSchema,
    value: Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]),
    user: Nullable(Type.String()),
    comment: Nullable(Type.String()),
  },
  { additionalProperties: false },
);
export type AlarmJournalEntry = Static<typeof AlarmJournalEntrySchema>;

/** GET /api/v1/alarms/kpis: EEMUA 191 / ISA-18.2 performance over a range. */
export const AlarmKpisSchema = Type.Object(
  {
    from: Type.String({ format: "date-time" }),
    to: Type.String({ format: "date-time" }),
    total: Type.Integer({ minimum: 0, description: "activations in the range" }),
    perArea: Type.Array(
      Type.Object({ area: Type.String(), activations: Type.Integer(), averagePer10Min: Type.Number(), peakPer10Min: Type.Integer() }, { additionalProperties: false }),
    ),
    floods: Type.Object(
      {
        /** Separate floods: periods with more than 10 activations in 10 minutes. */
        count: Type.Integer({ minimum: 0 }),
        timeInFloodSeconds: Type.Number({ minimum: 0 }),
        percentOfTimeInFlood: Type.Number({ minimum: 0, maximum: 100 }),
        peakPer10Min: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    chattering: Type.Array(Type.Object({ alarmId: Type.String(), tagPath: Nullable(Type.String()), message: Type.String(), activationsInOneMinute: Type.Integer() }, { additionalProperties: false })),
    standing: Type.Array(Type.Object({ alarmId: Type.String(), tagPath: Nullable(Type.String()), message: Type.String(), activeSince: Type.String({ format: "date-time" }) }, { additionalProperties: false })),
    badActors: Type.Array(Type.Object({ alarmId: Type.String(), tagPath: Nullable(Type.String()), message: Type.String(), activations: Type.Integer(), percentOfTotal: Type.Number() }, { additionalProperties: false })),
    prioritySplit: Type.Object(
      { critical: Type.Integer(), high: Type.Integer(), medium: Type.Integer(), low: Type.Integer() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type AlarmKpis = Static<typeof AlarmKpisSchema>;
