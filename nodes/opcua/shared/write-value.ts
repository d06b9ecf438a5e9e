import { DataType, Variant } from "node-opcua";

export const WRITE_DATA_TYPES = ["Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Float", "Double", "String", "DateTime"] as const;
export type WriteDataTypeName = (typeof WRITE_DATA_TYPES)[number];

const INTEGER_RANGES: Partial<Record<WriteDataTypeName, [number, number]>> = {
  SByte: [-128, 127],
  Byte: [0, 255],
  Int16: [-32768, 32767],
  UInt16: [0, 65535],
  Int32: [-2147483648, 2147483647],
  UInt32: [0, 4294967295],
};

export function writeDataType(value: unknown): WriteDataTypeName {
  const match = WRITE_DATA_TYPES.find((name) => name === value);
  if (!match) throw new Error(`data type must be one of ${WRITE_DATA_TYPES.join(", ")}, got ${JSON.stringify(value)}`);
  return match;
}

function numberOf(value: unknown): number {
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) throw new Error(`expected a number, got ${JSON.stringify(value)}`);
  return number;
}

/** The Variant to write: the value checked and converted to the OPC UA DataType (strings from dashboards accepted). */
export function writeVariant(value: unknown, dataTypeName: WriteDataTypeName): Variant {
  const dataType = DataType[dataTypeName];
  switch (dataTypeName) {
    case "Boolean": {
      if (typeof value === "boolean") return new Variant({ dataType, value });
      if (value === 1 || value === "1" || value === "true") return new Variant({ dataType, value: true });
      if (value === 0 || value === "0" || value === "false") return new Variant({ dataType, value: false });
      throw new Error(`expected a Boolean (true/false/1/0), got ${JSON.stringify(value)}`);
    }
    case "String":
      if (typeof value !== "string") throw new Error(`expected a string, got ${JSON.stringify(value)}`);
      return new Variant({ dataType, value });
    case "DateTime": {
      const date = value instanceof Date ? value : typeof value === "string" || typeof value === "number" ? new Date(value) : new Date(Number.NaN);
      if (Number.isNaN(date.getTime())) throw new Error(`expected a date (ISO text or epoch ms), got ${JSON.stringify(value)}`);
      return new Variant({ dataType, value: date });
    }
    case "Float":
    case "Double":
      return new Variant({ dataType, value: numberOf(value) });
    default: {
      const number = numberOf(value);
      const [min, max] = INTEGER_RANGES[dataTypeName] ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
      if (!Number.isInteger(number) || number < min || number > max) throw new Error(`${dataTypeName} takes whole numbers ${min}…${max}, got ${JSON.stringify(value)}`);
      return new Variant({ dataType, value: number });
    }
  }
}
