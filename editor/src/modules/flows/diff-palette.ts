import type { CSSProperties } from 'react';
import type { DiffStatus, WireStatus } from './diff-graph';

/** Mantine palette names; Mantine's yellow is the amber used for changes. */
export const STATUS_COLOR: Record<DiffStatus, string> = {
  added: 'green',
  removed: 'red',
  changed: 'yellow',
  unchanged: 'gray',
};

export function paletteVar(color: string, shade: number): string {
  return `var(--mantine-color-${color}-${shade})`;
}

const WIRE_STYLE: Record<WireStatus, CSSProperties> = {
  added: { stroke: paletteVar('green', 6), strokeWidth: 2 },
  removed: { stroke: paletteVar('red', 6), strokeWidth: 2, strokeDasharray: '6 4' },
  rewired: { stroke: paletteVar('orange', 6), strokeWidth: 3 },
  unchanged: { stroke: paletteVar('gray', 5), strokeWidth: 1.5 },
};

export function wireStyle(status: WireStatus): CSSProperties {
  return WIRE_STYLE[status];
}
