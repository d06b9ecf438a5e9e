import { INITIAL_CONFIG_VERSION, type NodeConfigMigration } from "../../shared/node-config-versions.js";

/**
 * tag-in's config versions. Version 2 names "send the current values once
 * when the flow starts" as flow-revision does (`emitOnStart`); version 1
 * called it `initial`; the node sent them when it was truthy, and the
 * migration keeps exactly that (a missing `initial` becomes false).
 */
export const TAG_IN_MIGRATIONS: readonly NodeConfigMigration[] = [
  INITIAL_CONFIG_VERSION,
  {
    to: 2,
    summary: "initial becomes emitOnStart, the name flow-revision uses for the same choice",
    up: ({ initial, ...rest }) => ({ ...rest, emitOnStart: Boolean(initial) }),
  },
];
