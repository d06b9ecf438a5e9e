import { createHash } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import type { Queryable } from "../../runtime/db/database.js";
import { detailsMessage, type ErrorDetails } from "../../runtime/error-contract.js";
import { newId, newIds } from "../../runtime/ids.js";
import type { AssetLookup, WellRef } from "../shared/asset-lookup.js";
import { recordChange, type ErpContext } from "../shared/module-context.js";
import { fromNumericOrNull } from "../shared/numeric.js";
import { invalidInput, ServiceError } from "../shared/service-error.js";
import type { HistoryImport, HistoryImportDetail, HistoryImportQuery, HistoryImportResult, HistoryRow, WellHistoryQuery } from "./history-schema.js";
import { mapHeaders, parseHistoryRecord, type HistoryFrequency, type HistoryRow as ParsedRow, type RowProblem } from "./model/history-csv.js";

/*
 * Production history imports (docs/reservoir-data.md "Import"): a CSV of
 * volumes per well and day or month, checked whole before anything is
 * stored. One transaction writes the batch, its rows, the audit row and the
 * outbox row. Re-importing a well's period is refused (409) unless the
 * request says replace=true with a reason: then the new rows supersede the
 * old ones, which stay on record.
 */

const MODULE = "reservoir";
/** The most row problems one answer lists; the count says how many there were. */
const MAX_LISTED_PROBLEMS = 50;

interface ImportRowDb {
  id: string;
  file_name: string;
  file_sha256: string;
  scope_asset_id: string;
  unit_system: "oilfield" | "metric";
  frequency: HistoryFrequency;
  row_count: number;
  well_count: number;
  superseded_count: number;
  reason: string | null;
  created_by: string;
  created_at: Date;
}

interface HistoryRowDb {
  id: string;
  import_id: string;
  well_id: string;
  frequency: HistoryFrequency;
  period_start: string;
  oil_volume_m3: string | null;
  gas_volume_sm3: string | null;
  water_volume_m3: string | null;
  days_on_production: string | null;
  source_line: number;
  supersedes_id: string | null;
  created_by: string;
  created_at: Date;
}

const IMPORT_COLUMNS =
  "id, file_name, file_sha256, scope_asset_id, unit_system, frequency, row_count, well_count, superseded_count, reason, created_by, created_at";
const ROW_COLUMNS =
  "h.id, h.import_id, h.well_id, h.frequency, h.period_start::text AS period_start, h.oil_volume_m3, h.gas_volume_sm3, h.water_volume_m3, h.days_on_production, h.source_line, h.supersedes_id, h.created_by, h.created_at";

