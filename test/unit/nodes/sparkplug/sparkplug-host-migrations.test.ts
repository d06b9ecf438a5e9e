import assert from "node:assert/strict";
import { migrateNodeConfig } from "../../../../nodes/shared/node-config-versions.js";
import { petroflowNodeConfigRegistry } from "../../../../nodes/shared/petroflow-node-migrations.js";
import { SPARKPLUG_HOST_MIGRATIONS } from "../../../../nodes/sparkplug/sparkplug-host/sparkplug-host-migrations.js";

describe("sparkplug-host config versions", () => {
  const old = { id: "h1", type: "sparkplug-host", broker: "b", groupId: "", primaryHostId: "" };

  it("an unversioned (version 1) host becomes version 2 filing under its own site, as it always did", () => {
    for (const config of [old, { ...old, version: 1 }]) {
      const result = migrateNodeConfig(SPARKPLUG_HOST_MIGRATIONS, config);
      assert.ok(result.ok);
      assert.deepEqual(result.config, { ...old, version: 2, tagSite: "own" });
      assert.equal(result.to, 2);
    }
  });

  it("a version 2 host keeps its choice, and the runtime's registry knows version 2", () => {
    const config = { ...old, version: 2, tagSite: "group" };
    const result = migrateNodeConfig(SPARKPLUG_HOST_MIGRATIONS, config);
    assert.ok(result.ok);
    assert.deepEqual(result.config, config);
    assert.equal(petroflowNodeConfigRegistry().currentVersion("sparkplug-host"), 2);
  });
});
