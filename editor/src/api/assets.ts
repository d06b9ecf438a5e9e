import { apiRequest } from './client';
import type {
  Asset,
  AssetCreate,
  AssetKind,
  AssetPatch,
  AssetTreeNode,
  Connection,
  ConnectionCreate,
  ConnectionStream,
  EquipmentDetail,
  EquipmentType,
  Fluid,
  MeterService,
  SeparatorService,
  SiteType,
  StatusChange,
  WellDetail,
} from '../../../erp-modules/assets/schema';

// The server's schema types the screens (type-only: no schema code reaches the bundle);
// the lists below are the values the screens offer, checked against the server's in the unit tests.
export type {
  Asset,
  AssetCreate,
  AssetKind,
  AssetPatch,
  AssetTreeNode,
  Completion,
  Connection,
  ConnectionCreate,
  ConnectionStream,
  EquipmentDetail,
  EquipmentType,
  Fluid,
  MeterService,
  SeparatorService,
  SiteType,
  StatusChange,
  StatusHistoryEntry,
  TagLink,
  WellDetail,
} from '../../../erp-modules/assets/schema';

export type LiftType = WellDetail['liftType'];
export type WellStatus = WellDetail['status'];
export type StrappingPoint = NonNullable<EquipmentDetail['strappingTable']>[number];
export type Perforation = NonNullable<WellDetail['completion']['perforations']>[number];

export const ASSET_KINDS = ['field', 'site', 'well', 'equipment'] as const satisfies readonly AssetKind[];
export const SITE_TYPES = ['pad', 'station', 'battery'] as const satisfies readonly SiteType[];
export const EQUIPMENT_TYPES = [
  'esp',
  'compressor',
  'separator',
  'tank',
  'meter',
  'flowline',
  'manifold',
  'header',
  'sales_point',
  'disposal_point',
  'other',
] as const satisfies readonly EquipmentType[];
export const LIFT_TYPES = ['natural_flow', 'esp', 'gas_lift', 'rod_pump'] as const satisfies readonly LiftType[];
export const WELL_STATUSES = ['producing', 'shut_in', 'suspended', 'abandoned'] as const satisfies readonly WellStatus[];
export const METER_SERVICES = ['fiscal', 'sales', 'check'] as const satisfies readonly MeterService[];
export const SEPARATOR_SERVICES = ['test', 'production'] as const satisfies readonly SeparatorService[];
export const FLUIDS = ['oil', 'gas', 'water'] as const satisfies readonly Fluid[];
export const CONNECTION_STREAMS = ['production', 'oil', 'gas', 'water', 'lift_gas'] as const satisfies readonly ConnectionStream[];

export interface AssetQuery {
  search: string;
  kind: AssetKind | null;
  parentId: string | null;
  status: WellStatus | null;
  liftType: LiftType | null;
  limit: number;
  offset: number;
}

export interface AssetPage {
  assets: Asset[];
  total: number;
}

export const assetKeys = {
  all: ['assets'] as const,
  tree: ['assets', 'tree'] as const,
  page: (query: AssetQuery) => ['assets', 'page', query] as const,
  detail: (id: string) => ['assets', 'detail', id] as const,
  connections: ['assets', 'connections'] as const,
};

const BASE = '/api/v1/assets';

export function assetQueryString(query: AssetQuery): string {
  const params = new URLSearchParams({ limit: String(query.limit), offset: String(query.offset) });
  if (query.search !== '') params.set('search', query.search);
  if (query.kind !== null) params.set('kind', query.kind);
  if (query.parentId !== null) params.set('parentId', query.parentId);
  if (query.status !== null) params.set('status', query.status);
  if (query.liftType !== null) params.set('liftType', query.liftType);
  return params.toString();
}

export async function fetchAssets(query: AssetQuery, signal?: AbortSignal): Promise<AssetPage> {
  return (await apiRequest(`${BASE}?${assetQueryString(query)}`, { signal })) as AssetPage;
}

export async function fetchAssetTree(signal?: AbortSignal): Promise<AssetTreeNode[]> {
  const body = (await apiRequest(`${BASE}/tree`, { signal })) as { nodes: AssetTreeNode[] };
  return body.nodes;
}

export async function fetchAsset(id: string, signal?: AbortSignal): Promise<Asset> {
  return (await apiRequest(`${BASE}/${encodeURIComponent(id)}`, { signal })) as Asset;
}

export async function createAsset(body: AssetCreate): Promise<Asset> {
  return (await apiRequest(BASE, { method: 'POST', body })) as Asset;
}

/** Fails with 409 `stale` when someone else saved the asset after `rowVersion` was read. */
export async function updateAsset(id: string, rowVersion: number, changes: Omit<AssetPatch, 'rowVersion'>): Promise<Asset> {
  return (await apiRequest(`${BASE}/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: { ...changes, rowVersion },
  })) as Asset;
}

export async function changeWellStatus(id: string, body: StatusChange): Promise<Asset> {
  return (await apiRequest(`${BASE}/${encodeURIComponent(id)}/status`, { method: 'POST', body })) as Asset;
}

const CONNECTIONS = `${BASE}/connections`;

/** The plant's process connections, all of them: a site has a few hundred at most. */
export async function fetchConnections(signal?: AbortSignal): Promise<Connection[]> {
  const body = (await apiRequest(CONNECTIONS, { signal })) as { connections: Connection[] };
  return body.connections;
}

export async function createConnection(body: ConnectionCreate): Promise<Connection> {
  return (await apiRequest(CONNECTIONS, { method: 'POST', body })) as Connection;
}

export async function deleteConnection(id: string): Promise<void> {
  await apiRequest(`${CONNECTIONS}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
