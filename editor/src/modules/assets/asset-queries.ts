import { useQuery } from '@tanstack/react-query';
import { assetKeys, fetchAsset, fetchAssetTree } from '../../api/assets';

/** The whole hierarchy, flat: a few thousand small rows at most for one site. */
export function useAssetTree() {
  return useQuery({ queryKey: assetKeys.tree, queryFn: ({ signal }) => fetchAssetTree(signal), staleTime: 60_000 });
}

export function useAsset(id: string) {
  return useQuery({ queryKey: assetKeys.detail(id), queryFn: ({ signal }) => fetchAsset(id, signal) });
}
