import { Type } from "@sinclair/typebox";
import type { Router } from "express";
import type { AuditService } from "../audit/audit-service.js";
import type { ErrorCode } from "../error-contract.js";
import { HttpError } from "../http/errors.js";
import type { RouteRegistry } from "../http/route-registry.js";
import { TagWriteRequestSchema, TagWriteResultSchema } from "./schema.js";
import { TagRegistryError, type TagRegistry } from "./tag-registry.js";
import type { LiveTags, TagScalar } from "./tag-types.js";
import { TagWriteError, readBackMatches, type TagWrites, type WriteResult } from "./tag-writes.js";

const CODE_BY_STATUS: Record<TagWriteError["status"], ErrorCode> = {
  400: "validation_failed",
  403: "forbidden",
  409: "invalid_state",
  502: "device_error",
  504: "device_timeout",
};

/** The audit row's outcome: the write's, or why it never reached or failed at the device. */
type AuditOutcome = WriteResult["outcome"] | "refused" | "failed";

/**
 * POST /tags/:id/write: the web app's setpoint write (docs/setpoints.md).
 * Every attempt on a tag the caller may see is audited, refused and failed
 * ones too: who, the value before, the value asked for, and what came of it.
 */
export function registerTagWriteRoute(router: Router, routes: RouteRegistry, deps: { registry: TagRegistry; live: LiveTags; writes: TagWrites; audit: AuditService }): void {
  const { registry, live, writes, audit } = deps;
  routes.add(router, {
    method: "post",
    path: "/tags/:id/write",
    summary: "Write a setpoint to its device through the tag's device path, within the tag's write limits; confirmed by read-back",
    tags: ["tags"],
    // A refusal the route's own checks make (400 limits or type, 403 writeRole, 409) is audited; a malformed body or a viewer is refused before.
    audit: { actions: ["tag.write"], rows: { 200: 1, 400: "any", 403: "any", 409: 1, 502: 1, 504: 1 } },
    role: "operator",
    schemas: {
      params: Type.Object({ id: Type.String({ format: "uuid" }) }),
      body: TagWriteRequestSchema,
      responses: { 200: TagWriteResultSchema, 404: null, 409: null, 502: null, 504: null },
    },
    handler: async ({ res, params, body, principal }) => {
      const { role, username: actor } = principal.user;
      const tag = await registry.get(params.id).catch((error: unknown) => {
        if (error instanceof TagRegistryError) throw new HttpError(404, "not_found", error.message);
        throw error;
      });
      if (!registry.mayRead(tag.path, role)) throw new HttpError(404, "not_found", `no tag ${params.id}`);
      const previous: TagScalar = live.read(tag.path)?.v ?? null;
      const record = (outcome: AuditOutcome, details: Record<string, unknown>) =>
        audit.record({
          actor,
          action: "tag.write",
          entityType: "tag",
          entityId: tag.id,
          before: { value: previous },
          after: { value: body.value },
          details: { path: tag.path, unit: tag.unit, outcome, ...(body.reason ? { reason: body.reason } : {}), ...details },
        });
      const refuse = async (error: TagWriteError): Promise<never> => {
        await record(error.status >= 500 ? "failed" : "refused", { why: error.reason, message: error.message });
        throw new HttpError(error.status, CODE_BY_STATUS[error.status], error.message, { field: "value", reason: error.reason, ...(error.params ? { params: error.params } : {}) });
      };
      const refusal = writes.check(tag.path, body.value, role);
      if (refusal) return refuse(TagWriteError.refused(refusal));
      if (body.expectedCurrent !== undefined && !sameValue(body.expectedCurrent, previous)) {
        await record("refused", { why: "value_changed" });
        throw new HttpError(409, "stale", `${tag.path} is ${JSON.stringify(previous)} now, not the ${JSON.stringify(body.expectedCurrent)} you saw`, {
          field: "expectedCurrent",
          reason: "value_changed",
          params: { current: String(previous), expected: String(body.expectedCurrent) },
        });
      }
      let result: WriteResult;
      try {
        result = await writes.requestWrite(tag.path, body.value, { actor, role });
      } catch (error) {
        if (error instanceof TagWriteError) return refuse(error);
        throw error;
      }
      await record(result.outcome, { readBack: result.readBack, ...(result.detail ? { detail: result.detail } : {}) });
      res.json(result);
    },
  });
}

/** What the writer saw against the live value: a float within the read-back tolerance counts as the same. */
function sameValue(expected: number | boolean | null, current: TagScalar): boolean {
  if (expected === null || current === null) return expected === current;
  return readBackMatches(expected, current);
}
