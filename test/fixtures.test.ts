// Committed streams (test/fixtures/streams/, written by `node scripts/fixtures.mjs --update`):
// every level, empty, one frame, several frames, a frame stored raw. Each must decode byte-exact
// to its content (test/helpers/stream-fixtures.mjs, pinned by sha256).
//
// THE FORMAT IS NOT FROZEN YET. Until 1.0 the fixtures are regenerated when a model id or the
// format version changes, so a fixture may name a model id this build does not have. Such a
// fixture is decoded through a decoder pack when one is registered or installed
// (kolmo-format-<id>, src/decoders.ts); without one, the test checks that the refusal names the
// package to install. From 1.0 on the fixtures are permanent: never regenerated, and every one of
// them must decode (a release that changes an id ships the old decoder as a pack).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasDecoder } from '../src/decoders.js';
import { decompress, decompressSync, FORMAT_VERSION, KolmoFormatError, KolmoModelMismatchError, levelIdsHex } from '../src/index.js';
import { fixtureInputs, FIXTURE_DIR } from './helpers/stream-fixtures.mjs';

interface Fixture {
  file: string;
  name: string;
  level: number;
  formatVersion: number;
  modelId: string;
  frames: number;
  sha256: string;
  contentLength: number;
  contentSha256: string;
}

const { fixtures } = JSON.parse(fs.readFileSync(new URL('fixtures.json', FIXTURE_DIR), 'utf8')) as { fixtures: Fixture[] };
const inputs = fixtureInputs();
const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

describe('committed streams (format not frozen: fixtures of other ids decode through a pack, or must name it)', () => {
  it('cover every level of this build, each kind of input', () => {
    for (const level of Object.keys(levelIdsHex).map(Number)) {
      expect(fixtures.filter((f) => f.level === level).map((f) => f.name).sort()).toEqual(Object.keys(inputs).sort());
    }
  });

  for (const f of fixtures) {
    const stream = new Uint8Array(fs.readFileSync(new URL(f.file, FIXTURE_DIR)));
    const content = inputs[f.name]?.bytes;
    const how =
      f.formatVersion !== FORMAT_VERSION
        ? `format version ${f.formatVersion}: refused by this version-${FORMAT_VERSION} build`
        : hasDecoder(f.level, f.modelId)
          ? `decodes byte-exact${levelIdsHex[f.level] === f.modelId ? '' : ' through a decoder pack'}`
          : `no decoder here: the error names kolmo-format-${f.modelId}`;
    it(`${f.file} (level ${f.level}, model id ${f.modelId}, ${f.frames} frame(s)): ${how}`, async () => {
      expect(sha256(stream), 'the committed stream changed').toBe(f.sha256);
      expect(content, `no input named ${f.name}`).toBeDefined();
      expect([content.length, sha256(content)], 'the content generator changed').toEqual([f.contentLength, f.contentSha256]);
      if (f.formatVersion !== FORMAT_VERSION) {
        expect(() => decompressSync(stream)).toThrow(KolmoFormatError);
      } else if (hasDecoder(f.level, f.modelId)) {
        expect(decompressSync(stream)).toEqual(content);
        expect(await decompress(stream, { threads: 2 })).toEqual(content);
      } else {
        expect(() => decompressSync(stream)).toThrow(KolmoModelMismatchError);
        expect(() => decompressSync(stream)).toThrow(`npm install kolmo-format-${f.modelId}`);
      }
    });
  }
});
