#!/usr/bin/env node
// Committed streams: test/fixtures/streams/l<level>-<name>.kz, made by the built package (dist/)
// at every level from the inputs of test/helpers/stream-fixtures.mjs (empty, one frame, several
// frames, a frame stored raw), listed with their model ids and the sha256 of stream and content
// in test/fixtures/streams/fixtures.json. test/fixtures.test.ts decodes them.
//
//   node scripts/fixtures.mjs            decode every fixture with dist/ (exit 1 on a difference)
//   node scripts/fixtures.mjs --update   rewrite them all (refuses a stale dist/)
//
// Until the 1.0 freeze, --update follows a change of model id or format version. From 1.0 on the
// fixtures are permanent: never regenerated, and a release that changes an id ships the
// decoder pack of the old one (CONTRIBUTING.md, "Old streams").
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureFile, fixtureInputs, FIXTURE_DIR } from '../test/helpers/stream-fixtures.mjs';
import { importDist } from './dist.mjs';

const update = process.argv.includes('--update');
const k = await importDist('fixtures', update);
const dir = fileURLToPath(FIXTURE_DIR);
const listPath = path.join(dir, 'fixtures.json');
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
const same = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const levels = k.modelName ? [1, 2, 3] : [1];

if (update) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.kz')) fs.rmSync(path.join(dir, f));
  const fixtures = [];
  for (const [name, { bytes, frameSize }] of Object.entries(fixtureInputs())) {
    for (const level of levels) {
      const c = k.compressSync(bytes, { level, ...(frameSize ? { frameSize } : {}) });
      if (!same(k.decompressSync(c), bytes)) throw new Error(`fixtures: ${name} level ${level} does not round-trip`);
      const i = k.info(c);
      if (name === 'stored-raw' && !i.frames.every((f) => f.stored)) throw new Error(`fixtures: ${name} level ${level} is not stored raw`);
      if (frameSize && i.frames.length < 3) throw new Error(`fixtures: ${name} level ${level} has ${i.frames.length} frames`);
      const file = fixtureFile(name, level);
      fs.writeFileSync(path.join(dir, file), c);
      fixtures.push({ file, name, level, ...(frameSize ? { frameSize } : {}), formatVersion: k.FORMAT_VERSION, modelId: k.levelIdsHex[level], frames: i.frames.length, length: c.length, sha256: sha256(c), contentLength: bytes.length, contentSha256: sha256(bytes) });
    }
  }
  const doc = {
    comment:
      'Written by `node scripts/fixtures.mjs --update` from dist/; contents: test/helpers/stream-fixtures.mjs. ' +
      'Decoded by test/fixtures.test.ts. The format is not frozen yet: until 1.0 these are regenerated when a model id or the format version changes; from 1.0 on, never.',
    fixtures,
  };
  fs.writeFileSync(listPath, JSON.stringify(doc, null, 2) + '\n');
  console.log(`fixtures: wrote ${fixtures.length} streams (format version ${k.FORMAT_VERSION}, levels ${levels.join(', ')}) to ${path.relative(process.cwd(), dir)}`);
  process.exit(0);
}

const inputs = fixtureInputs();
let diffs = 0;
for (const f of JSON.parse(fs.readFileSync(listPath, 'utf8')).fixtures) {
  const c = fs.readFileSync(path.join(dir, f.file));
  try {
    if (!same(k.decompressSync(c), inputs[f.name].bytes)) throw new Error('decodes to other bytes');
  } catch (e) {
    console.log(`${f.file} (level ${f.level}, model id ${f.modelId}): ${e.message}`);
    diffs++;
  }
}
console.log(diffs ? `fixtures: ${diffs} fixture(s) do not decode with dist/` : 'fixtures: every fixture decodes with dist/');
process.exit(diffs ? 1 : 0);
