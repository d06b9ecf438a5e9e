import { ExceptionCode, ModbusException, type ModbusUnit } from "./modbus-frame.js";
import type { OilfieldModel, PointDataType, SimAsset } from "./model/types.js";

/**
 * The oilfield's Modbus register map: one unit id per asset, and per unit
 *   - coils (FC 1/5/15):            writable bool points, one bit each from 0;
 *   - discrete inputs (FC 2):       read-only bool points, one bit each from 0;
 *   - holding registers (FC 3/6/16): writable numeric points;
 *   - input registers (FC 4):       read-only numeric points.
 * Each register table has two blocks over the same points, in model order:
 *   - from 0:    float32, two registers per point, big-endian word order (ABCD);
 *   - from 1000: signed 16-bit integers, value x SCALE_BY_UNIT[unit], saturating,
 *     one register per point (for clients that cannot decode floats, and FC 6).
 * A float32 is written whole or not at all: a write covering one of its two
 * words answers 02. See docs/simulator.md for the full table.
 */

export type RegisterTable = "coil" | "discrete-input" | "holding" | "input";

export const SCALED_BLOCK_START = 1000;

/** Raw int16 = round(value x scale). Chosen so each quantity's plausible range fits in ±32767. */
export const SCALE_BY_UNIT: Readonly<Record<string, number>> = {
  kPa: 1,
  degC: 10,
  "m3/d": 10,
  "Sm3/d": 0.1,
  "%": 10,
  Hz: 10,
  A: 10,
  "mm/s": 100,
  m: 100,
  m3: 10,
  kN: 10,
  "1/min": 10,
  rpm: 1,
  kW: 1,
  "": 1,
};

export interface ModbusPointEntry {
  asset: string;
  point: string;
  dataType: PointDataType;
  unit: string;
  table: RegisterTable;
  /** Bit address (coils, discrete inputs) or the first of two float32 registers. */
  address: number;
  /** Registers only: the address of the scaled int16 copy. */
  scaledAddress?: number;
  /** Registers only: raw = round(value x scale). */
  scale?: number;
}

export interface ModbusMapUnit {
  unitId: number;
  asset: string;
  entries: ModbusPointEntry[];
}

const FACILITY_UNIT_IDS: Readonly<Record<string, number>> = {
  "MAN-01": 40,
  "SEP-TEST": 41,
  "SEP-PROD": 42,
  "TK-01": 51,
  "TK-02": 52,
  "TK-W1": 53,
  "COMP-01": 61,
};

/**
 * WELL-LNN answers on unit L*10 + NN (WELL-101 -> 11, WELL-204 -> 24,
 * WELL-304 -> 34): the lift type is the tens digit. Facilities: manifold 40,
 * separators 41-42, tanks 51-53, compressor 61.
 */
export function unitIdForAsset(asset: SimAsset): number {
  const facility = FACILITY_UNIT_IDS[asset.id];
  if (facility !== undefined) return facility;
  const well = /^WELL-([1-9])(\d\d)$/.exec(asset.id);
  const series = Number(well?.[1]);
  const index = Number(well?.[2]);
  if (well && index >= 1 && index <= 9) return series * 10 + index;
  throw new Error(`No Modbus unit id for asset ${asset.id}`);
}

export function buildModbusMap(model: OilfieldModel): ModbusMapUnit[] {
  const units = model.assets.map((asset): ModbusMapUnit => {
    const counters: Record<RegisterTable, number> = { coil: 0, "discrete-input": 0, holding: 0, input: 0 };
    const entries = model.points
      .filter((point) => point.asset === asset.id)
      .map((point): ModbusPointEntry => {
        const isBool = point.dataType === "bool";
        const table: RegisterTable = isBool ? (point.writable ? "coil" : "discrete-input") : point.writable ? "holding" : "input";
        const index = counters[table]++;
        const base = { asset: asset.id, point: point.point, dataType: point.dataType, unit: point.unit, table };
        if (isBool) return { ...base, address: index };
        const scale = SCALE_BY_UNIT[point.unit];
        if (scale === undefined) throw new Error(`No Modbus scale for unit "${point.unit}" (${asset.id}/${point.point})`);
        return { ...base, address: 2 * index, scaledAddress: SCALED_BLOCK_START + index, scale };
      });
    return { unitId: unitIdForAsset(asset), asset: asset.id, entries };
  });
  const seen = new Set<number>();
  for (const unit of units) {
    if (seen.has(unit.unitId)) throw new Error(`Modbus unit id ${unit.unitId} is used twice`);
    seen.add(unit.unitId);
  }
  return units;
}

export function float32ToRegisters(value: number): [number, number] {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatBE(value);
  return [bytes.readUInt16BE(0), bytes.readUInt16BE(2)];
}

