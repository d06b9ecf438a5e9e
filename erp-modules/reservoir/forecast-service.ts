import type { Role } from "../../runtime/auth/roles.js";
import { newId } from "../../runtime/ids.js";
import type { AssetLookup, WellRef } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric, fromNumericOrNull } from "../shared/numeric.js";
import { invalidInput, ServiceError } from "../shared/service-error.js";
import { DEFAULT_DAYS_PER_YEAR, type DcaParameters } from "./dca-schema.js";
import { curveFromParameters, type DcaService } from "./dca-service.js";
import type { ForecastCreate, ForecastDetail, StoredForecast } from "./forecast-schema.js";
import { rateAt, type ArpsCurve } from "./model/arps.js";
import { goodnessOver, pointTimeDays, type Goodness } from "./model/forecast-check.js";
import { daysFrom, type RatePoint } from "./model/rate-series.js";
import type { RateService } from "./rate-service.js";
import type { ReservoirFluid } from "./rate-schema.js";

/*
 * Stored decline forecasts (docs/reservoir-data.md "Forecasts"): an engineer
 * saves a curve (fitted, or adjusted by hand) with a reason; each save is a
 * new version of the well's forecast for that fluid, never an edit. The
 * server recomputes what the record claims: the goodness of the curve over
 * the window's points, the points left out and why, and the EUR.
 */

const MODULE = "reservoir";
const DAY_MS = 86_400_000;
/** The most points GET returns for the computed forecast. */
const FORECAST_POINTS = 1500;

type ExclusionReason = StoredForecast["excludedPoints"][number]["reason"];

interface ForecastRow {
  id: string;
  well_id: string;
  fluid: ReservoirFluid;
  version: number;
  parameters: DcaParameters;
  reference_date: string;
  days_per_year: string;
  economic_limit_rate_per_day: string | null;
  source: StoredForecast["source"];
  tag_path: string | null;
  rate_interval: StoredForecast["interval"];
  window_start: string;
  window_end: string;
  goodness: Goodness;
  excluded_points: StoredForecast["excludedPoints"];
  eur_volume: string | null;
  reason: string;
  created_by: string;
  created_at: Date;
}

const COLUMNS = `id, well_id, fluid, version, parameters, reference_date::text AS reference_date, days_per_year::text AS days_per_year,
  economic_limit_rate_per_day::text AS economic_limit_rate_per_day, source, tag_path, rate_interval, window_start::text AS window_start,
  window_end::text AS window_end, goodness, excluded_points, eur_volume::text AS eur_volume, reason, created_by, created_at`;

function toForecast(row: ForecastRow): StoredForecast {
  return {
    id: row.id,
    wellId: row.well_id,
    fluid: row.fluid,
    version: Number(row.version),
    parameters: row.parameters,
    referenceDate: row.reference_date,
    daysPerYear: fromNumeric(row.days_per_year),
    economicLimitRatePerDay: fromNumericOrNull(row.economic_limit_rate_per_day),
    source: row.source,
    tagPath: row.tag_path,
    interval: row.rate_interval,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    goodness: row.goodness,
    excludedPoints: row.excluded_points,
    eurVolume: fromNumericOrNull(row.eur_volume),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + Math.round(days) * DAY_MS).toISOString().slice(0, 10);
}

/** The curve of a stored forecast, for the engine's rateAt (the shortfall check). */
export function curveOf(forecast: Pick<StoredForecast, "parameters" | "daysPerYear">): ArpsCurve {
  return curveFromParameters(forecast.parameters, forecast.daysPerYear);
}

