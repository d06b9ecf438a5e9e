import type { CopyQueryable, Queryable } from "../../runtime/db/database.js";
import { newIds } from "../../runtime/ids.js";
import type { Fluid } from "./model/measured-totals.js";

/**
 * Writes an allocation run's result rows (46,500 for 500 wells × 31 days ×
 * 3 fluids) in one statement: COPY FROM STDIN when the transaction can (a
 * PostgreSQL transaction of its own), else one INSERT ... SELECT FROM
 * unnest(arrays) (PGlite, or a request's unit of work, whose transaction
 * handle has no COPY). Multi-row VALUES under the bind parameter limit
 * (bulkInsert) took about twice as long: 8 statements of 65,000 parameters
 * each, every one bound and parsed apart (docs/performance.md).
 */

export interface ResultRow {
  wellId: string;
  productionDate: string;
  fluid: Fluid;
  theoreticalM3: string;
  allocatedM3: string;
  uptimeHours: number;
  wellTestId: string | null;
  /** Where the volume came from (allocation over the network); none for a site-level run. */
  lineage?: unknown;
}

export interface ResultsOwner {
  siteId: string;
  runId: string;
  actor: string;
}

const COLUMNS = "id, site_id, run_id, well_id, production_date, fluid, theoretical_m3, allocated_m3, uptime_hours, well_test_id, lineage, created_by";

function canCopy(tx: Queryable): tx is CopyQueryable {
  return typeof (tx as Partial<CopyQueryable>).copyFrom === "function";
}

/** COPY text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : value;
}

function lineageText(lineage: unknown): string | null {
  return lineage === null || lineage === undefined ? null : JSON.stringify(lineage);
}

export async function writeResults(tx: Queryable, owner: ResultsOwner, rows: readonly ResultRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const ids = newIds(rows.length);
  if (canCopy(tx)) {
    const prefix = `\t${copyText(owner.siteId)}\t${owner.runId}\t`;
    const suffix = `\t${copyText(owner.actor)}\n`;
    const lines = new Array<string>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index];
      const lineage = lineageText(row.lineage);
      lines[index] =
        `${ids[index]}${prefix}${row.wellId}\t${row.productionDate}\t${row.fluid}\t${row.theoreticalM3}\t${row.allocatedM3}\t` +
        `${row.uptimeHours}\t${row.wellTestId ?? "\\N"}\t${lineage === null ? "\\N" : copyText(lineage)}${suffix}`;
    }
    return tx.copyFrom(`COPY allocation_results (${COLUMNS}) FROM STDIN`, lines.join(""));
  }
  const result = await tx.query(
    `INSERT INTO allocation_results (${COLUMNS})
     SELECT u.id, $2, $3, u.well_id, u.production_date, u.fluid, u.theoretical_m3, u.allocated_m3, u.uptime_hours, u.well_test_id, u.lineage, $4
       FROM unnest($1::uuid[], $5::uuid[], $6::date[], $7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::uuid[], $12::jsonb[])
         AS u(id, well_id, production_date, fluid, theoretical_m3, allocated_m3, uptime_hours, well_test_id, lineage)`,
    [
      ids,
      owner.siteId,
      owner.runId,
      owner.actor,
      rows.map((row) => row.wellId),
      rows.map((row) => row.productionDate),
      rows.map((row) => row.fluid),
      rows.map((row) => row.theoreticalM3),
      rows.map((row) => row.allocatedM3),
      rows.map((row) => row.uptimeHours),
      rows.map((row) => row.wellTestId),
      rows.map((row) => lineageText(row.lineage)),
    ],
  );
  return result.rowCount;
}
