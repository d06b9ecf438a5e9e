import type { Queryable } from "../../runtime/db/database.js";
import { computeAlarmKpis, type Activation, type StandingCandidate } from "../../runtime/alarms/alarm-kpis.js";
import { ALARM_KPI_DAY_ENTITY, alarmKpiDayId } from "../../runtime/alarms/alarm-kpi-publisher.js";
import type { SiteHealth } from "../../runtime/sync/sync-schema.js";
import { allocationSyncSummary } from "../../erp-modules/production/model/allocation-sync-summary.js";
import type { PlannedResult } from "../../erp-modules/production/model/allocation-plan.js";

/*
 * The cloud store (runtime/sync/migrations/0003_cloud_store.sql) filled
 * directly, as the sync receiver fills it, with payloads built the way the
 * site modules build their outbox rows: an asset as the assets service
 * returns it, an allocation run with its per-well volumes made by the same
 * function the allocation service calls, an alarm day made by the site's
 * own KPI code. For corporate tests that need no sync agent.
 */

export interface CloudSite {
  siteId: string;
  name: string;
  lastContactAt: string | null;
  health?: SiteHealth;
  lastSequence?: number;
}

export async function insertSyncSite(db: Queryable, site: CloudSite): Promise<void> {
  await db.query(
    `INSERT INTO sync_sites (site_id, name, last_sequence, last_contact_at, last_health, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, 'fixture')`,
    [site.siteId, site.name, site.lastSequence ?? 0, site.lastContactAt, site.health ? JSON.stringify(site.health) : null],
  );
}

let sequence = 0;

/** One accepted entity, owned by the site that sent it. */
export async function insertSyncEntity(db: Queryable, entity: { siteId: string; module: string; entityType: string; entityId: string; payload: unknown; committedAt?: string; deleted?: boolean }): Promise<void> {
  sequence += 1;
  await db.query(
    `INSERT INTO sync_entities (entity_type, entity_id, module, owner, site_id, row_version, deleted, payload, last_site_sequence, committed_at)
     VALUES ($1, $2, $3, $4, $4, 1, $5, $6::jsonb, $7, $8)
     ON CONFLICT (entity_type, entity_id) DO UPDATE SET payload = EXCLUDED.payload, deleted = EXCLUDED.deleted,
       last_site_sequence = EXCLUDED.last_site_sequence, committed_at = EXCLUDED.committed_at, updated_at = now()`,
    [entity.entityType, entity.entityId, entity.module, entity.siteId, entity.deleted ?? false, JSON.stringify(entity.payload), sequence, entity.committedAt ?? new Date().toISOString()],
  );
}

