import { createHash } from "node:crypto";

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** JSON with keys sorted at every level: the same flows always give the same text. */
export function stableStringify(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

/** The file format of `petroflow flows export`: sorted keys, two-space indent, final newline, so git diffs stay small. */
export function exportText(value: unknown): string {
  return stableStringify(value, 2) + "\n";
}

/** A flow revision's identity: sha256 of its stable JSON, so key order does not matter. */
export function flowsSha256(flows: unknown): string {
  return createHash("sha256").update(stableStringify(flows)).digest("hex");
}
