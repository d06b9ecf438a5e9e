import { Type } from "@sinclair/typebox";
import type { Request, Response, Router } from "express";
import { serialize as serializeCookie } from "cookie";
import { HttpError } from "../http/errors.js";
import { SESSION_COOKIE } from "../http/auth-middleware.js";
import type { RouteRegistry } from "../http/route-registry.js";
import type { Metrics } from "../observability/metrics.js";
import { AuthError, type AuthService, type User } from "./auth-service.js";
import type { LoginLimiter } from "./login-limiter.js";
import { randomPassword } from "./passwords.js";
import { EDITOR_ROLE } from "./roles.js";
import {
  ApiTokenInfoSchema,
  CreateApiTokenBodySchema,
  CreateUserBodySchema,
  EditorTokenSchema,
  LoginBodySchema,
  ResetPasswordBodySchema,
  SessionSchema,
  type SessionUser,
  UpdateUserBodySchema,
  UserSchema,
} from "./schema.js";

export interface AuthRoutesOptions {
  auth: AuthService;
  limiter: LoginLimiter;
  metrics: Metrics;
  secureCookies: boolean;
}

export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

function setSessionCookie(res: Response, value: string, maxAgeSeconds: number, secure: boolean): void {
  res.append(
    "Set-Cookie",
    serializeCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: "lax", path: "/", maxAge: maxAgeSeconds, secure }),
  );
}

/** The signed-in user as the web app sees it: grants included, so it shows the actions they open. */
function sessionUser(user: User): SessionUser {
  return { id: user.id, username: user.username, role: user.role, grants: [...user.grants] };
}

/** The answer to a limited login attempt, on every login endpoint. */
export function tooManyAttempts(res: Response, retryAfterSeconds: number): HttpError {
  res.setHeader("Retry-After", String(retryAfterSeconds));
  return new HttpError(429, "too_many_attempts", `too many failed logins; try again in ${retryAfterSeconds} s`, {
    reason: "rate_limited",
    params: { retryAfterSeconds },
  });
}

function authErrorToHttp(error: unknown): never {
  if (error instanceof AuthError) {
    const status = error.code === "conflict" ? 409 : error.code === "not_found" ? 404 : 400;
    throw new HttpError(status, error.code, error.message, error.details);
  }
  throw error;
}

