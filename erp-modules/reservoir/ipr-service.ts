import type { Static, TSchema } from "@sinclair/typebox";
import type { Queryable, SqlValue } from "../../runtime/db/database.js";
import { newId } from "../../runtime/ids.js";
import { checkInput } from "../../runtime/input/schema-check.js";
import type { WellTest } from "../production/schema.js";
import type { ProductionService } from "../production/service.js";
import type { AssetLookup, WellRef } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumeric, fromNumericOrNull } from "../shared/numeric.js";
import { inputRefused, invalidInput, ServiceError, serviceError } from "../shared/service-error.js";
import {
  IprRequestSchema,
  MultiRateTestInputSchema,
  MultiRateTestQuerySchema,
  MultiRateTestUpdateSchema,
  PressureSurveyInputSchema,
  PressureSurveyQuerySchema,
  PressureSurveyUpdateSchema,
  RowVersionBodySchema,
  type IprRequest,
  type IprResult,
  type MultiRatePoint,
  type MultiRatePointInput,
  type MultiRateTest,
  type MultiRateTestInput,
  type MultiRateTestQuery,
  type MultiRateTestUpdate,
  type PressureSurvey,
  type PressureSurveyInput,
  type PressureSurveyQuery,
  type PressureSurveyUpdate,
  type SurveyMethod,
} from "./ipr-schema.js";
import {
  compositeFromTest,
  fetkovichFit,
  iprCurve,
  IprInputError,
  pressureFor,
  rateAt,
  vogelFromTest,
  type IprModel,
  type IprTestPoint,
} from "./model/ipr.js";

/** The standard atmosphere: gauge + this = absolute (docs/reservoir-ipr.md, pressure convention). */
export const ATMOSPHERIC_PRESSURE_KPA = 101.325;

const MODULE = "reservoir";
type Numeric = string | number;

