import type http from "node:http";

/**
 * Security headers, set on every response before anything answers it (our
 * Express app, Node-RED's editor and HTTP-in nodes, Dashboard 2.0's
 * socket.io, which answers outside Express).
 *
 * A small list rather than helmet: every header here has to be set at the
 * HTTP server, not in Express, and each area of the site needs its own
 * Content-Security-Policy, checked in a browser against the Node-RED editor
 * and Dashboard 2.0 (test/e2e/content-security-policy.test.ts); helmet's
 * defaults would have to be checked and overridden one by one anyway.
 */

type Directives = Record<string, string[]>;

/** What every area shares: nothing from other origins, no plugins, framed only by the site itself. */
const BASE: Directives = {
  "default-src": ["'self'"],
  "base-uri": ["'self'"],
  "object-src": ["'none'"],
  "frame-ancestors": ["'self'"],
  "form-action": ["'self'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'", "data:"],
  // 'self' covers the site's own ws:// and wss:// (CSP Level 3).
  "connect-src": ["'self'"],
};

/** The web app, the login page and the API: no inline or eval'd script; Mantine sets inline styles. */
const APP: Directives = {
  ...BASE,
  "script-src": ["'self'"],
  "style-src": ["'self'", "'unsafe-inline'"],
};

/**
 * Node-RED's editor: its page has an inline script, and every node's edit
 * dialog arrives as HTML whose <script> jQuery inserts inline; Monaco runs
 * its workers from blob: URLs.
 */
const EDITOR: Directives = {
  ...BASE,
  "script-src": ["'self'", "'unsafe-inline'"],
  "style-src": ["'self'", "'unsafe-inline'"],
  "worker-src": ["'self'", "blob:"],
};

/**
 * Flows' HTTP-in endpoints and Dashboard 2.0. Strict by default, because
 * they share the web app's origin (and its session cookie); a flow that
 * serves pages needing more sets its own Content-Security-Policy header in
 * its http response node, which replaces this one.
 */
const ENDPOINTS: Directives = {
  ...BASE,
  "script-src": ["'self'"],
  "style-src": ["'self'", "'unsafe-inline'"],
};

function policy(directives: Directives): string {
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(" ")}`)
    .join("; ");
}

const POLICIES = { app: policy(APP), editor: policy(EDITOR), endpoints: policy(ENDPOINTS) } as const;

/** Which area's policy a path gets. */
export function contentSecurityPolicyFor(pathname: string): string {
  if (pathname === "/editor" || pathname.startsWith("/editor/")) return POLICIES.editor;
  if (pathname === "/endpoints" || pathname.startsWith("/endpoints/")) return POLICIES.endpoints;
  return POLICIES.app;
}

const COMMON_HEADERS: [string, string][] = [
  ["X-Content-Type-Options", "nosniff"],
  // Full URLs (with ids and queries) never leave the site; same-origin requests keep them for logs.
  ["Referrer-Policy", "same-origin"],
  // For browsers without frame-ancestors.
  ["X-Frame-Options", "SAMEORIGIN"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
];

export function setSecurityHeaders(req: http.IncomingMessage, res: http.ServerResponse): void {
  const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
  res.setHeader("Content-Security-Policy", contentSecurityPolicyFor(pathname));
  for (const [name, value] of COMMON_HEADERS) res.setHeader(name, value);
}
