import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { x as extractTar } from "tar";

/** The largest tarball an admin may install: a node package with its bundled dependencies, not a site's worth of files. */
export const NODE_PACKAGE_MAX_BYTES = 50 * 1024 * 1024;
/** Unpacked, a tarball may grow; past this it is refused (a gzip bomb would otherwise fill the data dir's disk). */
const UNPACKED_MAX_BYTES = 200 * 1024 * 1024;
/** npm's rule for a package name (lowercase, optional scope, URL-safe), as npm itself checks it. */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
/** How a node's editor file registers its type: `RED.nodes.registerType("acme-flare", …)`. */
const REGISTER_TYPE = /RED\.nodes\.registerType\(\s*["'`]([^"'`]+)["'`]/g;

/** Why a tarball is not a node package this site can install. */
export class PackageRefusal extends Error {
  constructor(
    readonly reason: "not_a_tarball" | "no_package_json" | "invalid_name" | "invalid_version" | "not_a_node_package" | "dependencies_not_bundled" | "too_large",
    message: string,
  ) {
    super(message);
    this.name = "PackageRefusal";
  }
}

export interface InspectedPackage {
  name: string;
  version: string;
  /** Hex SHA-256 of the tarball as received: what the audit row records, to match against the integrator's build. */
  sha256: string;
  sizeBytes: number;
  /** The node types its editor files register (every Node-RED node has one `registerType` in its .html). */
  types: string[];
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  "node-red"?: { nodes?: unknown };
  dependencies?: unknown;
  bundleDependencies?: unknown;
  bundledDependencies?: unknown;
}

async function unpack(tarball: Buffer, dir: string): Promise<void> {
  let unpackedBytes = 0;
  await new Promise<void>((resolve, reject) => {
    const extractor = extractTar({
      cwd: dir,
      strict: true,
      // No links: a package has no business pointing outside itself.
      filter: (_entryPath, entry) => {
        const kind = "type" in entry ? entry.type : undefined;
        if (kind === "SymbolicLink" || kind === "Link") return false;
        unpackedBytes += entry.size ?? 0;
        if (unpackedBytes > UNPACKED_MAX_BYTES) {
          reject(new PackageRefusal("too_large", `the package unpacks to more than ${UNPACKED_MAX_BYTES / 1024 / 1024} MiB`));
          return false;
        }
        return true;
      },
    });
    extractor.on("error", (error: Error) => reject(new PackageRefusal("not_a_tarball", `not a readable npm pack tarball: ${error.message}`)));
    extractor.on("finish", () => resolve());
    extractor.end(tarball);
  });
}

function htmlFiles(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") htmlFiles(full, found);
    } else if (entry.isFile() && entry.name.endsWith(".html")) {
      found.push(full);
    }
  }
  return found;
}

function bundled(pkg: PackageJson): Set<string> {
  const list = pkg.bundleDependencies ?? pkg.bundledDependencies;
  if (list === true) return new Set(Object.keys((pkg.dependencies as Record<string, unknown> | undefined) ?? {}));
  return new Set(Array.isArray(list) ? list.filter((name): name is string => typeof name === "string") : []);
}

/**
 * What a tarball holds, read without running any of it: its name, version,
 * hash and the node types it registers. Refuses anything that is not an
 * installable node package: the site installs offline, so every dependency
 * must travel inside the tarball (bundleDependencies).
 */
export async function inspectPackage(tarball: Buffer): Promise<InspectedPackage> {
  if (tarball.length === 0) throw new PackageRefusal("not_a_tarball", "the tarball is empty");
  if (tarball.length > NODE_PACKAGE_MAX_BYTES) {
    throw new PackageRefusal("too_large", `the tarball is larger than ${NODE_PACKAGE_MAX_BYTES / 1024 / 1024} MiB`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-node-package-"));
  try {
    await unpack(tarball, dir);
    const root = path.join(dir, "package");
    const manifest = path.join(root, "package.json");
    if (!fs.existsSync(manifest)) throw new PackageRefusal("no_package_json", "the tarball has no package/package.json: make it with npm pack");
    let pkg: PackageJson;
    try {
      pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as PackageJson;
    } catch (error) {
      throw new PackageRefusal("no_package_json", `package.json is not JSON: ${(error as Error).message}`);
    }
    if (typeof pkg.name !== "string" || pkg.name.length > 214 || !PACKAGE_NAME.test(pkg.name)) {
      throw new PackageRefusal("invalid_name", `${JSON.stringify(pkg.name)} is not an npm package name`);
    }
    if (typeof pkg.version !== "string" || !VERSION.test(pkg.version)) {
      throw new PackageRefusal("invalid_version", `${JSON.stringify(pkg.version)} is not a semver version`);
    }
    const nodes = pkg["node-red"]?.nodes;
    if (nodes === null || typeof nodes !== "object" || Object.keys(nodes).length === 0) {
      throw new PackageRefusal("not_a_node_package", `${pkg.name} has no "node-red": { "nodes": … } section in its package.json`);
    }
    const inside = bundled(pkg);
    const missing = Object.keys((pkg.dependencies as Record<string, unknown> | undefined) ?? {}).filter((name) => !inside.has(name));
    if (missing.length > 0) {
      throw new PackageRefusal(
        "dependencies_not_bundled",
        `${pkg.name} depends on ${missing.join(", ")} without bundling ${missing.length === 1 ? "it" : "them"}; the site installs offline, so list every dependency in bundleDependencies`,
      );
    }
    const types = new Set<string>();
    for (const file of htmlFiles(root)) {
      for (const match of fs.readFileSync(file, "utf8").matchAll(REGISTER_TYPE)) types.add(match[1]);
    }
    return {
      name: pkg.name,
      version: pkg.version,
      sha256: crypto.createHash("sha256").update(tarball).digest("hex"),
      sizeBytes: tarball.length,
      types: [...types].sort(),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