interface SurveyRow {
  id: string;
  well_id: string;
  surveyed_on: string;
  reservoir_pressure_kpa: Numeric;
  bubble_point_kpa: Numeric | null;
  datum_depth_m: Numeric | null;
  method: SurveyMethod;
  notes: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

interface MultiRateRow {
  id: string;
  well_id: string;
  tested_on: string;
  reservoir_pressure_kpa: Numeric | null;
  notes: string;
  created_at: Date;
  updated_at: Date;
  row_version: number;
  created_by: string;
}

interface PointRow {
  multirate_test_id: string;
  well_test_id: string | null;
  rate_m3_per_day: Numeric;
  flowing_pressure_kpa: Numeric;
}

// A date column as text: node-pg would turn it into a local-midnight Date.
const SURVEY_SELECT = `SELECT id, well_id, surveyed_on::text AS surveyed_on, reservoir_pressure_kpa, bubble_point_kpa, datum_depth_m, method,
  notes, created_at, updated_at, row_version, created_by FROM reservoir_pressure_surveys`;
const MULTIRATE_SELECT = `SELECT id, well_id, tested_on::text AS tested_on, reservoir_pressure_kpa, notes, created_at, updated_at, row_version, created_by
  FROM reservoir_multirate_tests`;

function toSurvey(row: SurveyRow): PressureSurvey {
  return {
    id: row.id,
    wellId: row.well_id,
    surveyedOn: row.surveyed_on,
    reservoirPressureKpa: fromNumeric(row.reservoir_pressure_kpa),
    bubblePointKpa: fromNumericOrNull(row.bubble_point_kpa),
    datumDepthM: fromNumericOrNull(row.datum_depth_m),
    method: row.method,
    notes: row.notes,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    rowVersion: row.row_version,
    createdBy: row.created_by,
  };
}

function parseInput<T extends TSchema>(schema: T, input: unknown): Static<T> {
  const checked = checkInput(schema, input, "");
  if ("problem" in checked) throw inputRefused(checked.problem);
  return checked.value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseId(value: string, field: string): string {
  if (!UUID.test(value)) throw invalidInput(field, "not_a_uuid");
  return value;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

function stale(what: string, current: number, sent: number): ServiceError {
  return serviceError("stale", "rowVersion", "changed_since_read", { current, sent }, `${what} changed since you read it (version ${current}, you sent ${sent})`);
}

/** The model's refusals, as a 400 naming the request's field. */
function modelRefusal(error: unknown, fieldOf: (field: string) => string): never {
  if (error instanceof IprInputError) {
    if (error.reason === "points_not_distinct") throw invalidInput(fieldOf(error.field), "points_not_distinct");
    throw invalidInput(fieldOf(error.field), error.reason, error.params);
  }
  throw error;
}

/** The request field a model field came from. */
function requestField(modelField: string, explicitPoints: boolean): string {
  if (modelField === "test.flowingPressureKpa") return "testPressureKpa";
  if (modelField === "test.rateM3PerDay") return "testRateM3PerDay";
  if (modelField.startsWith("points") && !explicitPoints) return "multiRateTestId";
  return modelField;
}

const toAbsolute = (gaugeKpa: number) => gaugeKpa + ATMOSPHERIC_PRESSURE_KPA;
const toGauge = (absoluteKpa: number) => absoluteKpa - ATMOSPHERIC_PRESSURE_KPA;

/** Rounds away float noise of the gauge/absolute round trip (1e-9 kPa), keeping the values exact enough for any use. */
function clean(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** The UTC day of an instant (the production module's well-test day convention). */
function dayOf(instant: string): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/**
 * Inflow performance: static pressure surveys, multi-rate tests and the IPR
 * built from them or from explicit values (model/ipr.ts). Every write is one
 * transaction with its audit and outbox rows (recordChange).
 */
export class IprService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
    private readonly production: ProductionService,
  ) {}

  // --- surveys -------------------------------------------------------------

  async createSurvey(raw: PressureSurveyInput | Record<string, unknown>, actor: string): Promise<PressureSurvey> {
    const input = parseInput(PressureSurveyInputSchema, raw);
    await this.well(input.wellId, "wellId");
    const id = newId();
    const survey = await this.uniqueSurveyDay(() =>
      this.context.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO reservoir_pressure_surveys (id, site_id, well_id, surveyed_on, reservoir_pressure_kpa, bubble_point_kpa, datum_depth_m, method, notes, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [id, this.context.siteId, input.wellId, input.surveyedOn, input.reservoirPressureKpa, input.bubblePointKpa ?? null, input.datumDepthM ?? null, input.method, input.notes, actor],
        );
        const after = await this.surveyIn(tx, id);
        await recordChange(this.context, tx, { actor, module: MODULE, action: "reservoir.pressure_survey.create", entityType: "pressure_survey", entityId: id, operation: "insert", rowVersion: 1, after });
        return after;
      }),
    );
    this.context.events.emit("reservoir.pressure_survey.created", { id, wellId: survey.wellId });
    return survey;
  }

  async updateSurvey(id: string, raw: PressureSurveyUpdate | Record<string, unknown>, actor: string): Promise<PressureSurvey> {
    const surveyId = parseId(id, "id");
    const input = parseInput(PressureSurveyUpdateSchema, raw);
    return this.uniqueSurveyDay(() =>
      this.context.db.transaction(async (tx) => {
        const before = await this.lockedSurvey(tx, surveyId, input.rowVersion);
        await tx.query(
          `UPDATE reservoir_pressure_surveys SET surveyed_on = $2, reservoir_pressure_kpa = $3, bubble_point_kpa = $4, datum_depth_m = $5, method = $6,
             notes = $7, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
          [surveyId, input.surveyedOn, input.reservoirPressureKpa, input.bubblePointKpa ?? null, input.datumDepthM ?? null, input.method, input.notes],
        );
        const after = await this.surveyIn(tx, surveyId);
        await recordChange(this.context, tx, {
          actor, module: MODULE, action: "reservoir.pressure_survey.update", entityType: "pressure_survey", entityId: surveyId, operation: "update", rowVersion: after.rowVersion, before, after,
        });
        return after;
      }),
    );
  }

  async deleteSurvey(id: string, raw: { rowVersion: number } | Record<string, unknown>, actor: string): Promise<void> {
    const surveyId = parseId(id, "id");
    const { rowVersion } = parseInput(RowVersionBodySchema, raw);
    await this.context.db.transaction(async (tx) => {
      const before = await this.lockedSurvey(tx, surveyId, rowVersion);
      await tx.query("DELETE FROM reservoir_pressure_surveys WHERE id = $1", [surveyId]);
      await recordChange(this.context, tx, {
        actor, module: MODULE, action: "reservoir.pressure_survey.delete", entityType: "pressure_survey", entityId: surveyId, operation: "delete", rowVersion: before.rowVersion, before, after: null,
      });
    });
  }

  async getSurvey(id: string): Promise<PressureSurvey> {
    return this.surveyIn(this.context.db, parseId(id, "id"));
  }

  /** Surveys, newest first. */
  async listSurveys(raw: Partial<PressureSurveyQuery>): Promise<{ items: PressureSurvey[]; total: number }> {
    const query = parseInput(PressureSurveyQuerySchema, raw);
    const params: SqlValue[] = [this.context.siteId];
    const conditions = ["site_id = $1"];
    const add = (value: string | undefined, sql: string) => {
      if (value === undefined) return;
      params.push(value);
      conditions.push(sql.replace("?", `$${params.length}`));
    };
    add(query.wellId, "well_id = ?");
    add(query.from, "surveyed_on >= ?");
    add(query.to, "surveyed_on <= ?");
    const where = `WHERE ${conditions.join(" AND ")}`;
    const total = await this.context.db.query<{ count: Numeric }>(`SELECT count(*) AS count FROM reservoir_pressure_surveys ${where}`, params);
    const rows = await this.context.db.query<SurveyRow>(
      `${SURVEY_SELECT} ${where} ORDER BY surveyed_on DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { items: rows.rows.map(toSurvey), total: fromNumeric(total.rows[0]?.count ?? 0) };
  }

  /** The well's latest survey on or before a day, or null. */
  async latestSurvey(wellId: string, onOrBefore: string, db: Queryable = this.context.db): Promise<PressureSurvey | null> {
    const result = await db.query<SurveyRow>(
      `${SURVEY_SELECT} WHERE site_id = $1 AND well_id = $2 AND surveyed_on <= $3 ORDER BY surveyed_on DESC LIMIT 1`,
      [this.context.siteId, wellId, onOrBefore],
    );
    const row = result.rows[0];
    return row ? toSurvey(row) : null;
  }

  // --- multi-rate tests ----------------------------------------------------

  async createMultiRateTest(raw: MultiRateTestInput | Record<string, unknown>, actor: string): Promise<MultiRateTest> {
    const input = parseInput(MultiRateTestInputSchema, raw);
    await this.well(input.wellId, "wellId");
    const points = await this.resolvePoints(input.wellId, input.points);
    const id = newId();
    const created = await this.context.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO reservoir_multirate_tests (id, site_id, well_id, tested_on, reservoir_pressure_kpa, notes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, this.context.siteId, input.wellId, input.testedOn, input.reservoirPressureKpa ?? null, input.notes, actor],
      );
      await this.writePoints(tx, id, points, actor);
      const after = await this.multiRateIn(tx, id);
      await recordChange(this.context, tx, { actor, module: MODULE, action: "reservoir.multirate_test.create", entityType: "multirate_test", entityId: id, operation: "insert", rowVersion: 1, after });
      return after;
    });
    this.context.events.emit("reservoir.multirate_test.created", { id, wellId: created.wellId });
    return created;
  }

  async updateMultiRateTest(id: string, raw: MultiRateTestUpdate | Record<string, unknown>, actor: string): Promise<MultiRateTest> {
    const testId = parseId(id, "id");
    const input = parseInput(MultiRateTestUpdateSchema, raw);
    const current = await this.multiRateIn(this.context.db, testId);
    const points = await this.resolvePoints(current.wellId, input.points);
    return this.context.db.transaction(async (tx) => {
      const before = await this.lockedMultiRate(tx, testId, input.rowVersion);
      await tx.query(
        `UPDATE reservoir_multirate_tests SET tested_on = $2, reservoir_pressure_kpa = $3, notes = $4, updated_at = now(), row_version = row_version + 1 WHERE id = $1`,
        [testId, input.testedOn, input.reservoirPressureKpa ?? null, input.notes],
      );
      // The points are part of the test: replaced as a whole, audited with it.
      await tx.query("DELETE FROM reservoir_multirate_points WHERE multirate_test_id = $1", [testId]);
      await this.writePoints(tx, testId, points, actor);
      const after = await this.multiRateIn(tx, testId);
      await recordChange(this.context, tx, {
        actor, module: MODULE, action: "reservoir.multirate_test.update", entityType: "multirate_test", entityId: testId, operation: "update", rowVersion: after.rowVersion, before, after,
      });
      return after;
    });
  }

  async deleteMultiRateTest(id: string, raw: { rowVersion: number } | Record<string, unknown>, actor: string): Promise<void> {
    const testId = parseId(id, "id");
    const { rowVersion } = parseInput(RowVersionBodySchema, raw);
    await this.context.db.transaction(async (tx) => {
      const before = await this.lockedMultiRate(tx, testId, rowVersion);
      await tx.query("DELETE FROM reservoir_multirate_tests WHERE id = $1", [testId]);
      await recordChange(this.context, tx, {
        actor, module: MODULE, action: "reservoir.multirate_test.delete", entityType: "multirate_test", entityId: testId, operation: "delete", rowVersion: before.rowVersion, before, after: null,
      });
    });
  }

  async getMultiRateTest(id: string): Promise<MultiRateTest> {
    return this.multiRateIn(this.context.db, parseId(id, "id"));
  }

  async listMultiRateTests(raw: Partial<MultiRateTestQuery>): Promise<{ items: MultiRateTest[]; total: number }> {
    const query = parseInput(MultiRateTestQuerySchema, raw);
    const params: SqlValue[] = [this.context.siteId];
    let where = "WHERE site_id = $1";
    if (query.wellId !== undefined) {
      params.push(query.wellId);
      where += " AND well_id = $2";
    }
    const total = await this.context.db.query<{ count: Numeric }>(`SELECT count(*) AS count FROM reservoir_multirate_tests ${where}`, params);
    const rows = await this.context.db.query<MultiRateRow>(
      `${MULTIRATE_SELECT} ${where} ORDER BY tested_on DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    const points = await this.pointsOf(this.context.db, rows.rows.map((row) => row.id));
    return { items: rows.rows.map((row) => this.toMultiRate(row, points.get(row.id) ?? [])), total: fromNumeric(total.rows[0]?.count ?? 0) };
  }

  // --- the IPR -------------------------------------------------------------

  /**
   * The IPR of a test: refuses (400 naming the field) a request missing what
   * its method needs. Reads only; writes nothing.
   */
  async inflowPerformance(raw: IprRequest | Record<string, unknown>): Promise<IprResult> {
    const request = parseInput(IprRequestSchema, raw);
    const { method } = request;
    let wellId = request.wellId ?? null;
    let day: string | null = null;
    let testPoints: { rateM3PerDay: number; flowingPressureKpa: number; wellTestId: string | null }[];
    let multiRatePressure: number | null = null;

    if (method === "fetkovich") {
      if (request.points) {
        testPoints = request.points.map((point) => ({ ...point, wellTestId: null }));
      } else if (request.multiRateTestId) {
        const test = await this.multiRateFor(request.multiRateTestId);
        if (wellId !== null && test.wellId !== wellId) throw invalidInput("multiRateTestId", "not_a_test_of_well", { well: await this.wellCode(wellId) });
        wellId = test.wellId;
        day = test.testedOn;
        multiRatePressure = test.reservoirPressureKpa;
        testPoints = test.points.map((point) => ({ ...point }));
      } else {
        throw invalidInput("points", "required_for_method", { method });
      }
    } else {
      let rate = request.testRateM3PerDay;
      let pressure = request.testPressureKpa;
      let wellTestId: string | null = null;
      if (request.wellTestId) {
        const test = await this.wellTestFor(request.wellTestId, wellId, "wellTestId");
        wellId = test.wellId;
        wellTestId = test.id;
        day = dayOf(test.startedAt);
        rate ??= test.oilRateM3PerDay;
        if (pressure === undefined) {
          if (test.bottomholePressureKpa === null) {
            throw invalidInput("testPressureKpa", "not_recorded_on_test", { test: test.id }, `testPressureKpa: no bottomhole flowing pressure recorded on well test ${test.id}`);
          }
          pressure = test.bottomholePressureKpa;
        }
      }
      if (rate === undefined) throw invalidInput("testRateM3PerDay", "required_for_method", { method });
      if (pressure === undefined) throw invalidInput("testPressureKpa", "required_for_method", { method });
      testPoints = [{ rateM3PerDay: rate, flowingPressureKpa: pressure, wellTestId }];
    }

    // Reservoir pressure and bubble point: given, else the multi-rate test's, else the survey's.
    let reservoirPressureKpa = request.reservoirPressureKpa ?? multiRatePressure;
    let reservoirPressureSource: IprResult["reservoirPressureSource"] = request.reservoirPressureKpa !== undefined ? "input" : "multirate_test";
    let bubblePointKpa = request.bubblePointKpa ?? null;
    let survey: PressureSurvey | null = null;
    const needsSurvey = reservoirPressureKpa === null || (method === "composite" && bubblePointKpa === null);
    if (needsSurvey && wellId !== null) {
      const surveyDay = day ?? new Date().toISOString().slice(0, 10);
      survey = await this.latestSurvey(wellId, surveyDay);
      if (survey === null && reservoirPressureKpa === null) {
        const well = await this.wellCode(wellId);
        throw invalidInput(
          "reservoirPressureKpa",
          "no_pressure_survey",
          { date: surveyDay, well },
          `reservoirPressureKpa: no static pressure survey on or before ${surveyDay} for ${well}`,
        );
      }
      if (survey !== null && reservoirPressureKpa === null) {
        reservoirPressureKpa = survey.reservoirPressureKpa;
        reservoirPressureSource = "survey";
      }
      if (survey !== null && bubblePointKpa === null) bubblePointKpa = survey.bubblePointKpa;
    }
    if (reservoirPressureKpa === null) throw invalidInput("reservoirPressureKpa", "required");
    if (method === "composite" && bubblePointKpa === null) {
      throw invalidInput("bubblePointKpa", "required_for_method", { method }, "bubblePointKpa: required for the composite method (give it, or record it on the well's pressure survey)");
    }
    const usedSurvey = reservoirPressureSource === "survey" || (survey !== null && request.bubblePointKpa === undefined && method === "composite") ? survey : null;

    // The test points against the reservoir pressure: a flowing pressure at or above it tells nothing of the inflow.
    const pointField = (index: number) => (method === "fetkovich" ? (request.points ? `points.${index}.flowingPressureKpa` : "multiRateTestId") : "testPressureKpa");
    testPoints.forEach((point, index) => {
      if (point.flowingPressureKpa >= reservoirPressureKpa) throw invalidInput(pointField(index), "not_below", { limit: reservoirPressureKpa });
    });

    const prAbs = toAbsolute(reservoirPressureKpa);
    const absolutePoints: IprTestPoint[] = testPoints.map((point) => ({ rateM3PerDay: point.rateM3PerDay, flowingPressureKpa: toAbsolute(point.flowingPressureKpa) }));
    let model: IprModel;
    try {
      if (method === "vogel") model = vogelFromTest(prAbs, absolutePoints[0]);
      else if (method === "composite") model = compositeFromTest(prAbs, toAbsolute(bubblePointKpa ?? 0), absolutePoints[0]);
      else model = fetkovichFit(prAbs, absolutePoints);
    } catch (error) {
      modelRefusal(error, (field) => requestField(field, request.points !== undefined));
    }

    const aof = rateAt(model, ATMOSPHERIC_PRESSURE_KPA);
    let rateAtPressure: IprResult["rateAtPressure"] = null;
    if (request.atPressureKpa !== undefined) {
      if (request.atPressureKpa > reservoirPressureKpa) throw invalidInput("atPressureKpa", "above_maximum", { limit: reservoirPressureKpa });
      rateAtPressure = { flowingPressureKpa: request.atPressureKpa, rateM3PerDay: clean(rateAt(model, toAbsolute(request.atPressureKpa))) };
    }
    let pressureForRate: IprResult["pressureForRate"] = null;
    if (request.targetRateM3PerDay !== undefined) {
      // At most the AOF: a higher rate needs a flowing pressure below the atmosphere.
      if (request.targetRateM3PerDay > aof) throw invalidInput("targetRateM3PerDay", "above_maximum", { limit: clean(aof) });
      pressureForRate = { rateM3PerDay: request.targetRateM3PerDay, flowingPressureKpa: clean(Math.max(0, toGauge(pressureFor(model, request.targetRateM3PerDay)))) };
    }

    return {
      method,
      pressureBasis: "gauge",
      atmosphericPressureKpa: ATMOSPHERIC_PRESSURE_KPA,
      wellId,
      reservoirPressureKpa,
      reservoirPressureSource,
      surveyId: usedSurvey?.id ?? null,
      surveyedOn: usedSurvey?.surveyedOn ?? null,
      bubblePointKpa: method === "composite" ? bubblePointKpa : null,
      testPoints,
      aofM3PerDay: clean(aof),
      productivityIndexM3PerDayPerKpa:
        model.method === "composite" ? model.productivityIndexM3PerDayPerKpa : model.method === "vogel" ? (1.8 * model.qmaxM3PerDay) / prAbs : null,
      fetkovich: model.method === "fetkovich" ? { c: model.c, n: model.n, rSquared: model.rSquared } : null,
      rateAtPressure,
      pressureForRate,
      curve: iprCurve(model, request.curveSteps, ATMOSPHERIC_PRESSURE_KPA).map((point) => ({
        flowingPressureKpa: clean(toGauge(point.flowingPressureKpa)),
        rateM3PerDay: clean(point.rateM3PerDay),
      })),
    };
  }

  // --- helpers -------------------------------------------------------------

  private async well(wellId: string, field: string): Promise<WellRef> {
    const well = await this.assets.getWell(wellId);
    if (!well) throw invalidInput(field, "not_a_well");
    return well;
  }

  private async wellCode(wellId: string): Promise<string> {
    const well = await this.assets.getWell(wellId);
    return well?.code ?? wellId;
  }

  /** A production well test usable as an IPR point: of this well (when given), not rejected. */
  private async wellTestFor(id: string, wellId: string | null, field: string): Promise<WellTest> {
    let test: WellTest;
    try {
      test = await this.production.entries.getWellTest(id);
    } catch (error) {
      if (error instanceof ServiceError && error.code === "not_found") throw serviceError("not_found", field, "invalid", undefined, `${field}: no well test ${id}`);
      throw error;
    }
    if (wellId !== null && test.wellId !== wellId) throw invalidInput(field, "not_a_test_of_well", { well: await this.wellCode(wellId) });
    if (test.status === "rejected") throw invalidInput(field, "well_test_rejected");
    return test;
  }

  private async multiRateFor(id: string): Promise<MultiRateTest> {
    try {
      return await this.multiRateIn(this.context.db, parseId(id, "multiRateTestId"));
    } catch (error) {
      if (error instanceof ServiceError && error.code === "not_found") throw serviceError("not_found", "multiRateTestId", "invalid", undefined, `multiRateTestId: no multi-rate test ${id}`);
      throw error;
    }
  }

  /** Points as stored: a well test's oil rate and bottomhole pressure copied, or the values given. */
  private async resolvePoints(wellId: string, inputs: readonly MultiRatePointInput[]): Promise<MultiRatePoint[]> {
    const points: MultiRatePoint[] = [];
    for (const [index, input] of inputs.entries()) {
      const field = `points.${index}`;
      if (input.wellTestId !== undefined) {
        if (input.rateM3PerDay !== undefined) throw invalidInput(`${field}.rateM3PerDay`, "only_one_of", { other: `${field}.wellTestId` });
        if (input.flowingPressureKpa !== undefined) throw invalidInput(`${field}.flowingPressureKpa`, "only_one_of", { other: `${field}.wellTestId` });
        const test = await this.wellTestFor(input.wellTestId, wellId, `${field}.wellTestId`);
        if (test.bottomholePressureKpa === null) throw invalidInput(`${field}.wellTestId`, "not_recorded_on_test", { test: test.id });
        if (!(test.oilRateM3PerDay > 0)) throw invalidInput(`${field}.wellTestId`, "not_above", { limit: 0 });
        points.push({ wellTestId: test.id, rateM3PerDay: test.oilRateM3PerDay, flowingPressureKpa: test.bottomholePressureKpa });
      } else {
        if (input.rateM3PerDay === undefined) throw invalidInput(`${field}.rateM3PerDay`, "required");
        if (input.flowingPressureKpa === undefined) throw invalidInput(`${field}.flowingPressureKpa`, "required");
        points.push({ wellTestId: null, rateM3PerDay: input.rateM3PerDay, flowingPressureKpa: input.flowingPressureKpa });
      }
    }
    return points;
  }

  private async writePoints(tx: Queryable, testId: string, points: readonly MultiRatePoint[], actor: string): Promise<void> {
    for (const [ordinal, point] of points.entries()) {
      await tx.query(
        `INSERT INTO reservoir_multirate_points (id, site_id, multirate_test_id, ordinal, well_test_id, rate_m3_per_day, flowing_pressure_kpa, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [newId(), this.context.siteId, testId, ordinal, point.wellTestId, point.rateM3PerDay, point.flowingPressureKpa, actor],
      );
    }
  }

  /** One survey per well and day: a second is a 409 naming surveyedOn. */
  private async uniqueSurveyDay<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw serviceError("conflict", "surveyedOn", "already_exists", undefined, "surveyedOn: the well already has a pressure survey on this day");
      throw error;
    }
  }

