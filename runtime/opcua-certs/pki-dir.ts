import path from "node:path";

/**
 * The site's OPC UA PKI folder. Apart from the store so that knowing the
 * path does not load node-opcua (~80 MiB) into a site that uses no OPC UA.
 */
export function opcUaPkiDir(dataDir: string): string {
  return path.join(dataDir, "pki", "opcua");
}
