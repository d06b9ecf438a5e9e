import type { OilfieldModel, SimAsset, SimPointDefinition, SimValue } from "../../../simulator/model/types.js";

/**
 * A tiny OilfieldModel for protocol-server tests: one well and a test separator;
 * step() adds 1 to THP. OIL_OUT gets the EURange 0–1000 m3/d of a test
 * separator's outlet; TEST_WELL, an integer, gets none.
 */
export function fakeOilfield(siteId = "SITE1"): OilfieldModel & { values: Map<string, SimValue> } {
  const assets: SimAsset[] = [
    { id: "WELL-101", kind: "well", liftType: "esp", description: "Producer 101" },
    { id: "SEP-TEST", kind: "test-separator", description: "Test separator" },
  ];
  const points: SimPointDefinition[] = [
    { asset: "WELL-101", point: "THP", dataType: "float", unit: "kPa", description: "Tubing head pressure", writable: false },
    { asset: "WELL-101", point: "CHOKE_SP", dataType: "float", unit: "%", description: "Choke setpoint", writable: true, min: 0, max: 100 },
    { asset: "WELL-101", point: "RUNNING", dataType: "bool", unit: "bool", description: "ESP running", writable: false },
    { asset: "SEP-TEST", point: "LEVEL", dataType: "float", unit: "%", description: "Liquid level", writable: false },
    { asset: "SEP-TEST", point: "OIL_OUT", dataType: "float", unit: "m3/d", description: "Oil outlet flow", writable: false },
    { asset: "SEP-TEST", point: "TEST_WELL", dataType: "int", unit: "", description: "Well routed to test", writable: true, min: 0, max: 304 },
  ];
  const values = new Map<string, SimValue>([
    ["WELL-101/THP", 1200],
    ["WELL-101/CHOKE_SP", 40],
    ["WELL-101/RUNNING", true],
    ["SEP-TEST/LEVEL", 50],
    ["SEP-TEST/OIL_OUT", 400],
    ["SEP-TEST/TEST_WELL", 101],
  ]);
  let now = Date.UTC(2026, 10, 28, 10, 0, 0);
  return {
    siteId,
    assets,
    points,
    values,
    read(asset, point) {
      const value = values.get(`${asset}/${point}`);
      if (value === undefined) throw new Error(`unknown point ${asset}/${point}`);
      return value;
    },
    write(asset, point, value) {
      const definition = points.find((p) => p.asset === asset && p.point === point);
      if (!definition?.writable) throw new Error(`${asset}/${point} is not writable`);
      if (typeof value !== "number" || value < (definition.min ?? -Infinity) || value > (definition.max ?? Infinity)) {
        throw new Error(`${asset}/${point}: ${String(value)} out of range`);
      }
      values.set(`${asset}/${point}`, value);
    },
    step(dtSeconds) {
      now += dtSeconds * 1000;
      values.set("WELL-101/THP", (values.get("WELL-101/THP") as number) + 1);
    },
    now: () => now,
    onEvent: () => () => undefined,
  };
}

export { freePort } from "../../helpers/free-port.js";
