import { createHash, randomBytes } from "node:crypto";
import type { AuditService } from "../audit/audit-service.js";
import type { Database } from "../db/database.js";
import { newId } from "../ids.js";

/** Site credentials: 256 random bits, a prefix a leaked-secret scanner can find. Only the sha256 is stored. */
const CREDENTIAL_PREFIX = "pfsync_";

export function newSiteCredential(): string {
  return CREDENTIAL_PREFIX + randomBytes(32).toString("base64url");
}

export function hashSiteCredential(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export class SyncSiteError extends Error {
  constructor(
    readonly kind: "not_found" | "conflict" | "invalid_state",
    message: string,
  ) {
    super(message);
    this.name = "SyncSiteError";
  }
}

export interface SyncSite {
  siteId: string;
  name: string;
  lastSequence: number;
  lastContactAt: string | null;
  lastHealth: unknown;
  disabledAt: string | null;
  credentials: { id: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null }[];
}

/** Who a push comes from: its credential's site, if the credential is known and not revoked. */
export type CredentialCheck =
  | { ok: true; siteId: string; credentialId: string; disabled: boolean }
  | { ok: false };

interface SiteRow {
  site_id: string;
  name: string;
  last_sequence: string;
  last_contact_at: Date | null;
  last_health: unknown;
  disabled_at: Date | null;
}

/**
 * The cloud's register of sites and their push credentials (docs/sync.md
 * "Credentials"). Issuing returns the token once; rotation issues a second
 * one while the first stays valid until it is revoked, so a site can be
 * switched over without a window where it cannot push. Every change is
 * audited.
 */
export class SyncSites {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  async add(siteId: string, name: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO sync_sites (site_id, name, created_by) VALUES ($1, $2, $3) ON CONFLICT (site_id) DO NOTHING`,
        [siteId, name, actor],
      );
      if (inserted.rowCount === 0) throw new SyncSiteError("conflict", `site ${siteId} is already registered`);
      await this.audit.record({ actor, action: "sync.site.add", entityType: "sync_site", entityId: siteId, after: { siteId, name } }, tx);
    });
  }

  async setDisabled(siteId: string, disabled: boolean, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const updated = await tx.query(`UPDATE sync_sites SET disabled_at = ${disabled ? "now()" : "NULL"} WHERE site_id = $1`, [siteId]);
      if (updated.rowCount === 0) throw new SyncSiteError("not_found", `no site ${siteId}`);
      await this.audit.record({ actor, action: disabled ? "sync.site.disable" : "sync.site.enable", entityType: "sync_site", entityId: siteId }, tx);
    });
  }

  /** A new credential for the site; the token is returned here only. Existing credentials stay valid (rotation). */
  async issue(siteId: string, actor: string): Promise<{ credentialId: string; token: string }> {
    const token = newSiteCredential();
    const credentialId = newId();
    await this.db.transaction(async (tx) => {
      const site = await tx.query(`SELECT 1 FROM sync_sites WHERE site_id = $1`, [siteId]);
      if (site.rowCount === 0) throw new SyncSiteError("not_found", `no site ${siteId}: add it first`);
      await tx.query(`INSERT INTO sync_site_credentials (id, site_id, token_hash, created_by) VALUES ($1, $2, $3, $4)`, [
        credentialId,
        siteId,
        hashSiteCredential(token),
        actor,
      ]);
      await this.audit.record({ actor, action: "sync.credential.issue", entityType: "sync_site_credential", entityId: credentialId, after: { siteId } }, tx);
    });
    return { credentialId, token };
  }

  /**
   * Rotation: a new credential; the site's older ones stay valid until
   * revoked (`revokeOthers`: at once, when the old one leaked).
   */
  async rotate(siteId: string, actor: string, revokeOthers: boolean): Promise<{ credentialId: string; token: string; revoked: string[] }> {
    const issued = await this.issue(siteId, actor);
    const revoked: string[] = [];
    if (revokeOthers) {
      const others = await this.db.query<{ id: string }>(
        `SELECT id FROM sync_site_credentials WHERE site_id = $1 AND id <> $2 AND revoked_at IS NULL`,
        [siteId, issued.credentialId],
      );
      for (const { id } of others.rows) {
        await this.revoke(id, actor);
        revoked.push(id);
      }
    }
    return { ...issued, revoked };
  }

  async revoke(credentialId: string, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const updated = await tx.query<{ site_id: string }>(
        `UPDATE sync_site_credentials SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING site_id`,
        [credentialId, actor],
      );
      const siteId = updated.rows[0]?.site_id;
      if (!siteId) throw new SyncSiteError("not_found", `no unrevoked credential ${credentialId}`);
      await this.audit.record({ actor, action: "sync.credential.revoke", entityType: "sync_site_credential", entityId: credentialId, after: { siteId } }, tx);
    });
  }

  /** The push's credential check: a hash lookup; unknown or revoked -> not ok. */
  async check(token: string): Promise<CredentialCheck> {
    const result = await this.db.query<{ id: string; site_id: string; disabled: boolean }>(
      `UPDATE sync_site_credentials c SET last_used_at = now()
       FROM sync_sites s
       WHERE c.token_hash = $1 AND c.revoked_at IS NULL AND s.site_id = c.site_id
       RETURNING c.id, c.site_id, s.disabled_at IS NOT NULL AS disabled`,
      [hashSiteCredential(token)],
    );
    const row = result.rows[0];
    return row ? { ok: true, siteId: row.site_id, credentialId: row.id, disabled: row.disabled } : { ok: false };
  }

  async list(): Promise<SyncSite[]> {
    const sites = await this.db.query<SiteRow>(
      `SELECT site_id, name, last_sequence::text AS last_sequence, last_contact_at, last_health, disabled_at FROM sync_sites ORDER BY site_id`,
    );
    const credentials = await this.db.query<{ id: string; site_id: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
      `SELECT id, site_id, created_at, last_used_at, revoked_at FROM sync_site_credentials ORDER BY created_at`,
    );
    return sites.rows.map((row) => ({
      siteId: row.site_id,
      name: row.name,
      lastSequence: Number(row.last_sequence),
      lastContactAt: row.last_contact_at?.toISOString() ?? null,
      lastHealth: row.last_health,
      disabledAt: row.disabled_at?.toISOString() ?? null,
      credentials: credentials.rows
        .filter((credential) => credential.site_id === row.site_id)
        .map((credential) => ({
          id: credential.id,
          createdAt: credential.created_at.toISOString(),
          lastUsedAt: credential.last_used_at?.toISOString() ?? null,
          revokedAt: credential.revoked_at?.toISOString() ?? null,
        })),
    }));
  }
}
