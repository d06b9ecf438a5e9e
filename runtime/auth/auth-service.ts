import { RecentSessions } from "./recent-sessions.js";
import type { AuditService } from "../audit/audit-service.js";
import type { Database, Queryable } from "../db/database.js";
import type { ErrorDetails } from "../error-contract.js";
import { newId } from "../ids.js";
import { AccessEvents, type AccessEnded } from "./access-events.js";
import { hashPassword, randomPassword, verifyPassword } from "./passwords.js";
import { GRANTS, isGrant, type Grant, type UserGrant } from "./grants.js";
import { isRole, roleAtLeast, type Role } from "./roles.js";
import { hashToken, newToken, tokenKind } from "./tokens.js";

export interface User {
  id: string;
  username: string;
  role: Role;
  /** Functional permissions on top of the role (runtime/auth/grants.ts). */
  grants: readonly UserGrant[];
  disabled: boolean;
  createdAt: string;
}

export type AuthVia = "session" | "api-token" | "editor-token" | "node-red-token";

/** Who is making a request, however they proved it. */
export interface Principal {
  user: User;
  via: AuthVia;
  /** Present for cookie sessions: writes must echo it (CSRF). */
  csrfToken?: string;
  /** The browser session behind a cookie or an editor token: a logout ends both. */
  sessionTokenHash?: string;
  /** The API token a script authenticated with. */
  apiTokenId?: string;
}