export function registerAuthRoutes(router: Router, routes: RouteRegistry, options: AuthRoutesOptions): void {
  const { auth, limiter, metrics } = options;

  routes.addPublic(router, {
    method: "post",
    path: "/auth/login",
    summary: "Log in with username and password; sets the session cookie",
    tags: ["auth"],
    audit: { actions: ["auth.login", "auth.login_failed"], rows: { 200: 1, 401: 1 } },
    schemas: { body: LoginBodySchema, responses: { 200: SessionSchema, 429: null } },
    handler: async ({ req, res, body }) => {
      const ip = clientIp(req);
      const attempt = await limiter.attempt(ip, body.username, () => auth.login(body.username, body.password, ip));
      if (attempt.limited) {
        metrics.loginAttempts.inc({ outcome: "rate_limited" });
        throw tooManyAttempts(res, attempt.retryAfterSeconds);
      }
      const result = attempt.result;
      if (!result) {
        metrics.loginAttempts.inc({ outcome: "failure" });
        throw new HttpError(401, "invalid_credentials", "wrong username or password");
      }
      metrics.loginAttempts.inc({ outcome: "success" });
      const maxAge = Math.floor((result.expiresAt.getTime() - Date.now()) / 1000);
      setSessionCookie(res, result.sessionToken, maxAge, options.secureCookies);
      res.json({ user: sessionUser(result.user), csrfToken: result.csrfToken });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/auth/logout",
    summary: "End the session",
    tags: ["auth"],
    audit: { actions: ["auth.logout"], rows: { 204: "any" } },
    role: "viewer",
    schemas: { responses: { 204: null } },
    handler: async ({ req, res, principal }) => {
      await auth.logout(principal, clientIp(req));
      setSessionCookie(res, "", 0, options.secureCookies);
      res.status(204).end();
    },
  });

  routes.add(router, {
    method: "get",
    path: "/auth/me",
    summary: "The logged-in user and the CSRF token for cookie-authenticated writes",
    tags: ["auth"],
    role: "viewer",
    schemas: { responses: { 200: SessionSchema } },
    handler: async ({ res, principal }) => {
      res.json({ user: sessionUser(principal.user), csrfToken: principal.csrfToken ?? "" });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/auth/editor-token",
    summary: "A token for the embedded Node-RED editor, bound to this session",
    tags: ["auth"],
    audit: { actions: [], rows: {} },
    role: EDITOR_ROLE,
    schemas: { responses: { 200: EditorTokenSchema } },
    handler: async ({ res, principal }) => {
      const issued = await auth.issueEditorToken(principal).catch(authErrorToHttp);
      res.json({ access_token: issued.token, expires_in: issued.expiresInSeconds, token_type: "Bearer" });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/auth/tokens",
    summary: "Create an API token for the calling user (shown once)",
    tags: ["auth"],
    audit: { actions: ["api_token.create"], rows: { 201: 1 } },
    role: "viewer",
    schemas: {
      body: CreateApiTokenBodySchema,
      responses: { 201: Type.Object({ id: Type.String(), token: Type.String() }) },
    },
    handler: async ({ res, principal, body }) => {
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : undefined;
      const created = await auth
        .createApiToken(principal.user.id, body.name, principal.user.username, expiresAt)
        .catch(authErrorToHttp);
      res.status(201).json(created);
    },
  });

  routes.add(router, {
    method: "get",
    path: "/auth/tokens",
    summary: "The calling user's API tokens (names and dates, never the secrets)",
    tags: ["auth"],
    role: "viewer",
    schemas: {
      responses: {
        200: Type.Object({ tokens: Type.Array(ApiTokenInfoSchema) }),
      },
    },
    handler: async ({ res, principal }) => {
      res.json({ tokens: await auth.listApiTokens(principal.user.id) });
    },
  });

  routes.add(router, {
    method: "delete",
    path: "/auth/tokens/:id",
    summary: "Revoke an API token (its owner, or an admin)",
    tags: ["auth"],
    audit: { actions: ["api_token.revoke"], rows: { 204: 1 } },
    role: "viewer",
    schemas: { params: Type.Object({ id: Type.String({ format: "uuid" }) }), responses: { 204: null, 404: null } },
    handler: async ({ req, res, principal, params }) => {
      await auth.revokeApiToken(params.id, principal, clientIp(req)).catch(authErrorToHttp);
      res.status(204).end();
    },
  });

  routes.add(router, {
    method: "get",
    path: "/users",
    summary: "List users",
    tags: ["users"],
    role: "admin",
    schemas: { responses: { 200: Type.Object({ users: Type.Array(UserSchema) }) } },
    handler: async ({ res }) => {
      res.json({ users: await auth.listUsers() });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/users",
    summary: "Create a user with a role and grants; without a password one is generated and returned once",
    tags: ["users"],
    audit: { actions: ["user.create"], rows: { 201: 1 } },
    role: "admin",
    schemas: {
      body: CreateUserBodySchema,
      responses: { 201: Type.Object({ user: UserSchema, password: Type.Optional(Type.String()) }), 409: null },
    },
    handler: async ({ req, res, principal, body }) => {
      const created = await auth.createUser(body, principal.user.username, clientIp(req)).catch(authErrorToHttp);
      res.status(201).json(created.generatedPassword ? { user: created.user, password: created.generatedPassword } : { user: created.user });
    },
  });

  const UserIdParams = Type.Object({ id: Type.String({ format: "uuid" }) });

  routes.add(router, {
    method: "get",
    path: "/users/:id",
    summary: "One user",
    tags: ["users"],
    role: "admin",
    schemas: { params: UserIdParams, responses: { 200: Type.Object({ user: UserSchema }), 404: null } },
    handler: async ({ res, params }) => {
      res.json({ user: await auth.getUser(params.id).catch(authErrorToHttp) });
    },
  });

  routes.add(router, {
    method: "get",
    path: "/users/:id/tokens",
    summary: "A user's API tokens (names and dates, never the secrets); an admin revokes one with DELETE /auth/tokens/{id}",
    tags: ["users"],
    role: "admin",
    schemas: { params: UserIdParams, responses: { 200: Type.Object({ tokens: Type.Array(ApiTokenInfoSchema) }), 404: null } },
    handler: async ({ res, params }) => {
      await auth.getUser(params.id).catch(authErrorToHttp);
      res.json({ tokens: await auth.listApiTokens(params.id) });
    },
  });

  routes.add(router, {
    method: "post",
    path: "/users/:id/password",
    summary: "Reset a user's password (generated and returned once when none is given); ends the user's sessions",
    tags: ["users"],
    audit: { actions: ["user.update"], rows: { 200: 1 } },
    role: "admin",
    schemas: {
      params: UserIdParams,
      body: ResetPasswordBodySchema,
      responses: { 200: Type.Object({ user: UserSchema, password: Type.Optional(Type.String()) }), 404: null },
    },
    handler: async ({ req, res, principal, params, body }) => {
      const password = body.password ?? randomPassword();
      const user = await auth.updateUser(params.id, { password }, principal.user.username, clientIp(req)).catch(authErrorToHttp);
      res.json(body.password ? { user } : { user, password });
    },
  });

  routes.add(router, {
    method: "patch",
    path: "/users/:id",
    summary:
      "Change a user's role or grants (the set is replaced), disable or enable it, or set its password; a change of role or disabling ends its sessions and revokes its API tokens",
    tags: ["users"],
    audit: { actions: ["user.update"], rows: { 200: 1 } },
    role: "admin",
    schemas: {
      params: Type.Object({ id: Type.String({ format: "uuid" }) }),
      body: UpdateUserBodySchema,
      responses: { 200: Type.Object({ user: UserSchema }), 404: null },
    },
    handler: async ({ req, res, principal, params, body }) => {
      if (params.id === principal.user.id && (body.disabled === true || (body.role && body.role !== "admin"))) {
        throw new HttpError(400, "invalid_input", "an admin cannot disable or demote their own account", { field: "params.id", reason: "cannot_change_own_account" });
      }
      const user = await auth.updateUser(params.id, body, principal.user.username, clientIp(req)).catch(authErrorToHttp);
      res.json({ user });
    },
  });
}
