import type { ErrorDetails } from "../error-contract.js";

/**
 * The site's input policy, one for every door data comes in by: JSON bodies
 * of the API and of the Node-RED editor, query strings and path parameters,
 * CSV imports and the messages flows hand to services. Values are never
 * coerced; what a door cannot store or compute with is refused up front,
 * naming the field, instead of failing later in PostgreSQL or a recursion.
 */
export const INPUT_LIMITS = {
  /** Objects and arrays nested deeper than this are refused (a Node-RED flow needs about 10). */
  maxDepth: 64,
  /** Calendar years a date or timestamp may have: PostgreSQL and PGlite disagree outside any sane range. */
  minYear: 1900,
  maxYear: 2200,
} as const;

/** A refused value: which field and why (`details` of the error answer). */
export type InputProblem = ErrorDetails & { field: string };

/** `root.key` or `root.0`: the dotted field names the API uses (`body.tags.0.role`). */
export function fieldPath(parent: string, key: string | number): string {
  let name = "";
  // Control characters (a NUL in a key) are written as \uXXXX, so a field name is printable.
  for (const char of String(key)) {
    const code = char.charCodeAt(0);
    name += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : char;
  }
  return parent ? `${parent}.${name}` : name;
}

/** A lone UTF-16 surrogate: JSON.stringify writes it as \\udXXX, which PostgreSQL's json refuses. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a text cannot be stored as it is, or null: a NUL character or a lone surrogate. */
export function textProblem(text: string): "nul_character" | "lone_surrogate" | null {
  if (text.includes("\u0000")) return "nul_character";
  return LONE_SURROGATE.test(text) ? "lone_surrogate" : null;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

interface Pending {
  value: unknown;
  /** Where the value sits: its parent and its key there (the path is built only for a problem). */
  parent: Pending | null;
  key: string | number;
  depth: number;
  /** Where the copy of this value goes. */
  assign: (copy: unknown) => void;
}

function pathOf(pending: Pending, root: string): string {
  const keys: (string | number)[] = [];
  for (let at: Pending | null = pending; at?.parent; at = at.parent) keys.push(at.key);
  return keys.reverse().reduce<string>((path, key) => fieldPath(path, key), root) || "input";
}

/**
 * Walks a JSON-like value without recursion (a hostile body may be nested a
 * million levels) and refuses NUL characters and lone surrogates in strings
 * and keys, numbers
 * that are not finite, and nesting past INPUT_LIMITS.maxDepth. Returns a
 * copy of plain objects and arrays (other objects, such as a Date in a flow
 * message, are kept as they are for the schema to judge), so a caller may
 * fill defaults without touching the original, e.g. a flow's message.
 */
export function checkedCopy(value: unknown, root: string): { value: unknown } | { problem: InputProblem } {
  return walk(value, root, true);
}

const NO_COPY = (): void => undefined;

function walk(value: unknown, root: string, copying: boolean): { value: unknown } | { problem: InputProblem } {
  let result: unknown = copying ? undefined : value;
  const stack: Pending[] = [{ value, parent: null, key: "", depth: 0, assign: copying ? (copy) => (result = copy) : NO_COPY }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const pending = next;
    const { value: current, depth, assign } = pending;
    if (typeof current === "string") {
      const problem = textProblem(current);
      if (problem) return { problem: { field: pathOf(pending, root), reason: problem } };
      assign(current);
    } else if (typeof current === "number") {
      if (!Number.isFinite(current)) return { problem: { field: pathOf(pending, root), reason: "not_finite" } };
      assign(current);
    } else if (Array.isArray(current) || (current !== null && typeof current === "object" && isPlainObject(current))) {
      if (depth >= INPUT_LIMITS.maxDepth) {
        return { problem: { field: pathOf(pending, root), reason: "too_deep", params: { limit: INPUT_LIMITS.maxDepth } } };
      }
      if (Array.isArray(current)) {
        const copy: unknown[] = copying ? new Array<unknown>(current.length) : [];
        assign(copy);
        for (let index = current.length - 1; index >= 0; index--) {
          stack.push({ value: current[index], parent: pending, key: index, depth: depth + 1, assign: copying ? (item) => (copy[index] = item) : NO_COPY });
        }
      } else {
        const copy: Record<string, unknown> = {};
        assign(copy);
        const keys = Object.keys(current);
        for (let index = keys.length - 1; index >= 0; index--) {
          const key = keys[index];
          const child: Pending = {
            value: current[key],
            parent: pending,
            key,
            depth: depth + 1,
            // defineProperty: a "__proto__" key from JSON.parse stays a plain property of the copy.
            assign: copying ? (item) => Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true }) : NO_COPY,
          };
          const keyProblem = textProblem(key);
          if (keyProblem) return { problem: { field: pathOf(child, root), reason: keyProblem } };
          stack.push(child);
        }
      }
    } else {
      assign(current);
    }
  }
  return { value: result };
}

/** The policy check alone, for values that need no copy (a parsed request body). */
export function inputProblem(value: unknown, root: string): InputProblem | null {
  const checked = walk(value, root, false);
  return "problem" in checked ? checked.problem : null;
}

// ---------------------------------------------------------------------------
// Dates and timestamps. RFC 3339 with an offset, calendar-valid, no leap
// second (PostgreSQL turns 23:59:60 into the next minute: 9999-12-31T23:59:60Z
// became year 10000), years INPUT_LIMITS.minYear to maxYear (PGlite read
// 0001-06-01 as 2001-01-06).

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function yearInRange(year: number): boolean {
  return year >= INPUT_LIMITS.minYear && year <= INPUT_LIMITS.maxYear;
}

export type TimeProblem = "not_a_date_time" | "not_a_date" | "not_a_month" | "leap_second" | "year_out_of_range";

/** Why text is not an acceptable timestamp, or null when it is. */
export function instantProblem(text: string): TimeProblem | null {
  const match = INSTANT.exec(text);
  if (!match) return "not_a_date_time";
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetSign = match[8];
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || offsetHours > 23 || offsetMinutes > 59) return "not_a_date_time";
  if (second === 60) return "leap_second";
  if (second > 59) return "not_a_date_time";
  const offsetMs = (offsetSign === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const utcYear = new Date(Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs).getUTCFullYear();
  return yearInRange(year) && yearInRange(utcYear) ? null : "year_out_of_range";
}

/** Why text is not an acceptable calendar day (YYYY-MM-DD), or null when it is. */
export function dayProblem(text: string): TimeProblem | null {
  const match = DAY.exec(text);
  if (!match) return "not_a_date";
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  if (!validDay(year, month, day)) return "not_a_date";
  return yearInRange(year) ? null : "year_out_of_range";
}

/** Why text is not an acceptable month (YYYY-MM), or null when it is. */
export function monthProblem(text: string): TimeProblem | null {
  const match = MONTH.exec(text);
  if (!match) return "not_a_month";
  const [year, month] = match.slice(1, 3).map(Number) as [number, number];
  if (month < 1 || month > 12) return "not_a_month";
  return yearInRange(year) ? null : "year_out_of_range";
}

/** Epoch milliseconds inside the accepted years (a tag value's source time). */
export function epochMsInRange(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return yearInRange(year);
}

/** The params of a year_out_of_range problem. */
export const YEAR_RANGE = { min: INPUT_LIMITS.minYear, max: INPUT_LIMITS.maxYear } as const;
