import { SETTING_ENV } from "../../settings.js";

/**
 * Node-RED core nodes that run OS commands or read and write the host's
 * files, with the file that defines each (Node-RED's `nodesExcludes` takes
 * file names). Any of them behind an `http in` node hands every logged-in
 * user a shell as the service user, with the site's secret key in reach, so
 * they are off unless PETROFLOW_ALLOW_HOST_NODES turns them on. Checked
 * against Node-RED 5's core list and Dashboard 2.0's widgets (whose
 * ui-file-input uploads from the browser into a flow, not onto the host).
 */
export const HOST_NODES: readonly { file: string; types: readonly string[] }[] = [
  { file: "90-exec.js", types: ["exec"] },
  { file: "10-file.js", types: ["file", "file in"] },
  { file: "23-watch.js", types: ["watch"] },
];

export interface HostAccessPolicy {
  allowHostNodes: boolean;
  allowFunctionModules: boolean;
}

/** The types a flow may not use on this site, each with the setting that turns it on. */
export function disabledNodeTypes(policy: HostAccessPolicy): ReadonlyMap<string, string> {
  if (policy.allowHostNodes) return new Map();
  return new Map(HOST_NODES.flatMap((node) => node.types.map((type) => [type, SETTING_ENV.allowHostNodes] as const)));
}

/** The setting a refused function node names, or undefined when function nodes may load modules. */
export function functionModulesSetting(policy: HostAccessPolicy): string | undefined {
  return policy.allowFunctionModules ? undefined : SETTING_ENV.allowFunctionModules;
}

/** Node-RED's `nodesExcludes`: the files of the disabled nodes, so they are never loaded or offered. */
export function excludedNodeFiles(policy: HostAccessPolicy): string[] {
  return policy.allowHostNodes ? [] : HOST_NODES.map((node) => node.file);
}
