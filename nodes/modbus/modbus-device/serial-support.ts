export type SerialSupport = { available: true } | { available: false; reason: string };

/**
 * Whether Modbus RTU can run here. serialport's native binding is optional:
 * it may be missing on this platform or blocked from building, and then
 * `require("serialport")` throws while loading it. We find out once, up
 * front, so a device configured for RTU says why instead of failing inside
 * modbus-serial on every reconnect. `load` is injectable for tests.
 */
export function detectSerialSupport(load: () => unknown = () => require("serialport")): SerialSupport {
  try {
    load();
    return { available: true };
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { available: false, reason: `Modbus RTU is not available on this system: the serialport native binding does not load (${detail})` };
  }
}
