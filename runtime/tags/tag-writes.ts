import type { Static } from "@sinclair/typebox";
import { roleAtLeast, type Role } from "../auth/roles.js";
import type { ErrorParams, Reason } from "../error-contract.js";
import { compilePattern } from "./tag-path.js";
import type { TagDataTypeSchema, WriteRoleSchema } from "./schema.js";
import type { LiveTags, TagScalar } from "./tag-types.js";

/**
 * Setpoint writes (docs/setpoints.md): a value goes to the device that owns
 * the tag, never only into the live store. Device nodes register a writer
 * for the tags they poll or subscribe to; the web app's faceplate and a
 * tag-write node "to the device" both call requestWrite, so one path checks
 * the tag's write limits, writes, and confirms by read-back.
 */

export type WriteRole = Static<typeof WriteRoleSchema>;

/** What the registry says about writing one tag (its write columns). */
export interface WritePolicy {
  dataType: Static<typeof TagDataTypeSchema>;
  unit: string;
  writable: boolean;
  writeMin: number | null;
  writeMax: number | null;
  writeRole: WriteRole;
}

export type WriteValue = number | boolean;

/** Why a write is refused before it reaches a device: HTTP status, reason (error contract), English text. */
export interface WriteRefusal {
  status: 400 | 403 | 409;
  reason: Reason;
  message: string;
  params?: ErrorParams;
}

/**
 * Whether `value` may be written to a tag (pure). `role` is the person's;
 * a flow writes without one (its engineer chose to deploy it), so only the
 * tag's writability, type and limits hold it.
 */
export function checkWrite(path: string, policy: WritePolicy | undefined, value: unknown, role?: Role): WriteRefusal | null {
  if (!policy) return { status: 409, reason: "not_writable", message: `${path} is not in the tag registry, so it has no write limits` };
  if (!policy.writable) return { status: 409, reason: "not_writable", message: `${path} is not writable (writable is off)` };
  if (role !== undefined && !roleAtLeast(role, policy.writeRole)) {
    return { status: 403, reason: "write_role_required", message: `writing ${path} needs the ${policy.writeRole} role`, params: { role: policy.writeRole } };
  }
  const expected = policy.dataType === "bool" ? "boolean" : policy.dataType === "int" ? "integer" : "number";
  if (policy.dataType === "string") return { status: 409, reason: "not_writable", message: `${path} holds text; only numbers and booleans are written to devices` };
  const typeOk =
    policy.dataType === "bool" ? typeof value === "boolean" : typeof value === "number" && Number.isFinite(value) && (policy.dataType !== "int" || Number.isInteger(value));
  if (!typeOk) return { status: 400, reason: "wrong_type", message: `${path} takes a ${expected}, not ${JSON.stringify(value)}`, params: { expected } };
  if (typeof value === "number") {
    const { writeMin: min, writeMax: max } = policy;
    if ((min !== null && value < min) || (max !== null && value > max)) {
      const range = `${min ?? "-∞"} to ${max ?? "∞"}${policy.unit ? ` ${policy.unit}` : ""}`;
      return {
        status: 400,
        reason: "outside_write_limits",
        message: `${value} is outside the write limits of ${path}: ${range}`,
        params: { min: min ?? "-∞", max: max ?? "∞", unit: policy.unit },
      };
    }
  }
  return null;
}

/** How close a read-back must be: a float written to a float32 register comes back rounded to ~7 digits. */
export function readBackMatches(requested: WriteValue, readBack: TagScalar): boolean {
  if (typeof requested === "boolean") return readBack === requested;
  if (typeof readBack !== "number") return false;
  return Math.abs(readBack - requested) <= Math.max(1e-5 * Math.abs(requested), 1e-6);
}

export interface DeviceWriteRequest {
  path: string;
  value: WriteValue;
  /** The writer should give up by then; requestWrite stops waiting at the same time. */
  timeoutMs: number;
}

/**
 * A device node's writer: writes the value to the device. When it can read
 * the point back itself (Modbus, OPC UA read) it answers what the device
 * holds; otherwise the next polled or subscribed value confirms the write.
 */
export type DeviceWriter = (request: DeviceWriteRequest) => Promise<{ readBack?: TagScalar }>;

export type WriteOutcome = "confirmed" | "unconfirmed";

export interface WriteResult {
  requested: WriteValue;
  previous: TagScalar;
  readBack: TagScalar;
  confirmed: boolean;
  outcome: WriteOutcome;
  /** Why it is unconfirmed, in English. */
  detail?: string;
}

export interface WriteOptions {
  /** Who writes (a username, or `node:<id>` for a flow). */
  actor: string;
  /** The person's role; absent for a flow. */
  role?: Role;
  /** The whole write, device and read-back, gives up after this long. */
  timeoutMs?: number;
}

/** A write refused by the checks (status 400/403/409) or failed at the device (502, 504 on a timeout). */
export class TagWriteError extends Error {
  constructor(
    readonly status: 400 | 403 | 409 | 502 | 504,
    readonly reason: Reason,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = "TagWriteError";
  }