export class ForecastService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
    private readonly rates: RateService,
    private readonly dca: DcaService,
  ) {}

  /** Saves a new version of the well's forecast for the fluid. */
  async create(wellId: string, input: ForecastCreate, actor: string, role: Role): Promise<StoredForecast> {
    const well = await this.well(wellId);
    const reason = input.reason.trim();
    if (!reason) throw invalidInput("reason", "required");
    const windowEnd = input.windowEnd ?? today();
    if (windowEnd < input.windowStart) throw invalidInput("windowEnd", "before_field", { other: "windowStart" });
    const daysPerYear = input.daysPerYear ?? DEFAULT_DAYS_PER_YEAR;
    const curve = curveFromParameters(input.parameters, daysPerYear);
    const series = await this.rates.series(
      well.id,
      { fluid: input.fluid, source: input.source, interval: input.interval, from: input.windowStart, to: windowEnd, tagPath: input.tagPath },
      role,
    );
    const extra = new Map((input.excludedDates ?? []).map((entry) => [entry.date, entry.reason]));
    const included: RatePoint[] = [];
    const excludedPoints: StoredForecast["excludedPoints"] = [];
    for (const point of series.points) {
      const why: ExclusionReason | undefined =
        point.flags[0] ?? extra.get(point.date) ?? (point.rate === null || point.rate <= 0 ? "noVolume" : pointTimeDays(point, input.referenceDate) < 0 ? "beforeWindow" : undefined);
      if (why) excludedPoints.push({ date: point.date, rate: point.rate, reason: why });
      else included.push(point);
    }
    const goodness = goodnessOver(included, input.referenceDate, (t) => rateAt(curve, t));
    if (!goodness) throw invalidInput("windowStart", "too_few_items", { limit: 1 }, "the window has no producing point to measure the curve against");
    const eur = this.dca.forecast({
      parameters: input.parameters,
      horizonDays: 1,
      stepDays: 1,
      daysPerYear,
      ...(input.economicLimitRatePerDay === undefined ? {} : { economicLimitRatePerDay: input.economicLimitRatePerDay }),
    }).eurVolume;
    const saved = await this.context.db.transaction(async (tx) => {
      // Two saves for the same well and fluid take versions one after the other.
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`petroflow.reservoir.forecast:${this.context.siteId}:${well.id}:${input.fluid}`]);
      const last = await tx.query<{ version: number | null }>(
        "SELECT max(version) AS version FROM reservoir_forecasts WHERE site_id = $1 AND well_id = $2 AND fluid = $3",
        [this.context.siteId, well.id, input.fluid],
      );
      const version = Number(last.rows[0]?.version ?? 0) + 1;
      const id = newId();
      const inserted = await tx.query<ForecastRow>(
        `INSERT INTO reservoir_forecasts (id, site_id, well_id, fluid, version, parameters, reference_date, days_per_year, economic_limit_rate_per_day,
           source, tag_path, rate_interval, window_start, window_end, goodness, excluded_points, eur_volume, reason, created_by)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16::jsonb, $17, $18, $19) RETURNING ${COLUMNS}`,
        [
          id,
          this.context.siteId,
          well.id,
          input.fluid,
          version,
          JSON.stringify(input.parameters),
          input.referenceDate,
          String(daysPerYear),
          input.economicLimitRatePerDay === undefined ? null : String(input.economicLimitRatePerDay),
          input.source,
          series.tagPath,
          series.interval,
          input.windowStart,
          windowEnd,
          JSON.stringify(goodness),
          JSON.stringify(excludedPoints),
          eur === null ? null : String(eur),
          reason,
          actor,
        ],
      );
      const forecast = toForecast(inserted.rows[0]);
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "reservoir.forecast.create",
        entityType: "forecast",
        entityId: id,
        operation: "insert",
        rowVersion: 1,
        after: forecast,
        details: { wellCode: well.code },
      });
      return forecast;
    });
    this.context.events.emit("reservoir.forecast.saved", { forecastId: saved.id, wellId: well.id, wellCode: well.code, fluid: saved.fluid, version: saved.version });
    return saved;
  }

  /** Every version, newest first. */
  async list(wellId: string, fluid?: ReservoirFluid): Promise<StoredForecast[]> {
    await this.well(wellId);
    const rows = await this.context.db.query<ForecastRow>(
      `SELECT ${COLUMNS} FROM reservoir_forecasts WHERE site_id = $1 AND well_id = $2 AND ($3::text IS NULL OR fluid = $3) ORDER BY fluid, version DESC`,
      [this.context.siteId, wellId, fluid ?? null],
    );
    return rows.rows.map(toForecast);
  }

  /** The latest version for the fluid, or null. */
  async current(wellId: string, fluid: ReservoirFluid): Promise<StoredForecast | null> {
    const rows = await this.context.db.query<ForecastRow>(
      `SELECT ${COLUMNS} FROM reservoir_forecasts WHERE site_id = $1 AND well_id = $2 AND fluid = $3 ORDER BY version DESC LIMIT 1`,
      [this.context.siteId, wellId, fluid],
    );
    return rows.rows[0] ? toForecast(rows.rows[0]) : null;
  }

  /** One version with its forecast computed as of today: rates, cumulatives, EUR, remaining reserves. */
  async get(wellId: string, forecastId: string, horizonYears = 30): Promise<ForecastDetail> {
    const rows = await this.context.db.query<ForecastRow>(`SELECT ${COLUMNS} FROM reservoir_forecasts WHERE site_id = $1 AND well_id = $2 AND id = $3`, [
      this.context.siteId,
      wellId,
      forecastId,
    ]);
    if (!rows.rows[0]) throw new ServiceError("not_found", `no forecast ${forecastId} of well ${wellId}`);
    const stored = toForecast(rows.rows[0]);
    const asOfDate = today();
    const asOfDays = Math.max(daysFrom(stored.referenceDate, asOfDate), 0);
    const horizonDays = Math.min(asOfDays + horizonYears * stored.daysPerYear, 73_050);
    const computed = this.dca.forecast({
      parameters: stored.parameters,
      horizonDays,
      stepDays: Math.max(1, horizonDays / FORECAST_POINTS),
      asOfDays,
      daysPerYear: stored.daysPerYear,
      ...(stored.economicLimitRatePerDay === null ? {} : { economicLimitRatePerDay: stored.economicLimitRatePerDay }),
    });
    return {
      ...stored,
      forecast: {
        asOfDate,
        points: computed.points.map((point) => ({ date: addDays(stored.referenceDate, point.timeDays), ...point })),
        eurVolume: computed.eurVolume,
        remainingVolume: computed.remainingVolume,
        economicLimitDate:
          computed.timeToEconomicLimitDays === null || computed.timeToEconomicLimitDays > horizonDays ? null : addDays(stored.referenceDate, computed.timeToEconomicLimitDays),
        flags: computed.flags,
      },
    };
  }

  private async well(wellId: string): Promise<WellRef> {
    const well = await this.assets.getWell(wellId);
    if (!well) throw new ServiceError("not_found", `no well ${wellId}`);
    return well;
  }
}
