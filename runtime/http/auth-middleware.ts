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

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(" ");
  return scheme?.toLowerCase() === "bearer" && value ? value : undefined;
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
 * Works out who is calling, from a bearer token or the session cookie, and
 * enforces CSRF on cookie-authenticated writes (bearer calls cannot be forged
 * by another site, so they need none). It never refuses an anonymous request:
 * each area decides what anonymous callers may see.
 */
export function authenticate(options: AuthenticateOptions): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (token) {
      const principal = (await options.auth.resolveBearer(token)) ?? (await options.resolveNodeRedToken(token));
      if (!principal) {
        sendError(res, 401, "invalid_token", "the bearer token is invalid, expired or revoked");
        return;
      }
      res.locals.principal = principal;
      next();
      return;
    }
    const sessionToken = parseCookies(req.headers.cookie ?? "")[SESSION_COOKIE];
    if (sessionToken) {
      const principal = await options.auth.resolveSession(sessionToken);
      if (principal) {
        if (!SAFE_METHODS.has(req.method) && !options.csrfExempt(req)) {
          const sent = req.headers[CSRF_HEADER];
          if (typeof sent !== "string" || !principal.csrfToken || !sameSecret(sent, principal.csrfToken)) {
            sendError(res, 403, "csrf_failed", `a write with a session cookie needs the ${CSRF_HEADER} header from /api/v1/auth/me`);
            return;
          }
        }
        res.locals.principal = principal;
      }
    }
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
