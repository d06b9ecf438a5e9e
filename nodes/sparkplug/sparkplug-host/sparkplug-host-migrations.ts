import { INITIAL_CONFIG_VERSION, type NodeConfigMigration } from "../../shared/node-config-versions.js";

/** Where the host files metric tags: under this site's id, or under the publishing Sparkplug group id (the cloud role). */
export type HostTagSite = "own" | "group";

/**
 * sparkplug-host's config versions. Version 2 adds `tagSite`; version 1
 * hosts always filed metrics under their own site, so the step sets "own".
 */
export const SPARKPLUG_HOST_MIGRATIONS: readonly NodeConfigMigration[] = [
  INITIAL_CONFIG_VERSION,
  {
    to: 2,
    summary: "tagSite: file metrics under this site (own, as before) or under the publishing group id (group, for the cloud)",
    up: (config) => ({ ...config, tagSite: "own" }),
  },
];
