import fs from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another Petroflow process (pid ${ownerPid}). ` +
        `PGlite allows one process per data directory: two writers would corrupt it. ` +
        `Stop the other process, or point PETROFLOW_DATA_DIR elsewhere.`,
    );
    this.name = "DataDirLockedError";
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * A lock file created exclusively, holding our pid. A lock left by a dead
 * process (a crash, a power cut) is taken over; one held by a live process
 * throws what `whenHeld` makes of its pid. Shared by the data dir and the spools.
 */
export function acquirePidLock(lockPath: string, whenHeld: (ownerPid: number) => Error): DataDirLock {
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx", 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      return {
        path: lockPath,
        release() {
          if (released) return;
          released = true;
          try {
            if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const ownerPid = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isInteger(ownerPid) && ownerPid > 0 && ownerPid !== process.pid && processIsAlive(ownerPid)) {
        throw whenHeld(ownerPid);
      }
      fs.unlinkSync(lockPath);
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

/**
 * PGlite takes no lock of its own, so we take one: a file created
 * exclusively holding our pid (acquirePidLock).
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  return acquirePidLock(path.join(dataDir, "petroflow.lock"), (ownerPid) => new DataDirLockedError(dataDir, ownerPid));
}
