/**
 * A small seeded PRNG (mulberry32): the simulator must replay the same field
 * for the same seed so tests and demos are repeatable, which Math.random cannot.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  range(min: number, max: number): number;
  /** Approximately normal, mean 0 and standard deviation 1 (Irwin-Hall of 4 draws, bounded to about ±3.5). */
  gaussian(): number;
}

export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    // Sum of 4 uniforms has variance 4/12; scale to unit variance. Bounded tails keep noisy values from going absurd.
    gaussian: () => (next() + next() + next() + next() - 2) * Math.sqrt(3),
  };
}
