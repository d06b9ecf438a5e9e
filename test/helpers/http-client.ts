/**
 * A small cookie-keeping client for talking to a running site the way the
 * web app does (session cookie + CSRF header) or the way scripts do (bearer).
 */
export class SiteClient {
  private cookie = "";
  csrfToken = "";
  bearer = "";

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const allHeaders: Record<string, string> = { ...headers };
    if (this.cookie) allHeaders.cookie = this.cookie;
    if (this.bearer) allHeaders.authorization = `Bearer ${this.bearer}`;
    if (this.csrfToken && method !== "GET") allHeaders["x-csrf-token"] ??= this.csrfToken;
    // Bytes (a tarball) and forms (an upload) go as they are, with the caller's or fetch's content type.
    const raw = body instanceof Uint8Array || body instanceof FormData;
    if (body !== undefined && typeof body !== "string" && !raw) allHeaders["content-type"] = "application/json";
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: allHeaders,
      body: body === undefined ? undefined : typeof body === "string" || raw ? body : JSON.stringify(body),
      redirect: "manual",
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0] ?? "";
    return response;
  }

  async json<T>(method: string, path: string, body?: unknown, expectedStatus = 200): Promise<T> {
    const response = await this.request(method, path, body);
    const text = await response.text();
    if (response.status !== expectedStatus) {
      throw new Error(`${method} ${path}: expected ${expectedStatus}, got ${response.status}: ${text}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async login(username: string, password: string): Promise<void> {
    const session = await this.json<{ csrfToken: string }>("POST", "/api/v1/auth/login", { username, password });
    this.csrfToken = session.csrfToken;
  }
}