/** A deterministic uuid-shaped id per label (fixtures read better with names than random ids). */
export function fixtureId(label: string): string {
  let hash = 0n;
  for (const char of label) hash = (hash * 131n + BigInt(char.codePointAt(0) ?? 0)) % (1n << 120n);
  const hex = hash.toString(16).padStart(30, "0").slice(-30);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(12, 15)}-8${hex.slice(15, 18)}-${hex.slice(18, 30)}`;
}

type AssetKind = "field" | "site" | "well";

/** An asset as the assets service's outbox row carries it (AssetSchema). */
export function assetPayload(asset: { id: string; kind: AssetKind; code: string; name: string; parentId: string | null; status?: string; liftType?: string }): Record<string, unknown> {
  return {
    id: asset.id,
    kind: asset.kind,
    code: asset.code,
    name: asset.name,
    description: "",
    parentId: asset.parentId,
    siteType: asset.kind === "site" ? "battery" : null,
    latitude: null,
    longitude: null,
    createdAt: "2026-01-05T10:00:00.000Z",
    updatedAt: "2026-01-05T10:00:00.000Z",
    rowVersion: 1,
    createdBy: "admin",
    well:
      asset.kind === "well"
        ? { uwi: null, liftType: asset.liftType ?? "esp", status: asset.status ?? "producing", statusSince: "2026-01-05T10:00:00.000Z", completion: {} }
        : null,
    equipment: null,
    tags: [],
  };
}

export interface RunFixture {
  siteId: string;
  runId: string;
  version: number;
  restates?: string | null;
  site: { id: string; code: string; name: string };
  field: { id: string; code: string; name: string } | null;
  wells: { id: string; code: string }[];
  /** Per well code, per day: [oil m3, gas Sm3, water m3]. */
  volumes: Record<string, Record<string, [number, number, number]>>;
  periodStart: string;
  periodEnd: string;
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += 86_400_000) out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

/** An allocation run's outbox payload: the run as the API returns it plus wellVolumes (allocation-service.ts). */
export function allocationRunPayload(run: RunFixture): Record<string, unknown> {
  const period = days(run.periodStart, run.periodEnd);
  const results: PlannedResult[] = [];
  const totals = { oil: 0, gas: 0, water: 0 };
  for (const well of run.wells) {
    for (const day of period) {
      const [oil, gas, water] = run.volumes[well.code]?.[day] ?? [0, 0, 0];
      totals.oil += oil;
      totals.gas += gas;
      totals.water += water;
      for (const [fluid, value] of [["oil", oil], ["gas", gas], ["water", water]] as const) {
        results.push({ wellId: well.id, productionDate: day, fluid, theoreticalM3: value.toFixed(6), allocatedM3: value.toFixed(6), uptimeHours: 24, wellTestId: null });
      }
    }
  }
  const fluidTotals = (value: number) => ({ measuredM3: value, allocatedM3: value });
  return {
    id: run.runId,
    siteAssetId: run.site.id,
    periodStart: run.periodStart,
    periodEnd: run.periodEnd,
    version: run.version,
    restates: run.restates ?? null,
    reason: run.restates ? "corrected meter reading" : null,
    createdAt: `${run.periodEnd}T23:00:00.000Z`,
    createdBy: "eve-engineer",
    totals: { oil: fluidTotals(totals.oil), gas: fluidTotals(totals.gas), water: fluidTotals(totals.water) },
    warnings: [],
    priorPeriodAdjustment: false,
    wellVolumes: allocationSyncSummary(run.site, run.field, period, run.wells, results),
  };
}

export async function insertRun(db: Queryable, run: RunFixture): Promise<void> {
  await insertSyncEntity(db, { siteId: run.siteId, module: "production", entityType: "allocation_run", entityId: run.runId, payload: allocationRunPayload(run) });
}

/** A site's register: field > site (battery) > wells, as assets entities. */
export async function insertRegister(db: Queryable, siteId: string, register: { field: { id: string; code: string; name: string }; site: { id: string; code: string; name: string }; wells: { id: string; code: string; name?: string; status?: string }[] }): Promise<void> {
  await insertSyncEntity(db, { siteId, module: "assets", entityType: "asset", entityId: register.field.id, payload: assetPayload({ ...register.field, kind: "field", parentId: null }) });
  await insertSyncEntity(db, { siteId, module: "assets", entityType: "asset", entityId: register.site.id, payload: assetPayload({ ...register.site, kind: "site", parentId: register.field.id }) });
  for (const well of register.wells) {
    await insertSyncEntity(db, { siteId, module: "assets", entityType: "asset", entityId: well.id, payload: assetPayload({ id: well.id, kind: "well", code: well.code, name: well.name ?? well.code, parentId: register.site.id, status: well.status }) });
  }
}

/** One UTC day's alarm summary, computed by the site's KPI code from activations (the publisher's payload). */
export async function insertAlarmDay(db: Queryable, siteId: string, day: string, activations: readonly Activation[], standing: readonly StandingCandidate[] = []): Promise<void> {
  const from = Date.parse(`${day}T00:00:00Z`);
  const kpis = computeAlarmKpis(activations, standing, from, from + 86_400_000);
  await insertSyncEntity(db, { siteId, module: "alarms", entityType: ALARM_KPI_DAY_ENTITY, entityId: alarmKpiDayId(siteId, day), payload: { day, kpis } });
}

const MINUTE_MS = 60_000;

/**
 * Two sites as a cloud holds them after they synced (docs/corporate.md):
 * SITE-N (Norte): field F-NORTE > BAT-N1 > wells N-101, N-102; a run over
 *   Oct 1-2 2026 and a restatement (version 2) of Oct 2. Last contact 12
 *   minutes before `now`, nothing pending: data 720 s old.
 * SITE-S (Sur): field F-SUR > BAT-S1 > well S-201; one run over Sep 30 and
 *   Oct 1. Last contact 2 minutes ago with 40 rows still pending since 3 h
 *   ago: data 10,800 s old.
 * October by hand: Norte oil 10 + 5 + 12 + 6 = 33 m3, gas 1000 + 500 + 1100
 * + 600 = 3200 Sm3, water 2 + 1 + 3 + 1 = 7 m3 (version 1's Oct 2 is
 * superseded); Sur oil 22, gas 2100, water 11; September Sur 20 / 2000 / 10.
 * Alarms on Oct 1: Norte 24 hourly activations of N-101 high pressure and
 * 3 of N-102 low level within 40 s (chattering): 27; Sur 48 half-hourly of
 * S-201 high temperature.
 */
export async function seedTwoSites(db: Queryable, now: number): Promise<void> {
  await insertSyncSite(db, {
    siteId: "SITE-N",
    name: "Norte",
    lastContactAt: new Date(now - 12 * MINUTE_MS).toISOString(),
    lastSequence: 5120,
    health: { outboxPending: 0, spoolBytes: 0, appVersion: "0.1.0" },
  });
  await insertSyncSite(db, {
    siteId: "SITE-S",
    name: "Sur",
    lastContactAt: new Date(now - 2 * MINUTE_MS).toISOString(),
    lastSequence: 880,
    health: { outboxPending: 40, oldestPendingAt: new Date(now - 180 * MINUTE_MS).toISOString(), spoolBytes: 65_536, appVersion: "0.1.0" },
  });
  const norte = {
    field: { id: fixtureId("F-NORTE"), code: "F-NORTE", name: "Campo Norte" },
    site: { id: fixtureId("BAT-N1"), code: "BAT-N1", name: "Batería Norte 1" },
    wells: [
      { id: fixtureId("N-101"), code: "N-101" },
      { id: fixtureId("N-102"), code: "N-102", status: "shut_in" },
    ],
  };
  const sur = {
    field: { id: fixtureId("F-SUR"), code: "F-SUR", name: "Campo Sur" },
    site: { id: fixtureId("BAT-S1"), code: "BAT-S1", name: "Batería Sur 1" },
    wells: [{ id: fixtureId("S-201"), code: "S-201" }],
  };
  await insertRegister(db, "SITE-N", norte);
  await insertRegister(db, "SITE-S", sur);
  const norteRun = { siteId: "SITE-N", site: norte.site, field: norte.field, wells: norte.wells.map(({ id, code }) => ({ id, code })) };
  await insertRun(db, {
    ...norteRun,
    runId: fixtureId("run-N-1"),
    version: 1,
    periodStart: "2026-10-01",
    periodEnd: "2026-10-02",
    volumes: {
      "N-101": { "2026-10-01": [10, 1000, 2], "2026-10-02": [10, 1000, 2] },
      "N-102": { "2026-10-01": [5, 500, 1], "2026-10-02": [5, 500, 1] },
    },
  });
  await insertRun(db, {
    ...norteRun,
    runId: fixtureId("run-N-2"),
    version: 2,
    restates: fixtureId("run-N-1"),
    periodStart: "2026-10-02",
    periodEnd: "2026-10-02",
    volumes: { "N-101": { "2026-10-02": [12, 1100, 3] }, "N-102": { "2026-10-02": [6, 600, 1] } },
  });
  await insertRun(db, {
    siteId: "SITE-S",
    site: sur.site,
    field: sur.field,
    wells: sur.wells,
    runId: fixtureId("run-S-1"),
    version: 1,
    periodStart: "2026-09-30",
    periodEnd: "2026-10-01",
    volumes: { "S-201": { "2026-09-30": [20, 2000, 10], "2026-10-01": [22, 2100, 11] } },
  });
  const dayStart = Date.parse("2026-10-01T00:00:00Z");
  const activation = (alarmId: string, tagPath: string, message: string, at: number): Activation => ({ alarmId, tagPath, message, area: "production", priority: "high", at });
  const norteActivations = [
    ...Array.from({ length: 24 }, (_, hour) => activation("n101-hp", "SITE-N/N-101/THP", "N-101 high pressure", dayStart + hour * 3600_000 + 1000)),
    ...[0, 20, 40].map((second) => activation("n102-ll", "SITE-N/N-102/LEVEL", "N-102 low level", dayStart + 10 * 3600_000 + 5 * MINUTE_MS + second * 1000)),
  ];
  await insertAlarmDay(db, "SITE-N", "2026-10-01", norteActivations);
  await insertAlarmDay(
    db,
    "SITE-S",
    "2026-10-01",
    Array.from({ length: 48 }, (_, index) => activation("s201-ht", "SITE-S/S-201/TEMP", "S-201 high temperature", dayStart + index * 30 * MINUTE_MS + 1000)),
  );
}
