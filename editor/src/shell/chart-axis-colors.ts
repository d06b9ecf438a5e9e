/**
 * Axis and grid colours of every uPlot chart, readable on the light and the
 * dark colour scheme (Mantine's gray scale), so charts on different screens
 * look alike.
 */
export function chartAxisColors(scheme: 'light' | 'dark'): { axisStroke: string; grid: { stroke: string; width: number } } {
  const dark = scheme === 'dark';
  return { axisStroke: dark ? '#c1c2c5' : '#495057', grid: { stroke: dark ? '#373a40' : '#e9ecef', width: 1 } };
}
