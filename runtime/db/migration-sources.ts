import path from "node:path";
import { ERP_MIGRATIONS } from "../../erp-modules/migrations.js";
import type { MigrationSource } from "./migrator.js";

const runtimeDir = path.resolve(__dirname, "..");

/**
 * Core migrations, in dependency order: audit first (it defines the
 * append-only trigger function the others use).
 */
export const CORE_MIGRATIONS: readonly MigrationSource[] = [
  { module: "audit", dir: path.join(runtimeDir, "audit", "migrations") },
  { module: "auth", dir: path.join(runtimeDir, "auth", "migrations") },
  { module: "flows", dir: path.join(runtimeDir, "flows", "migrations") },
  { module: "tags", dir: path.join(runtimeDir, "tags", "migrations") },
  { module: "idempotency", dir: path.join(runtimeDir, "idempotency", "migrations") },
  { module: "historian", dir: path.join(runtimeDir, "historian", "migrations") },
  { module: "alarms", dir: path.join(runtimeDir, "alarms", "migrations") },
  { module: "trend-views", dir: path.join(runtimeDir, "trend-views", "migrations") },
];

/** Everything a site runs: the core, the sync outbox, the ERP modules, then the demo's seed marker. */
export const ALL_MIGRATIONS: readonly MigrationSource[] = [
  ...CORE_MIGRATIONS,
  { module: "sync", dir: path.join(runtimeDir, "sync", "migrations") },
  ...ERP_MIGRATIONS,
  { module: "demo", dir: path.join(runtimeDir, "demo", "migrations") },
];
