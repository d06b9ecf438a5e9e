import path from "node:path";
import express, { type Request, type RequestHandler, type Response, type Router } from "express";
import type { DatabaseAvailability } from "../db/database-errors.js";
import type { AuthService } from "../auth/auth-service.js";
import { clientIp } from "../auth/routes.js";
import type { LoginLimiter } from "../auth/login-limiter.js";
import { EDITOR_ROLE, roleAtLeast } from "../auth/roles.js";
import { deployContext } from "../flows/deploy-context.js";
import { validateFlowPart, type FlowValidationResult } from "../flows/flow-validation.js";
import type { NodeRedTokens } from "../flows/node-red-storage.js";
import type { Metrics } from "../observability/metrics.js";
import { principalOf, requireLogin } from "./auth-middleware.js";
import { HttpError, sendError, sendUnavailable } from "./errors.js";
import { DISABLED_MESSAGE, type NodePackages } from "../node-packages/node-packages.js";
import { NODE_PACKAGE_MAX_BYTES } from "../node-packages/package-inspection.js";

export interface EditorGateOptions {
  auth: AuthService;
  limiter: LoginLimiter;
  metrics: Metrics;
  nodeRedTokens: NodeRedTokens;
  /** How long a password-grant token lives: as long as a browser session. */
  tokenTtlSeconds: number;
  validate: (flows: unknown) => FlowValidationResult;
  flowMaxBytes: number;
  httpAdmin: RequestHandler;
  databaseAvailability: DatabaseAvailability;
  /** Node packages from tarballs (docs/sdk.md): the palette manager's upload and remove go through it. */
  nodePackages?: NodePackages;
}

/**
 * Node-RED turns a failed user or token lookup into 401 and a failed
 * storage call into 500 or 400; it never says the database is away. When
 * the database failed while this request ran, its error answer becomes the
 * 503 `database_unavailable` every other path gives, so a client retries
 * instead of believing its password wrong.
 */
function databaseFailuresAs503(availability: DatabaseAvailability): RequestHandler {
  return (_req, res, next) => {
    const since = Date.now();
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<Response["end"]>) => {
      res.end = end;
      if (!res.headersSent && res.statusCode >= 400 && res.statusCode !== 503 && availability.failedSince(since)) {
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        sendUnavailable(res, "database_unavailable", "the database is unavailable; try again later");
        return res;
      }
      return end(...args);
    }) as Response["end"];
    next();
  };
}

/** Node-RED's two OAuth clients (its editor and node-red-admin); neither has a secret. */
const NODE_RED_CLIENTS = new Set(["node-red-editor", "node-red-admin"]);

/** Node-RED's body parser skips a request another parser already read. */
function markBodyParsed(req: Request): void {
  (req as Request & { _body?: boolean })._body = true;
}

/** An OAuth 2 error (RFC 6749 §5.2), the shape Node-RED's editor and node-red-admin read. */
function oauthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * Node-RED's password grant (POST /editor/auth/token), answered here rather
 * than by Node-RED: Node-RED keeps its own count of attempts per username
 * from every address and answers 500 past five, which would let anyone lock
 * an engineer out. This applies the site's one login policy instead and
 * stores the token where Node-RED's own check finds it.
 */
function passwordGrant(options: EditorGateOptions): RequestHandler {
  return async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const body: unknown = req.body;
    const grantType = field(body, "grant_type");
    const client = field(body, "client_id");
    const username = field(body, "username");
    const password = field(body, "password");
    const scope = field(body, "scope");
    if (grantType !== "password") {
      oauthError(res, 400, "unsupported_grant_type", "only the password grant is supported");
      return;
    }
    if (typeof client !== "string" || !NODE_RED_CLIENTS.has(client)) {
      oauthError(res, 401, "invalid_client", "client_id must be node-red-editor or node-red-admin");
      return;
    }
    if (typeof username !== "string" || username.length === 0 || username.length > 64) {
      oauthError(res, 400, "invalid_request", "username must be a string of 1 to 64 characters");
      return;
    }
    if (typeof password !== "string" || password.length === 0 || password.length > 1024) {
      oauthError(res, 400, "invalid_request", "password must be a string of 1 to 1024 characters");
      return;
    }
    if (scope !== undefined && (typeof scope !== "string" || scope.length > 200)) {
      oauthError(res, 400, "invalid_scope", "scope must be a string");
      return;
    }
    const ip = clientIp(req);
    const attempt = await options.limiter.attempt(ip, username, () => options.auth.verifyCredentials(username, password, ip, EDITOR_ROLE));
    if (attempt.limited) {
      options.metrics.loginAttempts.inc({ outcome: "rate_limited" });
      res.setHeader("Retry-After", String(attempt.retryAfterSeconds));
      sendError(res, 429, "too_many_attempts", `too many failed logins; try again in ${attempt.retryAfterSeconds} s`, {
        reason: "rate_limited",
        params: { retryAfterSeconds: attempt.retryAfterSeconds },
      });
      return;
    }
    if (!attempt.result) {
      options.metrics.loginAttempts.inc({ outcome: "failure" });
      oauthError(res, 403, "invalid_grant", "Invalid resource owner credentials");
      return;
    }
    options.metrics.loginAttempts.inc({ outcome: "success" });
    const issued = await options.nodeRedTokens.issue(attempt.result.username, client, scope || "*", options.tokenTtlSeconds);
    res.json({ access_token: issued.token, expires_in: issued.expiresInSeconds, token_type: "Bearer" });
  };
}

