import fs from "node:fs/promises";

/** An open file, as much of fs/promises' FileHandle as the spool uses. */
export interface SpoolFile {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  /** fdatasync: the data and the size reach the disk before it resolves. */
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  stat(): Promise<{ size: number; mode: number }>;
  chmod(mode: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The file system calls the spool makes, in one place so tests can count
 * the fsyncs or make a call fail. `nodeSpoolFs` is the real one.
 */
export interface SpoolFs {
  /** "r" read, "r+" read and write an existing file, "wx" create a new one (fails if it exists). */
  open(path: string, flags: "r" | "r+" | "wx", mode?: number): Promise<SpoolFile>;
  mkdir(path: string, mode: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  readdir(path: string): Promise<string[]>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsyncs a directory, so a created, renamed or removed entry is on disk. */
  syncDir(path: string): Promise<void>;
}

export const nodeSpoolFs: SpoolFs = {
  open: (path, flags, mode) => fs.open(path, flags, mode),
  async mkdir(path, mode) {
    await fs.mkdir(path, { recursive: true, mode });
  },
  chmod: (path, mode) => fs.chmod(path, mode),
  readdir: (path) => fs.readdir(path),
  rename: (from, to) => fs.rename(from, to),
  unlink: (path) => fs.unlink(path),
  async syncDir(path) {
    const handle = await fs.open(path, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};
