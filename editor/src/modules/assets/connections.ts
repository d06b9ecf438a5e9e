import type { Connection, ConnectionCreate, ConnectionStream } from '../../api/assets';

/** Which way the new connection runs, seen from the asset whose page it is added on. */
export type ConnectionDirection = 'upstream' | 'downstream';

export interface ConnectionSides {
  /** What flows into the asset: the connections ending at it. */
  upstream: Connection[];
  /** Where its fluids go: the connections starting at it. */
  downstream: Connection[];
}

export function splitConnections(assetId: string, connections: readonly Connection[]): ConnectionSides {
  const upstream = connections.filter((connection) => connection.toAssetId === assetId);
  const downstream = connections.filter((connection) => connection.fromAssetId === assetId);
  return {
    upstream: upstream.sort((a, b) => a.fromCode.localeCompare(b.fromCode) || a.stream.localeCompare(b.stream)),
    downstream: downstream.sort((a, b) => a.toCode.localeCompare(b.toCode) || a.stream.localeCompare(b.stream)),
  };
}

export interface ConnectionFormState {
  direction: ConnectionDirection;
  otherAssetId: string;
  stream: ConnectionStream | '';
}

export type ConnectionFormErrors = Partial<Record<'otherAssetId' | 'stream', 'required' | 'self' | 'duplicate'>>;

/** The request for the form, or which fields to fix; the server checks the rest (same site, kinds). */
export function connectionFrom(
  assetId: string,
  form: ConnectionFormState,
  existing: readonly Connection[],
): { body: ConnectionCreate } | { errors: ConnectionFormErrors } {
  const errors: ConnectionFormErrors = {};
  if (form.otherAssetId === '') errors.otherAssetId = 'required';
  else if (form.otherAssetId === assetId) errors.otherAssetId = 'self';
  if (form.stream === '') errors.stream = 'required';
  if (Object.keys(errors).length > 0 || form.stream === '') return { errors };
  const body: ConnectionCreate =
    form.direction === 'downstream'
      ? { fromAssetId: assetId, toAssetId: form.otherAssetId, stream: form.stream }
      : { fromAssetId: form.otherAssetId, toAssetId: assetId, stream: form.stream };
  const duplicate = existing.some(
    (connection) => connection.fromAssetId === body.fromAssetId && connection.toAssetId === body.toAssetId && connection.stream === body.stream,
  );
  return duplicate ? { errors: { otherAssetId: 'duplicate' } } : { body };
}
