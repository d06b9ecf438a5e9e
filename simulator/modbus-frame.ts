/**
 * Modbus TCP framing and request handling, without sockets: MBAP frames in,
 * response PDUs out. The server in modbus-server.ts is a thin shell around this.
 */

/** Transaction id (2), protocol id (2), length (2), unit id (1). */
export const MBAP_HEADER_BYTES = 7;
/** The MBAP length counts the unit id plus the PDU, and a PDU is at most 253 bytes. */
export const MAX_MBAP_LENGTH = 254;
export const MAX_READ_REGISTERS = 125;
export const MAX_READ_BITS = 2000;
export const MAX_WRITE_REGISTERS = 123;
export const MAX_WRITE_BITS = 1968;

export const ExceptionCode = {
  IllegalFunction: 0x01,
  IllegalDataAddress: 0x02,
  IllegalDataValue: 0x03,
  DeviceFailure: 0x04,
  GatewayTargetFailedToRespond: 0x0b,
} as const;

/** Throw from a ModbusUnit callback to answer with this exception code (anything else thrown answers 04). */
export class ModbusException extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ModbusException";
  }
}

/**
 * One Modbus device behind the server. Addresses are 0-based protocol
 * addresses. A missing callback makes its function codes answer 01.
 * Register values are unsigned 16-bit words.
 */
export interface ModbusUnit {
  readCoils?(address: number, quantity: number): boolean[];
  readDiscreteInputs?(address: number, quantity: number): boolean[];
  readHoldingRegisters?(address: number, quantity: number): number[];
  readInputRegisters?(address: number, quantity: number): number[];
  writeCoils?(address: number, values: boolean[]): void;
  writeRegisters?(address: number, values: number[]): void;
}

export interface MbapFrame {
  transactionId: number;
  unitId: number;
  pdu: Buffer;
}

export interface FrameScan {
  frames: MbapFrame[];
  /** Bytes of an incomplete frame, to prepend to the next chunk; always shorter than one maximal frame. */
  rest: Buffer;
  /** Set when the stream cannot be Modbus TCP: the connection should be closed. */
  error?: string;
}

/** Splits a byte stream into complete MBAP frames. */
export function scanFrames(buffer: Buffer): FrameScan {
  const frames: MbapFrame[] = [];
  let offset = 0;
  while (buffer.length - offset >= 6) {
    const protocolId = buffer.readUInt16BE(offset + 2);
    const length = buffer.readUInt16BE(offset + 4);
    if (protocolId !== 0) return { frames, rest: Buffer.alloc(0), error: `protocol id ${protocolId} is not Modbus (0)` };
    if (length < 2 || length > MAX_MBAP_LENGTH) return { frames, rest: Buffer.alloc(0), error: `MBAP length ${length} outside 2..${MAX_MBAP_LENGTH}` };
    if (buffer.length - offset < 6 + length) break;
    frames.push({
      transactionId: buffer.readUInt16BE(offset),
      unitId: buffer.readUInt8(offset + 6),
      pdu: Buffer.from(buffer.subarray(offset + MBAP_HEADER_BYTES, offset + 6 + length)),
    });
    offset += 6 + length;
  }
  return { frames, rest: Buffer.from(buffer.subarray(offset)) };
}