export class AuthError extends Error {
  constructor(
    readonly code: "invalid_input" | "conflict" | "not_found",
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

function passwordTooShort(): AuthError {
  return new AuthError("invalid_input", `password must have at least ${MIN_PASSWORD_LENGTH} characters`, {
    field: "password",
    reason: "password_too_short",
    params: { limit: MIN_PASSWORD_LENGTH },
  });
}

interface UserRow {
  id: string;
  username: string;
  role: string;
  disabled: boolean;
  created_at: Date;
  /** user_grants aggregated as a JSON array by USER_COLUMNS (both drivers parse json). */
  grants: unknown;
  password_hash?: string;
}

/**
 * A user's columns with their grants folded in by one correlated subquery,
 * so resolving a session or token (on every request) stays one query.
 * Every query that builds a User selects these, from `users u`.
 */
const USER_COLUMNS = `u.id, u.username, u.role, u.disabled, u.created_at,
  (SELECT coalesce(json_agg(json_build_object('grant', g."grant", 'approvalLimit', g.approval_limit) ORDER BY g."grant"), '[]'::json)
   FROM user_grants g WHERE g.user_id = u.id) AS grants`;

export const USERNAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$";
const USERNAME = new RegExp(USERNAME_PATTERN);
export const MIN_PASSWORD_LENGTH = 8;

function toGrants(username: string, raw: unknown): UserGrant[] {
  if (!Array.isArray(raw)) throw new Error(`user ${username} has unreadable grants`);
  return raw.map((entry: { grant?: unknown; approvalLimit?: unknown }) => {
    if (!isGrant(entry.grant)) throw new Error(`user ${username} has unknown grant ${String(entry.grant)}`);
    // numeric comes back as a JSON number; the CHECK constraint keeps it on approver only.
    return entry.approvalLimit === null || entry.approvalLimit === undefined
      ? { grant: entry.grant }
      : { grant: entry.grant, approvalLimit: Number(entry.approvalLimit) };
  });
}

function toUser(row: UserRow): User {
  if (!isRole(row.role)) throw new Error(`user ${row.username} has unknown role ${row.role}`);
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    grants: toGrants(row.username, row.grants),
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The grant set a create or update asks for, checked beyond the schema (the
 * CLI and the first start call the service without it): each grant once, a limit (>= 0) on
 * approver and only there. 400s name the field.
 */
function checkGrants(grants: readonly UserGrant[]): UserGrant[] {
  const seen = new Set<Grant>();
  return grants.map((held, index) => {
    const field = `grants.${index}`;
    if (!isGrant(held.grant)) {
      throw new AuthError("invalid_input", `grant must be one of ${GRANTS.join(", ")}`, {
        field: `${field}.grant`,
        reason: "not_one_of",
        params: { allowed: GRANTS },
      });
    }
    if (seen.has(held.grant)) {
      throw new AuthError("invalid_input", `grant ${held.grant} is listed twice`, { field: `${field}.grant`, reason: "repeated" });
    }
    seen.add(held.grant);
    if (held.grant === "approver") {
      if (held.approvalLimit === undefined) {
        throw new AuthError("invalid_input", "the approver grant needs an approval limit", { field: `${field}.approvalLimit`, reason: "approval_limit_required" });
      }
      if (!Number.isFinite(held.approvalLimit) || held.approvalLimit < 0) {
        throw new AuthError("invalid_input", "approval limit must be a number of at least 0", { field: `${field}.approvalLimit`, reason: "below_minimum", params: { limit: 0 } });
      }
      return { grant: held.grant, approvalLimit: held.approvalLimit };
    }
    if (held.approvalLimit !== undefined) {
      throw new AuthError("invalid_input", `only the approver grant has an approval limit, not ${held.grant}`, {
        field: `${field}.approvalLimit`,
        reason: "approval_limit_only_for_approver",
      });
    }
    return { grant: held.grant };
  });
}

async function writeGrants(tx: Queryable, userId: string, grants: readonly UserGrant[], actor: string): Promise<void> {
  await tx.query("DELETE FROM user_grants WHERE user_id = $1", [userId]);
  for (const held of grants) {
    await tx.query('INSERT INTO user_grants (user_id, "grant", approval_limit, created_by) VALUES ($1, $2, $3, $4)', [
      userId,
      held.grant,
      held.approvalLimit ?? null,
      actor,
    ]);
  }
}

async function loadUser(q: Queryable, id: string): Promise<User> {
  const result = await q.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  const row = result.rows[0];
  if (!row) throw new AuthError("not_found", `no user ${id}`);
  return toUser(row);
}

function sameGrants(a: readonly UserGrant[], b: readonly UserGrant[]): boolean {
  const key = (list: readonly UserGrant[]) =>
    JSON.stringify([...list].sort((x, y) => x.grant.localeCompare(y.grant)).map((held) => [held.grant, held.approvalLimit ?? null]));
  return key(a) === key(b);
}

// Verifying against this when a username is unknown keeps the response time
// the same, so timing does not reveal which usernames exist.
let timingDecoy: Promise<string> | undefined;
function timingDecoyHash(): Promise<string> {
  timingDecoy ??= hashPassword("petroflow-timing-decoy");
  return timingDecoy;
}

export interface AuthServiceOptions {
  siteId: string;
  sessionTtlHours: number;
  /** A listener of access events failed (the change itself stands). */
  onAccessListenerError?: (error: unknown, event: AccessEnded) => void;
  /**
   * How long a session lookup may wait for the database before the session's
   * last confirmed answer stands in (recent-sessions.ts). Default 1500 ms.
   */
  sessionFallbackAfterMs?: number;
  /** How long a confirmed session is answered from memory (runtime/auth/recent-sessions.ts); 0 looks up every request. */
  sessionFreshForMs?: number;
}

/** Sessions remembered for a database outage: far more than one site's operators. */
const RECENT_SESSIONS_MAX = 1000;
/**
 * One second: a browser's burst of requests costs one session lookup, and a
 * user disabled from the CLI (another process) loses access within it.
 */
const SESSION_FRESH_FOR_MS = 1000;

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface LoginResult {
  user: User;
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export class AuthService {
  /** Logout, password and role changes, disabling, token revocation: for whoever holds open connections. */
  readonly accessEvents: AccessEvents;
  private readonly recentSessions: RecentSessions;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly options: AuthServiceOptions,
  ) {
    this.accessEvents = new AccessEvents(options.onAccessListenerError);
    this.recentSessions = new RecentSessions({
      fallbackAfterMs: options.sessionFallbackAfterMs ?? 1500,
      maxEntries: RECENT_SESSIONS_MAX,
      freshForMs: options.sessionFreshForMs ?? SESSION_FRESH_FOR_MS,
    });
    this.accessEvents.on((event) => this.recentSessions.forget(event));
  }

  async countUsers(): Promise<number> {
    const result = await this.db.query<{ count: number }>("SELECT count(*)::int AS count FROM users");
    return result.rows[0]?.count ?? 0;
  }

  /**
   * First start: creates `admin` with the given password, or a random one that
   * the caller prints once. Does nothing when any user exists.
   */
  async ensureInitialAdmin(password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.countUsers()) > 0) return { created: false };
    const chosen = password ?? randomPassword();
    await this.createUser({ username: "admin", password: chosen, role: "admin" }, "system");
    return password ? { created: true } : { created: true, generatedPassword: chosen };
  }

  async createUser(
    input: { username: string; password?: string; role: Role; grants?: readonly UserGrant[] },
    actor: string,
    ip?: string,
  ): Promise<{ user: User; generatedPassword?: string }> {
    if (!USERNAME.test(input.username)) {
      throw new AuthError("invalid_input", "username must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit", {
        field: "username",
        reason: "invalid_username",
      });
    }
    if (!isRole(input.role)) throw new AuthError("invalid_input", "role must be viewer, operator, engineer or admin", { field: "role", reason: "invalid_role" });
    const grants = checkGrants(input.grants ?? []);
    const password = input.password ?? randomPassword();
    if (password.length < MIN_PASSWORD_LENGTH) throw passwordTooShort();
    const passwordHash = await hashPassword(password);
    const user = await this.db.transaction(async (tx) => {
      const existing = await tx.query("SELECT 1 FROM users WHERE lower(username) = lower($1)", [input.username]);
      if (existing.rowCount > 0) throw new AuthError("conflict", `user ${input.username} already exists`, { field: "username", reason: "already_exists" });
      const id = newId();
      await tx.query(
        `INSERT INTO users (id, site_id, username, password_hash, role, created_by)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, this.options.siteId, input.username, passwordHash, input.role, actor],
      );
      await writeGrants(tx, id, grants, actor);
      const created = await loadUser(tx, id);
      await this.audit.record(
        { actor, action: "user.create", entityType: "user", entityId: created.id, after: publicUser(created), ip },
        tx,
      );
      return created;
    });
    return input.password ? { user } : { user, generatedPassword: password };
  }

  async getUser(id: string): Promise<User> {
    return loadUser(this.db, id);
  }

  async listUsers(): Promise<User[]> {
    const result = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u ORDER BY lower(u.username)`,
    );
    return result.rows.map(toUser);
  }

  /**
   * Changes a user's role, grants, enabled state or password. A role change
   * or disabling ends every session and revokes every API token; a password
   * change ends every session (API tokens stay: see access-events.ts). A
   * grant change ends nothing, but the user's sessions are looked up afresh
   * on their next request, so new grants apply at once (docs/permissions.md).
   * Resolves once open connections of the user are closed too.
   */
  async updateUser(
    id: string,
    changes: { role?: Role; disabled?: boolean; password?: string; grants?: readonly UserGrant[] },
    actor: string,
    ip?: string,
  ): Promise<User> {
    if (changes.password !== undefined && changes.password.length < MIN_PASSWORD_LENGTH) throw passwordTooShort();
    const grants = changes.grants === undefined ? undefined : checkGrants(changes.grants);
    const passwordHash = changes.password === undefined ? null : await hashPassword(changes.password);
    const { user, ended } = await this.db.transaction(async (tx) => {
      const locked = await tx.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [id]);
      if (locked.rowCount === 0) throw new AuthError("not_found", `no user ${id}`);
      const before = await loadUser(tx, id);
      await tx.query(
        `UPDATE users SET role = coalesce($2, role), disabled = coalesce($3, disabled),
           password_hash = coalesce($4, password_hash), updated_at = now(), row_version = row_version + 1
         WHERE id = $1`,
        [id, changes.role ?? null, changes.disabled ?? null, passwordHash],
      );
      if (grants && !sameGrants(before.grants, grants)) await writeGrants(tx, id, grants, actor);
      const after = await loadUser(tx, id);
      const reason = !before.disabled && after.disabled
        ? "disabled"
        : before.role !== after.role
          ? "role_changed"
          : passwordHash !== null
            ? "password_changed"
            : null;
      let revokedApiTokens = 0;
      if (reason) {
        await tx.query("DELETE FROM sessions WHERE user_id = $1", [id]);
        if (reason !== "password_changed") revokedApiTokens = await this.revokeApiTokensOf(id, tx);
      }
      await this.audit.record(
        {
          actor,
          action: "user.update",
          entityType: "user",
          entityId: id,
          before: publicUser(before),
          after: publicUser(after),
          details: passwordHash || revokedApiTokens ? { passwordChanged: passwordHash !== null, revokedApiTokens } : undefined,
          ip,
        },
        tx,
      );
      const event: AccessEnded | null = reason ? { scope: "user", userId: id, username: after.username, reason } : null;
      return { user: after, ended: event };
    });
    this.recentSessions.forgetUser(id);
    if (ended) await this.accessEvents.emit(ended);
    return user;
  }

  private async revokeApiTokensOf(userId: string, tx: Queryable): Promise<number> {
    const revoked = await tx.query(
      `UPDATE api_tokens SET revoked_at = now(), updated_at = now(), row_version = row_version + 1
       WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId],
    );
    return revoked.rowCount;
  }

  /**
   * Checks a username and password; audits success and failure alike. With
   * requiredRole, a valid password of a user below that role is a failure.
   */
  async verifyCredentials(username: string, password: string, ip?: string, requiredRole?: Role): Promise<User | null> {
    const result = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE lower(u.username) = lower($1)`,
      [username],
    );
    const row = result.rows[0];
    const valid = row?.password_hash
      ? await verifyPassword(password, row.password_hash)
      : await verifyPassword(password, await timingDecoyHash()).then(() => false);
    const candidate = row && valid && !row.disabled ? toUser(row) : null;
    const roleTooLow = candidate !== null && requiredRole !== undefined && !roleAtLeast(candidate.role, requiredRole);
    const user = roleTooLow ? null : candidate;
    await this.audit.record({
      actor: username.slice(0, 64),
      action: user ? "auth.login" : "auth.login_failed",
      entityType: "user",
      entityId: row?.id,
      details: user
        ? undefined
        : { reason: !row ? "unknown_user" : roleTooLow ? `below_${requiredRole}` : row.disabled && valid ? "disabled" : "bad_password" },
      ip,
    });
    return user;
  }

  async login(username: string, password: string, ip?: string): Promise<LoginResult | null> {
    const user = await this.verifyCredentials(username, password, ip);
    if (!user) return null;
    const sessionToken = newToken("session");
    const csrfToken = newToken("session").slice(4);
    const expiresAt = new Date(Date.now() + this.options.sessionTtlHours * 3_600_000);
    await this.db.query(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, ip) VALUES ($1, $2, $3, $4, $5)",
      [hashToken(sessionToken), user.id, csrfToken, expiresAt, ip ?? null],
    );
    // Expired sessions are swept on login so the table stays small.
    await this.db.query("DELETE FROM sessions WHERE expires_at < now()");
    return { user, sessionToken, csrfToken, expiresAt };
  }

  async resolveSession(sessionToken: string): Promise<Principal | null> {
    if (tokenKind(sessionToken) !== "session") return null;
    const tokenHash = hashToken(sessionToken);
    // An operator already signed in keeps the live screens while the database is away.
    return this.recentSessions.resolve(tokenHash, async () => {
      const result = await this.db.query<UserRow & { csrf_token: string; expires_at: Date | string }>(
        `SELECT ${USER_COLUMNS}, s.csrf_token, s.expires_at
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
        [tokenHash],
      );
      const row = result.rows[0];
      if (!row) return null;
      const principal: Principal = { user: toUser(row), via: "session", csrfToken: row.csrf_token, sessionTokenHash: tokenHash };
      return { principal, expiresAtMs: new Date(row.expires_at).getTime() };
    });
  }

  /** Bearer tokens: API tokens and the session-bound tokens the embedded editor uses. */
  async resolveBearer(token: string): Promise<Principal | null> {
    const kind = tokenKind(token);
    const tokenHash = hashToken(token);
    if (kind === "editor") {
      const result = await this.db.query<UserRow & { session_token_hash: string }>(
        `SELECT ${USER_COLUMNS}, s.token_hash AS session_token_hash
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.editor_token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
        [tokenHash],
      );
      const row = result.rows[0];
      return row ? { user: toUser(row), via: "editor-token", sessionTokenHash: row.session_token_hash } : null;
    }
    if (kind === "api") {
      const result = await this.db.query<UserRow & { token_id: string; last_used_at: Date | null }>(
        `SELECT ${USER_COLUMNS}, t.id AS token_id, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL
           AND (t.expires_at IS NULL OR t.expires_at > now()) AND NOT u.disabled`,
        [tokenHash],
      );
      const row = result.rows[0];
      if (!row) return null;
      // A script or a Prometheus scrape calls often: record use to the minute,
      // not with a write on every request.
      if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
        await this.db.query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [row.token_id]);
      }
      return { user: toUser(row), via: "api-token", apiTokenId: row.token_id };
    }
    return null;
  }

