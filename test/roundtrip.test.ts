// Round-trip properties of the whole-buffer API (fast-check): every input comes back
// byte for byte, at every level this build has, and the bytes never depend on threads,
// on the sync/async entry point, or on the input's type.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compress,
  compressSync,
  decompress,
  decompressSync,
  info,
  KolmoFormatError,
  measure,
  sampleBytes,
} from '../src/index.js';
import { HAS_MODEL, lcgBytes, LEVELS, NO_MODEL_REASON, PARAGRAPH } from './helpers/util.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Inputs that stress the coder and the framing: empties, runs, noise, text, mixtures. */
const bytesArb = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 600 }) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 2000 })).map(([b, n]) => new Uint8Array(n).fill(b)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 60 }))
      .map(([unit, reps]) => {
        const out = new Uint8Array(unit.length * reps);
        for (let i = 0; i < reps; i++) out.set(unit, i * unit.length);
        return out;
      }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.integer(), fc.integer({ min: 0, max: 1500 })).map(([s, n]) => lcgBytes(s, n)) },
);

/** fast-check cases per property and level: arbitrary bytes, threads 1 vs 2, Unicode strings. */
const RUNS: Record<number, { bytes: number; threads: number; unicode: number }> = {
  1: { bytes: 100, threads: 20, unicode: 60 },
  2: { bytes: 100, threads: 20, unicode: 60 },
  3: { bytes: 30, threads: 6, unicode: 20 },
};

