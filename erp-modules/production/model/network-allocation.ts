/**
 * Allocation over the plant's connectivity, in stages: wells → test or
 * production separators → battery → sales point. Pure: the caller reads the
 * register's connections and the measurements.
 *
 * Per fluid the network is the register's connections whose stream carries
 * that fluid (`production` carries all three; lift gas is injection gas, not
 * production, and is left out). Wells are its sources.
 *
 * Rules:
 * - A stream that divides (a node with more than one outlet for the fluid)
 *   cannot be split by measurement: its destinations are one **commingled
 *   group**, measured together (two separators filling two tanks joined by
 *   an equalizing line: the tank balance of both tanks together). Grouping
 *   repeats until every group has at most one outlet, so each well reaches
 *   one measurement point per stage and the stages form a tree. A loop
 *   (tanks joined by an equalizing line entered both ways) is one group too.
 * - A group is a **measurement point** on a day and fluid when every node in
 *   it has a measured volume then; it measures their sum. A group where only
 *   some nodes are measured lets the stream pass, with a warning.
 * - A measurement point allocates its measured volume to the wells upstream
 *   of it, in proportion to what each brought: its allocated volume at the
 *   nearest measurement point upstream, or its theoretical volume where no
 *   measurement point lies in between. Exactly (allocateProportionally:
 *   integer units, the shares sum to the measured volume to the last unit).
 * - A measured sum below 0 (tank balances that fell) allocates 0, with a
 *   warning, as at site level: wells do not produce negative volumes.
 * - Measured > 0 with nothing to share it by (no well upstream, or every
 *   upstream volume 0) is not allocated: a warning, and the stream passes on
 *   as it came.
 * - A well's allocated volume is its share at the last measurement point on
 *   its way downstream (the **final** stage); its lineage lists every stage
 *   it passed with that stage's measurement and entries.
 */
import { allocateProportionally, AllocationInputError, fromUnits, toUnits } from "./allocation.js";
import { FLUIDS, type Fluid } from "./measured-totals.js";

export type NetworkStream = "production" | "oil" | "gas" | "water" | "lift_gas";

export interface NetworkEdge {
  from: string;
  to: string;
  stream: NetworkStream;
}

/** The entries a measured volume came from. */
export interface MeasurementSources {
  meterReadingIds: string[];
  tankGaugeIds: string[];
  runTicketIds: string[];
}

export interface NodeMeasurement extends MeasurementSources {
  volumeM3: string;
}

export interface NetworkNode {
  id: string;
  code: string;
  /** Measured volumes by dayFluidKey(day, fluid); none for a day and fluid = not measured then. */
  measured: ReadonlyMap<string, NodeMeasurement>;
}

export interface WellBasis {
  theoreticalM3: string;
  wellTestId: string | null;
}

export interface NetworkWell {
  id: string;
  code: string;
  /** Theoretical volume and the test behind it by dayFluidKey(day, fluid); missing = 0 without a test. */
  basis: ReadonlyMap<string, WellBasis>;
}

export interface NetworkInput {
  days: readonly string[];
  wells: readonly NetworkWell[];
  /** Everything that is not a well: flowlines, manifolds, separators, meters, tanks, sales points... */
  nodes: readonly NetworkNode[];
  edges: readonly NetworkEdge[];
}

/** One measurement point's allocation of one day and fluid. */
export interface StageAllocation {
  /** `${fluid}:${node codes joined by +}`: the same point on every day. */
  stageKey: string;
  day: string;
  fluid: Fluid;
  nodeIds: string[];
  nodeCodes: string[];
  measuredM3: string;
  sources: MeasurementSources;
  /** The measurement points directly upstream whose allocations were (part of) the basis. */
  upstreamStageKeys: string[];
  /** False when there was nothing to share the measured volume by. */
  allocated: boolean;
  /** Per upstream well, in well id order; empty when not allocated. */
  shares: { wellId: string; allocatedM3: string }[];
}

export interface LineageStage {
  nodeCodes: string[];
  measuredM3: string;
  /** This well's share at the stage. */
  allocatedM3: string;
  meterReadingIds: string[];
  tankGaugeIds: string[];
  runTicketIds: string[];
}

/** What a well's allocated volume came from: its test, then each stage from upstream to the final one. */
export interface Lineage {
  wellTestId: string | null;
  stages: LineageStage[];
}

export interface NetworkWellResult {
  wellId: string;
  day: string;
  fluid: Fluid;
  theoreticalM3: string;
  allocatedM3: string;
  wellTestId: string | null;
  lineage: Lineage;
}

/** Per day and fluid: the volume of the final measurement points, split by whether it was allocated. */
export interface NetworkMeasured {
  day: string;
  fluid: Fluid;
  volumeM3: string;
  allocated: boolean;
  stageKeys: string[];
}

