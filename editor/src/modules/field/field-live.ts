import { createContext, useContext } from 'react';
import { tagPath } from '../../api/field';
import type { LiveValue, LiveValues } from '../../live/live-protocol';

interface FieldLive {
  siteId: string;
  values: LiveValues;
}

/**
 * Live values reach the diagram's nodes through context so the node list
 * itself stays the same object and the diagram does not re-lay out at 2 Hz.
 */
export const FieldLiveContext = createContext<FieldLive>({ siteId: '', values: new Map() });

export function usePointValue(): (assetId: string, point: string) => LiveValue | undefined {
  const { siteId, values } = useContext(FieldLiveContext);
  return (assetId, point) => values.get(tagPath(siteId, assetId, point));
}
