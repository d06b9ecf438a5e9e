import type { AssetState, LiveState } from './key-points';

/** Mantine palette names: running green, stopped or tripped red, shut in grey. */
export const STATE_COLOR: Record<AssetState, string> = {
  running: 'green',
  stopped: 'red',
  tripped: 'red',
  'shut-in': 'gray',
  suspended: 'gray',
  abandoned: 'dark',
  unknown: 'yellow',
  none: 'blue',
};

/**
 * The translation key of a state. States the register also has (shut in,
 * suspended, abandoned) use the assets screens' words, so a shut-in well reads
 * the same on both.
 */
export function stateLabelKey(
  state: Exclude<AssetState, 'none'>,
): `assets.status.${'shut_in' | 'suspended' | 'abandoned'}` | `field.state.${Exclude<LiveState, 'shut-in' | 'none'>}` {
  switch (state) {
    case 'shut-in':
      return 'assets.status.shut_in';
    case 'suspended':
    case 'abandoned':
      return `assets.status.${state}`;
    default:
      return `field.state.${state}`;
  }
}

export function paletteVar(color: string, shade: number): string {
  return `var(--mantine-color-${color}-${shade})`;
}

/** Diagonal hatching for an asset whose readings are bad. */
export const BAD_HATCH = `repeating-linear-gradient(135deg, ${paletteVar('red', 1)} 0 6px, ${paletteVar('red', 0)} 6px 12px)`;
