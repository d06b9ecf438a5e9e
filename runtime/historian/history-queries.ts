import type { Queryable } from "../db/database.js";
import type { ErrorDetails } from "../error-contract.js";
import { withDeadline } from "../flow-entries/deadline.js";
import type { TagInput } from "../tags/schema.js";
import type { TagScalar } from "../tags/tag-types.js";
import {
  aggregateSamples,
  alignRange,
  combineBuckets,
  interpolateAt,
  summarizeDiscrete,
  toHistoryBucket,
  type BucketAggregate,
  type NumericSample,
} from "./history-math.js";
import type { DiscreteSummary, HistoryBucket, HistoryPoint, HistoryRange, HistoryReader, HistorySource } from "./history-types.js";
import { QUALITY_BY_CODE } from "./partitions.js";
import { HOUR_MS, MINUTE_MS, numericValue } from "./rollups.js";

/** Why a history query is refused; routes map it to 400/404 with these details. */
export class HistoryQueryError extends Error {
  constructor(
    readonly code: "not_found" | "invalid_input",
    message: string,
    readonly details: ErrorDetails,
  ) {
    super(message);
    this.name = "HistoryQueryError";
  }
}

/** A tag as history queries need it. */
export interface HistoryTag {
  id: string;
  path: string;
  dataType: TagInput["dataType"];
  unit: string;
}

export interface HistoryQueriesOptions {
  /** Every database call answers within this or fails with database_unavailable. */
  timeoutMs: number;
  /** The longest range a bucket query reads from raw rows (bucket lengths that are not whole minutes, or short ranges). */
  rawMaxSpanMs: number;
  /** The most buckets or interpolated times one query answers. */
  maxPoints: number;
  /** The most raw rows a discrete summary reads. */
  discreteMaxRows: number;
  /** The present, for discrete summaries (no time is counted after it). */
  now?: () => number;
}

export const HISTORY_QUERY_DEFAULTS: Omit<HistoryQueriesOptions, "timeoutMs"> = {
  rawMaxSpanMs: 2 * HOUR_MS,
  maxPoints: 10_000,
  discreteMaxRows: 500_000,
};

/**
 * Where a bucket query reads from: raw rows for short ranges (fresh to the
 * last commit), whole-hour buckets from the hour rollups, whole-minute
 * buckets from the minute rollups; null when only raw rows could answer
 * and the range is too long for them.
 */
export function chooseSource(span: number, bucketMs: number, rawMaxSpanMs: number): HistorySource | null {
  if (bucketMs % HOUR_MS === 0 && span > rawMaxSpanMs) return "rollup_1h";
  if (span <= rawMaxSpanMs) return "raw";
  if (bucketMs % MINUTE_MS === 0) return "rollup_1m";
  return null;
}

/** Up to this many rollup rows per query bucket come to the process as they are; more are combined by the database first. */
const ROWS_PER_BUCKET_TO_GROUP = 4;

/** One query bucket's rollup rows, combined by the database (or one rollup row). */
interface RollupGroupRow {
  first_ms: number;
  last_ms: number;
  count: number;
  min: number | null;
  max: number | null;
  sum: number;
  first: number | null;
  last: number | null;
  integral: number;
  covered_ms: number;
  end_value: number | null;
}

interface RawRow {
  ts: Date;
  value_num: number | null;
  value_bool: boolean | null;
  value_text: string | null;
  quality: number;
}

const RAW_COLUMNS = "ts, value_num, value_bool, value_text, quality";

function pointOf(row: RawRow): HistoryPoint {
  const v: TagScalar = row.value_num ?? row.value_bool ?? row.value_text;
  return { t: row.ts.getTime(), v, q: QUALITY_BY_CODE[row.quality] ?? "bad" };
}

function checkRange(range: HistoryRange): void {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.to <= range.from) {
    throw new HistoryQueryError("invalid_input", "`to` must be after `from`", { field: "query.to", reason: "not_after", params: { other: "from" } });
  }
}

/** The historian's reading side (HistoryReader) over the history and rollup tables. */
export class HistoryQueries implements HistoryReader {
  private readonly options: Required<HistoryQueriesOptions>;

