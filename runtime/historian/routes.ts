import type { Router } from "express";
import type { Role } from "../auth/roles.js";
import { HttpError } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import { niceBucketMs } from "./history-math.js";
import { HISTORY_QUERY_DEFAULTS, HistoryQueries, HistoryQueryError, type HistoryTag } from "./history-queries.js";
import { HistoryQuerySchema, HistoryResponseSchema, type HistoryQuery, type HistorySeries } from "./schema.js";

/** Bucket and interpolated queries that name neither bucketMs/stepMs nor points get this many. */
export const DEFAULT_POINTS = 1_000;
/** Raw queries that name no limit get at most this many rows per tag. */
export const DEFAULT_RAW_LIMIT = 10_000;
/** Pens in one request: a trend of many tags is several requests. */
export const MAX_PATHS = 20;

function toHttp(error: unknown): never {
  if (error instanceof HistoryQueryError) {
    throw new HttpError(error.code === "not_found" ? 404 : 400, error.code === "not_found" ? "not_found" : "validation_failed", error.message, error.details);
  }
  throw error;
}

/** The distinct paths of a comma-separated list, in order. */
export function parsePaths(text: string): string[] {
  return [...new Set(text.split(",").map((path) => path.trim()).filter((path) => path.length > 0))];
}

/** One series of the answer, by mode. */
async function seriesOf(history: HistoryQueries, tag: HistoryTag, query: HistoryQuery, from: number, to: number): Promise<HistorySeries> {
  const base = { path: tag.path, unit: tag.unit, dataType: tag.dataType };
  const range = { from, to };
  switch (query.mode) {
    case "raw": {
      const { points, truncated } = await history.rawOf(tag, range, query.limit ?? DEFAULT_RAW_LIMIT);
      return { ...base, source: "raw", truncated, points };
    }
    case "buckets": {
      const bucketMs = query.bucketMs ?? niceBucketMs(from, to, query.points ?? DEFAULT_POINTS);
      const { source, buckets } = await history.bucketsOf(tag, range, bucketMs);
      return { ...base, source, truncated: false, bucketMs, buckets };
    }
    case "interpolated": {
      const stepMs = query.stepMs ?? Math.max(1000, Math.ceil((to - from) / (query.points ?? DEFAULT_POINTS)));
      const times: number[] = [];
      // One past the most allowed, so the reader refuses the query instead of this loop filling memory.
      for (let t = from; t <= to && times.length <= HISTORY_QUERY_DEFAULTS.maxPoints; t += stepMs) times.push(t);
      return { ...base, source: "raw", truncated: false, points: await history.interpolatedOf(tag, times) };
    }
    case "discrete":
      return { ...base, source: "raw", truncated: false, discrete: await history.discreteOf(tag, range) };
  }
}

/**
 * GET /api/v1/history. A path the caller may not read (the tag's readRole)
 * answers like a path with no tag, 404 naming it, as GET /tags/:id does:
 * a viewer learns nothing of tags above their role.
 */
export function registerHistoryRoutes(router: Router, routes: RouteRegistry, history: HistoryQueries, mayRead: (path: string, role: Role) => boolean): void {
  routes.add(router, {
    method: "get",
    path: "/history",
    summary: "Stored values of one or more tags: raw, buckets (from rollups for long ranges), interpolated or a discrete summary",
    tags: ["history"],
    role: "viewer",
    schemas: { query: HistoryQuerySchema, responses: { 200: HistoryResponseSchema, 400: null, 404: null } },
    handler: async ({ res, query, principal }) => {
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      if (to <= from) throw new HttpError(400, "validation_failed", "`to` must be after `from`", { field: "query.to", reason: "not_after", params: { other: "from" } });
      const paths = parsePaths(query.paths);
      if (paths.length === 0 || paths.length > MAX_PATHS) {
        throw new HttpError(400, "validation_failed", `give 1 to ${MAX_PATHS} tag paths`, {
          field: "query.paths",
          reason: paths.length === 0 ? "required" : "too_many_items",
          params: { limit: MAX_PATHS },
        });
      }
      const hidden = paths.find((path) => !mayRead(path, principal.user.role));
      if (hidden !== undefined) throw new HttpError(404, "not_found", `no tag ${hidden}`, { field: "query.paths", reason: "unknown_tag", params: { path: hidden } });
      const tags = await history.resolve(paths).catch(toHttp);
      const series: HistorySeries[] = [];
      for (const tag of tags) series.push(await seriesOf(history, tag, query, from, to).catch(toHttp));
      res.json({ series });
    },
  });
}
