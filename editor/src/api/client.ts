interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Status 0 means the request never got an HTTP answer (offline, DNS, CORS, reset). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** From the Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  method?: Method;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, for uploads that are not JSON (a CSV import). */
  text?: { contentType: string; content: string };
  signal?: AbortSignal;
  /** Sent as Idempotency-Key: the server answers a repeat with the first response instead of acting twice. */
  idempotencyKey?: string;
  /**
   * false for the requests that are themselves about the session (login,
   * logout): their 401 is the answer, not a session that ended.
   */
  reauthenticate?: boolean;
}

function requestBody(options: RequestOptions): { contentType: string; content: string } | undefined {
  if (options.text !== undefined) return options.text;
  if (options.body !== undefined) return { contentType: 'application/json', content: JSON.stringify(options.body) };
  return undefined;
}

// The session cookie is HttpOnly, so the only session state the page holds is
// the CSRF token the server hands out with login and /me.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Called when a request finds the session gone (401). It resolves once the
 * user has signed in again (the request is then sent again, unchanged: same
 * body, same Idempotency-Key) and rejects when they give up. Installed by the
 * app once it has a session; until then a 401 is simply thrown.
 */
let reauthenticate: (() => Promise<void>) | null = null;

export function setReauthenticate(handler: (() => Promise<void>) | null): void {
  reauthenticate = handler;
}

/** A 401 sends the user to sign in again at most this often for one request. */
const MAX_REAUTHENTICATIONS = 2;

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function parseRetryAfter(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  // RFC 9110 also allows an HTTP date instead of a number of seconds.
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    return text;
  }
}

/**
 * Every call to the Petroflow API goes through here so the cookie and CSRF
 * rules are applied in one place. Resolves with the parsed JSON body
 * (undefined for 204); callers give it the type the contract promises.
 */
export async function apiRequest(path: string, options: RequestOptions = {}): Promise<unknown> {
  let reauthentications = 0;
  let csrfRefreshed = false;
  for (;;) {
    const response = await send(path, options);
    const answer = await readBody(response);
    if (response.ok) {
      if (typeof answer === 'string') {
        throw new ApiError(response.status, 'INVALID_RESPONSE', 'The server answered with something other than JSON');
      }
      return answer;
    }
    const error = toApiError(response, answer);
    if (error.status === 401 && options.reauthenticate !== false && reauthenticate !== null && reauthentications < MAX_REAUTHENTICATIONS) {
      reauthentications += 1;
      // Rejects when the user gives up: the request then fails with its 401.
      await reauthenticate().catch(() => {
        throw error;
      });
      continue;
    }
    // Another tab signed in again: the cookie is a new session whose CSRF token this page has not seen.
    if (error.status === 403 && error.code === 'csrf_failed' && !csrfRefreshed) {
      csrfRefreshed = true;
      if (await refreshCsrfToken()) continue;
    }
    throw error;
  }
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers = new Headers({ Accept: 'application/json' });
  const body = requestBody(options);
  if (body !== undefined) headers.set('Content-Type', body.contentType);
  // Read on every attempt: signing in again hands out a new token.
  if (method !== 'GET' && csrfToken !== null) headers.set('X-CSRF-Token', csrfToken);
  if (options.idempotencyKey !== undefined) headers.set('Idempotency-Key', options.idempotencyKey);
  try {
    return await fetch(path, {
      method,
      headers,
      body: body?.content,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : 'Network request failed');
  }
}

function toApiError(response: Response, answer: unknown): ApiError {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  if (isApiErrorBody(answer)) {
    return new ApiError(response.status, answer.error.code, answer.error.message, answer.error.details, retryAfter);
  }
  // A proxy or the dev server can answer before the Petroflow API does.
  return new ApiError(response.status, `HTTP_${response.status}`, response.statusText, undefined, retryAfter);
}

/** The session's current CSRF token from /auth/me; false when it could not be had. */
async function refreshCsrfToken(): Promise<boolean> {
  try {
    const response = await fetch('/api/v1/auth/me', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) return false;
    const session: unknown = await response.json();
    if (typeof session !== 'object' || session === null || !('csrfToken' in session) || typeof session.csrfToken !== 'string') return false;
    csrfToken = session.csrfToken;
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID needs a secure context, and an
 * edge box is often reached over plain http on the plant network, so the key
 * is made from getRandomValues, which works everywhere.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