export interface NetworkAllocation {
  stages: StageAllocation[];
  results: NetworkWellResult[];
  measured: NetworkMeasured[];
  warnings: string[];
}

export function dayFluidKey(day: string, fluid: Fluid): string {
  return `${day}|${fluid}`;
}

export function streamCarries(stream: NetworkStream, fluid: Fluid): boolean {
  return stream === "production" || stream === fluid;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The network of one fluid with its divided streams and loops grouped: a tree of groups rooted downstream. */
interface FluidTree {
  /** Non-well groups in topological order (upstream first); a group is named by its smallest node id. */
  order: string[];
  members: Map<string, string[]>;
  /** Distinct upstream groups or wells of each group. */
  inflows: Map<string, string[]>;
  /** The one downstream group of each group or well, if any. */
  outflow: Map<string, string>;
}

function fluidTree(input: NetworkInput, fluid: Fluid, wellIds: ReadonlySet<string>, nodeById: ReadonlyMap<string, NetworkNode>): FluidTree {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  // The smaller id names the group, so the grouping does not depend on input order.
  const union = (a: string, b: string) => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent.set(rootA < rootB ? rootB : rootA, rootA < rootB ? rootA : rootB);
  };
  for (const id of [...wellIds, ...nodeById.keys()]) parent.set(id, id);
  const edges = input.edges.filter((edge) => streamCarries(edge.stream, fluid));

  const adjacency = (): Map<string, Set<string>> => {
    const outflows = new Map<string, Set<string>>();
    for (const edge of edges) {
      const from = find(edge.from);
      const to = find(edge.to);
      if (from === to) continue;
      const targets = outflows.get(from) ?? new Set<string>();
      targets.add(to);
      outflows.set(from, targets);
    }
    return outflows;
  };
  let outflows = adjacency();
  for (let changed = true; changed; ) {
    changed = false;
    for (const targets of outflows.values()) {
      if (targets.size < 2) continue;
      const [first, ...rest] = targets;
      for (const other of rest) union(first, other);
      changed = true;
    }
    // A loop (an equalizing line entered both ways, or a divided stream that rejoins downstream: a well to
    // a separator and, past it, to the tanks) cannot be measured apart either: everything on it is one group.
    outflows = adjacency();
    for (const [first, ...rest] of loops(outflows)) {
      for (const other of rest) union(first, other);
      changed = true;
    }
    outflows = adjacency();
  }

  const members = new Map<string, string[]>();
  for (const id of nodeById.keys()) {
    const group = find(id);
    members.set(group, [...(members.get(group) ?? []), id]);
  }
  for (const list of members.values()) list.sort(byText);
  const inflows = new Map<string, string[]>([...members.keys()].map((group) => [group, []]));
  const outflow = new Map<string, string>();
  for (const [from, targets] of outflows) {
    const [to] = targets;
    outflow.set(from, to);
    inflows.get(to)?.push(from);
  }
  for (const list of inflows.values()) list.sort(byText);

  // Kahn over the groups (a tree by now); wells are sources and have no inflow.
  const pending = new Map([...members.keys()].map((group) => [group, (inflows.get(group) ?? []).filter((from) => !wellIds.has(from)).length]));
  const ready = [...pending].filter(([, count]) => count === 0).map(([group]) => group).sort(byText);
  const order: string[] = [];
  while (ready.length > 0) {
    const group = ready.shift() as string;
    order.push(group);
    const next = outflow.get(group);
    if (next === undefined) continue;
    const count = (pending.get(next) ?? 0) - 1;
    pending.set(next, count);
    if (count === 0) ready.push(next);
  }
  return { order, members, inflows, outflow };
}

/** The loops of a directed graph: Tarjan's strongly connected components of more than one node. */
function loops(outflows: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (id: string) => {
    index.set(id, index.size);
    low.set(id, index.get(id) ?? 0);
    stack.push(id);
    onStack.add(id);
    for (const next of outflows.get(id) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = member === id ? undefined : stack.pop()) {
      onStack.delete(member);
      component.push(member);
    }
    if (component.length > 1) found.push(component);
  };
  for (const id of [...outflows.keys()].sort(byText)) if (!index.has(id)) visit(id);
  return found;
}

