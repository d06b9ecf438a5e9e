import type { Queryable } from "../../runtime/db/database.js";
import type { AssetLookup, ConnectionRef } from "../shared/asset-lookup.js";
import { fromNumeric } from "../shared/numeric.js";
import type { AllocationResult } from "./allocation-schema.js";
import { fromUnits, toUnits } from "./model/allocation.js";
import { planAllocation, type AllocationPlan, type PlanInput, type PlannedResult, type TestUse } from "./model/allocation-plan.js";
import { FLUIDS, latestReadings, tankBalance, type Fluid } from "./model/measured-totals.js";
import {
  allocateNetwork,
  dayFluidKey,
  streamCarries,
  type Lineage,
  type NetworkEdge,
  type NetworkNode,
  type NodeMeasurement,
  type StageAllocation,
} from "./model/network-allocation.js";
import { wellDay, type WellDay } from "./model/theoretical.js";

/*
 * An allocation run over the register's connectivity (docs/erp-production.md
 * "Allocation over the network"): reads the site's network, turns its meters
 * and tanks into measurement points and hands them to the pure staged
 * allocation (model/network-allocation.ts).
 */

/**
 * The connections of a site's plant: every production, oil, gas or water
 * connection joined, through such connections either way, to one of its
 * wells. Null when none touches them: the site is allocated at site level.
 */
export async function readSiteNetwork(assets: AssetLookup, wellIds: readonly string[], tx: Queryable): Promise<ConnectionRef[] | null> {
  if (!assets.listConnections) return null;
  // Lift gas is injection gas, not production: it joins no site's production network.
  const all = (await assets.listConnections(tx)).filter((connection) => connection.stream !== "lift_gas");
  const neighbours = new Map<string, ConnectionRef[]>();
  for (const connection of all) {
    for (const end of [connection.fromAssetId, connection.toAssetId]) neighbours.set(end, [...(neighbours.get(end) ?? []), connection]);
  }
  const reached = new Set<string>(wellIds);
  const queue = [...wellIds];
  const kept = new Set<ConnectionRef>();
  while (queue.length > 0) {
    const id = queue.pop() as string;
    for (const connection of neighbours.get(id) ?? []) {
      kept.add(connection);
      for (const end of [connection.fromAssetId, connection.toAssetId]) {
        if (reached.has(end)) continue;
        reached.add(end);
        queue.push(end);
      }
    }
  }
  return kept.size > 0 ? [...kept] : null;
}

/** The tank each run ticket was shipped from (tickets without one belong to no tank's balance). */
export async function readTicketTanks(tx: Queryable, ticketIds: readonly string[]): Promise<Map<string, string | null>> {
  if (ticketIds.length === 0) return new Map();
  const result = await tx.query<{ id: string; tank_id: string | null }>("SELECT id, tank_id FROM run_tickets WHERE id = ANY($1::uuid[])", [[...ticketIds]]);
  return new Map(result.rows.map((row) => [row.id, row.tank_id]));
}

/** A day and fluid of a network run as the run's inputs keep it: the volume of its final measurement points. */
export interface NetworkRunMeasured {
  date: string;
  fluid: Fluid;
  source: "network";
  /** The allocated final points' volume (what the results sum to), or, when none was allocated, the others'. */
  volumeM3: string;
  allocated: boolean;
  /** Final points that measured a volume they could not allocate, beside allocated ones. */
  notAllocatedM3?: string;
  stageKeys: string[];
}

/** A stage as the run's inputs keep it: the point, its measurement and entries, not the per-well shares (those are in the results' lineage). */
export type StageSummary = Omit<StageAllocation, "shares" | "nodeIds">;

export interface NetworkRunPlan {
  results: (PlannedResult & { lineage: Lineage })[];
  measured: NetworkRunMeasured[];
  stages: StageSummary[];
  testUse: TestUse[];
  totals: Record<Fluid, { measuredM3: string; allocatedM3: string }>;
  warnings: string[];
}

export interface NetworkRunInput extends PlanInput {
  connections: readonly ConnectionRef[];
  /** The meters whose readings measure (check meters left out). */
  meterIds: readonly string[];
  ticketTanks: ReadonlyMap<string, string | null>;
}

/** "2026-01-01", or "2026-01-01..2026-01-04" for a range. */
function span(from: string, to: string): string {
  return from === to ? from : `${from}..${to}`;
}

