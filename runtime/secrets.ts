import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const SECRET_KEY_FILE = "secret.key";

export interface SiteSecret {
  /** Where the secret came from, for the start-up log (never the value). */
  source: "PETROFLOW_SECRET" | "key file";
  /** A purpose-bound key, so one secret never serves two ciphers. */
  derive(purpose: string): Buffer;
}

/**
 * The site secret: PETROFLOW_SECRET when set, otherwise a random key file
 * created once with mode 0600 in the data dir. A key file readable by
 * others is tightened and reported rather than used as is.
 */
export function loadSiteSecret(
  dataDir: string,
  envSecret: string | undefined,
  warn: (message: string) => void,
): SiteSecret {
  let material: Buffer;
  let source: SiteSecret["source"];
  if (envSecret) {
    material = Buffer.from(envSecret, "utf8");
    source = "PETROFLOW_SECRET";
  } else {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, SECRET_KEY_FILE);
    try {
      fs.writeFileSync(file, randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      fs.chmodSync(file, 0o600);
      warn(`${file} was readable by other users (mode ${mode.toString(8)}); its mode is now 600`);
    }
    material = Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
    if (material.length < 32) throw new Error(`${file} is too short to be a Petroflow secret key`);
    source = "key file";
  }
  return {
    source,
    derive(purpose: string): Buffer {
      return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), `petroflow:${purpose}`, 32));
    },
  };
}

/** AES-256-GCM: iv.tag.ciphertext, base64url. */
export function encryptJson(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url")).join(".");
}

export function decryptJson(key: Buffer, sealed: string): unknown {
  const [iv, tag, ciphertext] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !ciphertext) throw new Error("sealed value is malformed");
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAuthTag(tag);
  return JSON.parse(Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8"));
}
