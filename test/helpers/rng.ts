// A small seeded PRNG (mulberry32) for test data: deterministic, no imports, so the LM
// kernel tests that compile their own module can use it without the built package.

/** Returns a function giving uniform numbers in [0, 1) from the 32-bit seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
