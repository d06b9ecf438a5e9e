import { useQuery } from '@tanstack/react-query';
import { fetchSuppliers, procurementKeys, type Supplier } from '../../api/procurement';
import { useSession } from '../../shell/session';
import { useInventoryLookups } from '../inventory/inventory-lookups';
import { procurementAccess } from './procurement-access';

/** What every procurement screen names by code (suppliers, items, stores) and what the user may do. */
export function useProcurementLookups() {
  const inventory = useInventoryLookups();
  const suppliers = useQuery({ queryKey: procurementKeys.suppliers, queryFn: ({ signal }) => fetchSuppliers(signal), staleTime: 30_000 });
  const supplierById = new Map<string, Supplier>((suppliers.data ?? []).map((supplier) => [supplier.id, supplier]));
  const { user } = useSession();
  return { ...inventory, suppliers, supplierById, access: procurementAccess(user) };
}

/** An amount in its currency, in the user's language: "USD 1,250.00" reads "1.250,00 US$" in Spanish. */
export function formatMoney(value: number, currency: string, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency }).format(value);
}