/**
 * In front of Node-RED's editor and admin API: only engineers and admins
 * get through (except the login endpoints, which check the same users under
 * the same limits), and a full deploy is validated before Node-RED sees it,
 * so invalid flows never touch the running ones.
 */
export function editorRouter(options: EditorGateOptions): Router {
  const router = express.Router();
  router.use(databaseFailuresAs503(options.databaseAvailability));
  const parseFlows = express.json({ limit: options.flowMaxBytes, strict: false });

  router.get("/auth/login", options.httpAdmin);
  router.post(
    "/auth/token",
    express.urlencoded({ extended: false, limit: "16kb" }),
    express.json({ limit: "16kb" }),
    passwordGrant(options),
  );

  router.use(requireLogin("/login"), (_req, res, next) => {
    const principal = principalOf(res);
    if (!principal || !roleAtLeast(principal.user.role, EDITOR_ROLE)) {
      sendError(res, 403, "forbidden", `the flow editor needs the ${EDITOR_ROLE} role`);
      return;
    }
    next();
  });

  router.post("/flows", parseFlows, (req, res, next) => {
    const body: unknown = req.body;
    const flows = Array.isArray(body) ? body : (body as { flows?: unknown } | null)?.flows;
    const checked = options.validate(flows);
    if (!checked.ok) {
      sendError(res, 400, "invalid_flows", checked.message, checked.details);
      return;
    }
    // Node-RED runs (and the storage keeps) the flows with every node config at its current version.
    req.body = Array.isArray(body) ? checked.flows : { ...(body as object), flows: checked.flows };
    markBodyParsed(req);
    const principal = principalOf(res);
    const deploymentType = req.get("Node-RED-Deployment-Type") ?? "full";
    const message = req.get("X-Petroflow-Deploy-Message")?.slice(0, 500);
    deployContext.run(
      { source: "editor", author: principal?.user.username, deploymentType, message, ip: clientIp(req) },
      () => options.httpAdmin(req, res, next),
    );
  });

  // Node-RED's per-flow admin API changes flows too: the same input policy first.
  const checkFlowPart: RequestHandler = (req, res, next) => {
    const refused = validateFlowPart(req.body);
    if (refused && !refused.ok) {
      sendError(res, 400, "invalid_flows", refused.message, refused.details);
      return;
    }
    markBodyParsed(req);
    next();
  };
  router.post("/flow", parseFlows, checkFlowPart);
  router.put("/flow/:id", parseFlows, checkFlowPart);

  // The palette manager's upload, upgrade and remove: the same checks, audit
  // and offline installer as `petroflow nodes`, for admins only.
  router.post("/nodes", express.raw({ type: "multipart/form-data", limit: NODE_PACKAGE_MAX_BYTES + 64 * 1024 }), paletteInstall(options.nodePackages));
  router.delete(/^\/nodes\/((@[^/]+\/)?[^/]+)$/, paletteRemove(options.nodePackages));

  router.use(options.httpAdmin);
  return router;
}

/** An error as Node-RED's admin API gives it: the palette manager shows `message`. */
function paletteError(res: Response, error: unknown): void {
  if (error instanceof HttpError) {
    res.status(error.status).json({ code: error.details?.reason ?? error.code, message: error.message });
    return;
  }
  throw error;
}

/** The node packages service when the caller is an admin and installing is on; otherwise answers and returns undefined. */
function paletteService(packages: NodePackages | undefined, res: Response): NodePackages | undefined {
  const principal = principalOf(res);
  if (!principal || !roleAtLeast(principal.user.role, "admin")) {
    res.status(403).json({ code: "forbidden", message: "installing and removing node packages needs the admin role" });
    return undefined;
  }
  if (!packages?.enabled) {
    res.status(403).json({ code: "node_install_disabled", message: DISABLED_MESSAGE });
    return undefined;
  }
  return packages;
}

function paletteInstall(packages: NodePackages | undefined): RequestHandler {
  return async (req, res) => {
    const service = paletteService(packages, res);
    if (!service) return;
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body)) {
      // A JSON body names a registry module or a URL: this site installs uploaded tarballs only.
      res.status(400).json({ code: "tarball_only", message: "this site installs node packages from uploaded tarballs only (npm pack), never from a registry or URL" });
      return;
    }
    let file: unknown;
    try {
      const form = await new Response(body, { headers: { "content-type": req.get("content-type") ?? "" } }).formData();
      file = form.get("tarball");
    } catch (error) {
      res.status(400).json({ code: "invalid_request", message: `the upload is not a readable multipart form: ${(error as Error).message}` });
      return;
    }
    if (!(file instanceof Blob)) {
      res.status(400).json({ code: "invalid_request", message: "the form has no tarball file" });
      return;
    }
    const fileName = file instanceof File ? path.basename(file.name) : "package.tgz";
    try {
      const change = await service.install(Buffer.from(await file.arrayBuffer()), fileName, { username: principalOf(res)?.user.username ?? "?", ip: clientIp(req) });
      res.json({ name: change.name, version: change.version, user: true, sha256: change.sha256, restartRequired: change.restartRequired });
    } catch (error) {
      paletteError(res, error);
    }
  };
}

function paletteRemove(packages: NodePackages | undefined): RequestHandler {
  return async (req, res) => {
    const service = paletteService(packages, res);
    if (!service) return;
    const name = decodeURIComponent(req.path.slice("/nodes/".length));
    try {
      await service.remove(name, { username: principalOf(res)?.user.username ?? "?", ip: clientIp(req) });
      res.status(204).end();
    } catch (error) {
      paletteError(res, error);
    }
  };
}
