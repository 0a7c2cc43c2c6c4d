import { describe, expect, it } from 'vitest';
import { devInstance } from './helpers/dev-wasm.js';

// SIMD kernels of the context-mixing half against their scalar references
// (the LM kernels have their own tests in lm-kernels.test.ts).

async function instance() {
  return devInstance() as any;
}

describe('mixer kernels', () => {
  it('SIMD dot product and update give the same bits as the scalar reference, with and without the per-set boost, 12, 28, 32 or 36 inputs wide', async () => {
    const x = await instance();
    for (const vectors of [3, 7, 8, 9]) {
      for (const boost of [0, 1]) {
        for (const seed of [1, 2, 12345, 0xdeadbeef]) expect(x.mixerSelfTest(seed >>> 0, 20000, boost, vectors), `boost ${boost}, ${vectors} vectors, seed ${seed}`).toBe(0);
      }
    }
  });
});