  constructor(
    private readonly db: Queryable,
    options: Partial<HistoryQueriesOptions> & Pick<HistoryQueriesOptions, "timeoutMs">,
  ) {
    this.options = { ...HISTORY_QUERY_DEFAULTS, now: Date.now, ...options };
  }

  private query<Row>(sql: string, params: Parameters<Queryable["query"]>[1]): Promise<Row[]> {
    return withDeadline(this.db.query<Row>(sql, params), this.options.timeoutMs).then((result) => result.rows);
  }

  /** The tags behind the paths, in order; a path with no tag is refused naming it. */
  async resolve(paths: readonly string[]): Promise<HistoryTag[]> {
    const rows = await this.query<{ id: string; path: string; data_type: TagInput["dataType"]; unit: string }>(
      "SELECT id, path, data_type, unit FROM tags WHERE path = ANY($1::text[])",
      [[...paths]],
    );
    const byPath = new Map(rows.map((row) => [row.path, { id: row.id, path: row.path, dataType: row.data_type, unit: row.unit }]));
    return paths.map((path) => {
      const tag = byPath.get(path);
      if (!tag) throw new HistoryQueryError("not_found", `no tag ${path}`, { field: "query.paths", reason: "unknown_tag", params: { path } });
      return tag;
    });
  }

  private async one(path: string): Promise<HistoryTag> {
    const [tag] = await this.resolve([path]);
    return tag;
  }

  async raw(path: string, range: HistoryRange, options: { limit?: number } = {}): Promise<HistoryPoint[]> {
    return (await this.rawOf(await this.one(path), range, options.limit ?? this.options.maxPoints)).points;
  }

  /** Raw values in [from, to) by time, at most `limit`; `truncated` when there were more. */
  async rawOf(tag: HistoryTag, range: HistoryRange, limit: number): Promise<{ points: HistoryPoint[]; truncated: boolean }> {
    checkRange(range);
    const rows = await this.query<RawRow>(`SELECT ${RAW_COLUMNS} FROM history WHERE tag_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts LIMIT $4`, [
      tag.id,
      new Date(range.from),
      new Date(range.to),
      limit + 1,
    ]);
    return { points: rows.slice(0, limit).map(pointOf), truncated: rows.length > limit };
  }

  async buckets(path: string, range: HistoryRange, bucketMs: number): Promise<{ source: HistorySource; buckets: HistoryBucket[] }> {
    return this.bucketsOf(await this.one(path), range, bucketMs);
  }

  /** Buckets over [from, to) widened to whole buckets, from the source chooseSource picks. */
  async bucketsOf(tag: HistoryTag, range: HistoryRange, bucketMs: number): Promise<{ source: HistorySource; buckets: HistoryBucket[] }> {
    checkRange(range);
    const aligned = alignRange(range.from, range.to, bucketMs);
    const count = (aligned.to - aligned.from) / bucketMs;
    if (count > this.options.maxPoints) {
      throw new HistoryQueryError("invalid_input", `the range holds ${count} buckets of ${bucketMs} ms, more than ${this.options.maxPoints}`, {
        field: "query.bucketMs",
        reason: "too_many_points",
        params: { count, limit: this.options.maxPoints },
      });
    }
    const source = chooseSource(aligned.to - aligned.from, bucketMs, this.options.rawMaxSpanMs);
    if (!source) {
      const limitHours = this.options.rawMaxSpanMs / HOUR_MS;
      throw new HistoryQueryError("invalid_input", `buckets of ${bucketMs} ms come from raw rows, which serve at most ${limitHours} h; use whole minutes`, {
        field: "query.to",
        reason: "range_too_long_for_raw",
        params: { limitHours },
      });
    }
    return { source, buckets: await this.bucketsFrom(source, tag, aligned, bucketMs) };
  }