function checkNetwork(input: NetworkInput): { wellIds: Set<string>; nodeById: Map<string, NetworkNode> } {
  const wellIds = new Set<string>();
  const nodeById = new Map<string, NetworkNode>();
  for (const [index, well] of input.wells.entries()) {
    if (wellIds.has(well.id)) throw new AllocationInputError(`duplicate well ${well.id}`, `wells[${index}].id`);
    wellIds.add(well.id);
  }
  for (const [index, node] of input.nodes.entries()) {
    if (wellIds.has(node.id) || nodeById.has(node.id)) throw new AllocationInputError(`duplicate node ${node.id}`, `nodes[${index}].id`);
    nodeById.set(node.id, node);
  }
  for (const [index, edge] of input.edges.entries()) {
    const known = (id: string) => wellIds.has(id) || nodeById.has(id);
    if (!known(edge.from)) throw new AllocationInputError(`edge from unknown node ${edge.from}`, `edges[${index}].from`);
    if (!known(edge.to)) throw new AllocationInputError(`edge to unknown node ${edge.to}`, `edges[${index}].to`);
    if (edge.from === edge.to) throw new AllocationInputError(`edge from ${edge.from} to itself`, `edges[${index}].to`);
    if (edge.stream !== "lift_gas" && wellIds.has(edge.to)) {
      throw new AllocationInputError(`a ${edge.stream} stream cannot flow into well ${edge.to}`, `edges[${index}].to`);
    }
  }
  return { wellIds, nodeById };
}

/** "2026-01-01", or "2026-01-01..2026-01-04" for consecutive days. */
function spans(days: readonly string[], allDays: readonly string[]): string {
  const ranges: string[] = [];
  let start = -1;
  let previous = -2;
  const flush = () => {
    if (start >= 0) ranges.push(start === previous ? allDays[start] : `${allDays[start]}..${allDays[previous]}`);
  };
  for (const index of days.map((day) => allDays.indexOf(day))) {
    if (index !== previous + 1) {
      flush();
      start = index;
    }
    previous = index;
  }
  flush();
  return ranges.join(", ");
}

/** The volume of each upstream well reaching a point, in units. */
type Distribution = Map<string, bigint>;