function toImport(row: ImportRowDb): HistoryImport {
  return {
    id: row.id,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    scopeAssetId: row.scope_asset_id,
    unitSystem: row.unit_system,
    frequency: row.frequency,
    rowCount: Number(row.row_count),
    wellCount: Number(row.well_count),
    supersededCount: Number(row.superseded_count),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

function toRow(row: HistoryRowDb): HistoryRow {
  return {
    id: row.id,
    importId: row.import_id,
    wellId: row.well_id,
    frequency: row.frequency,
    periodStart: row.period_start,
    oilVolumeM3: fromNumericOrNull(row.oil_volume_m3),
    gasVolumeSm3: fromNumericOrNull(row.gas_volume_sm3),
    waterVolumeM3: fromNumericOrNull(row.water_volume_m3),
    daysOnProduction: fromNumericOrNull(row.days_on_production),
    sourceLine: Number(row.source_line),
    supersedesId: row.supersedes_id,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** UWI/API numbers compare without their dashes, spaces and dots (42-501-20130-03-00 = 4250120130030 0). */
function uwiKey(uwi: string): string {
  return uwi.replace(/[^0-9A-Za-z]/g, "").toUpperCase();
}

/** One 400 naming every bad line (the first as details.field, all as params.problems). */
function rowProblemsError(problems: readonly RowProblem[]): ServiceError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) => `line ${problem.line}: ${detailsMessage(problem.details)}`);
  const first = problems[0];
  const details: ErrorDetails = {
    field: `line ${first.line}: ${first.details.field ?? "row"}`,
    reason: first.details.reason,
    params: { ...(first.details.params ?? {}), line: first.line, problemCount: problems.length, problems: listed },
  };
  return new ServiceError("invalid_input", `${problems.length} line(s) of the file are invalid; nothing was imported. ${listed.slice(0, 5).join("; ")}`, details);
}

/** A stored, current history row as the rate series reads it. */
export interface CurrentHistoryRow {
  periodStart: string;
  frequency: HistoryFrequency;
  oilVolumeM3: number | null;
  gasVolumeSm3: number | null;
  waterVolumeM3: number | null;
  daysOnProduction: number | null;
}

export class HistoryService {
  constructor(
    private readonly context: ErpContext,
    private readonly assets: AssetLookup,
  ) {}

  /** Checks the whole file, then stores it in one transaction; any bad line refuses it all (400 listing the lines). */
  async importCsv(text: string, query: HistoryImportQuery, actor: string): Promise<HistoryImportResult> {
    const scope = await this.assets.getAsset(query.assetId);
    if (!scope) throw new ServiceError("not_found", `no asset ${query.assetId}`);
    const replace = query.replace ?? false;
    const reason = query.reason?.trim() ? query.reason.trim() : null;
    if (replace && !reason) throw invalidInput("query.reason", "required", undefined, "query.reason is required with replace=true");
    let headers: string[] = [];
    let records: Record<string, string>[];
    try {
      records = parseCsv(text, {
        columns: (header: string[]) => {
          headers = header.map((name) => name.trim());
          return headers;
        },
        bom: true,
        skip_empty_lines: true,
        trim: true,
        relax_column_count: false,
      });
    } catch (error) {
      throw new ServiceError("invalid_input", `CSV could not be read: ${(error as Error).message}`, { field: "body", reason: "malformed_csv" });
    }
    const mapped = mapHeaders(headers, query.unitSystem);
    if ("problem" in mapped) throw new ServiceError("invalid_input", detailsMessage(mapped.problem), mapped.problem);
    if (records.length === 0) throw invalidInput("body", "too_few_items", { limit: 1 }, "the file has a header but no rows");
    const wells = await this.assets.wellsUnder(scope.id);
    const byCode = new Map(wells.map((well) => [well.code.toUpperCase(), well]));
    const byUwi = new Map(wells.filter((well) => well.uwi).map((well) => [uwiKey(well.uwi ?? ""), well]));
    const problems: RowProblem[] = [];
    const accepted: { row: ParsedRow; well: WellRef }[] = [];
    const seen = new Map<string, number>();
    records.forEach((record, index) => {
      const line = index + 2;
      const parsed = parseHistoryRecord(record, line, mapped.mapping, query);
      if ("problems" in parsed) {
        problems.push(...parsed.problems);
        return;
      }
      const { code, uwi } = parsed.row.wellKey;
      const byItsCode = code ? byCode.get(code.toUpperCase()) : undefined;
      const byItsUwi = uwi ? byUwi.get(uwiKey(uwi)) : undefined;
      const well = byItsCode ?? byItsUwi;
      const header = (column: string) => [...mapped.mapping.columns].find(([, mappedColumn]) => mappedColumn === column)?.[0] ?? column;
      if (!well || (byItsCode && byItsUwi && byItsCode.id !== byItsUwi.id) || (code && !byItsCode)) {
        const field = code && !byItsCode ? header("well") : header("uwi");
        problems.push({ line, details: { field, reason: "unknown_well", params: { asset: scope.code } } });
        return;
      }
      const key = `${well.id} ${parsed.row.periodStart}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        problems.push({ line, details: { field: header("date"), reason: "duplicate_in_file", params: { line: earlier } } });
        return;
      }
      seen.set(key, line);
      accepted.push({ row: parsed.row, well });
    });
    if (problems.length > 0) throw rowProblemsError(problems);
    const fileSha256 = createHash("sha256").update(text).digest("hex");
    const wellIds = [...new Set(accepted.map((entry) => entry.well.id))];
    const created = await this.context.db.transaction(async (tx) => {
      // Two imports of the same site queue here, so neither misses the other's rows when checking for re-imports.
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`petroflow.reservoir.history:${this.context.siteId}`]);
      const supersedes = await this.existingPeriods(tx, accepted, query.frequency, wellIds, replace);
      const id = newId();
      const inserted = await tx.query<ImportRowDb>(
        `INSERT INTO reservoir_history_imports (id, site_id, file_name, file_sha256, scope_asset_id, unit_system, frequency, row_count, well_count,
           superseded_count, reason, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${IMPORT_COLUMNS}`,
        [id, this.context.siteId, query.fileName.trim(), fileSha256, scope.id, query.unitSystem, query.frequency, accepted.length, wellIds.length, supersedes.size, reason, actor],
      );
      await tx.query(
        `INSERT INTO reservoir_production_history (id, site_id, import_id, well_id, frequency, period_start, oil_volume_m3, gas_volume_sm3, water_volume_m3,
           days_on_production, source_line, supersedes_id, created_by)
         SELECT u.id, $2, $3, u.well_id, $4, u.period_start, u.oil, u.gas, u.water, u.days_on, u.line, u.supersedes_id, $5
           FROM unnest($1::uuid[], $6::uuid[], $7::date[], $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::int[], $13::uuid[])
             AS u(id, well_id, period_start, oil, gas, water, days_on, line, supersedes_id)`,
        [
          newIds(accepted.length),
          this.context.siteId,
          id,
          query.frequency,
          actor,
          accepted.map((entry) => entry.well.id),
          accepted.map((entry) => entry.row.periodStart),
          accepted.map((entry) => numericText(entry.row.oilVolumeM3)),
          accepted.map((entry) => numericText(entry.row.gasVolumeSm3)),
          accepted.map((entry) => numericText(entry.row.waterVolumeM3)),
          accepted.map((entry) => numericText(entry.row.daysOnProduction)),
          accepted.map((entry) => entry.row.line),
          accepted.map((entry) => supersedes.get(`${entry.well.id} ${entry.row.periodStart}`) ?? null),
        ],
      );
      const batch = toImport(inserted.rows[0]);
      const periods = accepted.map((entry) => entry.row.periodStart).sort();
      await recordChange(this.context, tx, {
        actor,
        module: MODULE,
        action: "reservoir.history.import",
        entityType: "history_import",
        entityId: id,
        operation: "insert",
        rowVersion: 1,
        after: batch,
        details: {
          wells: wellIds,
          firstPeriod: periods[0],
          lastPeriod: periods[periods.length - 1],
          ...(supersedes.size > 0 ? { supersededRowIds: [...supersedes.values()] } : {}),
        },
      });
      return batch;
    });
    this.context.events.emit("reservoir.history.imported", { importId: created.id, wellIds, frequency: created.frequency, rowCount: created.rowCount });
    return { ...created, ignoredColumns: mapped.mapping.ignored };
  }

  /**
   * The current rows the import would overlap, by `wellId period`: refused
   * (409 naming the periods) unless replace; with replace, the row each new
   * row supersedes. Another frequency over the same months is always refused:
   * a well's history has one frequency per period.
   */
  private async existingPeriods(
    tx: Queryable,
    accepted: readonly { row: ParsedRow; well: WellRef }[],
    frequency: HistoryFrequency,
    wellIds: readonly string[],
    replace: boolean,
  ): Promise<Map<string, string>> {
    const current = await tx.query<{ id: string; well_id: string; frequency: HistoryFrequency; period_start: string }>(
      `SELECT h.id, h.well_id, h.frequency, h.period_start::text AS period_start FROM reservoir_production_history h
        WHERE h.site_id = $1 AND h.well_id = ANY($2::uuid[])
          AND NOT EXISTS (SELECT 1 FROM reservoir_production_history n WHERE n.supersedes_id = h.id)`,
      [this.context.siteId, [...wellIds]],
    );
    const sameFrequency = new Map<string, string>();
    const otherMonths = new Set<string>();
    for (const row of current.rows) {
      if (row.frequency === frequency) sameFrequency.set(`${row.well_id} ${row.period_start}`, row.id);
      else otherMonths.add(`${row.well_id} ${row.period_start.slice(0, 7)}`);
    }
    const supersedes = new Map<string, string>();
    const clashes: { line: number; label: string; otherFrequency: boolean }[] = [];
    for (const { row, well } of accepted) {
      const key = `${well.id} ${row.periodStart}`;
      const existing = sameFrequency.get(key);
      if (otherMonths.has(`${well.id} ${row.periodStart.slice(0, 7)}`)) clashes.push({ line: row.line, label: `${well.code} ${row.periodStart}`, otherFrequency: true });
      else if (existing && !replace) clashes.push({ line: row.line, label: `${well.code} ${row.periodStart}`, otherFrequency: false });
      else if (existing) supersedes.set(key, existing);
    }
    if (clashes.length > 0) {
      const first = clashes[0];
      const periods = clashes.slice(0, MAX_LISTED_PROBLEMS).map((clash) => clash.label);
      const other = clashes.some((clash) => clash.otherFrequency);
      throw new ServiceError(
        "conflict",
        `${clashes.length} row(s) overlap history already imported (${periods.slice(0, 5).join(", ")})` +
          (other ? "; some overlap history of the other frequency, which replace does not supersede" : "; import with replace=true and a reason to supersede them"),
        { field: `line ${first.line}: date`, reason: "history_period_exists", params: { periods, lines: clashes.slice(0, MAX_LISTED_PROBLEMS).map((clash) => String(clash.line)), count: clashes.length } },
      );
    }
    return supersedes;
  }

  async listImports(limit = 100, offset = 0): Promise<{ items: HistoryImport[]; total: number }> {
    const rows = await this.context.db.query<ImportRowDb>(
      `SELECT ${IMPORT_COLUMNS} FROM reservoir_history_imports WHERE site_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [this.context.siteId, limit, offset],
    );
    const total = await this.context.db.query<{ count: number }>("SELECT count(*)::int AS count FROM reservoir_history_imports WHERE site_id = $1", [this.context.siteId]);
    return { items: rows.rows.map(toImport), total: Number(total.rows[0]?.count ?? 0) };
  }

  async getImport(importId: string): Promise<HistoryImportDetail> {
    const found = await this.context.db.query<ImportRowDb>(`SELECT ${IMPORT_COLUMNS} FROM reservoir_history_imports WHERE site_id = $1 AND id = $2`, [this.context.siteId, importId]);
    if (!found.rows[0]) throw new ServiceError("not_found", `no history import ${importId}`);
    const rows = await this.context.db.query<HistoryRowDb>(`SELECT ${ROW_COLUMNS} FROM reservoir_production_history h WHERE h.import_id = $1 ORDER BY h.source_line`, [importId]);
    return { ...toImport(found.rows[0]), rows: rows.rows.map(toRow) };
  }

  /** A well's imported history, oldest first: the current rows, or every row with includeSuperseded. */
  async wellHistory(wellId: string, query: WellHistoryQuery): Promise<HistoryRow[]> {
    await this.well(wellId);
    const rows = await this.context.db.query<HistoryRowDb>(
      `SELECT ${ROW_COLUMNS} FROM reservoir_production_history h
        WHERE h.site_id = $1 AND h.well_id = $2
          AND ($3::text IS NULL OR h.frequency = $3) AND ($4::date IS NULL OR h.period_start >= $4) AND ($5::date IS NULL OR h.period_start <= $5)
          AND ($6 OR NOT EXISTS (SELECT 1 FROM reservoir_production_history n WHERE n.supersedes_id = h.id))
        ORDER BY h.period_start, h.created_at`,
      [this.context.siteId, wellId, query.frequency ?? null, query.from ?? null, query.to ?? null, query.includeSuperseded ?? false],
    );
    return rows.rows.map(toRow);
  }

  /** The current rows of a well between two days (for the rate series). */
  async currentRows(wellId: string, from: string | null, to: string | null): Promise<CurrentHistoryRow[]> {
    const rows = await this.wellHistory(wellId, { from: from ?? undefined, to: to ?? undefined });
    return rows.map((row) => ({
      periodStart: row.periodStart,
      frequency: row.frequency,
      oilVolumeM3: row.oilVolumeM3,
      gasVolumeSm3: row.gasVolumeSm3,
      waterVolumeM3: row.waterVolumeM3,
      daysOnProduction: row.daysOnProduction,
    }));
  }

  private async well(wellId: string): Promise<WellRef> {
    const well = await this.assets.getWell(wellId);
    if (!well) throw new ServiceError("not_found", `no well ${wellId}`);
    return well;
  }
}

/** Numbers go to numeric columns as text: exact, and null stays null. */
function numericText(value: number | null): string | null {
  return value === null ? null : String(value);
}