  /** Buckets of an aligned range from a given source (the tests compare the sources). */
  async bucketsFrom(source: HistorySource, tag: HistoryTag, aligned: HistoryRange, bucketMs: number): Promise<HistoryBucket[]> {
    if (source === "raw") {
      const [rows, before] = await Promise.all([
        this.query<RawRow>(`SELECT ${RAW_COLUMNS} FROM history WHERE tag_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts`, [tag.id, new Date(aligned.from), new Date(aligned.to)]),
        this.query<RawRow>(`SELECT ${RAW_COLUMNS} FROM history WHERE tag_id = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1`, [tag.id, new Date(aligned.from)]),
      ]);
      const samples: NumericSample[] = rows.map((row) => ({ t: row.ts.getTime(), v: numericValue(row) }));
      const held = before[0] ? numericValue(before[0]) : null;
      const parts = aggregateSamples(samples, held, aligned.from, aligned.to, bucketMs);
      return combineBuckets(parts, held, aligned.from, aligned.to, bucketMs, bucketMs).map(toHistoryBucket);
    }
    const table = source === "rollup_1h" ? "history_rollup_1h" : "history_rollup_1m";
    const partMs = source === "rollup_1h" ? HOUR_MS : MINUTE_MS;
    // With several rows per query bucket the database combines them (sums, extremes, the held value across
    // the gaps between rows of the same bucket), so a month of minute rows crosses to the process as one row
    // per bucket; with few, the rows come as they are (the grouping costs more than it saves). combineBuckets
    // then fills the time between groups from each group's end value.
    const grouped = bucketMs / partMs > ROWS_PER_BUCKET_TO_GROUP;
    const startMs = "extract(epoch FROM bucket)::float8 * 1000";
    const sql = grouped
      ? `WITH r AS (
           SELECT *, ${startMs} AS start_ms, floor((${startMs} - $4) / $5) AS g,
                  lag(${startMs}) OVER w AS prev_ms, lag(floor((${startMs} - $4) / $5)) OVER w AS prev_g, lag(end_value) OVER w AS prev_end
             FROM ${table} WHERE tag_id = $1 AND bucket >= $2 AND bucket < $3
           WINDOW w AS (ORDER BY bucket))
         SELECT min(start_ms) AS first_ms, max(start_ms) AS last_ms, sum(count)::int AS count, min(min) AS min, max(max) AS max,
                sum(sum)::float8 AS sum,
                (array_agg(first_value ORDER BY start_ms) FILTER (WHERE count > 0))[1] AS first,
                (array_agg(last_value ORDER BY start_ms DESC) FILTER (WHERE count > 0))[1] AS last,
                sum(integral + CASE WHEN prev_g = g AND prev_end IS NOT NULL THEN prev_end * (start_ms - prev_ms - $6) ELSE 0 END)::float8 AS integral,
                sum(covered_ms + CASE WHEN prev_g = g AND prev_end IS NOT NULL THEN start_ms - prev_ms - $6 ELSE 0 END)::float8 AS covered_ms,
                (array_agg(end_value ORDER BY start_ms DESC))[1] AS end_value
           FROM r GROUP BY g ORDER BY g`
      : `SELECT ${startMs} AS first_ms, ${startMs} AS last_ms, count, min, max, sum, first_value AS first, last_value AS last, integral, covered_ms, end_value
           FROM ${table} WHERE tag_id = $1 AND bucket >= $2 AND bucket < $3 ORDER BY bucket`;
    const [groups, before] = await Promise.all([
      this.query<RollupGroupRow>(sql, grouped ? [tag.id, new Date(aligned.from), new Date(aligned.to), aligned.from, bucketMs, partMs] : [tag.id, new Date(aligned.from), new Date(aligned.to)]),
      this.query<{ end_value: number | null }>(`SELECT end_value FROM ${table} WHERE tag_id = $1 AND bucket < $2 ORDER BY bucket DESC LIMIT 1`, [tag.id, new Date(aligned.from)]),
    ]);
    const parts = groups.map(
      (group): BucketAggregate => ({
        start: group.first_ms,
        end: group.last_ms + partMs,
        count: group.count,
        min: group.min,
        max: group.max,
        sum: group.sum,
        firstT: group.count > 0 ? group.first_ms : null,
        first: group.first,
        lastT: group.count > 0 ? group.last_ms : null,
        last: group.last,
        integral: group.integral,
        coveredMs: group.covered_ms,
        endValue: group.end_value,
      }),
    );
    return combineBuckets(parts, before[0]?.end_value ?? null, aligned.from, aligned.to, partMs, bucketMs).map(toHistoryBucket);
  }

