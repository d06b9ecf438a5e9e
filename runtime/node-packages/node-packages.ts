import { SETTING_ENV } from "../../settings.js";
import type { AuditService } from "../audit/audit-service.js";
import { HttpError } from "../http/errors.js";
import type { Logger } from "../observability/logger.js";
import { inspectPackage, PackageRefusal, type InspectedPackage } from "./package-inspection.js";

/** A node package Node-RED loaded from the site's user dir (installed here, not shipped with Petroflow). */
export interface InstalledNodePackage {
  name: string;
  version: string;
  types: string[];
  /** An upgrade Node-RED has installed but runs only from the next start. */
  pendingVersion?: string;
}

/** The slice of Node-RED's runtime that installs and removes node modules (runtime/flows/node-red-host.ts). */
export interface NodeRedModules {
  /** Installs (or upgrades) from the tarball's bytes, through Node-RED's own installer. */
  install(tarball: Buffer, fileName: string, user: string): Promise<void>;
  remove(name: string, user: string): Promise<void>;
  /** Modules installed in the user dir. */
  list(): Promise<InstalledNodePackage[]>;
}

export interface NodePackagesOptions {
  /** PETROFLOW_ALLOW_NODE_INSTALL: off by default, because a package is code that runs as the site. */
  enabled: boolean;
  /** Node types this site refuses, each with the setting that turns it on (runtime/flows/host-nodes.ts). */
  disabledTypes: ReadonlyMap<string, string>;
  modules: NodeRedModules;
  audit: AuditService;
  logger: Logger;
}

export interface NodePackageChange {
  name: string;
  version: string;
  sha256: string;
  types: string[];
  /** "upgrade": the new version runs from the site's next start (Node-RED cannot swap a loaded module). */
  change: "install" | "upgrade";
  restartRequired: boolean;
}

export interface Caller {
  username: string;
  ip?: string;
}

export const DISABLED_MESSAGE = `installing node packages is off on this site; an administrator turns it on with ${SETTING_ENV.allowNodeInstall}=true (docs/sdk.md "Installing a package")`;

/**
 * Node packages from local tarballs, offline: the one path the CLI and the
 * editor's palette manager both take. Checks what the tarball is before
 * anything of it runs, hands it to Node-RED's installer (which Petroflow
 * runs with scripts off and no registry), and audits every change with the
 * tarball's SHA-256.
 */
export class NodePackages {
  constructor(private readonly options: NodePackagesOptions) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  private requireEnabled(): void {
    if (!this.options.enabled) throw new HttpError(403, "forbidden", DISABLED_MESSAGE, { reason: "node_install_disabled", params: { setting: SETTING_ENV.allowNodeInstall } });
  }

  async list(): Promise<InstalledNodePackage[]> {
    return this.options.modules.list();
  }

  private async refuse(caller: Caller, inspected: InspectedPackage, reason: "node_package_disabled_type", message: string): Promise<never> {
    await this.options.audit.record({
      actor: caller.username,
      action: "node_package.refused",
      entityType: "node_package",
      entityId: inspected.name,
      details: { version: inspected.version, sha256: inspected.sha256, reason, message },
      ip: caller.ip,
    });
    throw new HttpError(400, "invalid_input", message, { field: "tarball", reason });
  }

  private disabledAmong(types: readonly string[]): string[] {
    return types.filter((type) => this.options.disabledTypes.has(type));
  }

  private disabledMessage(name: string, types: readonly string[]): string {
    const settings = [...new Set(types.map((type) => this.options.disabledTypes.get(type)))].join(", ");
    return `${name} registers node types this site turned off (${types.join(", ")}); they stay refused unless ${settings} is turned on`;
  }

  async install(tarball: Buffer, fileName: string, caller: Caller): Promise<NodePackageChange> {
    this.requireEnabled();
    let inspected: InspectedPackage;
    try {
      inspected = await inspectPackage(tarball);
    } catch (error) {
      if (error instanceof PackageRefusal) throw new HttpError(400, "invalid_input", error.message, { field: "tarball", reason: "node_package_invalid", params: { problem: error.reason } });
      throw error;
    }
    const refusedTypes = this.disabledAmong(inspected.types);
    if (refusedTypes.length > 0) await this.refuse(caller, inspected, "node_package_disabled_type", this.disabledMessage(inspected.name, refusedTypes));
    const before = (await this.options.modules.list()).find((installed) => installed.name === inspected.name);
    if (before && (before.pendingVersion ?? before.version) === inspected.version) {
      throw new HttpError(409, "conflict", `${inspected.name} ${inspected.version} is already installed; pack a new version to upgrade`, {
        reason: "node_package_already_installed",
      });
    }
    try {
      await this.options.modules.install(tarball, fileName, caller.username);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.warn({ err: error, package: inspected.name, version: inspected.version }, "node package install failed");
      throw new HttpError(400, "invalid_input", `${inspected.name} ${inspected.version} could not be installed: ${message}`, {
        field: "tarball",
        reason: "node_package_install_failed",
      });
    }
    // The editor files said which types; what Node-RED actually registered is what counts.
    const after = (await this.options.modules.list()).find((installed) => installed.name === inspected.name);
    const registered = after?.types ?? [];
    const lateRefusals = this.disabledAmong(registered);
    if (lateRefusals.length > 0) {
      await this.options.modules.remove(inspected.name, caller.username);
      await this.refuse(caller, inspected, "node_package_disabled_type", this.disabledMessage(inspected.name, lateRefusals));
    }
    const change: NodePackageChange = {
      name: inspected.name,
      version: inspected.version,
      sha256: inspected.sha256,
      types: registered.length > 0 ? registered : inspected.types,
      change: before ? "upgrade" : "install",
      restartRequired: before !== undefined,
    };
    await this.options.audit.record({
      actor: caller.username,
      action: `node_package.${change.change}`,
      entityType: "node_package",
      entityId: inspected.name,
      before: before ? { version: before.version } : undefined,
      after: { version: inspected.version, types: change.types },
      details: { sha256: inspected.sha256, sizeBytes: inspected.sizeBytes, file: fileName },
      ip: caller.ip,
    });
    this.options.logger.info({ package: inspected.name, version: inspected.version, sha256: inspected.sha256, by: caller.username }, `node package ${change.change}ed`);
    return change;
  }

  async remove(name: string, caller: Caller): Promise<{ name: string; version: string }> {
    this.requireEnabled();
    const installed = (await this.options.modules.list()).find((candidate) => candidate.name === name);
    if (!installed) throw new HttpError(404, "not_found", `no node package ${name} is installed on this site`);
    try {
      await this.options.modules.remove(name, caller.username);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new HttpError(409, "conflict", `${name} could not be removed: ${message}`, { reason: "node_package_remove_failed" });
    }
    await this.options.audit.record({
      actor: caller.username,
      action: "node_package.remove",
      entityType: "node_package",
      entityId: name,
      before: { version: installed.version, types: installed.types },
      ip: caller.ip,
    });
    this.options.logger.info({ package: name, version: installed.version, by: caller.username }, "node package removed");
    return { name, version: installed.version };
  }
}
