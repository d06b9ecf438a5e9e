/**
 * Where an edge node keeps its last bdSeq across restarts. Sparkplug 3.0
 * increments bdSeq on every CONNECT: a restarted process that began at 0
 * again would announce a session whose number a stale Will of its previous
 * life may still carry, and a host would take that late NDEATH for the new
 * session's death.
 */
import fs from "node:fs";
import path from "node:path";

export interface BdSeqStore {
  /** The bdSeq last put in a CONNECT's Will, if any was recorded. */
  load(): number | undefined;
  save(bdSeq: number): void;
}

/** The file an edge node's bdSeq lives in, under a state directory (group and edge node ids never contain `/ + #`). */
export function bdSeqFile(stateDir: string, groupId: string, edgeNodeId: string): string {
  return path.join(stateDir, `${encodeURIComponent(groupId)}+${encodeURIComponent(edgeNodeId)}.bdseq.json`);
}

/**
 * A small JSON file, replaced atomically (write, fsync, rename) so a crash
 * leaves the old value or the new one. A failure is reported, not thrown:
 * losing the number must not keep the edge node off the broker.
 */
export function fileBdSeqStore(file: string, onError: (error: Error) => void): BdSeqStore {
  return {
    load() {
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") onError(new Error(`cannot read the saved bdSeq from ${file}: ${(error as Error).message}`));
        return undefined;
      }
      try {
        const { bdSeq } = JSON.parse(text) as { bdSeq?: unknown };
        if (typeof bdSeq === "number" && Number.isInteger(bdSeq) && bdSeq >= 0 && bdSeq <= 255) return bdSeq;
      } catch {
        // Reported below, like any other unreadable content.
      }
      onError(new Error(`ignoring the saved bdSeq in ${file}: not {"bdSeq": 0..255}`));
      return undefined;
    },
    save(bdSeq) {
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        const fd = fs.openSync(temporary, "w", 0o600);
        try {
          fs.writeSync(fd, JSON.stringify({ bdSeq }));
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(temporary, file);
      } catch (error) {
        onError(new Error(`cannot save bdSeq ${bdSeq} to ${file}: ${(error as Error).message}`));
      }
    },
  };
}
