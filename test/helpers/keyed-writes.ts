/**
 * Keyed API writes for the fault tests (kill -9, database cuts): each write
 * has its own Idempotency-Key, is sent with a bearer token and a client
 * deadline, and its outcome is classified the way a careful client would:
 * a 2xx is acknowledged, anything else (no answer, 503) must be retried
 * with the same key.
 */

export interface KeyedWrite {
  key: string;
  /** API path under the site, e.g. /api/v1/tags */
  path: string;
  body: Record<string, unknown>;
}

export type WriteOutcome =
  | { kind: "answered"; status: number; code: string | null; retryAfter: string | null; replayed: boolean; elapsedMs: number }
  | { kind: "no answer"; reason: string; elapsedMs: number };

export function acknowledged(outcome: WriteOutcome): boolean {
  return outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300;
}

/** Sends one keyed write; never throws. */
export async function sendKeyed(baseUrl: string, bearer: string, write: KeyedWrite, timeoutMs: number): Promise<WriteOutcome> {
  const started = Date.now();
  try {
    const response = await fetch(baseUrl + write.path, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", "idempotency-key": write.key },
      body: JSON.stringify(write.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let code: string | null = null;
    try {
      const parsed = JSON.parse(text) as { error?: { code?: unknown } };
      code = typeof parsed.error?.code === "string" ? parsed.error.code : null;
    } catch {
      // a non-JSON answer has no error code
    }
    return {
      kind: "answered",
      status: response.status,
      code,
      retryAfter: response.headers.get("retry-after"),
      replayed: response.headers.get("idempotency-replayed") === "true",
      elapsedMs: Date.now() - started,
    };
  } catch (error) {
    return { kind: "no answer", reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error), elapsedMs: Date.now() - started };
  }
}

export function describeOutcome(outcome: WriteOutcome): string {
  return outcome.kind === "answered" ? `HTTP ${outcome.status}${outcome.code ? ` ${outcome.code}` : ""}` : `no answer (${outcome.reason})`;
}

/** Tag and field-asset creations: each makes exactly one row and one audit row, so a duplicate shows. */
export function keyedWrite(prefix: string, index: number): KeyedWrite {
  const name = `${prefix}-${index}`.toUpperCase();
  return index % 2 === 0
    ? { key: `key-${name}`, path: "/api/v1/tags", body: { path: `SITE1/${name}/VALUE`, dataType: "float", unit: "kPa" } }
    : { key: `key-${name}`, path: "/api/v1/assets", body: { kind: "field", code: name, name: `Field ${name}` } };
}