  async interpolated(path: string, times: readonly number[]): Promise<HistoryPoint[]> {
    return this.interpolatedOf(await this.one(path), times);
  }

  /** Values at each time: linear between float samples, the previous value for int, bool and string tags. */
  async interpolatedOf(tag: HistoryTag, times: readonly number[]): Promise<HistoryPoint[]> {
    if (times.length > this.options.maxPoints) {
      throw new HistoryQueryError("invalid_input", `${times.length} times asked, more than ${this.options.maxPoints}`, {
        field: "query.stepMs",
        reason: "too_many_points",
        params: { count: times.length, limit: this.options.maxPoints },
      });
    }
    if (times.length === 0) return [];
    const prefixed = (alias: string): string => RAW_COLUMNS.split(", ").map((column) => `${alias}.${column} AS ${alias}_${column}`).join(", ");
    type Side = "b" | "a";
    type Row = { i: number } & Record<`${Side}_${keyof RawRow}`, RawRow[keyof RawRow]>;
    const rows = await this.query<Row>(
      `SELECT t.i::int AS i, ${prefixed("b")}, ${prefixed("a")}
         FROM unnest($2::timestamptz[]) WITH ORDINALITY AS t(at, i)
         LEFT JOIN LATERAL (SELECT ${RAW_COLUMNS} FROM history h WHERE h.tag_id = $1 AND h.ts <= t.at ORDER BY h.ts DESC LIMIT 1) b ON true
         LEFT JOIN LATERAL (SELECT ${RAW_COLUMNS} FROM history h WHERE h.tag_id = $1 AND h.ts > t.at ORDER BY h.ts LIMIT 1) a ON true
        ORDER BY t.i`,
      [tag.id, times.map((t) => new Date(t))],
    );
    const side = (row: Row, name: Side): HistoryPoint | null => {
      const ts = row[`${name}_ts`];
      if (!(ts instanceof Date)) return null;
      return pointOf({
        ts,
        value_num: row[`${name}_value_num`] as number | null,
        value_bool: row[`${name}_value_bool`] as boolean | null,
        value_text: row[`${name}_value_text`] as string | null,
        quality: row[`${name}_quality`] as number,
      });
    };
    return rows.map((row) => interpolateAt(times[row.i - 1], side(row, "b"), side(row, "a"), tag.dataType === "float"));
  }

  async discrete(path: string, range: HistoryRange): Promise<DiscreteSummary> {
    return this.discreteOf(await this.one(path), range);
  }

  /** Time in each state, transitions and known time over [from, to), up to the present. */
  async discreteOf(tag: HistoryTag, range: HistoryRange): Promise<DiscreteSummary> {
    checkRange(range);
    const cap = this.options.discreteMaxRows;
    const [rows, before] = await Promise.all([
      this.query<RawRow>(`SELECT ${RAW_COLUMNS} FROM history WHERE tag_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts LIMIT $4`, [
        tag.id,
        new Date(range.from),
        new Date(range.to),
        cap + 1,
      ]),
      this.query<RawRow>(`SELECT ${RAW_COLUMNS} FROM history WHERE tag_id = $1 AND ts < $2 ORDER BY ts DESC LIMIT 1`, [tag.id, new Date(range.from)]),
    ]);
    if (rows.length > cap) {
      throw new HistoryQueryError("invalid_input", `${tag.path} has more than ${cap} stored values in the range; ask for a shorter one`, {
        field: "query.to",
        reason: "too_many_points",
        params: { count: rows.length, limit: cap },
      });
    }
    return summarizeDiscrete(rows.map(pointOf), before[0] ? pointOf(before[0]) : null, range.from, range.to, this.options.now());
  }
}
