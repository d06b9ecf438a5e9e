import http from "node:http";

export interface ResponseFrom {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * An HTTP request sent from a chosen local address (127.0.0.2, 127.0.0.3 …:
 * the whole 127/8 block is loopback on Linux), so a test can play callers on
 * different machines against a site that limits by address.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  timeoutMs = 30_000,
): Promise<ResponseFrom> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: init.method ?? "GET", headers: init.headers, localAddress, timeout: timeoutMs },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(init.body);
  });
}

/** POST /api/v1/auth/login from an address. */
export function loginFrom(localAddress: string, siteUrl: string, username: string, password: string): Promise<ResponseFrom> {
  return requestFrom(localAddress, `${siteUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
}

/** Node-RED's password grant (POST /editor/auth/token) from an address. */
export function nodeRedTokenFrom(localAddress: string, siteUrl: string, username: string, password: string): Promise<ResponseFrom> {
  const fields = { client_id: "node-red-admin", grant_type: "password", scope: "*", username, password };
  return requestFrom(localAddress, `${siteUrl}/editor/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}