describe('round trip (level-independent framing)', () => {
  it('empty and one-byte inputs', async () => {
    for (const level of LEVELS) {
      for (const input of [new Uint8Array(0), Uint8Array.of(0), Uint8Array.of(255)]) {
        const c = await compress(input, { level, threads: 1 });
        expect(await decompress(c, { threads: 1 })).toEqual(input);
        expect(decompressSync(c)).toEqual(input);
        expect(compressSync(input, { level })).toEqual(c);
      }
    }
  });

  it.skipIf(HAS_MODEL)(`levels 2, 3: ${NO_MODEL_REASON} — they must be refused with a RangeError`, async () => {
    for (const level of [2, 3]) {
      await expect(compress('x', { level })).rejects.toBeInstanceOf(RangeError);
      expect(() => compressSync('x', { level })).toThrow(/model/);
    }
  });

  it('rejects invalid options with RangeError', async () => {
    await expect(compress('x', { level: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(compress('x', { level: 4 })).rejects.toBeInstanceOf(RangeError);
    await expect(compress('x', { frameSize: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(compress('x', { frameSize: 64 * 1024 * 1024 + 1 })).rejects.toBeInstanceOf(RangeError);
    await expect(compress('x', { frameSize: 1.5 })).rejects.toBeInstanceOf(RangeError);
    await expect(compress('x', { threads: 0 })).rejects.toBeInstanceOf(RangeError);
    expect(() => compressSync(42 as unknown as string)).toThrow(TypeError);
  });

  it('decompress rejects non-streams with KolmoFormatError', async () => {
    await expect(decompress(new Uint8Array(0))).rejects.toBeInstanceOf(KolmoFormatError);
    await expect(decompress(enc.encode('hello world'))).rejects.toThrow(/bad magic at byte 0/);
    expect(() => decompressSync(Uint8Array.of(0x4b, 0x5a))).toThrow(KolmoFormatError);
  });
});

for (const level of LEVELS) {
  // Cases per property. The inputs are small (at most 2 KB), so level 2 (the n-gram, ~260 KB
  // per CPU-second) affords as many cases as level 1; level 3 (the LSTM) is ~4x slower again and
  // runs fewer. The larger inputs shrink with the level.
  const runs = RUNS[level];
  const big = level === 1 ? 1 : level === 2 ? 0.3 : 0.1;
  describe(`level ${level}`, () => {
    it('arbitrary bytes round-trip; sync == async; frame sizes around the input length', async () => {
      await fc.assert(
        fc.asyncProperty(bytesArb, fc.integer({ min: 1, max: 700 }), async (input, frameSize) => {
          const c = compressSync(input, { level, frameSize });
          expect(decompressSync(c)).toEqual(input);
          expect(await decompress(c, { threads: 1 })).toEqual(input);
          const i = info(c);
          expect(i.rawLength).toBe(input.length);
          expect(i.level).toBe(level);
          expect(i.multiFrame).toBe(input.length > frameSize);
          if (i.multiFrame) expect(i.frames.length).toBe(Math.ceil(input.length / frameSize));
        }),
        { numRuns: runs.bytes, seed: 0x6b6f6c6d },
      );
    });

    it('input lengths exactly at, below and above frame boundaries', async () => {
      const frameSize = 64;
      const base = enc.encode(PARAGRAPH.repeat(3));
      for (const n of [0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 64 * 5, 64 * 5 + 1]) {
        const input = base.subarray(0, n);
        const c = compressSync(input, { level, frameSize });
        const i = info(c);
        expect(i.multiFrame, `n=${n}`).toBe(n > frameSize);
        if (n > frameSize) {
          expect(i.frames.map((f) => f.rawLength)).toEqual(
            Array.from({ length: Math.ceil(n / frameSize) }, (_, k) => Math.min(frameSize, n - k * frameSize)),
          );
        }
        expect(decompressSync(c), `n=${n}`).toEqual(input);
      }
    });

    it('threads 1 and 2 give byte-identical output and both decode', async () => {
      await fc.assert(
        fc.asyncProperty(bytesArb, fc.constantFrom(64, 200, 4096), async (input, frameSize) => {
          const c1 = await compress(input, { level, frameSize, threads: 1 });
          const c2 = await compress(input, { level, frameSize, threads: 2 });
          expect(c2).toEqual(c1);
          expect(compressSync(input, { level, frameSize })).toEqual(c1);
          expect(await decompress(c1, { threads: 2 })).toEqual(input);
        }),
        { numRuns: runs.threads, seed: 42 },
      );
    });

    it('arbitrary Unicode strings (full code-point range and binary strings)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
          async (s) => {
            const c = await compress(s, { level, threads: 1, frameSize: 128 });
            expect(c).toEqual(compressSync(enc.encode(s), { level, frameSize: 128 }));
            // TextEncoder replaces lone surrogates with U+FFFD; everything else comes back exactly.
            expect(dec.decode(decompressSync(c))).toBe(dec.decode(enc.encode(s)));
            if (!/\p{Cs}/u.test(s)) expect(dec.decode(decompressSync(c))).toBe(s);
          },
        ),
        { numRuns: runs.unicode, seed: 7 },
      );
    });

    it('ArrayBuffer, Buffer (pooled, non-zero byteOffset) and string inputs give the same stream', async () => {
      const text = 'kolmo ' + PARAGRAPH.slice(0, 200);
      const bytes = enc.encode(text);
      const ref = compressSync(bytes, { level, frameSize: 64 });
      const ab = bytes.slice().buffer;
      expect(await compress(ab, { level, frameSize: 64, threads: 2 })).toEqual(ref);
      expect(compressSync(ab, { level, frameSize: 64 })).toEqual(ref);
      expect(await compress(text, { level, frameSize: 64, threads: 2 })).toEqual(ref);
      // Buffer.from(string) of a short string lives inside Node's shared 8 KiB pool.
      const buf = Buffer.from(text);
      expect(buf.byteOffset !== 0 || buf.buffer.byteLength !== buf.length).toBe(true);
      expect(await compress(buf, { level, frameSize: 64, threads: 2 })).toEqual(ref);
      expect(compressSync(buf, { level, frameSize: 64 })).toEqual(ref);
      // A view into the middle of a larger buffer.
      const big = new Uint8Array(bytes.length + 100).fill(0xee);
      big.set(bytes, 50);
      expect(await compress(big.subarray(50, 50 + bytes.length), { level, frameSize: 64, threads: 2 })).toEqual(ref);
      // decompress takes ArrayBuffers and offset views too.
      expect(await decompress(ref.slice().buffer, { threads: 2 })).toEqual(bytes);
      const shifted = new Uint8Array(ref.length + 7);
      shifted.set(ref, 7);
      expect(decompressSync(shifted.subarray(7))).toEqual(bytes);
      expect(await decompress(shifted.subarray(7), { threads: 2 })).toEqual(bytes);
    });

    it('larger inputs: long repeats and noise, a few hundred KB, multi-frame', async () => {
      const repeat = enc.encode(PARAGRAPH.repeat(Math.round(700 * big))); // ~280 KB at level 1
      const noise = lcgBytes(99, Math.round(120_000 * big));
      for (const [name, input, frameSize] of [
        ['repeat', repeat, Math.round(65536 * big)],
        ['noise', noise, Math.round(32768 * big)],
      ] as const) {
        const c = await compress(input, { level, frameSize, threads: 2 });
        const i = info(c);
        expect(i.frames.length, name).toBe(Math.ceil(input.length / frameSize));
        if (name === 'repeat') expect(c.length).toBeLessThan(input.length / (level === 1 ? 50 : 10));
        // Incompressible noise must not grow by more than the framing.
        if (name === 'noise') expect(c.length).toBeLessThanOrEqual(input.length + 16 + i.frames.length * 20 + 32);
        expect(await decompress(c, { threads: 2 }), name).toEqual(input);
      }
    });

    it('no state leaks between frames or calls: the same input always gives the same bytes', () => {
      const x = enc.encode(PARAGRAPH.slice(0, 300));
      const first = compressSync(x, { level });
      // Code unrelated data (bigger frames, other contents), then x again.
      compressSync(lcgBytes(5, 9000), { level });
      decompressSync(compressSync(enc.encode(PARAGRAPH.repeat(10)), { level, frameSize: 1000 }));
      expect(compressSync(x, { level })).toEqual(first);
      // Inside one stream too: identical frames code to identical records.
      const twice = compressSync(new Uint8Array([...x.subarray(0, 128), ...x.subarray(0, 128)]), { level, frameSize: 128 });
      const frames = info(twice).frames;
      const rec = (k: number) => twice.subarray(frames[k].offset, frames[k].offset + frames[k].compressedLength);
      expect(rec(1)).toEqual(rec(0));
    });

    it('onProgress reports monotone progress up to the total', async () => {
      const input = enc.encode(PARAGRAPH.repeat(4));
      const seen: number[] = [];
      const c = await compress(input, { level, frameSize: 256, threads: 1, onProgress: (p) => {
        expect(p.totalIn).toBe(input.length);
        seen.push(p.bytesIn);
      } });
      expect(seen.length).toBe(Math.ceil(input.length / 256));
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1)).toBe(input.length);
      const out: number[] = [];
      await decompress(c, { threads: 1, onProgress: (p) => out.push(p.bytesOut) });
      expect(out.at(-1)).toBe(input.length);
    });
  });
}

describe('a frame does not depend on what the instance coded before', () => {
  it('the same input codes to the same bytes after frames of other levels, sampling and measuring', async () => {
    const x = enc.encode(PARAGRAPH.repeat(3));
    const y = lcgBytes(99, 700);
    const before = LEVELS.map((level) => compressSync(x, { level }));
    // Interleave: every level on other data, then (with a model) the sampler and measure, which
    // share this thread's instance; level 1 uses fewer contexts than level 2, so stale
    // level-2 state would show here.
    for (const level of [...LEVELS].reverse()) compressSync(y, { level });
    if (HAS_MODEL) {
      for await (const _ of sampleBytes({ prompt: 'The ', maxBytes: 40, seed: 5 })) { /* discard */ }
      measure(y, { level: 2 });
    }
    LEVELS.forEach((level, i) => expect(compressSync(x, { level }), `level ${level}`).toEqual(before[i]));
    // and a worker's fresh instance agrees
    for (const [i, level] of LEVELS.entries()) expect(await compress(x, { level, threads: 2 })).toEqual(before[i]);
  });
});
