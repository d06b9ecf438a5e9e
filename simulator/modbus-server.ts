import net from "node:net";
import { ExceptionCode, encodeFrame, exceptionPdu, handleRequestPdu, scanFrames, type MbapFrame, type ModbusUnit } from "./modbus-frame.js";

export { ExceptionCode, ModbusException, type ModbusUnit } from "./modbus-frame.js";

/**
 * A lean Modbus TCP server on node:net. modbus-serial's ServerTCP answers one
 * request at a time (about 900/s per connection); this one answers every
 * complete frame in a TCP chunk at once and writes the answers in one go, and
 * it can misbehave on purpose for client tests.
 */

/** Misbehaviour for one unit id, to test clients against. */
export interface ModbusFault {
  /** Never answer (a dead device behind a gateway). */
  silent?: boolean;
  /** Answer this many ms late. */
  delayMs?: number;
  /** Answer with an MBAP length one byte short of the real frame (the stream is garbled from there on). */
  corruptLength?: boolean;
}

export interface ModbusServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port, reported back. */
  port?: number;
  /** Unit id -> device. Requests for other unit ids answer exception 0B. */
  units: Map<number, ModbusUnit>;
}

export interface ModbusServer {
  port: number;
  /** Closes the listener and every connection; pending delayed answers are dropped. */
  close(): Promise<void>;
  /** Sets (or, with undefined, clears) the fault for a unit id. */
  setFault(unitId: number, fault: ModbusFault | undefined): void;
}

export async function startModbusServer(options: ModbusServerOptions): Promise<ModbusServer> {
  const faults = new Map<number, ModbusFault>();
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const respond = (frame: MbapFrame): Buffer | undefined => {
    const fault = faults.get(frame.unitId);
    if (fault?.silent) return undefined;
    const unit = options.units.get(frame.unitId);
    const functionCode = frame.pdu.readUInt8(0);
    const pdu = unit ? handleRequestPdu(unit, frame.pdu) : exceptionPdu(functionCode, ExceptionCode.GatewayTargetFailedToRespond);
    return encodeFrame(frame.transactionId, frame.unitId, pdu, fault?.corruptLength ? -1 : 0);
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      const scan = scanFrames(pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk);
      if (scan.error) {
        socket.destroy();
        return;
      }
      pending = scan.rest;
      const now: Buffer[] = [];
      for (const frame of scan.frames) {
        const response = respond(frame);
        if (!response) continue;
        const delayMs = faults.get(frame.unitId)?.delayMs ?? 0;
        if (delayMs <= 0) {
          now.push(response);
          continue;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!socket.destroyed) socket.write(response);
        }, delayMs);
        timers.add(timer);
      }
      if (now.length > 0) socket.write(now.length === 1 ? now[0] : Buffer.concat(now));
    });
    // A client vanishing mid-request is routine for a field device; drop the socket quietly.
    socket.on("error", () => socket.destroy());
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("Modbus server did not bind a TCP port");

  return {
    port: address.port,
    setFault(unitId, fault) {
      if (fault) faults.set(unitId, fault);
      else faults.delete(unitId);
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
