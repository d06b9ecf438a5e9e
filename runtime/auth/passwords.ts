import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// OWASP's scrypt guidance: N=2^17, r=8, p=1 (128 MiB). We take N=2^15 (32 MiB)
// because a 2-core edge box with a few GB must survive a burst of logins;
// the parameters are stored with each hash so they can be raised later.
const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function memoryFor(params: { N: number; r: number }): number {
  return 128 * params.N * params.r * 2;
}

/** Format: scrypt$N$r$p$salt$hash (base64url). */
export async function hashPassword(password: string, params: { N: number; r: number; p: number } = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, { ...params, maxmem: memoryFor(params) });
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [N, r, p] = parts.slice(1, 4).map((part) => Number.parseInt(part, 10));
  if (!N || !r || !p) return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  const key = await scryptAsync(password, salt, expected.length, { N, r, p, maxmem: memoryFor({ N, r }) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random password for a generated admin account: 20 chars, ~120 bits. */
export function randomPassword(): string {
  return randomBytes(15).toString("base64url");
}
