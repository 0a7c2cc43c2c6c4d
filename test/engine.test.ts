// The per-thread engine (src/engine.ts): its WebAssembly memory only grows, so a bigger job
// gets a fresh instance. Memory stays bounded by the largest job, not the sum of all sizes
// seen, and a rejected input does not break the calls after it.
import { describe, expect, it } from 'vitest';
import { embeddedPriors, modelAssetsSync, wasmModuleSync } from '../src/assets.js';
import { Engine } from '../src/engine.js';
import { KolmoMemoryError, measure } from '../src/index.js';
import { PARAGRAPH } from './helpers/util.js';

const newEngine = () => new Engine(wasmModuleSync(), modelAssetsSync, embeddedPriors());
// A payload that cannot hold the frame it claims: decoding stops at once (a reason), after the
// engine has set up buffers for the claimed size, as a damaged stream makes it do.
const damaged = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

describe('engine memory', () => {
  it('growing frame sizes end with the memory of the largest alone', () => {
    const grown = newEngine();
    for (let n = 1 << 16; n <= 1 << 20; n += 1 << 16) expect(grown.decompressFrame(1, damaged, n)).toBeTypeOf('string');
    const largestOnly = newEngine();
    expect(largestOnly.decompressFrame(1, damaged, 1 << 20)).toBeTypeOf('string');
    expect(grown.memoryBytes()).toBe(largestOnly.memoryBytes());
    // and it still codes: a frame after all that round-trips
    const raw = new TextEncoder().encode(PARAGRAPH.repeat(4));
    const payload = grown.compressFrame(1, raw)!;
    expect(Buffer.from(grown.decompressFrame(1, payload, raw.length)!).equals(Buffer.from(raw))).toBe(true);
  });

  it('an input too big to measure is refused as out of memory, and measure works after it', () => {
    expect(() => measure(new Uint8Array(81 << 20), { level: 1 })).toThrow(KolmoMemoryError);
    const m = measure(PARAGRAPH, { level: 1 });
    expect(m.bits.length).toBe(new TextEncoder().encode(PARAGRAPH).length);
    expect(m.bitsPerByte).toBeGreaterThan(0);
  });

});