  private async surveyIn(db: Queryable, id: string): Promise<PressureSurvey> {
    const result = await db.query<SurveyRow>(`${SURVEY_SELECT} WHERE site_id = $1 AND id = $2`, [this.context.siteId, id]);
    const row = result.rows[0];
    if (!row) throw new ServiceError("not_found", `no pressure survey ${id}`);
    return toSurvey(row);
  }

  private async lockedSurvey(tx: Queryable, id: string, rowVersion: number): Promise<PressureSurvey> {
    await tx.query("SELECT id FROM reservoir_pressure_surveys WHERE id = $1 FOR UPDATE", [id]);
    const survey = await this.surveyIn(tx, id);
    if (survey.rowVersion !== rowVersion) throw stale(`pressure survey ${id}`, survey.rowVersion, rowVersion);
    return survey;
  }

  private async multiRateIn(db: Queryable, id: string): Promise<MultiRateTest> {
    const result = await db.query<MultiRateRow>(`${MULTIRATE_SELECT} WHERE site_id = $1 AND id = $2`, [this.context.siteId, id]);
    const row = result.rows[0];
    if (!row) throw new ServiceError("not_found", `no multi-rate test ${id}`);
    const points = await this.pointsOf(db, [id]);
    return this.toMultiRate(row, points.get(id) ?? []);
  }

