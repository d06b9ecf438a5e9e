import type { NodeConfigRegistry } from "../../nodes/shared/node-config-versions.js";
import type { Principal } from "../auth/auth-service.js";
import { migrateForDeploy } from "./flow-config-versions.js";
import type { ErrorDetails } from "../error-contract.js";
import { deployContext, type DeployContext } from "./deploy-context.js";
import { diffFlows, type FlowDiff } from "./flow-diff.js";
import { validateFlows, type FlowNode, type FlowValidationResult } from "./flow-validation.js";
import type { Revision, RevisionStore, RevisionSummary } from "./revision-store.js";
import { disabledNodeTypes, functionModulesSetting, type HostAccessPolicy } from "./host-nodes.js";
import { flowsSha256 } from "./stable-json.js";

/** The running Node-RED, as the flow service needs it. */
export interface FlowRuntime {
  /** Deploys flows (full) and resolves once they are saved and restarting. */
  deploy(flows: FlowNode[], credentials: Record<string, unknown> | null, user: string): Promise<void>;
  isKnownType(type: string): boolean;
}

export class FlowServiceError extends Error {
  constructor(
    readonly code: "not_found" | "already_running" | "invalid_flows" | "not_deployed",
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "FlowServiceError";
  }
}

export interface DeployOutcome {
  created: boolean;
  revision: RevisionSummary;
}

function summary(revision: Revision): RevisionSummary {
  const { flows: _flows, credentials: _credentials, ...rest } = revision;
  return rest;
}

export class FlowService {
  private readonly disabledTypes: ReadonlyMap<string, string>;

  constructor(
    private readonly revisions: RevisionStore,
    private readonly runtime: FlowRuntime,
    private readonly maxBytes: number,
    private readonly nodeConfigs: NodeConfigRegistry,
    private readonly hostAccess: HostAccessPolicy = { allowHostNodes: false, allowFunctionModules: false },
  ) {
    this.disabledTypes = disabledNodeTypes(hostAccess);
  }

  /** Checks flows and brings every versioned node config to its current version; what passes is what gets deployed. */
  validate(flows: unknown): FlowValidationResult {
    const checked = validateFlows(flows, {
      maxBytes: this.maxBytes,
      isKnownType: (type) => this.runtime.isKnownType(type),
      disabledTypes: this.disabledTypes,
      functionModulesSetting: functionModulesSetting(this.hostAccess),
    });
    return checked.ok ? migrateForDeploy(this.nodeConfigs, checked.flows) : checked;
  }

  list(limit: number, before?: number): Promise<RevisionSummary[]> {
    return this.revisions.list(limit, before);
  }

  async get(number: number): Promise<Revision> {
    const revision = await this.revisions.get(number);
    if (!revision) throw new FlowServiceError("not_found", `no flow revision ${number}`);
    return revision;
  }

  async current(): Promise<Revision> {
    const revision = await this.revisions.latest();
    if (!revision) throw new FlowServiceError("not_found", "no flows have been deployed");
    return revision;
  }

  async diff(from: number, to: number): Promise<FlowDiff & { from: number; to: number }> {
    const [a, b] = await Promise.all([this.get(from), this.get(to)]);
    return { from, to, ...diffFlows(a.flows, b.flows) };
  }

  /** Makes revision n run again, as a new revision, without a restart. */
  async rollback(number: number, principal: Principal, ip: string, message?: string): Promise<RevisionSummary> {
    const target = await this.get(number);
    // An older revision's nodes run in their current shape, so it is compared and deployed migrated.
    const checked = this.validate(target.flows);
    if (!checked.ok) throw new FlowServiceError("invalid_flows", checked.message, checked.details);
    const latest = await this.revisions.latestSummary();
    if (latest && latest.sha256 === flowsSha256(checked.flows)) {
      throw new FlowServiceError("already_running", `revision ${number} is identical to the running revision ${latest.number}`);
    }
    const outcome = await this.deploy(checked.flows, {
      source: "rollback",
      author: principal.user.username,
      message: message ?? `Rollback to revision ${number}`,
      ip,
      credentials: target.credentials,
    });
    return outcome.revision;
  }

  /** Checks and deploys flows from a file or another system as a new revision. */
  async importFlows(flows: unknown, message: string, principal: Principal, ip: string): Promise<DeployOutcome> {
    const checked = this.validate(flows);
    if (!checked.ok) throw new FlowServiceError("invalid_flows", checked.message, checked.details);
    const latest = await this.revisions.latestSummary();
    if (latest && latest.sha256 === flowsSha256(checked.flows)) {
      return { created: false, revision: latest };
    }
    return this.deploy(checked.flows, { source: "import", author: principal.user.username, message, ip });
  }

  private async deploy(flows: FlowNode[], context: DeployContext): Promise<DeployOutcome> {
    await deployContext.run(context, () => this.runtime.deploy(flows, context.credentials ?? null, context.author ?? "system"));
    if (context.createdRevision === undefined) {
      throw new FlowServiceError("not_deployed", "the runtime accepted the flows but no revision was recorded");
    }
    return { created: true, revision: summary(await this.get(context.createdRevision)) };
  }
}
