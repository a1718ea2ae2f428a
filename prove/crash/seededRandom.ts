/** A seeded source of numbers in [0, 1) (mulberry32): the same seed repeats the same campaign's choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max). */
export const between = (random: () => number, min: number, max: number): number =>
  min + Math.floor(random() * (max - min));
