import path from "node:path";
import type { MigrationSource } from "./migrator.js";

const runtimeDir = path.resolve(__dirname, "..");

/**
 * Core migrations, in dependency order: audit first (it defines the
 * append-only trigger function the others use). ERP modules append theirs.
 */
export const CORE_MIGRATIONS: readonly MigrationSource[] = [
  { module: "audit", dir: path.join(runtimeDir, "audit", "migrations") },
  { module: "auth", dir: path.join(runtimeDir, "auth", "migrations") },
  { module: "flows", dir: path.join(runtimeDir, "flows", "migrations") },
  { module: "tags", dir: path.join(runtimeDir, "tags", "migrations") },
  { module: "idempotency", dir: path.join(runtimeDir, "idempotency", "migrations") },
];
