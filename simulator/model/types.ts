/**
 * The simulated oilfield as the protocol servers see it (Modbus, OPC UA,
 * Sparkplug B): assets with named points, read, written (setpoints) and
 * advanced in time. The physics behind it lives in simulator/model/.
 */
export type LiftType = "esp" | "gas_lift" | "rod_pump";
export type AssetKind = "well" | "test-separator" | "production-separator" | "tank" | "compressor" | "manifold";
export type PointDataType = "float" | "int" | "bool";

export interface SimAsset {
  /** Asset id, the middle level of a tag path: WELL-101, SEP-TEST, TK-01, COMP-01. */
  id: string;
  kind: AssetKind;
  liftType?: LiftType;
  description: string;
}

export interface SimPointDefinition {
  asset: string;
  /** Point name, the last level of a tag path: THP, CHOKE_SP, ESP_FREQ ... */
  point: string;
  dataType: PointDataType;
  /** Canonical SI unit code: kPa, degC, m3/d, Sm3/d, A, Hz, mm/s, %, m, m3, kW, bool. */
  unit: string;
  description: string;
  /** A setpoint the field accepts writes to. */
  writable: boolean;
  /** For writable points: the accepted range (inclusive). */
  min?: number;
  max?: number;
}

export type SimValue = number | boolean;

export interface SimEvent {
  /** Epoch ms of simulated time. */
  t: number;
  asset: string;
  kind: "esp-trip" | "esp-vibration" | "shut-in" | "restart" | "gas-lift-valve-failure" | "tank-pump-out" | "setpoint";
  message: string;
}

export interface OilfieldModel {
  readonly siteId: string;
  readonly assets: readonly SimAsset[];
  /** Every point, in a stable order (the order protocol maps are built from). */
  readonly points: readonly SimPointDefinition[];
  read(asset: string, point: string): SimValue;
  /** Writes a setpoint; throws (with the reason) on an unknown, read-only or out-of-range point. */
  write(asset: string, point: string, value: SimValue): void;
  /** Advances the physics by dtSeconds of simulated time. */
  step(dtSeconds: number): void;
  /** Simulated time, epoch ms. */
  now(): number;
  onEvent(listener: (event: SimEvent) => void): () => void;
}
