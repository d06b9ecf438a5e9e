import { createHash, randomBytes } from "node:crypto";

/**
 * Session cookies, editor tokens and API tokens are 256-bit random values;
 * only their sha256 is stored, so a database leak does not leak a login.
 * The prefix tells the kinds apart in logs and in a leaked-secret scanner.
 */
export type TokenKind = "session" | "editor" | "api";

const PREFIX: Record<TokenKind, string> = { session: "pfs_", editor: "pfe_", api: "pfa_" };

export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString("base64url");
}

export function tokenKind(token: string): TokenKind | null {
  for (const [kind, prefix] of Object.entries(PREFIX) as [TokenKind, string][]) {
    if (token.startsWith(prefix)) return kind;
  }
  return null;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
