import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { AlarmKpisSchema } from "../../runtime/alarms/schema.js";
import type { Queryable } from "../../runtime/db/database.js";
import { checkInput } from "../../runtime/input/schema-check.js";
import { SiteHealthSchema } from "../../runtime/sync/sync-schema.js";
import { ServiceError, serviceError } from "../shared/service-error.js";
import { alarmKpisAcrossSites, type AlarmDay } from "./model/alarm-consolidation.js";
import { currentWellDays, monthBounds, monthlyBySiteAndField, type SyncedRun, type WellDay } from "./model/consolidation.js";
import {
  MAX_ALARM_DAYS,
  MAX_MONTHS,
  type AlarmKpiQuery,
  type ConsolidatedProduction,
  type CorporateAlarmKpis,
  type Freshness,
  type ProductionQuery,
  type RemoteDailyProduction,
  type RemoteWells,
  type SiteList,
  type SiteSyncHealth,
} from "./schema.js";

/*
 * What the payloads this module reads look like: checked on read, because
 * sites of different releases send them (docs/corporate.md "What a site sends").
 * Only the fields read here; a site may send more.
 */
const NamedSchema = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() });
const RunPayloadSchema = Type.Object({
  id: Type.String(),
  siteAssetId: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  version: Type.Integer(),
  wellVolumes: Type.Optional(
    Type.Object({
      site: NamedSchema,
      field: Type.Union([NamedSchema, Type.Null()]),
      days: Type.Array(Type.String()),
      wells: Type.Array(
        Type.Object({ id: Type.String(), code: Type.String(), oilM3: Type.Array(Type.Number()), gasM3: Type.Array(Type.Number()), waterM3: Type.Array(Type.Number()) }),
      ),
    }),
  ),
});
const AssetPayloadSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  code: Type.String(),
  name: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  well: Type.Optional(Type.Union([Type.Object({ status: Type.String(), liftType: Type.String() }), Type.Null()])),
});
type AssetPayload = Static<typeof AssetPayloadSchema>;
/** The alarms module's daily summary (runtime/alarms/alarm-kpi-publisher.ts). */
export const AlarmKpiDayPayloadSchema = Type.Object({ day: Type.String({ format: "date" }), kpis: AlarmKpisSchema });

interface SiteRow {
  site_id: string;
  name: string;
  last_sequence: string;
  last_contact_at: Date | null;
  last_health: unknown;
  disabled_at: Date | null;
}

