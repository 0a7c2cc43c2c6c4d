#!/usr/bin/env node
// Writes this build's decoder as decoder packs (src/decoders.ts), one per level:
//
//   node scripts/make-decoder-pack.mjs OUT_DIR   ->  OUT_DIR/kolmo-format-<id>/ for each level's model id
//
// Each directory is an npm package, ready for `npm publish`, that a later release finds when
// installed (or that a browser passes to registerDecoder()):
//   kolmo-pack.json   the manifest: pack version, format and predictor versions, level -> model id,
//                     the model file's length, CRC-32 and parts
//   kolmo.wasm        the release module (build/kolmo.wasm)
//   kolmo-model.bin   the level's model file: level 1: its prior; levels 2 and 3: the model bundle,
//                     then the level's prior (the parts of the package's generated/kolmo-model.bin)
//   package.json      name kolmo-format-<id>, the version of kolmo that wrote it
// The inputs are those of scripts/embed.mjs (build/kolmo.wasm, the models scripts/model.mjs names,
// models/kolmo-prior-l<level>.bin), and the ids are computed from them by the same function
// (scripts/model-id.mjs), so a pack's ids are those of its own contents. Run `npm run build:wasm`
// first after a change to assembly/.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { modelIdHex, predictorVersionOf } from './model-id.mjs';
import { MODEL_FILE, NGRAM_FILE, modelBundle } from './model.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2];
if (!out || out.startsWith('-')) {
  console.error('usage: node scripts/make-decoder-pack.mjs OUT_DIR');
  process.exit(2);
}

const PACK_VERSION = 1; // src/decoders.ts PACK_VERSION
const FORMAT_VERSION = Number(/export const FORMAT_VERSION = (\d+);/.exec(fs.readFileSync(path.join(root, 'src/format.ts'), 'utf8'))[1]);
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;

const wasm = fs.readFileSync(path.join(root, 'build/kolmo.wasm'));
const predictorVersion = await predictorVersionOf(wasm);
const bundle = fs.existsSync(MODEL_FILE) && fs.existsSync(NGRAM_FILE) ? modelBundle(MODEL_FILE, NGRAM_FILE) : null;

for (const level of bundle ? [1, 2, 3] : [1]) {
  const prior = fs.readFileSync(path.join(root, 'models', `kolmo-prior-l${level}.bin`));
  const id = modelIdHex(predictorVersion, level, bundle, prior);
  const parts = level >= 2 ? [bundle, prior] : [prior];
  const model = Buffer.concat(parts);
  const at = level >= 2 ? bundle.length : 0;
  const manifest = {
    kolmoDecoderPack: PACK_VERSION,
    formatVersion: FORMAT_VERSION,
    predictorVersion,
    levels: { [level]: id },
    model: { bytes: model.length, crc32: zlib.crc32(model), bundle: level >= 2 ? [0, bundle.length] : null, priors: { [level]: [at, prior.length] } },
  };
  const name = `kolmo-format-${id}`;
  const dir = path.join(out, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kolmo-pack.json'), JSON.stringify(manifest, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, 'kolmo.wasm'), wasm);
  fs.writeFileSync(path.join(dir, 'kolmo-model.bin'), model);
  const pkg = {
    name,
    version,
    description: `The kolmo ${version} decoder of level ${level}, model id ${id}: kolmo finds it when installed (src/decoders.ts)`,
    license: 'MIT',
    main: 'kolmo-pack.json',
    files: ['kolmo-pack.json', 'kolmo.wasm', 'kolmo-model.bin'],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  console.log(`${path.resolve(dir)}: level ${level}, model id ${id}, ${wasm.length + model.length} bytes`);
}
