/**
 * A Modbus point as the read and write nodes configure it, and the checks
 * that turn an editor's loose JSON into one. Pure: no I/O, no Node-RED.
 */
export const MODBUS_FUNCTIONS = ["coil", "discrete-input", "holding-register", "input-register"] as const;
export type ModbusFunction = (typeof MODBUS_FUNCTIONS)[number];

export const DATA_TYPES = ["bool", "int16", "uint16", "int32", "uint32", "float32", "float64", "string"] as const;
export type DataType = (typeof DATA_TYPES)[number];

/**
 * Byte and word order in the usual vendor notation, for a value whose bytes
 * are A (most significant) … D: ABCD big-endian, CDAB words swapped, BADC
 * bytes swapped in each word, DCBA both. 64-bit values extend the same rule.
 */
export const WORD_ORDERS = ["ABCD", "CDAB", "BADC", "DCBA"] as const;
export type WordOrder = (typeof WORD_ORDERS)[number];

/** Modbus read function codes by table. */
export const READ_FUNCTION_CODE: Record<ModbusFunction, 1 | 2 | 3 | 4> = {
  coil: 1,
  "discrete-input": 2,
  "holding-register": 3,
  "input-register": 4,
};

export interface ModbusPoint {
  name: string;
  /** Full tag path `<site>/<asset>/<point>`, when the point is written to the tag store. */
  tag?: string;
  function: ModbusFunction;
  /** Zero-based protocol address (register 40001 is address 0). */
  address: number;
  type: DataType;
  order: WordOrder;
  scale: number;
  offset: number;
  /** Characters, for strings only (two per register). */
  length?: number;
}

/** Largest quantity one read request may ask for, by the Modbus specification. */
export const MAX_READ_REGISTERS = 125;
export const MAX_READ_BITS = 2000;

export function isBitFunction(fn: ModbusFunction): boolean {
  return fn === "coil" || fn === "discrete-input";
}

/** Registers (or bits, for coils and discrete inputs) a point occupies. */
export function pointSpan(point: Pick<ModbusPoint, "function" | "type" | "length">): number {
  if (isBitFunction(point.function)) return 1;
  switch (point.type) {
    case "bool":
    case "int16":
    case "uint16":
      return 1;
    case "int32":
    case "uint32":
    case "float32":
      return 2;
    case "float64":
      return 4;
    case "string":
      return Math.ceil((point.length ?? 0) / 2);
  }
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown, what: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${what} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
}

function finiteNumber(value: unknown, fallback: number, what: string): number {
  if (value === undefined || value === null || value === "") return fallback;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(number)) throw new Error(`${what} must be a number (got ${JSON.stringify(value)})`);
  return number;
}

export function integerIn(value: unknown, min: number, max: number, what: string, fallback?: number): number {
  const number = finiteNumber(value, fallback ?? Number.NaN, what);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new Error(`${what} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return number;
}

/**
 * Checks one point from the editor. `label` names it in errors ("point 3"),
 * so a deploy says which row is wrong instead of failing on the first poll.
 */
export function parsePoint(raw: unknown, label: string): ModbusPoint {
  if (typeof raw !== "object" || raw === null) throw new Error(`${label}: not an object`);
  const input = raw as Record<string, unknown>;
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!name) throw new Error(`${label}: a name is required`);
  const where = `${label} (${name})`;
  const fn = oneOf(MODBUS_FUNCTIONS, input.function, `${where}: function`);
  const type = isBitFunction(fn) ? "bool" : oneOf(DATA_TYPES, input.type ?? "uint16", `${where}: type`);
  if (isBitFunction(fn) && input.type !== undefined && input.type !== "bool") {
    throw new Error(`${where}: ${fn} points are bool (got ${JSON.stringify(input.type)})`);
  }
  const point: ModbusPoint = {
    name,
    function: fn,
    address: integerIn(input.address, 0, 65535, `${where}: address`),
    type,
    order: oneOf(WORD_ORDERS, input.order ?? "ABCD", `${where}: order`),
    scale: finiteNumber(input.scale, 1, `${where}: scale`),
    offset: finiteNumber(input.offset, 0, `${where}: offset`),
  };
  if (point.scale === 0) throw new Error(`${where}: scale must not be 0`);
  if (type === "string") point.length = integerIn(input.length, 1, MAX_READ_REGISTERS * 2, `${where}: length`);
  const tag = typeof input.tag === "string" ? input.tag.trim() : "";
  if (tag) point.tag = tag;
  if (point.address + pointSpan(point) > 65536) throw new Error(`${where}: runs past address 65535`);
  return point;
}

/** Checks a node's point list; names must be unique because they key the output payload. */
export function parsePoints(raw: unknown): ModbusPoint[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new Error("no points configured");
  const points = raw.map((entry, index) => parsePoint(entry, `point ${index + 1}`));
  const seen = new Set<string>();
  for (const point of points) {
    if (seen.has(point.name)) throw new Error(`point name "${point.name}" is used twice`);
    seen.add(point.name);
  }
  return points;
}
