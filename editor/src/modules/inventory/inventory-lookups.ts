import { useQuery } from '@tanstack/react-query';
import { fetchItems, fetchLocations, inventoryKeys, type Item, type Location } from '../../api/inventory';

/** The items and locations every inventory screen names by code, with lookups by id. */
export function useInventoryLookups() {
  const items = useQuery({ queryKey: inventoryKeys.items, queryFn: ({ signal }) => fetchItems(signal), staleTime: 30_000 });
  const locations = useQuery({ queryKey: inventoryKeys.locations, queryFn: ({ signal }) => fetchLocations(signal), staleTime: 60_000 });
  const itemById = new Map<string, Item>((items.data ?? []).map((item) => [item.id, item]));
  const locationById = new Map<string, Location>((locations.data ?? []).map((location) => [location.id, location]));
  const stores = (locations.data ?? []).filter((location) => location.kind === 'warehouse' || location.kind === 'bin' || location.kind === 'yard');
  return { items, locations, itemById, locationById, stores };
}

/** How every inventory screen names an item: its code and its name. */
export function itemLabel(item: Pick<Item, 'code' | 'name'>): string {
  return `${item.code} — ${item.name}`;
}

export function itemOptions(items: readonly Item[]) {
  return items.map((item) => ({ value: item.id, label: itemLabel(item) }));
}

export function locationOptions(locations: readonly Location[]) {
  return locations.map((location) => ({ value: location.id, label: `${location.code} — ${location.name}` }));
}
