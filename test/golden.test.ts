// Golden vectors: fixed inputs whose compressed bytes and model ids are pinned (sha256) in
// test/golden.json. A change that alters the bytes must change the level's model id (bump
// PREDICTOR_VERSION, or a new model or prior) or FORMAT_VERSION, then regenerate:
// `npm run build && node scripts/golden.mjs --update`.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import golden from './golden.json';
import { compress, compressSync, decompressSync, FORMAT_VERSION, info, levelIdsHex } from '../src/index.js';
import { goldenInputs } from './helpers/vectors.mjs';
import { HAS_MODEL, NO_MODEL_REASON } from './helpers/util.js';

interface Vector {
  name: string;
  level: number;
  frameSize?: number;
  modelId: string;
  inputLength: number;
  inputSha256: string;
  length: number;
  sha256: string;
}

const REGEN = 'regenerate with `npm run build && node scripts/golden.mjs --update`';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const inputs = goldenInputs();
const vectors = golden.vectors as Vector[];

describe('golden vectors', () => {
  it('test/golden.json was generated for this format version', () => {
    expect(
      golden.formatVersion,
      `FORMAT_VERSION is ${FORMAT_VERSION} but test/golden.json pins version ${golden.formatVersion}: ${REGEN}`,
    ).toBe(FORMAT_VERSION);
  });

  it('every input is pinned at every level this build supports, and nothing else', () => {
    const levels = HAS_MODEL ? [1, 2, 3] : [1];
    const want = Object.keys(inputs).flatMap((n) => levels.map((l) => `${n} level ${l}`)).sort();
    const have = vectors.filter((v) => HAS_MODEL || v.level === 1).map((v) => `${v.name} level ${v.level}`).sort();
    expect(have, `test/golden.json does not cover this build's inputs/levels: ${REGEN}`).toEqual(want);
    expect(vectors.length).toBeGreaterThanOrEqual(7);
  });

  for (const v of vectors) {
    const label = `${v.name}, level ${v.level}${v.frameSize ? `, frames of ${v.frameSize}` : ''}`;
    const skip = v.level >= 2 && !HAS_MODEL;
    it.skipIf(skip)(skip ? `${label} — ${NO_MODEL_REASON}` : label, async () => {
      const input = inputs[v.name];
      expect(input, `input ${v.name} is gone from test/helpers/vectors.mjs: ${REGEN}`).toBeDefined();
      expect(sha256(input.bytes), `the generator of input ${v.name} changed: ${REGEN}`).toBe(v.inputSha256);
      expect(input.bytes.length).toBe(v.inputLength);
      expect(levelIdsHex[v.level], `level ${v.level}'s model id changed (${v.modelId} -> ${levelIdsHex[v.level]}): a new predictor version, model or prior; ${REGEN}`).toBe(v.modelId);
      const opts = { level: v.level, ...(v.frameSize ? { frameSize: v.frameSize } : {}) };
      const c = compressSync(input.bytes, opts);
      const msg =
        `compressed bytes of ${label} changed (${v.length} B -> ${c.length} B). Existing .kz files may no longer ` +
        `decode, yet the model id did not change: bump PREDICTOR_VERSION in assembly/predictor.ts (or FORMAT_VERSION in src/format.ts for a container change); then ${REGEN}`;
      expect({ length: c.length, sha256: sha256(c) }, msg).toEqual({ length: v.length, sha256: v.sha256 });
      // The pinned stream is the one every entry point writes, and it decodes.
      expect(sha256(await compress(input.bytes, { ...opts, threads: 2 }))).toBe(v.sha256);
      expect(8 * (0x5a - c[1]) + (c[2] >> 5), "the version: 8 × ('Z' − byte 1) + the descriptor's bits 7..5").toBe(golden.formatVersion);
      expect(info(c).formatVersion).toBe(golden.formatVersion);
      expect(info(c).modelId).toBe(v.modelId);
      expect(decompressSync(c)).toEqual(input.bytes);
    });
  }
});