/** The nearest measuring meter downstream of `from` along the fluid's connections that has a reading on `key`. */
function meterDownstream(
  from: string,
  fluid: Fluid,
  key: string,
  connections: readonly ConnectionRef[],
  measured: ReadonlyMap<string, Map<string, NodeMeasurement>>,
): string | null {
  const seen = new Set([from]);
  for (let frontier = [from]; frontier.length > 0; ) {
    const next: string[] = [];
    for (const connection of connections) {
      if (!frontier.includes(connection.fromAssetId) || seen.has(connection.toAssetId) || !streamCarries(connection.stream, fluid)) continue;
      seen.add(connection.toAssetId);
      next.push(connection.toAssetId);
    }
    next.sort();
    const metered = next.find((id) => measured.get(id)?.has(key));
    if (metered) return metered;
    frontier = next;
  }
  return null;
}

/**
 * Meters measure their readings, of the fluids their connections carry. A tank with a measuring meter downstream
 * that has a reading that day is not a measurement point itself: the meter
 * measures sales at the tanks' outlet, so the tank's stock change is added to
 * it (production = sales + the change in inventory, as at site level). A tank
 * without one measures its own balance: stock change + the run tickets
 * shipped from it.
 */
function measurementNodes(input: NetworkRunInput, wellIds: ReadonlySet<string>, warnings: string[]): NetworkNode[] {
  const codes = new Map<string, string>();
  for (const connection of input.connections) {
    codes.set(connection.fromAssetId, connection.fromCode);
    codes.set(connection.toAssetId, connection.toCode);
  }
  // A node measures only the fluids whose streams reach it: a water tank's gauges say nothing about oil.
  const carries = (id: string, fluid: Fluid) =>
    input.connections.some((connection) => (connection.fromAssetId === id || connection.toAssetId === id) && streamCarries(connection.stream, fluid));
  const measuring = new Set(input.meterIds);
  const meterMeasured = new Map<string, Map<string, NodeMeasurement>>();
  for (const id of codes.keys()) {
    if (!measuring.has(id)) continue;
    const measured = new Map<string, NodeMeasurement>();
    for (const reading of latestReadings(input.meterReadings.filter((entry) => entry.meterId === id && carries(id, entry.fluid)))) {
      measured.set(dayFluidKey(reading.productionDate, reading.fluid), { volumeM3: reading.volumeM3, meterReadingIds: [reading.id], tankGaugeIds: [], runTicketIds: [] });
    }
    meterMeasured.set(id, measured);
  }
  const tankMeasured = new Map<string, Map<string, NodeMeasurement>>();
  // Tanks in code order, so a meter's sum is the same every run.
  for (const tank of [...input.tanks].filter((ref) => codes.has(ref.id)).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
    const measured = new Map<string, NodeMeasurement>();
    const tickets = input.runTickets.filter((ticket) => input.ticketTanks.get(ticket.id) === tank.id);
    for (const day of input.days) {
      for (const fluid of (["oil", "water"] as const).filter((candidate) => carries(tank.id, candidate))) {
        const key = dayFluidKey(day, fluid);
        const meter = meterDownstream(tank.id, fluid, key, input.connections, meterMeasured);
        if (!meter) {
          const balance = tankBalance(day, fluid, [tank], input.gaugesByTank, tickets);
          if (balance.available) measured.set(key, { volumeM3: balance.balanceM3, meterReadingIds: [], tankGaugeIds: balance.tankGaugeIds, runTicketIds: balance.runTicketIds });
          continue;
        }
        const change = tankBalance(day, fluid, [tank], input.gaugesByTank, []);
        const reading = meterMeasured.get(meter)?.get(key);
        if (!reading) continue;
        if (!change.available) {
          warnings.push(`${fluid} on ${day}: ${codes.get(meter) ?? meter} measures without the stock change of ${tank.code} (${change.reason})`);
          continue;
        }
        meterMeasured.get(meter)?.set(key, {
          ...reading,
          volumeM3: fromUnits(toUnits(reading.volumeM3) + toUnits(change.balanceM3)),
          tankGaugeIds: [...reading.tankGaugeIds, ...change.tankGaugeIds],
        });
      }
    }
    tankMeasured.set(tank.id, measured);
  }
  return [...codes]
    .filter(([id]) => !wellIds.has(id))
    .map(([id, code]) => ({ id, code, measured: meterMeasured.get(id) ?? tankMeasured.get(id) ?? new Map<string, NodeMeasurement>() }));
}