/** A synced payload as `schema` describes it, or null when it is not one (checked with the API's validator). */
function parsed<T extends TSchema>(schema: T, payload: unknown): Static<T> | null {
  const checked = checkInput(schema, payload, "payload");
  return "value" in checked ? checked.value : null;
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** The months from `from` to `to` inclusive (both YYYY-MM). */
function monthCount(from: string, to: string): number {
  const [fromYear, fromMonth] = from.split("-").map(Number);
  const [toYear, toMonth] = to.split("-").map(Number);
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1;
}

/**
 * Corporate consolidation over what sites synced (the cloud role's
 * sync_sites and sync_entities, filled by the sync receiver). Reads only:
 * the cloud never changes a site's records from here.
 */
export class CorporateService {
  constructor(
    private readonly db: Queryable,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sites(): Promise<SiteList> {
    const now = this.now().getTime();
    return { sites: (await this.siteRows()).map((row) => health(row, now)) };
  }

  async production(query: ProductionQuery): Promise<ConsolidatedProduction> {
    checkMonths(query.fromMonth, query.toMonth);
    const { fromDay, toDay } = monthBounds(query.fromMonth, query.toMonth);
    const sites = await this.siteRows(query.siteId);
    const { wellDays, runsWithoutVolumes } = await this.wellDays(fromDay, toDay, query.siteId);
    const names = new Map(sites.map((site) => [site.site_id, site.name]));
    const now = this.now().getTime();
    const rows = monthlyBySiteAndField(wellDays).map((row) => ({ ...row, siteName: names.get(row.siteId) ?? row.siteId }));
    const siteTotals = sites.map((site) => {
      const own = rows.filter((row) => row.siteId === site.site_id);
      const sum = (key: "oilM3" | "gasSm3" | "waterM3") => Math.round(own.reduce((total, row) => total + row[key], 0) * 1e6) / 1e6;
      return { siteId: site.site_id, siteName: site.name, oilM3: sum("oilM3"), gasSm3: sum("gasSm3"), waterM3: sum("waterM3"), freshness: health(site, now).freshness };
    });
    return { fromMonth: query.fromMonth, toMonth: query.toMonth, rows, siteTotals, runsWithoutVolumes };
  }

  /** Per well and day, the current run's volumes: what exports and the remote daily screen read. */
  async wellDays(fromDay: string, toDay: string, siteId?: string): Promise<{ wellDays: WellDay[]; runsWithoutVolumes: number }> {
    const result = await this.db.query<{ site_id: string; payload: unknown }>(
      `SELECT e.site_id, e.payload FROM sync_entities e JOIN sync_sites s ON s.site_id = e.site_id
        WHERE e.entity_type = 'allocation_run' AND NOT e.deleted AND ($3::text IS NULL OR e.site_id = $3)
          AND e.payload->>'periodEnd' >= $1 AND e.payload->>'periodStart' <= $2`,
      [fromDay, toDay, siteId ?? null],
    );
    const runs: SyncedRun[] = [];
    let malformed = 0;
    for (const row of result.rows) {
      const run = parsed(RunPayloadSchema, row.payload);
      if (run) runs.push({ siteId: row.site_id, ...run });
      else malformed += 1;
    }
    const current = currentWellDays(runs, fromDay, toDay);
    return { wellDays: current.wellDays, runsWithoutVolumes: current.runsWithoutVolumes + malformed };
  }

  async alarmKpis(query: AlarmKpiQuery): Promise<CorporateAlarmKpis> {
    if (query.toDay < query.fromDay) throw serviceError("invalid_input", "toDay", "before_field", { other: "fromDay" });
    const days = (Date.parse(query.toDay) - Date.parse(query.fromDay)) / 86_400_000 + 1;
    if (days > MAX_ALARM_DAYS) throw serviceError("invalid_input", "toDay", "too_many_days", { limit: MAX_ALARM_DAYS });
    const sites = await this.siteRows();
    const result = await this.db.query<{ site_id: string; payload: unknown }>(
      `SELECT site_id, payload FROM sync_entities
        WHERE entity_type = 'alarm_kpi_day' AND NOT deleted AND payload->>'day' BETWEEN $1 AND $2`,
      [query.fromDay, query.toDay],
    );
    const alarmDays: AlarmDay[] = [];
    for (const row of result.rows) {
      const summary = parsed(AlarmKpiDayPayloadSchema, row.payload);
      if (summary) alarmDays.push({ siteId: row.site_id, day: summary.day, kpis: summary.kpis });
    }
    const now = this.now().getTime();
    const across = alarmKpisAcrossSites(
      sites.map((site) => site.site_id),
      alarmDays,
    );
    return {
      fromDay: query.fromDay,
      toDay: query.toDay,
      sites: across.sites.map((kpis, index) => ({ ...kpis, siteName: sites[index].name, freshness: health(sites[index], now).freshness })),
      badActors: across.badActors,
    };
  }

  /** A site's wells from its synced register, for the remote (read-only) wells screen. */
  async remoteWells(siteId: string): Promise<RemoteWells> {
    const site = await this.site(siteId);
    const result = await this.db.query<{ payload: unknown }>(
      "SELECT payload FROM sync_entities WHERE site_id = $1 AND entity_type = 'asset' AND NOT deleted",
      [siteId],
    );
    const assets = new Map<string, AssetPayload>();
    for (const row of result.rows) {
      const asset = parsed(AssetPayloadSchema, row.payload);
      if (asset) assets.set(asset.id, asset);
    }
    const wells = [...assets.values()]
      .filter((asset) => asset.kind === "well")
      .map((well) => {
        const parent = well.parentId ? assets.get(well.parentId) : undefined;
        const field = parent?.parentId ? assets.get(parent.parentId) : undefined;
        return {
          id: well.id,
          code: well.code,
          name: well.name,
          status: well.well?.status ?? null,
          liftType: well.well?.liftType ?? null,
          siteAssetCode: parent?.code ?? null,
          fieldCode: field?.kind === "field" ? field.code : null,
        };
      })
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { siteId, siteName: site.name, freshness: health(site, this.now().getTime()).freshness, wells };
  }

  /** A site's production of one month per day and per well, from its current runs (the remote daily screen). */
  async remoteDaily(siteId: string, month: string): Promise<RemoteDailyProduction> {
    const site = await this.site(siteId);
    const { fromDay, toDay } = monthBounds(month, month);
    const { wellDays } = await this.wellDays(fromDay, toDay, siteId);
    const days = new Map<string, RemoteDailyProduction["days"][number]>();
    const wells = new Map<string, RemoteDailyProduction["wells"][number]>();
    const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
    for (const wellDay of wellDays) {
      const day = days.get(wellDay.day) ?? { day: wellDay.day, oilM3: 0, gasSm3: 0, waterM3: 0, wells: 0 };
      day.oilM3 += wellDay.oilM3;
      day.gasSm3 += wellDay.gasSm3;
      day.waterM3 += wellDay.waterM3;
      day.wells += 1;
      days.set(wellDay.day, day);
      const well = wells.get(wellDay.wellId) ?? { wellId: wellDay.wellId, wellCode: wellDay.wellCode, siteAssetCode: wellDay.siteAsset.code, oilM3: 0, gasSm3: 0, waterM3: 0, days: 0, runVersion: 0 };
      well.oilM3 += wellDay.oilM3;
      well.gasSm3 += wellDay.gasSm3;
      well.waterM3 += wellDay.waterM3;
      well.days += 1;
      well.runVersion = Math.max(well.runVersion, wellDay.runVersion);
      wells.set(wellDay.wellId, well);
    }
    const rounded = <T extends { oilM3: number; gasSm3: number; waterM3: number }>(row: T): T => ({ ...row, oilM3: round6(row.oilM3), gasSm3: round6(row.gasSm3), waterM3: round6(row.waterM3) });
    return {
      siteId,
      siteName: site.name,
      month,
      freshness: health(site, this.now().getTime()).freshness,
      days: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)).map(rounded),
      wells: [...wells.values()].sort((a, b) => a.wellCode.localeCompare(b.wellCode)).map(rounded),
    };
  }

  /** Every site's freshness, by id (exports write it into their manifest). */
  async freshness(): Promise<Map<string, SiteSyncHealth>> {
    const now = this.now().getTime();
    return new Map((await this.siteRows()).map((row) => [row.site_id, health(row, now)]));
  }

  private async site(siteId: string): Promise<SiteRow> {
    const [site] = await this.siteRows(siteId);
    if (!site) throw new ServiceError("not_found", `no synced site ${siteId}`, { field: "siteId", reason: "unknown_site" });
    return site;
  }

  private async siteRows(siteId?: string): Promise<SiteRow[]> {
    const result = await this.db.query<SiteRow>(
      `SELECT site_id, name, last_sequence::text AS last_sequence, last_contact_at, last_health, disabled_at
         FROM sync_sites WHERE ($1::text IS NULL OR site_id = $1) ORDER BY site_id`,
      [siteId ?? null],
    );
    return result.rows;
  }
}

