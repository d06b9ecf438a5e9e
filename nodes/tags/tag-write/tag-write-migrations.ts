import { INITIAL_CONFIG_VERSION, type NodeConfigMigration } from "../../shared/node-config-versions.js";

/**
 * tag-write's config versions. Version 2 adds `target`: "store" writes the
 * live tag store as every earlier tag-write did (so the migration sets it),
 * "device" writes the tag's device through its write limits and read-back
 * (docs/setpoints.md).
 */
export const TAG_WRITE_MIGRATIONS: readonly NodeConfigMigration[] = [
  INITIAL_CONFIG_VERSION,
  { to: 2, summary: "target: store (the live tag store, as before) or device (the tag's device, within its write limits)", up: (config) => ({ ...config, target: "store" }) },
];
