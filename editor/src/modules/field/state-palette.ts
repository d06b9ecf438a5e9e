import type { AssetState } from './key-points';

/** Mantine palette names: running green, stopped or tripped red, shut in grey. */
export const STATE_COLOR: Record<AssetState, string> = {
  running: 'green',
  stopped: 'red',
  tripped: 'red',
  'shut-in': 'gray',
  unknown: 'yellow',
  none: 'blue',
};

export function paletteVar(color: string, shade: number): string {
  return `var(--mantine-color-${color}-${shade})`;
}

/** Diagonal hatching for an asset whose readings are bad. */
export const BAD_HATCH = `repeating-linear-gradient(135deg, ${paletteVar('red', 1)} 0 6px, ${paletteVar('red', 0)} 6px 12px)`;
