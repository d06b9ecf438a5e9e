import { Type, type Static, type TSchema } from "@sinclair/typebox";

/*
 * The corporate (cloud role) API: what sites synced, read only
 * (docs/corporate.md). Volumes in m3 (Sm3 for gas); the web app converts to
 * the viewer's units, files to the `units` asked for.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Month = Type.String({ pattern: "^[0-9]{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM" });
const Day = Type.String({ format: "date", description: "YYYY-MM-DD" });
const SiteId = Type.String({ pattern: "^[A-Z0-9][A-Z0-9_-]{0,31}$" });
const Instant = Type.String({ format: "date-time" });

/** Longest month range one request consolidates. */
export const MAX_MONTHS = 36;
/** Longest day range of alarm KPIs. */
export const MAX_ALARM_DAYS = 366;

/** How fresh a site's synced data is (docs/corporate.md "Freshness"). */
export const FreshnessSchema = Type.Object({
  /** What the cloud holds is the site as of this instant; null when the site never pushed. */
  asOf: Nullable(Instant),
  /** Seconds from asOf to the answer; null when never pushed. */
  ageSeconds: Nullable(Type.Integer({ minimum: 0 })),
});
export type Freshness = Static<typeof FreshnessSchema>;

export const SiteSyncHealthSchema = Type.Object({
  siteId: SiteId,
  name: Type.String(),
  disabled: Type.Boolean(),
  lastContactAt: Nullable(Instant),
  /** Highest sequence stored for the site. */
  lastSequence: Type.Integer({ minimum: 0 }),
  /** From the site's last push; null before its first. */
  outboxPending: Nullable(Type.Integer({ minimum: 0 })),
  oldestPendingAt: Nullable(Instant),
  /** Age of the oldest row the site has not yet delivered, at the site's last push, plus the time since. */
  outboxLagSeconds: Nullable(Type.Integer({ minimum: 0 })),
  spoolBytes: Nullable(Type.Integer({ minimum: 0 })),
  appVersion: Nullable(Type.String()),
  freshness: FreshnessSchema,
});
export type SiteSyncHealth = Static<typeof SiteSyncHealthSchema>;

export const SiteListSchema = Type.Object({ sites: Type.Array(SiteSyncHealthSchema) });
export type SiteList = Static<typeof SiteListSchema>;

export const ProductionQuerySchema = Type.Object(
  {
    fromMonth: Month,
    toMonth: Month,
    /** One site only. */
    siteId: Type.Optional(SiteId),
  },
  { additionalProperties: false },
);
export type ProductionQuery = Static<typeof ProductionQuerySchema>;

export const ProductionFileQuerySchema = Type.Object(
  {
    ...ProductionQuerySchema.properties,
    lang: Type.Optional(Type.Union([Type.Literal("en"), Type.Literal("es")])),
    units: Type.Optional(Type.Union([Type.Literal("metric"), Type.Literal("oilfield")])),
  },
  { additionalProperties: false },
);
export type ProductionFileQuery = Static<typeof ProductionFileQuerySchema>;

export const MonthlyProductionRowSchema = Type.Object({
  siteId: SiteId,
  siteName: Type.String(),
  fieldCode: Nullable(Type.String()),
  fieldName: Nullable(Type.String()),
  month: Month,
  oilM3: Type.Number(),
  gasSm3: Type.Number(),
  waterM3: Type.Number(),
  wells: Type.Integer({ minimum: 0 }),
  days: Type.Integer({ minimum: 0 }),
});
export type MonthlyProductionRow = Static<typeof MonthlyProductionRowSchema>;

export const ConsolidatedProductionSchema = Type.Object({
  fromMonth: Month,
  toMonth: Month,
  rows: Type.Array(MonthlyProductionRowSchema),
  /** Per site over the range. */
  siteTotals: Type.Array(Type.Object({ siteId: SiteId, siteName: Type.String(), oilM3: Type.Number(), gasSm3: Type.Number(), waterM3: Type.Number(), freshness: FreshnessSchema })),
  /** Runs sent by sites older than per-well volumes: left out (docs/corporate.md). */
  runsWithoutVolumes: Type.Integer({ minimum: 0 }),
});
export type ConsolidatedProduction = Static<typeof ConsolidatedProductionSchema>;

export const AlarmKpiQuerySchema = Type.Object({ fromDay: Day, toDay: Day }, { additionalProperties: false });
export type AlarmKpiQuery = Static<typeof AlarmKpiQuerySchema>;

const AlarmRef = { alarmId: Type.String(), tagPath: Nullable(Type.String()), message: Type.String() };
const ActorSchema = Type.Object({ siteId: SiteId, ...AlarmRef, activations: Type.Integer(), percentOfTotal: Type.Number() });

export const CorporateAlarmKpisSchema = Type.Object({
  fromDay: Day,
  toDay: Day,
  sites: Type.Array(
    Type.Object({
      siteId: SiteId,
      siteName: Type.String(),
      daysReported: Type.Integer({ minimum: 0 }),
      activations: Type.Integer({ minimum: 0 }),
      perDay: Type.Number(),
      perOperatorHour: Type.Number(),
      floods: Type.Integer({ minimum: 0 }),
      standing: Type.Array(Type.Object({ ...AlarmRef, activeSince: Instant })),
      chattering: Type.Array(Type.Object({ ...AlarmRef, activationsInOneMinute: Type.Integer(), days: Type.Integer() })),
      badActors: Type.Array(ActorSchema),
      freshness: FreshnessSchema,
    }),
  ),
  badActors: Type.Array(ActorSchema),
});
export type CorporateAlarmKpis = Static<typeof CorporateAlarmKpisSchema>;

export const SiteParamsSchema = Type.Object({ siteId: SiteId }, { additionalProperties: false });

export const RemoteWellsSchema = Type.Object({
  siteId: SiteId,
  siteName: Type.String(),
  freshness: FreshnessSchema,
  wells: Type.Array(
    Type.Object({
      id: Type.String({ format: "uuid" }),
      code: Type.String(),
      name: Type.String(),
      status: Nullable(Type.String()),
      liftType: Nullable(Type.String()),
      /** The register's site asset (pad, battery) and field it hangs under, when synced. */
      siteAssetCode: Nullable(Type.String()),
      fieldCode: Nullable(Type.String()),
    }),
  ),
});
export type RemoteWells = Static<typeof RemoteWellsSchema>;

export const RemoteDailyQuerySchema = Type.Object({ month: Month }, { additionalProperties: false });
export type RemoteDailyQuery = Static<typeof RemoteDailyQuerySchema>;

export const RemoteDailyProductionSchema = Type.Object({
  siteId: SiteId,
  siteName: Type.String(),
  month: Month,
  freshness: FreshnessSchema,
  /** Per production day, every site asset together. */
  days: Type.Array(Type.Object({ day: Day, oilM3: Type.Number(), gasSm3: Type.Number(), waterM3: Type.Number(), wells: Type.Integer() })),
  /** Per well over the month. */
  wells: Type.Array(Type.Object({ wellId: Type.String(), wellCode: Type.String(), siteAssetCode: Type.String(), oilM3: Type.Number(), gasSm3: Type.Number(), waterM3: Type.Number(), days: Type.Integer(), runVersion: Type.Integer() })),
});
export type RemoteDailyProduction = Static<typeof RemoteDailyProductionSchema>;

export const ExportQuerySchema = ProductionQuerySchema;
