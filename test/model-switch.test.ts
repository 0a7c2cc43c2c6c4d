// The model switch: streams made by one release still decode after the default model changes,
// through the decoder pack of the first release.
//
// "Release A" is this build as it is. `scripts/make-decoder-pack.mjs` writes its packs. "Release
// B" is the same package imported again with other own model ids (as if its priors had changed):
// its own levels no longer match A's streams, so only the pack lookup (src/decoders.ts) can
// decode them: registered with registerDecoder(), or installed as node_modules/kolmo-format-<id>.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as A from '../src/index.js';
import { jsonDocument, PARAGRAPH } from './helpers/vectors.mjs';
import { pipeChunks } from './helpers/util.js';

type Kolmo = typeof A;
const enc = new TextEncoder();
const LEVELS = Object.keys(A.levelIdsHex).map(Number);
/** B's own ids: A's with the last digit replaced, so every level differs. */
const B_IDS = Object.fromEntries(LEVELS.map((l) => [l, `${A.levelIdsHex[l].slice(0, 7)}${A.levelIdsHex[l].endsWith('f') ? 'e' : 'f'}`]));

type Generated = typeof import('../src/generated/model.js');

/** The package imported afresh with B's priors and ids (its own registry, pool and engines). */
async function releaseB(): Promise<Kolmo> {
  vi.resetModules();
  vi.doMock('../src/generated/model.js', async (original) => {
    const m = await original<Generated>();
    const prior1 = Buffer.from(m.level1PriorBase64, 'base64');
    for (let i = 64; i < prior1.length; i += 7) prior1[i] ^= 1;
    const file = m.modelFile && { ...m.modelFile, priors: { 2: m.modelFile.priors[3], 3: m.modelFile.priors[2] } };
    return { ...m, levelIdsHex: B_IDS, level1PriorBase64: prior1.toString('base64'), modelFile: file };
  });
  return (await import('../src/index.js')) as Kolmo;
}

/** A pack directory's files, as a browser would pass them to registerDecoder(). */
function readPack(dir: string): A.DecoderPack {
  const f = (n: string) => new Uint8Array(fs.readFileSync(path.join(dir, n)));
  return { manifest: fs.readFileSync(path.join(dir, 'kolmo-pack.json'), 'utf8'), wasm: f('kolmo.wasm'), model: f('kolmo-model.bin') };
}

const text = enc.encode(PARAGRAPH.repeat(3));
const json = enc.encode(jsonDocument());
let packs: string;
const streams: Record<number, { single: Uint8Array; multi: Uint8Array }> = {};

beforeAll(() => {
  packs = fs.mkdtempSync(path.join(os.tmpdir(), 'kolmo-packs-'));
  execFileSync(process.execPath, ['scripts/make-decoder-pack.mjs', packs]);
  for (const level of LEVELS) {
    streams[level] = { single: A.compressSync(text, { level }), multi: A.compressSync(json, { level, frameSize: 512 }) };
  }
});
afterAll(() => {
  vi.doUnmock('../src/generated/model.js');
  fs.rmSync(packs, { recursive: true, force: true });
});

describe('a stream of release A after the switch to release B', () => {
  it("make-decoder-pack writes one pack per level, named by this build's model id", () => {
    expect(fs.readdirSync(packs).sort()).toEqual(LEVELS.map((l) => `kolmo-format-${A.levelIdsHex[l]}`).sort());
  });

  it("B has other priors and ids: it codes its own streams, other bytes than A's, and A refuses them naming B's pack", async () => {
    const B = await releaseB();
    for (const level of LEVELS) {
      expect(B.levelIdsHex[level]).not.toBe(A.levelIdsHex[level]);
      const b = B.compressSync(text, { level });
      expect(b.subarray(7), `level ${level}: B's payload must differ from A's`).not.toEqual(streams[level].single.subarray(7));
      expect(B.decompressSync(b)).toEqual(text);
      expect(() => A.decompressSync(b)).toThrow(`npm install kolmo-format-${B_IDS[level]}`);
    }
  });

  it('without a pack, B refuses A\'s streams, naming the package to install (every API)', async () => {
    const B = await releaseB();
    for (const level of LEVELS) {
      const { single, multi } = streams[level];
      const wanted = `npm install kolmo-format-${A.levelIdsHex[level]}`;
      expect(() => B.decompressSync(single)).toThrow(B.KolmoModelMismatchError);
      expect(() => B.decompressSync(single)).toThrow(wanted);
      await expect(B.decompress(multi, { threads: 2 })).rejects.toThrow(wanted);
      await expect(pipeChunks(multi, [100], B.createDecompressStream())).rejects.toThrow(wanted);
      await expect(B.decompressRange(multi, { start: 0, end: 10 })).rejects.toThrow(wanted);
    }
  });

  it("with A's packs registered, B decodes A's streams byte-exact: sync, async, 2 worker threads, the stream, a range", async () => {
    const B = await releaseB();
    for (const level of LEVELS) {
      expect(B.registerDecoder(readPack(path.join(packs, `kolmo-format-${A.levelIdsHex[level]}`)))).toEqual([`${level}:${A.levelIdsHex[level]}`]);
      const { single, multi } = streams[level];
      expect(B.decompressSync(single)).toEqual(text);
      expect(await B.decompress(single, { threads: 1 })).toEqual(text);
      expect(await B.decompress(multi, { threads: 2 })).toEqual(json);
      expect(await pipeChunks(multi, [100], B.createDecompressStream({ threads: 2 }))).toEqual(json);
      expect(await B.decompressRange(multi, { start: 1000, end: 3000, threads: 2 })).toEqual(json.subarray(1000, 3000));
      // B's own streams of the level still decode with its own model, beside the pack.
      expect(B.decompressSync(B.compressSync(json, { level, frameSize: 512 }))).toEqual(json);
      // A member of each in one stream: each member decodes with its own decoder.
      expect(B.decompressSync(new Uint8Array([...single, ...B.compressSync(json, { level })]))).toEqual(new Uint8Array([...text, ...json]));
    }
  });

  it("with A's packs installed as node_modules/kolmo-format-<id>, B finds them by itself", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'kolmo-project-'));
    const cwd = process.cwd();
    try {
      fs.cpSync(packs, path.join(project, 'node_modules'), { recursive: true });
      const B = await releaseB();
      process.chdir(project); // found from the working directory (this package's own node_modules has none)
      for (const level of LEVELS) {
        expect(B.decompressSync(streams[level].single)).toEqual(text);
        expect(await B.decompress(streams[level].multi, { threads: 2 })).toEqual(json);
      }
    } finally {
      process.chdir(cwd);
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('a pack whose model file does not match its manifest is refused', async () => {
    const B = await releaseB();
    const pack = readPack(path.join(packs, `kolmo-format-${A.levelIdsHex[1]}`));
    const model = (pack.model as Uint8Array).slice();
    model[0] ^= 1;
    expect(() => B.registerDecoder({ ...pack, model })).toThrow(B.KolmoModelMismatchError);
    expect(() => B.registerDecoder({ ...pack, manifest: '{"kolmoDecoderPack":99}' })).toThrow(/pack version 99/);
  });
});