/** `lengthError` is added to the MBAP length field: 0 for a correct frame, non-zero only to inject a fault. */
export function encodeFrame(transactionId: number, unitId: number, pdu: Buffer, lengthError = 0): Buffer {
  const frame = Buffer.alloc(MBAP_HEADER_BYTES + pdu.length);
  frame.writeUInt16BE(transactionId, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(pdu.length + 1 + lengthError, 4);
  frame.writeUInt8(unitId, 6);
  pdu.copy(frame, MBAP_HEADER_BYTES);
  return frame;
}

export function exceptionPdu(functionCode: number, code: number): Buffer {
  return Buffer.from([(functionCode | 0x80) & 0xff, code]);
}

const packBits = (bits: readonly boolean[]): Buffer => {
  const bytes = Buffer.alloc(Math.ceil(bits.length / 8));
  bits.forEach((bit, index) => {
    if (bit) bytes[index >> 3] = (bytes[index >> 3] ?? 0) | (1 << (index & 7));
  });
  return bytes;
};

const unpackBits = (bytes: Buffer, count: number): boolean[] =>
  Array.from({ length: count }, (_, index) => (((bytes[index >> 3] ?? 0) >> (index & 7)) & 1) === 1);

/** Checked by the callers of a unit's callbacks: a wrong-sized answer is a device fault, not a protocol one. */
function expectLength<T>(values: T[], quantity: number): T[] {
  if (values.length !== quantity) throw new Error(`unit returned ${values.length} values for ${quantity}`);
  return values;
}

/**
 * Answers one request PDU for a unit: the response PDU, or an exception PDU
 * (01 unsupported function, 02 address out of range, 03 malformed or
 * out-of-range value, 04 the unit failed).
 */
export function handleRequestPdu(unit: ModbusUnit, pdu: Buffer): Buffer {
  const functionCode = pdu.readUInt8(0);
  const fail = (code: number): Buffer => exceptionPdu(functionCode, code);
  const word = (offset: number): number => pdu.readUInt16BE(offset);
  try {
    switch (functionCode) {
      case 0x01:
      case 0x02: {
        const read = functionCode === 0x01 ? unit.readCoils?.bind(unit) : unit.readDiscreteInputs?.bind(unit);
        if (!read) return fail(ExceptionCode.IllegalFunction);
        if (pdu.length !== 5) return fail(ExceptionCode.IllegalDataValue);
        const [address, quantity] = [word(1), word(3)];
        if (quantity < 1 || quantity > MAX_READ_BITS) return fail(ExceptionCode.IllegalDataValue);
        if (address + quantity > 0x10000) return fail(ExceptionCode.IllegalDataAddress);
        const bits = packBits(expectLength(read(address, quantity), quantity));
        return Buffer.concat([Buffer.from([functionCode, bits.length]), bits]);
      }
      case 0x03:
      case 0x04: {
        const read = functionCode === 0x03 ? unit.readHoldingRegisters?.bind(unit) : unit.readInputRegisters?.bind(unit);
        if (!read) return fail(ExceptionCode.IllegalFunction);
        if (pdu.length !== 5) return fail(ExceptionCode.IllegalDataValue);
        const [address, quantity] = [word(1), word(3)];
        if (quantity < 1 || quantity > MAX_READ_REGISTERS) return fail(ExceptionCode.IllegalDataValue);
        if (address + quantity > 0x10000) return fail(ExceptionCode.IllegalDataAddress);
        const registers = expectLength(read(address, quantity), quantity);
        const response = Buffer.alloc(2 + 2 * quantity);
        response.writeUInt8(functionCode, 0);
        response.writeUInt8(2 * quantity, 1);
        registers.forEach((value, index) => response.writeUInt16BE(value & 0xffff, 2 + 2 * index));
        return response;
      }
      case 0x05: {
        if (!unit.writeCoils) return fail(ExceptionCode.IllegalFunction);
        if (pdu.length !== 5) return fail(ExceptionCode.IllegalDataValue);
        const value = word(3);
        if (value !== 0xff00 && value !== 0x0000) return fail(ExceptionCode.IllegalDataValue);
        unit.writeCoils(word(1), [value === 0xff00]);
        return Buffer.from(pdu);
      }
      case 0x06: {
        if (!unit.writeRegisters) return fail(ExceptionCode.IllegalFunction);
        if (pdu.length !== 5) return fail(ExceptionCode.IllegalDataValue);
        unit.writeRegisters(word(1), [word(3)]);
        return Buffer.from(pdu);
      }
      case 0x0f: {
        if (!unit.writeCoils) return fail(ExceptionCode.IllegalFunction);
        if (pdu.length < 6) return fail(ExceptionCode.IllegalDataValue);
        const [address, quantity, byteCount] = [word(1), word(3), pdu.readUInt8(5)];
        if (quantity < 1 || quantity > MAX_WRITE_BITS || byteCount !== Math.ceil(quantity / 8) || pdu.length !== 6 + byteCount) {
          return fail(ExceptionCode.IllegalDataValue);
        }
        if (address + quantity > 0x10000) return fail(ExceptionCode.IllegalDataAddress);
        unit.writeCoils(address, unpackBits(pdu.subarray(6), quantity));
        return Buffer.from(pdu.subarray(0, 5));
      }
      case 0x10: {
        if (!unit.writeRegisters) return fail(ExceptionCode.IllegalFunction);
        if (pdu.length < 6) return fail(ExceptionCode.IllegalDataValue);
        const [address, quantity, byteCount] = [word(1), word(3), pdu.readUInt8(5)];
        if (quantity < 1 || quantity > MAX_WRITE_REGISTERS || byteCount !== 2 * quantity || pdu.length !== 6 + byteCount) {
          return fail(ExceptionCode.IllegalDataValue);
        }
        if (address + quantity > 0x10000) return fail(ExceptionCode.IllegalDataAddress);
        unit.writeRegisters(address, Array.from({ length: quantity }, (_, index) => word(6 + 2 * index)));
        return Buffer.from(pdu.subarray(0, 5));
      }
      default:
        return fail(ExceptionCode.IllegalFunction);
    }
  } catch (error) {
    return fail(error instanceof ModbusException ? error.code : ExceptionCode.DeviceFailure);
  }
}
