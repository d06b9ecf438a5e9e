import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProductionEntryPort } from "../../erp-modules/production/ports.js";
import { ModuleEventBus } from "../../runtime/events/event-bus.js";
import type { FlowEntries, PetroflowServices } from "../../nodes/shared/petroflow-services.js";
import type { AuditEntry } from "../../runtime/audit/audit-service.js";
import { FlowEntrySpool, type FlowEntrySpoolOptions } from "../../runtime/flow-entries/flow-entry-spool.js";
import { createLogger } from "../../runtime/observability/logger.js";
import { Spool } from "../../runtime/spool/spool.js";
import { NodeConfigRegistry } from "../../nodes/shared/node-config-versions.js";
import { nodeConfigVersions } from "../../nodes/shared/versioned-node.js";
import { PETROFLOW_SDK_VERSION } from "../../sdk/version.js";
import { defineNodeWith } from "../../sdk/define-node.js";

function notInThisTest(): Promise<never> {
  return Promise.reject(new Error("production is not part of this test"));
}

/** A production port for node tests that do not record entries: every call rejects, visibly. */
export const unusedProductionPort: ProductionEntryPort = {
  recordTankGauge: notInThisTest,
  recordMeterReading: notInThisTest,
  recordRunTicket: notInThisTest,
  recordDowntime: notInThisTest,
  proposeWellTest: notInThisTest,
};

/** Flow entries for node tests that do not record any: recording rejects, visibly; nothing ever waits. */
export const unusedFlowEntries: FlowEntries = {
  record: notInThisTest,
  waiting: () => 0,
  watch: () => () => undefined,
};

/**
 * RED.settings.petroflow for node tests: the parts a test names, real event
 * bus, a refusing production port, flow entries that refuse, an empty asset
 * register and an empty node config registry (the nodes register their own types) otherwise.
 */
export function testServices(parts: Pick<PetroflowServices, "siteId" | "flows" | "tags"> & Partial<PetroflowServices>): PetroflowServices {
  const nodeConfigs = parts.nodeConfigs ?? nodeConfigVersions(new NodeConfigRegistry());
  return {
    sdkVersion: PETROFLOW_SDK_VERSION,
    defineNode: defineNodeWith(nodeConfigs),
    events: new ModuleEventBus(parts.siteId),
    production: unusedProductionPort,
    flowEntries: unusedFlowEntries,
    assets: { list: async () => [], idByCode: async () => null },
    ...parts,
    nodeConfigs,
  };
}

export interface TestFlowEntries {
  service: FlowEntrySpool;
  spool: Spool;
  dir: string;
  /** What the service wrote to the audit log (refused entries). */
  audited: AuditEntry[];
  /** Closes the service; `keep` leaves the spool directory for a reopen. */
  close(keep?: boolean): Promise<void>;
}

/**
 * The real flow-entry service on a real spool in a temp dir, over the port
 * a test gives, with fast retries: node tests use it as the runtime does.
 */
export async function openTestFlowEntries(
  production: ProductionEntryPort,
  options: Partial<Omit<FlowEntrySpoolOptions, "spool" | "production">> & { dir?: string; maxRecords?: number } = {},
): Promise<TestFlowEntries> {
  const dir = options.dir ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "petroflow-flow-entries-")), "flow-entries");
  const spool = await Spool.open({ dir, maxRecords: options.maxRecords ?? 1000, maxBytes: 1 << 20 });
  const audited: AuditEntry[] = [];
  const service = await FlowEntrySpool.open({
    spool,
    production,
    audit: {
      async record(entry) {
        audited.push(entry);
      },
    },
    logger: createLogger("silent"),
    writeTimeoutMs: 2_000,
    retry: { initialMs: 20, maxMs: 80 },
    ...options,
  });
  service.start();
  return {
    service,
    spool,
    dir,
    audited,
    async close(keep = false) {
      await service.close();
      if (!keep) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    },
  };
}