  private async lockedMultiRate(tx: Queryable, id: string, rowVersion: number): Promise<MultiRateTest> {
    await tx.query("SELECT id FROM reservoir_multirate_tests WHERE id = $1 FOR UPDATE", [id]);
    const test = await this.multiRateIn(tx, id);
    if (test.rowVersion !== rowVersion) throw stale(`multi-rate test ${id}`, test.rowVersion, rowVersion);
    return test;
  }

  private async pointsOf(db: Queryable, testIds: readonly string[]): Promise<Map<string, MultiRatePoint[]>> {
    const byTest = new Map<string, MultiRatePoint[]>();
    if (testIds.length === 0) return byTest;
    const result = await db.query<PointRow>(
      `SELECT multirate_test_id, well_test_id, rate_m3_per_day, flowing_pressure_kpa FROM reservoir_multirate_points
       WHERE multirate_test_id = ANY($1::uuid[]) ORDER BY multirate_test_id, ordinal`,
      [testIds],
    );
    for (const row of result.rows) {
      const list = byTest.get(row.multirate_test_id) ?? [];
      list.push({ wellTestId: row.well_test_id, rateM3PerDay: fromNumeric(row.rate_m3_per_day), flowingPressureKpa: fromNumeric(row.flowing_pressure_kpa) });
      byTest.set(row.multirate_test_id, list);
    }
    return byTest;
  }

  private toMultiRate(row: MultiRateRow, points: MultiRatePoint[]): MultiRateTest {
    return {
      id: row.id,
      wellId: row.well_id,
      testedOn: row.tested_on,
      reservoirPressureKpa: fromNumericOrNull(row.reservoir_pressure_kpa),
      points,
      notes: row.notes,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      rowVersion: row.row_version,
      createdBy: row.created_by,
    };
  }
}
