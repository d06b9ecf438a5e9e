import { timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { parse as parseCookies } from "cookie";
import type { AuthService, Principal } from "../auth/auth-service.js";
import { sendError } from "./errors.js";

export const SESSION_COOKIE = "pf_session";
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface AuthenticateOptions {
  auth: AuthService;
  /** Tokens Node-RED issued itself (POST /editor/auth/token): resolved to a principal. */
  resolveNodeRedToken: (token: string) => Promise<Principal | null>;
  /** Paths where a cookie-authenticated write needs no CSRF token (login). */
  csrfExempt: (req: Request) => boolean;
}

/**
 * Who a request comes from, by bearer token or session cookie; null for an
 * anonymous request, "invalid" for a bearer token that resolves to nobody.
 * Shared by HTTP requests and websocket upgrades.
 */
export async function principalFromRequest(
  req: Pick<Request, "headers">,
  options: Pick<AuthenticateOptions, "auth" | "resolveNodeRedToken">,
): Promise<Principal | null | "invalid"> {
  const [scheme, token] = req.headers.authorization?.split(" ") ?? [];
  if (scheme?.toLowerCase() === "bearer" && token) {
    return (await options.auth.resolveBearer(token)) ?? (await options.resolveNodeRedToken(token)) ?? "invalid";
  }
  const sessionToken = parseCookies(req.headers.cookie ?? "")[SESSION_COOKIE];
  return sessionToken ? options.auth.resolveSession(sessionToken) : null;
}

/**
 * Works out who is calling, from a bearer token or the session cookie, and
 * enforces CSRF on cookie-authenticated writes (bearer calls cannot be forged
 * by another site, so they need none). It never refuses an anonymous request:
 * each area decides what anonymous callers may see.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  return async (req, res, next) => {
    const principal = await principalFromRequest(req, options);
    if (principal === "invalid") {
      sendError(res, 401, "invalid_token", "the bearer token is invalid, expired or revoked");
      return;
    }
    if (principal?.via === "session" && !SAFE_METHODS.has(req.method) && !options.csrfExempt(req)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== "string" || !principal.csrfToken || !sameSecret(sent, principal.csrfToken)) {
        sendError(res, 403, "csrf_failed", `a write with a session cookie needs the ${CSRF_HEADER} header from /api/v1/auth/me`);
        return;
      }
    }
    if (principal) res.locals.principal = principal;
    next();
  };
}

/** Refuses anonymous callers: HTML navigations go to the login page, the rest get 401. */
export function requireLogin(loginPath: string): RequestHandler {
  return (req, res, next) => {
    if (principalOf(res)) {
      next();
      return;
    }
    if (req.method === "GET" && req.accepts(["json", "html"]) === "html") {
      res.redirect(302, `${loginPath}?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    sendError(res, 401, "unauthenticated", "login required");
  };
}
