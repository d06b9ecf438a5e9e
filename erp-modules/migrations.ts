import path from "node:path";
import type { MigrationSource } from "../runtime/db/migrator.js";

/** ERP migrations in dependency order (after the core's). Kept apart from the modules so migrating loads no services. */
export const ERP_MIGRATIONS: readonly MigrationSource[] = [
  { module: "assets", dir: path.join(__dirname, "assets", "migrations") },
  { module: "production", dir: path.join(__dirname, "production", "migrations") },
  { module: "inventory", dir: path.join(__dirname, "inventory", "migrations") },
  { module: "maintenance", dir: path.join(__dirname, "maintenance", "migrations") },
  { module: "procurement", dir: path.join(__dirname, "procurement", "migrations") },
  { module: "optimization", dir: path.join(__dirname, "optimization", "migrations") },
  { module: "reservoir", dir: path.join(__dirname, "reservoir", "migrations") },
];
