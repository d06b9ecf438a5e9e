import assert from "node:assert/strict";
import {
  configVersionSetting,
  currentVersionOf,
  INITIAL_CONFIG_VERSION,
  migrateNodeConfig,
  NodeConfigRegistry,
  type NodeConfigMigration,
  type VersionedNodeConfig,
} from "../../../../nodes/shared/node-config-versions.js";

/** A pump node whose config changed twice: v1 is the shape before versions, v2 renames rate → rateM3PerDay, v3 splits limits. */
const PUMP_MIGRATIONS: readonly NodeConfigMigration[] = [
  INITIAL_CONFIG_VERSION,
  {
    to: 2,
    summary: "rate becomes rateM3PerDay (units in quantity names)",
    up: ({ rate, ...rest }) => ({ ...rest, rateM3PerDay: rate }),
  },
  {
    to: 3,
    summary: "limits [low, high] become lowM3PerDay and highM3PerDay",
    up: ({ limits, ...rest }) => {
      const [low, high]: unknown[] = Array.isArray(limits) ? (limits as unknown[]) : [];
      return { ...rest, lowM3PerDay: low ?? null, highM3PerDay: high ?? null };
    },
  },
];

const pump = (extra: Record<string, unknown>): VersionedNodeConfig => ({ id: "pump-p101", type: "acme-pump", z: "tab-pumps", wires: [["debug-1"]], ...extra });

