import type { Field, FieldAsset, FieldConnection } from '../../api/field';

/**
 * The overview's plant, from the register's connections: wells grouped by the
 * manifold, header or separator they flow into (through flowlines), each group
 * with the route its fluids take downstream, and the facilities in flow order.
 */
export interface WellGroup {
  /** Code of the asset the wells gather at; the parent site's when they have no connection; null for neither. */
  code: string | null;
  /** The manifold, header or separator, or the parent site when `connected` is false. */
  gathering: FieldAsset | null;
  connected: boolean;
  /** Downstream of the gathering asset, in flow order (separator, tank, meter, sales point). */
  route: FieldAsset[];
  wells: FieldAsset[];
}

export interface FieldLayout {
  groups: WellGroup[];
  /** Every equipment asset in flow order: lift-gas compressors first, then by distance from the wells. */
  facilities: FieldAsset[];
  /** Code of the asset that supplies a gas-lift well's lift gas, by well code. */
  liftGasFrom: ReadonlyMap<string, string>;
}

/** Longest route followed downstream; a loop in the register must not hang the page. */
const MAX_ROUTE = 12;
const STREAM_ORDER: readonly FieldConnection['stream'][] = ['production', 'oil', 'gas', 'water', 'lift_gas'];

const byCode = (a: FieldAsset, b: FieldAsset) => a.code.localeCompare(b.code);

function isPassThrough(asset: FieldAsset): boolean {
  return asset.kind === 'equipment' && asset.equipmentType === 'flowline';
}

/** Where fluid goes next: the production or oil stream before gas and water, a production separator before a test one. */
function downstreamOf(field: Field, assets: ReadonlyMap<string, FieldAsset>): Map<string, FieldAsset[]> {
  const rank = (connection: FieldConnection, to: FieldAsset) => [
    STREAM_ORDER.indexOf(connection.stream),
    to.separatorService === 'test' ? 1 : 0,
  ];
  const result = new Map<string, { to: FieldAsset; rank: number[] }[]>();
  for (const connection of field.connections) {
    const to = assets.get(connection.toCode);
    if (connection.stream === 'lift_gas' || to === undefined || !assets.has(connection.fromCode)) continue;
    result.set(connection.fromCode, [...(result.get(connection.fromCode) ?? []), { to, rank: rank(connection, to) }]);
  }
  return new Map(
    [...result].map(([code, next]) => [
      code,
      next
        .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || byCode(a.to, b.to))
        .map(({ to }) => to),
    ]),
  );
}

function followMain(start: FieldAsset, downstream: ReadonlyMap<string, FieldAsset[]>): FieldAsset[] {
  const route: FieldAsset[] = [];
  const seen = new Set([start.code]);
  let current = downstream.get(start.code)?.[0];
  while (current !== undefined && !seen.has(current.code) && route.length < MAX_ROUTE) {
    route.push(current);
    seen.add(current.code);
    current = downstream.get(current.code)?.[0];
  }
  return route;
}

/** Longest number of hops from any well over the fluid connections, not going round a loop; absent when no well reaches it. */
function depthFromWells(wells: readonly FieldAsset[], downstream: ReadonlyMap<string, FieldAsset[]>): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (code: string, hop: number, path: Set<string>) => {
    for (const to of downstream.get(code) ?? []) {
      // Only a longer route is worth walking again: each asset is re-walked at most MAX_ROUTE times.
      if (to.kind === 'well' || path.has(to.code) || hop > MAX_ROUTE || (depth.get(to.code) ?? 0) >= hop) continue;
      depth.set(to.code, hop);
      path.add(to.code);
      visit(to.code, hop + 1, path);
      path.delete(to.code);
    }
  };
  for (const well of wells) visit(well.code, 1, new Set([well.code]));
  return depth;
}

export function layoutField(field: Field): FieldLayout {
  const assets = new Map(field.assets.map((asset) => [asset.code, asset]));
  const downstream = downstreamOf(field, assets);
  const wells = field.assets.filter((asset) => asset.kind === 'well').sort(byCode);

  const groups = new Map<string, WellGroup>();
  const groupOf = (key: string, make: () => WellGroup) => {
    const group = groups.get(key) ?? make();
    groups.set(key, group);
    return group;
  };
  for (const well of wells) {
    const path = followMain(well, downstream);
    const gatheringIndex = path.findIndex((asset) => !isPassThrough(asset));
    if (gatheringIndex >= 0) {
      const gathering = path[gatheringIndex];
      groupOf(`to:${gathering.code}`, () => ({
        code: gathering.code,
        gathering,
        connected: true,
        route: path.slice(gatheringIndex + 1),
        wells: [],
      })).wells.push(well);
      continue;
    }
    const parent = well.parentCode === null ? undefined : assets.get(well.parentCode);
    groupOf(`under:${well.parentCode ?? ''}`, () => ({
      code: well.parentCode,
      gathering: parent ?? null,
      connected: false,
      route: [],
      wells: [],
    })).wells.push(well);
  }
  // Connected groups first, in code order; wells on no connection after them.
  const ordered = [...groups.values()].sort(
    (a, b) => Number(b.connected) - Number(a.connected) || (a.code ?? '\uffff').localeCompare(b.code ?? '\uffff'),
  );

  const depth = depthFromWells(wells, downstream);
  const liftGasFrom = new Map(
    field.connections
      .filter((connection) => connection.stream === 'lift_gas' && assets.get(connection.toCode)?.kind === 'well')
      .map((connection) => [connection.toCode, connection.fromCode]),
  );
  const suppliers = new Set(liftGasFrom.values());
  const place = (asset: FieldAsset) => (suppliers.has(asset.code) ? -1 : (depth.get(asset.code) ?? MAX_ROUTE + 1));
  const facilities = field.assets
    // Equipment under a well (its ESP) is part of the well's card, not a facility.
    .filter((asset) => asset.kind === 'equipment' && !isPassThrough(asset) && assets.get(asset.parentCode ?? '')?.kind !== 'well')
    .sort((a, b) => place(a) - place(b) || byCode(a, b));

  return { groups: ordered, facilities, liftGasFrom };
}