export function checkMonths(fromMonth: string, toMonth: string): void {
  if (toMonth < fromMonth) throw serviceError("invalid_input", "toMonth", "before_field", { other: "fromMonth" });
  if (monthCount(fromMonth, toMonth) > MAX_MONTHS) throw serviceError("invalid_input", "toMonth", "too_many_months", { limit: MAX_MONTHS });
}

/**
 * A site's sync health and freshness (docs/corporate.md "Freshness"): the
 * cloud holds the site as of its last contact, or, when rows were still
 * waiting in the site's outbox then, as of the oldest of them.
 */
function health(row: SiteRow, now: number): SiteSyncHealth {
  const reported = parsed(SiteHealthSchema, row.last_health);
  const contact = row.last_contact_at ? new Date(row.last_contact_at).getTime() : null;
  const oldestPending = reported?.oldestPendingAt ? Date.parse(reported.oldestPendingAt) : null;
  const asOf = contact === null ? null : reported && reported.outboxPending > 0 && oldestPending !== null ? Math.min(oldestPending, contact) : contact;
  const freshness: Freshness = asOf === null ? { asOf: null, ageSeconds: null } : { asOf: new Date(asOf).toISOString(), ageSeconds: seconds(now - asOf) };
  return {
    siteId: row.site_id,
    name: row.name,
    disabled: row.disabled_at !== null,
    lastContactAt: contact === null ? null : new Date(contact).toISOString(),
    lastSequence: Number(row.last_sequence),
    outboxPending: reported ? reported.outboxPending : null,
    oldestPendingAt: oldestPending === null ? null : new Date(oldestPending).toISOString(),
    outboxLagSeconds: reported ? (oldestPending === null ? 0 : seconds(now - oldestPending)) : null,
    spoolBytes: reported ? reported.spoolBytes : null,
    appVersion: reported ? reported.appVersion : null,
    freshness,
  };
}