export function allocateNetwork(input: NetworkInput): NetworkAllocation {
  const { wellIds, nodeById } = checkNetwork(input);
  const wellById = new Map(input.wells.map((well) => [well.id, well]));
  const stages: StageAllocation[] = [];
  const results: NetworkWellResult[] = [];
  const measured: NetworkMeasured[] = [];
  const warnings: string[] = [];
  const zero = fromUnits(0n);

  for (const fluid of FLUIDS) {
    const tree = fluidTree(input, fluid, wellIds, nodeById);
    const codesOf = (group: string) => (tree.members.get(group) ?? []).map((id) => nodeById.get(id)?.code ?? id);
    const stageKeyOf = (group: string) => `${fluid}:${codesOf(group).join("+")}`;
    const unreachedDays = new Map<string, string[]>();

    for (const day of input.days) {
      const key = dayFluidKey(day, fluid);
      const distributions = new Map<string, Distribution>();
      /** The nearest allocated stage at or upstream of each group (the basis its outflow carries). */
      const stageOfGroup = new Map<string, StageAllocation>();
      /** Every measurement point of the day, allocated or not. */
      const measuredGroups = new Map<string, StageAllocation>();
      const nearestUpstreamStages = new Map<string, string[]>();
      for (const well of input.wells) {
        distributions.set(well.id, new Map([[well.id, toUnits(well.basis.get(key)?.theoreticalM3 ?? 0)]]));
      }

      for (const group of tree.order) {
        const inflow = new Map<string, bigint>();
        const upstreamStages = new Set<string>();
        for (const from of tree.inflows.get(group) ?? []) {
          for (const [wellId, units] of distributions.get(from) ?? new Map<string, bigint>()) inflow.set(wellId, (inflow.get(wellId) ?? 0n) + units);
          const fromStage = stageOfGroup.get(from);
          if (fromStage) upstreamStages.add(fromStage.stageKey);
          for (const stageKey of nearestUpstreamStages.get(from) ?? []) upstreamStages.add(stageKey);
        }
        const memberIds = tree.members.get(group) ?? [];
        const measurements = memberIds.map((id) => nodeById.get(id)?.measured.get(key));
        const present = measurements.filter((measurement): measurement is NodeMeasurement => measurement !== undefined);
        if (present.length < measurements.length) {
          if (present.length > 0) {
            const missing = memberIds.filter((_, index) => measurements[index] === undefined).map((id) => nodeById.get(id)?.code ?? id);
            warnings.push(
              `${codesOf(group).join(" + ")} are measured together (commingled) but ${missing.join(", ")} has no ${fluid} measurement on ${day}: the stream passes unmeasured`,
            );
          }
          distributions.set(group, inflow);
          nearestUpstreamStages.set(group, [...upstreamStages].sort(byText));
          continue;
        }
        const measuredUnits = present.reduce((sum, measurement) => sum + toUnits(measurement.volumeM3), 0n);
        if (measuredUnits < 0n) {
          warnings.push(
            `${fluid} measured at ${codesOf(group).join(" + ")} on ${day} is ${fromUnits(measuredUnits)} m3 (a tank balance that fell): 0 allocated; check the gauges and run tickets`,
          );
        }
        const volumeUnits = measuredUnits < 0n ? 0n : measuredUnits;
        const wells = [...inflow.keys()].sort(byText);
        const basisUnits = wells.reduce((sum, wellId) => sum + (inflow.get(wellId) ?? 0n), 0n);
        const canAllocate = wells.length > 0 && (basisUnits > 0n || volumeUnits === 0n);
        const stage: StageAllocation = {
          stageKey: stageKeyOf(group),
          day,
          fluid,
          nodeIds: memberIds,
          nodeCodes: codesOf(group),
          measuredM3: fromUnits(volumeUnits),
          sources: {
            meterReadingIds: present.flatMap((measurement) => measurement.meterReadingIds).sort(byText),
            tankGaugeIds: present.flatMap((measurement) => measurement.tankGaugeIds).sort(byText),
            runTicketIds: present.flatMap((measurement) => measurement.runTicketIds).sort(byText),
          },
          upstreamStageKeys: [...upstreamStages].sort(byText),
          allocated: canAllocate,
          shares: [],
        };
        stages.push(stage);
        measuredGroups.set(group, stage);
        if (!canAllocate) {
          warnings.push(
            wells.length === 0
              ? `${fluid} measured at ${stage.nodeCodes.join(" + ")} on ${day} not allocated: no well flows there`
              : `${fluid} on ${day} at ${stage.nodeCodes.join(" + ")} not allocated: ${stage.measuredM3} m3 measured but every upstream well's volume is 0`,
          );
          distributions.set(group, inflow);
          nearestUpstreamStages.set(group, stage.upstreamStageKeys);
          continue;
        }
        const shares = allocateProportionally(
          stage.measuredM3,
          wells.map((wellId) => ({ key: wellId, weight: fromUnits(inflow.get(wellId) ?? 0n) })),
        );
        stage.shares = shares.map((share) => ({ wellId: share.key, allocatedM3: share.volume }));
        distributions.set(group, new Map(shares.map((share) => [share.key, share.units])));
        stageOfGroup.set(group, stage);
        nearestUpstreamStages.set(group, []);
      }

      // The final stage of each well: the last allocated stage on its way downstream.
      const finalVolume = { allocated: 0n, unallocated: 0n };
      const finalKeys = { allocated: [] as string[], unallocated: [] as string[] };
      const hasStageDownstream = (group: string, allocatedOnly: boolean): boolean => {
        for (let next = tree.outflow.get(group); next !== undefined; next = tree.outflow.get(next)) {
          const stage = measuredGroups.get(next);
          if (stage && (stage.allocated || !allocatedOnly)) return true;
        }
        return false;
      };
      for (const [group, stage] of measuredGroups) {
        if (stage.allocated ? hasStageDownstream(group, true) : hasStageDownstream(group, false)) continue;
        const side = stage.allocated ? "allocated" : "unallocated";
        finalVolume[side] += toUnits(stage.measuredM3);
        finalKeys[side].push(stage.stageKey);
      }
      for (const side of ["allocated", "unallocated"] as const) {
        if (finalKeys[side].length === 0) continue;
        measured.push({ day, fluid, volumeM3: fromUnits(finalVolume[side]), allocated: side === "allocated", stageKeys: finalKeys[side].sort(byText) });
      }

      for (const well of input.wells) {
        const path: StageAllocation[] = [];
        for (let next = tree.outflow.get(well.id); next !== undefined; next = tree.outflow.get(next)) {
          const stage = stageOfGroup.get(next);
          if (stage) path.push(stage);
        }
        const last = path.at(-1);
        if (!last) {
          if (measuredGroups.size > 0) unreachedDays.set(well.id, [...(unreachedDays.get(well.id) ?? []), day]);
          continue;
        }
        const basis = well.basis.get(key);
        const shareAt = (stage: StageAllocation) => stage.shares.find((share) => share.wellId === well.id)?.allocatedM3 ?? zero;
        results.push({
          wellId: well.id,
          day,
          fluid,
          theoreticalM3: basis?.theoreticalM3 ?? zero,
          allocatedM3: shareAt(last),
          wellTestId: basis?.wellTestId ?? null,
          lineage: {
            wellTestId: basis?.wellTestId ?? null,
            stages: path.map((stage) => ({
              nodeCodes: stage.nodeCodes,
              measuredM3: stage.measuredM3,
              allocatedM3: shareAt(stage),
              ...stage.sources,
            })),
          },
        });
      }
    }
    for (const [wellId, days] of unreachedDays) {
      const code = wellById.get(wellId)?.code ?? wellId;
      warnings.push(`well ${code} reaches no ${fluid} measurement point on ${spans(days, input.days)}: not allocated`);
    }
  }
  return { stages, results, measured, warnings };
}
