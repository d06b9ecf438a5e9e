import express, { type Request, type RequestHandler, type Router } from "express";
import { loginContext } from "../auth/login-context.js";
import { clientIp } from "../auth/routes.js";
import type { LoginLimiter } from "../auth/login-limiter.js";
import { EDITOR_ROLE, roleAtLeast } from "../auth/roles.js";
import { deployContext } from "../flows/deploy-context.js";
import { validateFlowPart, type FlowValidationResult } from "../flows/flow-validation.js";
import { principalOf, requireLogin } from "./auth-middleware.js";
import { sendError } from "./errors.js";

export interface EditorGateOptions {
  limiter: LoginLimiter;
  validate: (flows: unknown) => FlowValidationResult;
  flowMaxBytes: number;
  httpAdmin: RequestHandler;
}

/** Node-RED's body parser skips a request another parser already read. */
function markBodyParsed(req: Request): void {
  (req as Request & { _body?: boolean })._body = true;
}

/**
 * In front of Node-RED's editor and admin API: only engineers and admins
 * get through (except Node-RED's own login endpoints, which check the same
 * users and are rate limited), and a full deploy is validated before
 * Node-RED sees it, so invalid flows never touch the running ones.
 */
export function editorRouter(options: EditorGateOptions): Router {
  const router = express.Router();
  const parseFlows = express.json({ limit: options.flowMaxBytes, strict: false });

  router.get("/auth/login", options.httpAdmin);
  router.post("/auth/token", async (req, res, next) => {
    const ip = clientIp(req);
    const wait = await options.limiter.retryAfterSeconds(ip);
    if (wait > 0) {
      res.setHeader("Retry-After", String(wait));
      sendError(res, 429, "too_many_attempts", `too many failed logins; try again in ${wait} s`);
      return;
    }
    res.on("finish", () => {
      if (res.statusCode === 401 || res.statusCode === 403) void options.limiter.recordFailure(ip);
    });
    loginContext.run({ ip }, () => options.httpAdmin(req, res, next));
  });

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

  router.use(options.httpAdmin);
  return router;
}