  static refused(refusal: WriteRefusal): TagWriteError {
    return new TagWriteError(refusal.status, refusal.reason, refusal.message, refusal.params);
  }
}

/** The device write path as nodes see it (RED.settings.petroflow.tagWrites). */
export interface DeviceWrites {
  /** Adds the writer for tags matching an MQTT-style pattern (usually one exact path); returns its removal. */
  registerWriter(pattern: string, writer: DeviceWriter): () => void;
  requestWrite(path: string, value: WriteValue, options: WriteOptions): Promise<WriteResult>;
}

export const DEFAULT_WRITE_TIMEOUT_MS = 10_000;

interface Registration {
  pattern: string;
  exact: boolean;
  matches: (path: string) => boolean;
  writer: DeviceWriter;
}

/** Rejects with `onTimeout()` when `promise` has not settled in `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The site's device write path: writers by pattern (an exact path wins over
 * a wildcard; the newest registration wins among equals, so a redeployed
 * node takes over before the old one closes), the checks, and the read-back.
 */
export class TagWrites implements DeviceWrites {
  private readonly registrations: Registration[] = [];

  constructor(
    private readonly live: LiveTags,
    private readonly policyOf: (path: string) => WritePolicy | undefined,
    /**
     * false on the cloud (PETROFLOW_ROLE=cloud): it never writes to a site's
     * devices, whatever asks (an API call, a gas-lift approval, a flow);
     * a remote user proposes, the site decides (docs/sync.md "Security").
     */
    private readonly devicesAllowed = true,
  ) {}

  registerWriter(pattern: string, writer: DeviceWriter): () => void {
    const registration: Registration = { pattern, exact: !/[+#]/.test(pattern), matches: compilePattern(pattern), writer };
    this.registrations.push(registration);
    return () => {
      const index = this.registrations.indexOf(registration);
      if (index >= 0) this.registrations.splice(index, 1);
    };
  }

  /** The writer for a path, if any device node owns it. */
  writerOf(path: string): DeviceWriter | undefined {
    const candidates = this.registrations.filter((registration) => registration.matches(path));
    return (candidates.findLast((registration) => registration.exact) ?? candidates.at(-1))?.writer;
  }

  /** The checks alone, for a caller that must refuse before it does anything else. */
  check(path: string, value: unknown, role?: Role): WriteRefusal | null {
    return checkWrite(path, this.policyOf(path), value, role);
  }

  async requestWrite(path: string, value: WriteValue, options: WriteOptions): Promise<WriteResult> {
    if (!this.devicesAllowed) throw new TagWriteError(403, "edge_role_only", `the cloud does not write to devices: ${path} is written only by its site`);
    const refusal = this.check(path, value, options.role);
    if (refusal) throw TagWriteError.refused(refusal);
    const writer = this.writerOf(path);
    if (!writer) throw new TagWriteError(409, "no_device_path", `no running device node owns ${path}: deploy the flow that polls it`);
    const timeoutMs = options.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const previous = this.live.read(path)?.v ?? null;
    const startedAt = Date.now();
    const reply = await withTimeout(
      Promise.resolve().then(() => writer({ path, value, timeoutMs })),
      timeoutMs,
      () => new TagWriteError(504, "device_timeout", `the device did not answer the write of ${path} within ${timeoutMs} ms`, { timeoutMs }),
    ).catch((error: unknown) => {
      if (error instanceof TagWriteError) throw error;
      throw new TagWriteError(502, "device_write_failed", `writing ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    const readBack = reply.readBack !== undefined ? reply.readBack : await this.nextLiveValue(path, value, startedAt, Math.max(0, deadline - Date.now()));
    const confirmed = readBack !== null && readBackMatches(value, readBack);
    const result: WriteResult = { requested: value, previous, readBack, confirmed, outcome: confirmed ? "confirmed" : "unconfirmed" };
    if (!confirmed) {
      result.detail =
        readBack === null
          ? `no value of ${path} came back within ${timeoutMs} ms of the write`
          : `the device holds ${JSON.stringify(readBack)} after the write, not ${JSON.stringify(value)}`;
    }
    return result;
  }

  /**
   * Read-back from the live store, for a writer that cannot read: the first
   * value reported after the write that matches, or the last one reported
   * when the time is up (null when none was).
   */
  private nextLiveValue(path: string, requested: WriteValue, since: number, waitMs: number): Promise<TagScalar> {
    return new Promise((resolve) => {
      let last: TagScalar = null;
      const consider = (v: TagScalar, reportedAt: number) => {
        if (reportedAt < since) return;
        last = v;
        if (readBackMatches(requested, v)) finish();
      };
      const listener = ({ value }: { value: { v: TagScalar; t: number; u?: number } }) => consider(value.v, value.u ?? value.t);
      const unsubscribe = this.live.subscribe(path, listener, { onRefresh: listener });
      const timer = setTimeout(() => finish(), waitMs);
      function finish() {
        clearTimeout(timer);
        unsubscribe();
        resolve(last);
      }
    });
  }
}