  /** Ends one browser session and its editor token; resolves once its open connections are closed. */
  async logout(principal: Principal, ip?: string): Promise<void> {
    const sessionTokenHash = principal.sessionTokenHash;
    if (!sessionTokenHash) return;
    await this.db.transaction(async (tx) => {
      await tx.query("DELETE FROM sessions WHERE token_hash = $1", [sessionTokenHash]);
      await this.audit.record({ actor: principal.user.username, action: "auth.logout", entityType: "user", entityId: principal.user.id, ip }, tx);
    });
    await this.accessEvents.emit({
      scope: "session",
      userId: principal.user.id,
      username: principal.user.username,
      reason: "logout",
      sessionTokenHash,
    });
  }

  /** A token for the embedded Node-RED editor, valid as long as the session. */
  async issueEditorToken(principal: Principal): Promise<{ token: string; expiresInSeconds: number }> {
    if (principal.via !== "session" || !principal.sessionTokenHash) {
      throw new AuthError("invalid_input", "an editor token is issued only to a browser session", { reason: "needs_browser_session" });
    }
    const token = newToken("editor");
    const result = await this.db.query<{ expires_at: Date }>(
      "UPDATE sessions SET editor_token_hash = $2 WHERE token_hash = $1 RETURNING expires_at",
      [principal.sessionTokenHash, hashToken(token)],
    );
    const expiresAt = result.rows[0]?.expires_at;
    if (!expiresAt) throw new AuthError("not_found", "session has ended");
    return { token, expiresInSeconds: Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) };
  }

  async createApiToken(
    userId: string,
    name: string,
    actor: string,
    expiresAt?: Date,
    tx?: Queryable,
  ): Promise<{ id: string; token: string }> {
    const token = newToken("api");
    const id = newId();
    const run = async (q: Queryable) => {
      const user = await q.query<{ username: string }>("SELECT username FROM users WHERE id = $1", [userId]);
      if (user.rowCount === 0) throw new AuthError("not_found", `no user ${userId}`);
      await q.query(
        `INSERT INTO api_tokens (id, site_id, user_id, name, token_hash, created_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, this.options.siteId, userId, name, hashToken(token), actor, expiresAt ?? null],
      );
      await this.audit.record(
        { actor, action: "api_token.create", entityType: "api_token", entityId: id, after: { userId, name } },
        q,
      );
    };
    if (tx) await run(tx);
    else await this.db.transaction(run);
    return { id, token };
  }

  /** A user's API tokens (never the secrets: only their names and dates). */
  async listApiTokens(userId: string): Promise<ApiTokenInfo[]> {
    const result = await this.db.query<{ id: string; name: string; created_at: Date; expires_at: Date | null; last_used_at: Date | null; revoked_at: Date | null }>(
      "SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
      [userId],
    );
    return result.rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at?.toISOString() ?? null,
      lastUsedAt: row.last_used_at?.toISOString() ?? null,
      revokedAt: row.revoked_at?.toISOString() ?? null,
    }));
  }

  /**
   * Revokes an API token: its owner may, and so may an admin. Revoked tokens
   * stay listed (with the time) so the audit trail reads naturally.
   */
  async revokeApiToken(tokenId: string, principal: Principal, ip?: string): Promise<void> {
    const revoked = await this.db.transaction(async (tx) => {
      const found = await tx.query<{ user_id: string; revoked_at: Date | null }>(
        "SELECT user_id, revoked_at FROM api_tokens WHERE id = $1 FOR UPDATE",
        [tokenId],
      );
      const token = found.rows[0];
      if (!token || (token.user_id !== principal.user.id && principal.user.role !== "admin")) {
        throw new AuthError("not_found", `no API token ${tokenId}`);
      }
      if (token.revoked_at) return null;
      await tx.query("UPDATE api_tokens SET revoked_at = now(), updated_at = now(), row_version = row_version + 1 WHERE id = $1", [tokenId]);
      await this.audit.record(
        { actor: principal.user.username, action: "api_token.revoke", entityType: "api_token", entityId: tokenId, ip },
        tx,
      );
      const owner = await tx.query<{ username: string }>("SELECT username FROM users WHERE id = $1", [token.user_id]);
      return { userId: token.user_id, username: owner.rows[0]?.username ?? "" };
    });
    if (revoked) await this.accessEvents.emit({ scope: "api-token", ...revoked, reason: "token_revoked", apiTokenId: tokenId });
  }

  async findUserByName(username: string): Promise<User | null> {
    const result = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.username) = lower($1)`,
      [username],
    );
    return result.rows[0] ? toUser(result.rows[0]) : null;
  }

  hasRole(principal: Principal, required: Role): boolean {
    return roleAtLeast(principal.user.role, required);
  }
}

/** What an audit row and an API answer say of a user (never the password hash). */
export function publicUser(user: User): { id: string; username: string; role: Role; grants: readonly UserGrant[]; disabled: boolean } {
  return { id: user.id, username: user.username, role: user.role, grants: user.grants, disabled: user.disabled };
}
