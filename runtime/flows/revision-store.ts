import type { Queryable } from "../db/database.js";
import type { FlowNode } from "./flow-validation.js";

export interface RevisionSummary {
  number: number;
  parent: number | null;
  sha256: string;
  author: string | null;
  message: string;
  deploymentType: string | null;
  nodeCount: number;
  createdAt: string;
}

export interface Revision extends RevisionSummary {
  flows: FlowNode[];
  credentials: Record<string, unknown> | null;
}

interface RevisionRow {
  number: number;
  parent: number | null;
  sha256: string;
  author: string | null;
  message: string;
  deployment_type: string | null;
  node_count: number;
  created_at: Date;
  flows?: FlowNode[] | string;
  credentials?: Record<string, unknown> | string | null;
}

const SUMMARY_COLUMNS = "number, parent, sha256, author, message, deployment_type, node_count, created_at";

function parseJson<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

function toSummary(row: RevisionRow): RevisionSummary {
  return {
    number: row.number,
    parent: row.parent,
    sha256: row.sha256,
    author: row.author,
    message: row.message,
    deploymentType: row.deployment_type,
    nodeCount: row.node_count,
    createdAt: row.created_at.toISOString(),
  };
}

/** Reads flow revisions; the storage module is the only writer. */
export class RevisionStore {
  constructor(private readonly db: Queryable) {}

  async list(limit: number, beforeNumber?: number): Promise<RevisionSummary[]> {
    const result = await this.db.query<RevisionRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM flow_revisions
       WHERE ($1::int IS NULL OR number < $1) ORDER BY number DESC LIMIT $2`,
      [beforeNumber ?? null, limit],
    );
    return result.rows.map(toSummary);
  }

  /** The newest revision without its flows: for callers that need its number or sha256 only. */
  async latestSummary(db: Queryable = this.db): Promise<RevisionSummary | null> {
    const result = await db.query<RevisionRow>(`SELECT ${SUMMARY_COLUMNS} FROM flow_revisions ORDER BY number DESC LIMIT 1`);
    return result.rows[0] ? toSummary(result.rows[0]) : null;
  }

  async latest(db: Queryable = this.db): Promise<Revision | null> {
    const result = await db.query<RevisionRow>(
      `SELECT ${SUMMARY_COLUMNS}, flows, credentials FROM flow_revisions ORDER BY number DESC LIMIT 1`,
    );
    return result.rows[0] ? this.toRevision(result.rows[0]) : null;
  }

  async get(number: number): Promise<Revision | null> {
    const result = await this.db.query<RevisionRow>(
      `SELECT ${SUMMARY_COLUMNS}, flows, credentials FROM flow_revisions WHERE number = $1`,
      [number],
    );
    return result.rows[0] ? this.toRevision(result.rows[0]) : null;
  }

  private toRevision(row: RevisionRow): Revision {
    return {
      ...toSummary(row),
      flows: parseJson(row.flows ?? []),
      credentials: row.credentials ? parseJson(row.credentials) : null,
    };
  }
}
