import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from "node:crypto";
import fs from "node:fs";
import { pipeline } from "node:stream/promises";

/**
 * A backup sealed with a passphrase: AES-256-GCM under a key from scrypt.
 * Layout: MAGIC, a 4-byte header length, the JSON header (kdf parameters,
 * salt, iv; also authenticated as AAD), the ciphertext, the 16-byte tag.
 */
const MAGIC = Buffer.from("PETROFLOW-BACKUP-AES256GCM\n");
const TAG_BYTES = 16;
// scrypt cost: about 0.1 s and 32 MiB on a small box, the OWASP floor for scrypt.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const SCRYPT_MAXMEM = 64 * 1024 * 1024;

export class BackupCryptoError extends Error {}

interface SealHeader {
  kdf: "scrypt";
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
}

function deriveKey(passphrase: string, header: SealHeader): Buffer {
  return scryptSync(passphrase, Buffer.from(header.salt, "base64"), 32, { N: header.N, r: header.r, p: header.p, maxmem: SCRYPT_MAXMEM });
}

/** True when `file` starts with the sealed-backup magic. */
export function isSealed(file: string): boolean {
  const fd = fs.openSync(file, "r");
  try {
    const start = Buffer.alloc(MAGIC.length);
    const read = fs.readSync(fd, start, 0, MAGIC.length, 0);
    return read === MAGIC.length && start.equals(MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

/** Encrypts `plainFile` into `sealedFile` (mode 0600). */
export async function seal(plainFile: string, sealedFile: string, passphrase: string): Promise<void> {
  if (passphrase.length < 8) throw new BackupCryptoError("the backup passphrase must have at least 8 characters");
  const header: SealHeader = { kdf: "scrypt", ...SCRYPT, salt: randomBytes(16).toString("base64"), iv: randomBytes(12).toString("base64") };
  const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
  const length = Buffer.alloc(4);
  length.writeUInt32BE(headerBytes.length);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(passphrase, header), Buffer.from(header.iv, "base64"));
  cipher.setAAD(headerBytes);
  const out = fs.createWriteStream(sealedFile, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, length, headerBytes]));
  await pipeline(fs.createReadStream(plainFile), cipher, out, { end: false });
  await new Promise<void>((resolve, reject) => out.end(cipher.getAuthTag(), () => resolve()).once("error", reject));
}

/**
 * Decrypts `sealedFile` into `plainFile`; a wrong passphrase or any changed
 * byte fails on the tag, and nothing decrypted is trusted before that.
 */
export async function unseal(sealedFile: string, plainFile: string, passphrase: string): Promise<void> {
  const size = fs.statSync(sealedFile).size;
  const fd = fs.openSync(sealedFile, "r");
  let header: SealHeader;
  let headerBytes: Buffer;
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    const length = Buffer.alloc(4);
    fs.readSync(fd, length, 0, 4, MAGIC.length);
    const headerLength = length.readUInt32BE();
    if (headerLength > 4096 || MAGIC.length + 4 + headerLength + TAG_BYTES > size) throw new BackupCryptoError("the backup file is truncated or corrupt");
    headerBytes = Buffer.alloc(headerLength);
    fs.readSync(fd, headerBytes, 0, headerLength, MAGIC.length + 4);
    fs.readSync(fd, tag, 0, TAG_BYTES, size - TAG_BYTES);
    try {
      header = JSON.parse(headerBytes.toString("utf8")) as SealHeader;
    } catch {
      throw new BackupCryptoError("the backup file's header is corrupt");
    }
  } finally {
    fs.closeSync(fd);
  }
  if (header.kdf !== "scrypt" || header.N > 2 ** 20 || header.r > 16 || header.p > 4) throw new BackupCryptoError("the backup file's header is not one Petroflow writes");
  const decipher = createDecipheriv("aes-256-gcm", deriveKey(passphrase, header), Buffer.from(header.iv, "base64"));
  decipher.setAAD(headerBytes);
  decipher.setAuthTag(tag);
  const start = MAGIC.length + 4 + headerBytes.length;
  try {
    await pipeline(fs.createReadStream(sealedFile, { start, end: size - TAG_BYTES - 1 }), decipher, fs.createWriteStream(plainFile, { mode: 0o600 }));
  } catch {
    fs.rmSync(plainFile, { force: true });
    throw new BackupCryptoError("the backup cannot be decrypted: wrong passphrase, or the file is corrupt");
  }
}
