import type { Static, TSchema } from "@sinclair/typebox";
import { checkInput } from "../../runtime/input/schema-check.js";
import { inputRefused, serviceError, ServiceError } from "../shared/service-error.js";

export const MODULE = "procurement";

export function parseInput<T extends TSchema>(schema: T, input: unknown): Static<T> {
  const checked = checkInput(schema, input, "");
  if ("problem" in checked) throw inputRefused(checked.problem);
  return checked.value;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

export const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function notFound(what: string, id: string): ServiceError {
  return new ServiceError("not_found", `no ${what} ${id}`);
}

/** 409 stale naming rowVersion, like the other modules' optimistic concurrency. */
export function checkRowVersion(what: string, current: number, sent: number): void {
  if (current !== sent) throw serviceError("stale", "rowVersion", "changed_since_read", { current, sent }, `${what} changed since you read it (version ${current}, you sent ${sent})`);
}

/** Today's date (UTC) as YYYY-MM-DD: price validity is by calendar day. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