/** A run's plan over the site's network; same shape as the site-level plan, with lineage per result and the stages. */
export function planNetworkAllocation(input: NetworkRunInput): NetworkRunPlan {
  const warnings: string[] = [];
  const wellIds = new Set(input.wells.map((well) => well.id));
  const wellDays = new Map<string, WellDay[]>();
  const testUse: TestUse[] = [];
  for (const well of input.wells) {
    const tests = input.testsByWell.get(well.id) ?? [];
    const days = input.days.map((day) => wellDay(day, tests, input.downtimeByWell.get(well.id) ?? [], input.now));
    wellDays.set(well.id, days);
    days.forEach((current, index) => {
      const last = testUse.at(-1);
      const day = input.days[index];
      if (last && last.wellId === well.id && last.wellTestId === current.wellTestId) last.to = day;
      else testUse.push({ wellId: well.id, wellTestId: current.wellTestId, from: day, to: day });
    });
  }
  for (const use of testUse) {
    if (use.wellTestId !== null) continue;
    const code = input.wells.find((well) => well.id === use.wellId)?.code ?? use.wellId;
    warnings.push(`well ${code} has no approved well test on ${span(use.from, use.to)}: its theoretical volume is 0`);
  }

  const edges: NetworkEdge[] = input.connections.map((connection) => ({ from: connection.fromAssetId, to: connection.toAssetId, stream: connection.stream }));
  const network = allocateNetwork({
    days: input.days,
    wells: input.wells.map((well) => ({
      id: well.id,
      code: well.code,
      basis: new Map(
        input.days.flatMap((day, index) => {
          const values = wellDays.get(well.id)?.[index];
          return FLUIDS.map((fluid) => [dayFluidKey(day, fluid), { theoreticalM3: values?.theoreticalM3[fluid] ?? fromUnits(0n), wellTestId: values?.wellTestId ?? null }] as const);
        }),
      ),
    })),
    nodes: measurementNodes(input, wellIds, warnings),
    edges,
  });
  warnings.push(...network.warnings);

  const dayIndex = new Map(input.days.map((day, index) => [day, index]));
  const results = network.results.map((result) => ({
    wellId: result.wellId,
    productionDate: result.day,
    fluid: result.fluid,
    theoreticalM3: result.theoreticalM3,
    allocatedM3: result.allocatedM3,
    uptimeHours: wellDays.get(result.wellId)?.[dayIndex.get(result.day) ?? -1]?.uptimeHours ?? 0,
    wellTestId: result.wellTestId,
    lineage: result.lineage,
  }));

  const measured: NetworkRunMeasured[] = [];
  for (const day of input.days) {
    for (const fluid of FLUIDS) {
      const rows = network.measured.filter((row) => row.day === day && row.fluid === fluid);
      const allocated = rows.find((row) => row.allocated);
      const notAllocated = rows.find((row) => !row.allocated);
      const main = allocated ?? notAllocated;
      if (!main) continue;
      measured.push({
        date: day,
        fluid,
        source: "network",
        volumeM3: main.volumeM3,
        allocated: main.allocated,
        ...(allocated && notAllocated ? { notAllocatedM3: notAllocated.volumeM3 } : {}),
        stageKeys: rows.flatMap((row) => row.stageKeys),
      });
    }
  }
  const totals = Object.fromEntries(
    FLUIDS.map((fluid) => {
      const rows = network.measured.filter((row) => row.fluid === fluid);
      const measuredUnits = rows.reduce((sum, row) => sum + toUnits(row.volumeM3), 0n);
      const allocatedUnits = results.filter((row) => row.fluid === fluid).reduce((sum, row) => sum + toUnits(row.allocatedM3), 0n);
      return [fluid, { measuredM3: fromUnits(measuredUnits), allocatedM3: fromUnits(allocatedUnits) }];
    }),
  ) as Record<Fluid, { measuredM3: string; allocatedM3: string }>;
  const stages = network.stages.map(({ shares: _shares, nodeIds: _nodeIds, ...summary }) => summary);
  return { results, measured, stages, testUse, totals, warnings };
}

/**
 * The plan of a run: over the register's network when connections reach the
 * site's wells, else at site level (model/allocation-plan.ts), as before.
 */
export async function planRun(
  assets: AssetLookup,
  tx: Queryable,
  input: PlanInput & { meterIds: readonly string[] },
): Promise<AllocationPlan | NetworkRunPlan> {
  const connections = await readSiteNetwork(
    assets,
    input.wells.map((well) => well.id),
    tx,
  );
  if (!connections) return planAllocation(input);
  const ticketTanks = await readTicketTanks(
    tx,
    input.runTickets.map((ticket) => ticket.id),
  );
  return planNetworkAllocation({ ...input, connections, ticketTanks });
}

/** A stored lineage as the API gives it: volumes as numbers, like every volume there. */
export function lineageForApi(lineage: Lineage): NonNullable<AllocationResult["lineage"]> {
  return {
    wellTestId: lineage.wellTestId,
    stages: lineage.stages.map((stage) => ({ ...stage, measuredM3: fromNumeric(stage.measuredM3), allocatedM3: fromNumeric(stage.allocatedM3) })),
  };
}
