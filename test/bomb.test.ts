import { describe, expect, it } from 'vitest';
import { decodeWork } from '../src/engine.js';
import { MAGIC1, versionBits } from '../src/format.js';
import { decompress, decompressSync, FORMAT_VERSION, KolmoChecksumError, MAX_FRAME_SIZE } from '../src/index.js';
import { levelId } from '../src/assets.js';

// A short random payload that claims a huge raw length must be rejected once the
// decoder runs out of payload, not after decoding tens of megabytes of garbage. The bound is
// on the bytes the decoder produces (decodeWork), not on time, so a slow machine cannot fail
// it; vitest's per-test timeout catches a hang.

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function bomb(payloadLength: number, seed: number): Uint8Array {
  let s = seed;
  const payload = Array.from({ length: payloadLength }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24));
  // 'K', this version's letter, a single frame at level 1, its model id, raw length 64 MiB - 1, payload length, CRC, payload.
  return Uint8Array.from([0x4b, MAGIC1, versionBits(FORMAT_VERSION) | 1, ...levelId(1)!, ...varint(MAX_FRAME_SIZE - 1), ...varint(payloadLength), 1, 2, 3, 4, ...payload]);
}

describe('decompression bombs', () => {
  it('a random payload claiming 64 MiB fails fast with a typed error', async () => {
    for (const [len, seed] of [[16, 1], [200, 2], [3000, 3]]) {
      const frames = decodeWork.frames;
      const bytes = decodeWork.bytes;
      expect(() => decompressSync(bomb(len, seed))).toThrow(KolmoChecksumError);
      // threads: 1 decodes on this thread, where decodeWork counts it.
      await expect(decompress(bomb(len, seed), { threads: 1 })).rejects.toThrow(/payload ends before/);
      expect(decodeWork.frames - frames).toBe(2);
      // Garbage stops after a few KB of output, far below the 64 MiB claimed; 1 MiB a try leaves
      // room for another model or prior.
      expect(decodeWork.bytes - bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
    }
  });
});
