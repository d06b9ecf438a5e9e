import { Type, type Static } from "@sinclair/typebox";

/** GET /api/v1/flow-entries/waiting: the flow-entry spool as operators see it. */
export const FlowEntryWaitingSchema = Type.Object(
  {
    waiting: Type.Integer({ minimum: 0, description: "entries recorded by flows that wait in the spool for the database" }),
    bytes: Type.Integer({ minimum: 0 }),
    oldestQueuedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    oldestAgeSeconds: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    maxRecords: Type.Integer({ minimum: 1 }),
    maxBytes: Type.Integer({ minimum: 1 }),
    retrying: Type.Boolean({ description: "the drain is waiting for the database to answer again" }),
    nextAttemptAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
    refusedSinceStart: Type.Integer({ minimum: 0, description: "waiting entries refused when written (audit action production.flow_entry.refused)" }),
  },
  { additionalProperties: false },
);
export type FlowEntryWaiting = Static<typeof FlowEntryWaitingSchema>;
