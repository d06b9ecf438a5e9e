import assert from "node:assert/strict";
import { INITIAL_CONFIG_VERSION } from "../../../sdk/index.js";
import { petroflowTestServices } from "../../../sdk/testing.js";
import type { NodeRedRuntime } from "../../../nodes/shared/node-red-types.js";

/** Just enough of RED to see what defineNode registers. */
function fakeRed(): { RED: NodeRedRuntime; registered: { type: string; settings: unknown }[] } {
  const registered: { type: string; settings: unknown }[] = [];
  const RED: NodeRedRuntime = {
    nodes: {
      createNode: () => undefined,
      registerType: (type, _constructor, options) => registered.push({ type, settings: options?.settings }),
      getNode: () => null,
    },
    settings: {},
    _: (key) => key,
  };
  return { RED, registered };
}

describe("node SDK: defineNode", () => {
  it("registers the type with Node-RED, its current config version for the editor, and its migrations with the runtime", () => {
    const services = petroflowTestServices();
    const { RED, registered } = fakeRed();
    services.defineNode(RED, {
      type: "acme-flare",
      configVersion: 2,
      migrations: [INITIAL_CONFIG_VERSION, { to: 2, summary: "rate gets its unit", up: ({ rate, ...rest }) => ({ ...rest, rateSm3PerDay: rate }) }],
      create() {},
    });
    assert.deepEqual(registered, [{ type: "acme-flare", settings: { acmeFlareConfigVersion: { value: 2, exportable: true } } }]);
    assert.equal(services.nodeConfigs.registry.currentVersion("acme-flare"), 2);
    const migrated = services.nodeConfigs.registry.migrate({ id: "n1", type: "acme-flare", version: 1, rate: 5 });
    assert.deepEqual(migrated.ok && migrated.config, { id: "n1", type: "acme-flare", version: 2, rateSm3PerDay: 5 });
  });

  it("refuses a configVersion its migrations do not reach, naming the type", () => {
    const services = petroflowTestServices();
    const { RED, registered } = fakeRed();
    assert.throws(
      () => services.defineNode(RED, { type: "acme-flare", configVersion: 3, migrations: [INITIAL_CONFIG_VERSION], create() {} }),
      /acme-flare: configVersion is 3 but its migrations reach version 1/,
    );
    assert.deepEqual(registered, []);
  });
});
