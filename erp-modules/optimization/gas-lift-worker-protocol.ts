import type { GasLiftCurvePoint, GasLiftOptimizationRequest, GasLiftOptimizationResult } from "./gas-lift-schema.js";

/**
 * Messages between GasLiftSolver (main thread) and gas-lift-worker.ts. The
 * curves travel packed in one Float64Array that is transferred, not cloned:
 * structured-cloning 300 wells × 20 point objects costs the main thread
 * several milliseconds, packing them a fraction of one.
 */
export interface GasLiftWorkerRequest {
  id: number;
  /** The request with every curve emptied; the points are in `curvePoints`. */
  request: GasLiftOptimizationRequest;
  /** injection, oil, water of every point, well after well. */
  curvePoints: Float64Array<ArrayBuffer>;
  /** How many points each well's curve has, in well order. */
  curveLengths: Int32Array;
}

export type GasLiftWorkerReply = { id: number; ok: true; result: GasLiftOptimizationResult } | { id: number; ok: false; error: string };

/** The message for a request (main thread); transfer `curvePoints.buffer`. */
export function packRequest(id: number, request: GasLiftOptimizationRequest): GasLiftWorkerRequest {
  let count = 0;
  for (const well of request.wells) count += well.curve.length;
  const curvePoints = new Float64Array(count * 3);
  const curveLengths = new Int32Array(request.wells.length);
  let offset = 0;
  const wells = request.wells.map((well, index) => {
    curveLengths[index] = well.curve.length;
    for (const point of well.curve) {
      curvePoints[offset++] = point.injectionSm3PerDay;
      curvePoints[offset++] = point.oilM3PerDay;
      curvePoints[offset++] = point.waterM3PerDay;
    }
    return { ...well, curve: [] };
  });
  return { id, request: { ...request, wells }, curvePoints, curveLengths };
}

/** The request back from its message (worker). */
export function unpackRequest(message: GasLiftWorkerRequest): GasLiftOptimizationRequest {
  let offset = 0;
  const wells = message.request.wells.map((well, index) => {
    const length = message.curveLengths[index] ?? 0;
    const curve: GasLiftCurvePoint[] = [];
    for (let point = 0; point < length; point++) {
      curve.push({
        injectionSm3PerDay: message.curvePoints[offset] ?? 0,
        oilM3PerDay: message.curvePoints[offset + 1] ?? 0,
        waterM3PerDay: message.curvePoints[offset + 2] ?? 0,
      });
      offset += 3;
    }
    return { ...well, curve };
  });
  return { ...message.request, wells };
}
