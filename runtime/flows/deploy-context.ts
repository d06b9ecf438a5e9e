import { AsyncLocalStorage } from "node:async_hooks";

export type DeploySource = "editor" | "rollback" | "import" | "admin-api" | "first-start";

/**
 * What a deploy is, carried from the HTTP request (or CLI action) through
 * Node-RED's runtime down to the storage module's saveFlows, which Node-RED
 * calls with only (flows, user).
 */
export interface DeployContext {
  source: DeploySource;
  author?: string;
  message?: string;
  deploymentType?: string;
  ip?: string;
  /** Encrypted credentials to record with the revision (a rollback restores the target's). */
  credentials?: Record<string, unknown> | null;
  /** Set by saveFlows: the revision this deploy created, if any. */
  createdRevision?: number;
}

export const deployContext = new AsyncLocalStorage<DeployContext>();
