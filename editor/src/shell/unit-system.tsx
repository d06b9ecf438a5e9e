import { useQuery } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { fetchSite, siteKey, type Site } from '../api/site';
import { overrideFor, resolveUnitSystem, UNITS_STORAGE_KEY } from '../units/unit-preference';
import type { UnitSystem } from '../units/units';

interface UnitSystemContextValue {
  system: UnitSystem;
  site: Site | undefined;
  choose: (system: UnitSystem) => void;
}

const UnitSystemContext = createContext<UnitSystemContextValue | null>(null);

export function useUnitSystem(): UnitSystemContextValue {
  const value = useContext(UnitSystemContext);
  if (value === null) throw new Error('useUnitSystem() needs a <UnitSystemProvider> above it');
  return value;
}

export function UnitSystemProvider({ children }: { children: ReactNode }) {
  // The site's settings change with a reconfiguration, not while someone is looking.
  const site = useQuery({ queryKey: siteKey, queryFn: fetchSite, staleTime: Infinity });
  const [stored, setStored] = useState(() => localStorage.getItem(UNITS_STORAGE_KEY));
  const siteSystem = site.data?.unitSystem;

  const choose = useCallback(
    (choice: UnitSystem) => {
      const override = overrideFor(choice, siteSystem);
      if (override === null) localStorage.removeItem(UNITS_STORAGE_KEY);
      else localStorage.setItem(UNITS_STORAGE_KEY, override);
      setStored(override);
    },
    [siteSystem],
  );
  const value = useMemo(
    () => ({ system: resolveUnitSystem(stored, siteSystem), site: site.data, choose }),
    [stored, siteSystem, site.data, choose],
  );
  return <UnitSystemContext value={value}>{children}</UnitSystemContext>;
}