export function registersToFloat32(high: number, low: number): number {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt16BE(high, 0);
  bytes.writeUInt16BE(low, 2);
  return bytes.readFloatBE(0);
}

/** Saturating, so an out-of-scale value reads as the end of the scale instead of wrapping to the wrong sign. */
export function toScaledRegister(value: number, scale: number): number {
  const raw = Math.max(-32768, Math.min(32767, Math.round(value * scale)));
  return raw & 0xffff;
}

export function fromScaledRegister(register: number, scale: number): number {
  const signed = register >= 0x8000 ? register - 0x10000 : register;
  return signed / scale;
}

type RegisterSlot = { entry: ModbusPointEntry; kind: "high" | "low" | "scaled" };

function writeToModel(model: OilfieldModel, entry: ModbusPointEntry, value: number | boolean): void {
  try {
    model.write(entry.asset, entry.point, value);
  } catch (error) {
    throw new ModbusException(ExceptionCode.IllegalDataValue, error instanceof Error ? error.message : String(error));
  }
}

/** A Modbus device for one asset: reads come from the model, writes go to model.write. */
function createUnit(model: OilfieldModel, mapUnit: ModbusMapUnit): ModbusUnit {
  const bits = (table: RegisterTable) => new Map(mapUnit.entries.filter((e) => e.table === table).map((e) => [e.address, e]));
  const registers = (table: RegisterTable): Map<number, RegisterSlot> => {
    const slots = new Map<number, RegisterSlot>();
    for (const entry of mapUnit.entries.filter((e) => e.table === table)) {
      slots.set(entry.address, { entry, kind: "high" });
      slots.set(entry.address + 1, { entry, kind: "low" });
      if (entry.scaledAddress !== undefined) slots.set(entry.scaledAddress, { entry, kind: "scaled" });
    }
    return slots;
  };
  const coils = bits("coil");
  const discreteInputs = bits("discrete-input");
  const holding = registers("holding");
  const input = registers("input");

  const lookup = <T>(map: Map<number, T>, address: number): T => {
    const found = map.get(address);
    if (!found) throw new ModbusException(ExceptionCode.IllegalDataAddress, `no point at address ${address} of unit ${mapUnit.unitId}`);
    return found;
  };
  const readBits = (map: Map<number, ModbusPointEntry>, address: number, quantity: number): boolean[] =>
    Array.from({ length: quantity }, (_, offset) => {
      const entry = lookup(map, address + offset);
      return model.read(entry.asset, entry.point) === true;
    });
  const readRegisters = (map: Map<number, RegisterSlot>, address: number, quantity: number): number[] => {
    const slots = Array.from({ length: quantity }, (_, offset) => lookup(map, address + offset));
    return slots.map(({ entry, kind }) => {
      const value = Number(model.read(entry.asset, entry.point));
      if (kind === "scaled") return toScaledRegister(value, entry.scale ?? 1);
      const [high, low] = float32ToRegisters(value);
      return kind === "high" ? high : low;
    });
  };

  return {
    readCoils: (address, quantity) => readBits(coils, address, quantity),
    readDiscreteInputs: (address, quantity) => readBits(discreteInputs, address, quantity),
    readHoldingRegisters: (address, quantity) => readRegisters(holding, address, quantity),
    readInputRegisters: (address, quantity) => readRegisters(input, address, quantity),
    writeCoils: (address, values) => {
      const entries = values.map((_, offset) => lookup(coils, address + offset));
      entries.forEach((entry, offset) => writeToModel(model, entry, values[offset] === true));
    },
    writeRegisters: (address, values) => {
      // Resolve the whole request before writing anything, so a bad address leaves the model untouched.
      const writes: { entry: ModbusPointEntry; value: number }[] = [];
      for (let offset = 0; offset < values.length; offset++) {
        const { entry, kind } = lookup(holding, address + offset);
        const register = values[offset] ?? 0;
        if (kind === "scaled") {
          writes.push({ entry, value: fromScaledRegister(register, entry.scale ?? 1) });
          continue;
        }
        const low = values[offset + 1];
        if (kind === "low" || low === undefined) {
          throw new ModbusException(ExceptionCode.IllegalDataAddress, `${entry.point} is a float32 at ${entry.address}-${entry.address + 1}: write both registers`);
        }
        writes.push({ entry, value: registersToFloat32(register, low) });
        offset++;
      }
      for (const { entry, value } of writes) writeToModel(model, entry, value);
    },
  };
}

export function createModbusUnits(model: OilfieldModel, map: readonly ModbusMapUnit[] = buildModbusMap(model)): Map<number, ModbusUnit> {
  return new Map(map.map((mapUnit) => [mapUnit.unitId, createUnit(model, mapUnit)]));
}
