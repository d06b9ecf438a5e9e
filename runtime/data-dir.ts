import fs from "node:fs";
import path from "node:path";

/** What the site creates while it runs: owner only (files 0600, directories 0700). */
export const OWNER_ONLY_UMASK = 0o077;

export interface Tightened {
  /** Entries (the data dir included) that group or others could read, write or enter. */
  loose: number;
  /** A few of them, relative to the data dir, for the log. */
  examples: string[];
  /** Entries whose mode could not be changed (another owner), with the reason. */
  failed: string[];
}

const EXAMPLES = 5;

/**
 * Removes group and other permissions from the data dir and everything in
 * it (symlinks are left alone). PGlite writes its files with mode 0666
 * whatever the umask, so this runs after the database is opened too.
 */
export function tightenDataDir(dataDir: string): Tightened {
  const result: Tightened = { loose: 0, examples: [], failed: [] };
  const visit = (entry: string) => {
    let stats: fs.Stats;
    try {
      stats = fs.lstatSync(entry);
    } catch (error) {
      // Gone since it was listed (PGlite removes temporary files): nothing to tighten.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    if (stats.isSymbolicLink()) return;
    const mode = stats.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      result.loose++;
      const shown = path.relative(dataDir, entry) || ".";
      if (result.examples.length < EXAMPLES) result.examples.push(`${shown} (${mode.toString(8)})`);
      try {
        fs.chmodSync(entry, mode & 0o700);
      } catch (error) {
        if (result.failed.length < EXAMPLES) result.failed.push(`${shown}: ${(error as Error).message}`);
      }
    }
    if (stats.isDirectory()) for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
  };
  visit(dataDir);
  return result;
}
