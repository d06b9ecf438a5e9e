import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { PETROFLOW_NODE_MIGRATIONS, petroflowNodeConfigRegistry } from "../../../../nodes/shared/petroflow-node-migrations.js";

const FLOWS_DIR = path.resolve(__dirname, "..", "..", "..", "..", "flows");

/** The flows a new site stores as its first revision are stored as shipped: they must already be current. */
describe("shipped flows carry every Petroflow node's current config version", () => {
  for (const file of fs.readdirSync(FLOWS_DIR).filter((name) => name.endsWith(".json"))) {
    it(file, () => {
      const flows = JSON.parse(fs.readFileSync(path.join(FLOWS_DIR, file), "utf8")) as { id: string; type: string }[];
      const registry = petroflowNodeConfigRegistry();
      const { migrated, refused } = registry.migrateFlows(flows);
      assert.deepEqual(refused, []);
      assert.deepEqual(migrated, [], "nodes a migration would still change (run npx tsx scripts/generate-demo-flows.ts)");
      const versioned = flows.filter((node) => node.type in PETROFLOW_NODE_MIGRATIONS);
      for (const node of versioned) assert.equal((node as { version?: unknown }).version, registry.currentVersion(node.type), node.id);
    });
  }
});