describe("node config versions (pure)", () => {
  describe("migrateNodeConfig", () => {
    it("takes an unversioned config (version 0) through every step in order to the current version", () => {
      const result = migrateNodeConfig(PUMP_MIGRATIONS, pump({ name: "P-101", rate: 80, limits: [10, 120] }));
      assert.ok(result.ok);
      assert.deepEqual(result.config, {
        id: "pump-p101",
        type: "acme-pump",
        z: "tab-pumps",
        wires: [["debug-1"]],
        name: "P-101",
        rateM3PerDay: 80,
        lowM3PerDay: 10,
        highM3PerDay: 120,
        version: 3,
      });
      assert.equal(result.from, 0);
      assert.equal(result.to, 3);
    });

    it("starts after the config's own version", () => {
      const result = migrateNodeConfig(PUMP_MIGRATIONS, pump({ version: 2, rateM3PerDay: 80, limits: [5] }));
      assert.ok(result.ok);
      assert.deepEqual(result.config, pump({ version: 3, rateM3PerDay: 80, lowM3PerDay: 5, highM3PerDay: null }));
      assert.equal(result.from, 2);
    });

    it("leaves a current config as it is (the same object, nothing to write)", () => {
      const current = pump({ version: 3, rateM3PerDay: 1, lowM3PerDay: null, highM3PerDay: null });
      const result = migrateNodeConfig(PUMP_MIGRATIONS, current);
      assert.ok(result.ok);
      assert.equal(result.config, current);
      assert.equal(result.from, 3);
      assert.equal(result.to, 3);
    });

    it("never changes the config it is given, even when a step mutates its argument", () => {
      const careless: NodeConfigMigration[] = [
        {
          to: 1,
          summary: "mutates",
          up: (config) => {
            (config as Record<string, unknown>).touched = true;
            return config;
          },
        },
      ];
      const original = pump({ rate: 5 });
      const snapshot = structuredClone(original);
      const result = migrateNodeConfig(careless, original);
      assert.ok(result.ok);
      assert.deepEqual(original, snapshot);
      assert.equal(result.config.touched, true);
    });

    it("refuses a version newer than the runtime knows, naming the node, both versions and why", () => {
      const result = migrateNodeConfig(PUMP_MIGRATIONS, pump({ version: 7 }));
      assert.ok(!result.ok);
      assert.equal(result.refusal.code, "newer_version");
      assert.equal(result.refusal.id, "pump-p101");
      assert.equal(result.refusal.type, "acme-pump");
      assert.equal(result.refusal.version, 7);
      assert.equal(result.refusal.currentVersion, 3);
      assert.match(result.refusal.message, /pump-p101 \(acme-pump\).*version 7.*newer.*3.*newer Petroflow/);
    });

    for (const version of [-1, 1.5, "2", null, Number.NaN, true, [1]]) {
      it(`refuses version ${typeof version === "number" ? String(version) : JSON.stringify(version)}: not a whole number ≥ 0 (no coercion)`, () => {
        const result = migrateNodeConfig(PUMP_MIGRATIONS, pump({ version }));
        assert.ok(!result.ok);
        assert.equal(result.refusal.code, "invalid_version");
        assert.match(result.refusal.message, /pump-p101 \(acme-pump\).*version/);
      });
    }

    it("refuses, with the step and its error, a config a step cannot migrate", () => {
      const failing: NodeConfigMigration[] = [
        INITIAL_CONFIG_VERSION,
        {
          to: 2,
          summary: "needs a rate",
          up: (config) => {
            if (typeof config.rate !== "number") throw new Error("rate is not a number");
            return config;
          },
        },
      ];
      const result = migrateNodeConfig(failing, pump({ rate: "fast" }));
      assert.ok(!result.ok);
      assert.equal(result.refusal.code, "migration_failed");
      assert.match(result.refusal.message, /to version 2.*rate is not a number/);
    });

    it("refuses a step that changes the node's id or type (it would become another node)", () => {
      const renaming: NodeConfigMigration[] = [{ to: 1, summary: "renames", up: (config) => ({ ...config, type: "acme-pump-2" }) }];
      const result = migrateNodeConfig(renaming, pump({}));
      assert.ok(!result.ok);
      assert.equal(result.refusal.code, "migration_failed");
      assert.match(result.refusal.message, /changed the node's id or type/);
    });
  });

  describe("migration lists", () => {
    it("the current version is the last step's (0 without steps)", () => {
      assert.equal(currentVersionOf(PUMP_MIGRATIONS), 3);
      assert.equal(currentVersionOf([]), 0);
    });

    it("refuses steps out of order, with gaps, or repeated", () => {
      const step = (to: number): NodeConfigMigration => ({ to, summary: `to ${to}`, up: (config) => config });
      const registry = new NodeConfigRegistry();
      assert.throws(() => registry.register("acme-a", [step(2)]), /acme-a.*step 1 goes to version 2; steps must go to 1, 2, 3/);
      assert.throws(() => registry.register("acme-b", [step(1), step(3)]), /acme-b.*step 2 goes to version 3/);
      assert.throws(() => registry.register("acme-c", [step(1), step(1)]), /acme-c.*step 2 goes to version 1/);
      assert.equal(registry.currentVersion("acme-a"), undefined);
    });
  });

  describe("NodeConfigRegistry", () => {
    it("accepts the same list again (a node module loaded twice) but not a different one for a type", () => {
      const registry = new NodeConfigRegistry();
      registry.register("acme-pump", PUMP_MIGRATIONS);
      registry.register("acme-pump", PUMP_MIGRATIONS);
      registry.register("acme-pump", [...PUMP_MIGRATIONS]);
      assert.throws(() => registry.register("acme-pump", PUMP_MIGRATIONS.slice(0, 2)), /acme-pump.*other migrations/);
      assert.equal(registry.currentVersion("acme-pump"), 3);
      assert.deepEqual(registry.types(), ["acme-pump"]);
    });

    it("migrates the nodes of a flow it knows and leaves every other node alone", () => {
      const registry = new NodeConfigRegistry();
      registry.register("acme-pump", PUMP_MIGRATIONS);
      const tab = { id: "tab-pumps", type: "tab", label: "Pumps" };
      const debug = { id: "debug-1", type: "debug", z: "tab-pumps", version: "whatever the debug node keeps" };
      const current = pump({ id: "pump-p102", version: 3, rateM3PerDay: 1, lowM3PerDay: null, highM3PerDay: null });
      const flows: VersionedNodeConfig[] = [tab, pump({ rate: 80 }), debug, current];
      const outcome = registry.migrateFlows(flows);
      assert.deepEqual(outcome.refused, []);
      assert.deepEqual(outcome.migrated, [{ id: "pump-p101", type: "acme-pump", from: 0, to: 3 }]);
      assert.equal(outcome.flows[0], tab);
      assert.equal(outcome.flows[2], debug);
      assert.equal(outcome.flows[3], current);
      assert.equal(outcome.flows[1]?.version, 3);
      assert.equal(outcome.flows[1]?.rateM3PerDay, 80);
    });

    it("reports every refused node and keeps it as it was, so the caller decides (deploys refuse, a load runs the rest)", () => {
      const registry = new NodeConfigRegistry();
      registry.register("acme-pump", PUMP_MIGRATIONS);
      const newer = pump({ id: "pump-from-the-future", version: 9 });
      const outcome = registry.migrateFlows([newer, pump({ rate: 3 })]);
      assert.deepEqual(
        outcome.refused.map(({ id, code }) => ({ id, code })),
        [{ id: "pump-from-the-future", code: "newer_version" }],
      );
      assert.equal(outcome.flows[0], newer);
      assert.equal(outcome.migrated.length, 1);
    });

    it("migrates one config of a known type, and passes an unknown type through", () => {
      const registry = new NodeConfigRegistry();
      registry.register("acme-pump", PUMP_MIGRATIONS);
      const known = registry.migrate(pump({ rate: 1 }));
      assert.ok(known.ok);
      assert.equal(known.config.version, 3);
      const unknown = { id: "inject-1", type: "inject" };
      const passed = registry.migrate(unknown);
      assert.ok(passed.ok);
      assert.equal(passed.config, unknown);
    });
  });

  describe("the editor setting that carries a type's current version", () => {
    // Node-RED accepts a node's settings only under the type's camelCase name (runtime/lib/settings.js).
    const expected: Record<string, string> = {
      "tag-in": "tagInConfigVersion",
      "erp-production-entry": "erpProductionEntryConfigVersion",
      "acme_pump.v2": "acmePumpV2ConfigVersion",
      "Modbus--Device": "modbusDeviceConfigVersion",
    };
    for (const [type, setting] of Object.entries(expected)) {
      it(`${type} → ${setting}`, () => {
        assert.equal(configVersionSetting(type), setting);
      });
    }
  });
});
