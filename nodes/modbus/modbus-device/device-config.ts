import { integerIn } from "../shared/point.js";
import type { ConnectionOptions, Endpoint, Parity } from "./modbus-connection.js";

/** The modbus-device node's properties as the editor saves them (strings or numbers). */
export interface DeviceConfigInput {
  transport?: unknown;
  host?: unknown;
  port?: unknown;
  unitId?: unknown;
  timeoutMs?: unknown;
  backoffInitialMs?: unknown;
  backoffMaxMs?: unknown;
  queueLimit?: unknown;
  serialPath?: unknown;
  baudRate?: unknown;
  parity?: unknown;
  dataBits?: unknown;
  stopBits?: unknown;
}

const PARITIES: readonly Parity[] = ["none", "even", "odd"];

function endpointOf(input: DeviceConfigInput): Endpoint {
  if (input.transport === "rtu") {
    const path = typeof input.serialPath === "string" ? input.serialPath.trim() : "";
    if (!path) throw new Error("serial port path is required for Modbus RTU");
    const parity = input.parity ?? "none";
    if (!PARITIES.includes(parity as Parity)) throw new Error(`parity must be one of ${PARITIES.join(", ")}`);
    return {
      kind: "rtu",
      path,
      baudRate: integerIn(input.baudRate, 300, 921600, "baud rate", 9600),
      parity: parity as Parity,
      dataBits: integerIn(input.dataBits, 7, 8, "data bits", 8) as 7 | 8,
      stopBits: integerIn(input.stopBits, 1, 2, "stop bits", 1) as 1 | 2,
    };
  }
  if (input.transport !== undefined && input.transport !== "" && input.transport !== "tcp") {
    throw new Error(`transport must be tcp or rtu (got ${JSON.stringify(input.transport)})`);
  }
  const host = typeof input.host === "string" ? input.host.trim() : "";
  if (!host) throw new Error("host is required for Modbus TCP");
  return { kind: "tcp", host, port: integerIn(input.port, 1, 65535, "port", 502) };
}

/** Checks a device's settings (pure), so a bad one fails at deploy with a message, not at the first poll. */
export function parseDeviceConfig(input: DeviceConfigInput): Omit<ConnectionOptions, "serial" | "random"> {
  const endpoint = endpointOf(input);
  // Whole byte range: TCP devices and gateways commonly expect 0 or 255, not a serial address.
  const unitId = integerIn(input.unitId, 0, 255, "unit id", 1);
  const initialMs = integerIn(input.backoffInitialMs, 10, 3_600_000, "initial backoff (ms)", 1000);
  const maxMs = integerIn(input.backoffMaxMs, initialMs, 3_600_000, "maximum backoff (ms)", Math.max(initialMs, 30_000));
  return {
    endpoint,
    unitId,
    timeoutMs: integerIn(input.timeoutMs, 10, 600_000, "timeout (ms)", 1000),
    backoff: { initialMs, maxMs },
    queueLimit: integerIn(input.queueLimit, 1, 10_000, "queue limit", 64),
  };
}
