import { useQuery } from '@tanstack/react-query';
import { fetchSite, siteKey } from '../api/site';

/** The installation's role (GET /api/v1/site): undefined while loading or on an older server, which is an edge box. */
export function useSiteRole(): 'edge' | 'cloud' | undefined {
  const site = useQuery({ queryKey: siteKey, queryFn: fetchSite, staleTime: 60_000 });
  return site.data?.role;
}
