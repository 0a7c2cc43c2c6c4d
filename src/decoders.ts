import { levelIdsHex, selfUrl } from './assets.js';
import { crc32 } from './crc32.js';
import { Engine, type ModelAssets } from './engine.js';
import { KolmoModelMismatchError } from './errors.js';
import { MAX_LEVEL, modelIdHex, type Header } from './format.js';

// The decoders of model ids this build does not write: "decoder packs".
//
// A stream's header names the predictor, model and prior of its level by a 4-byte model id
// (docs/format.md, "Model id"). A release's decoder for an id is its release WebAssembly module
// plus its model file; a pack holds exactly that, so a later release can keep an earlier one
// whole. The package looks for the decoder of a (level, id) in this order:
//   1. this build's own levels (levelIdsHex): the embedded module and model file;
//   2. packs given to registerDecoder() (the only way in browsers);
//   3. Node and Bun: an installed package `kolmo-format-<id>` (a pack directory, written by
//      scripts/make-decoder-pack.mjs), found from this package's location, then from the working
//      directory, read from disk the first time a stream needs it (synchronously, so
//      decompressSync() finds it too).
// None found: KolmoModelMismatchError, naming the package to install.
//
// A pack's frames are decoded by an Engine (engine.ts) over the pack's module and assets, on this
// thread (runner.ts) or in the worker pool (pool.ts sends the pack to a worker before its first
// frame). The container is always parsed by this build: a pack only decodes payloads. So the
// pack contract is the release module's exports that Engine calls (assembly/index.ts), named by
// PACK_VERSION; a release that changes them must still drive packs of the earlier version.

/** The version of the pack layout and of the module exports Engine calls. */
export const PACK_VERSION = 1;

/** The files of a pack directory (an npm package `kolmo-format-<id>`). */
export const PACK_FILES = { manifest: 'kolmo-pack.json', wasm: 'kolmo.wasm', model: 'kolmo-model.bin' } as const;

/** A pack's kolmo-pack.json (docs/format.md, "Decoder packs"). */
export interface PackManifest {
  kolmoDecoderPack: number;
  formatVersion: number;
  predictorVersion: number;
  /** level -> model id (8 hex digits) */
  levels: Record<string, string>;
  /** The model file: length, CRC-32, [offset, length] of the bundle (null: level 1 only) and of each level's prior. */
  model: { bytes: number; crc32: number; bundle: [number, number] | null; priors: Record<string, [number, number]> };
}

/** What registerDecoder() takes: a pack's three files (the manifest parsed or as JSON text). */
export interface DecoderPack {
  manifest: PackManifest | string;
  wasm: Uint8Array | ArrayBuffer;
  model: Uint8Array | ArrayBuffer;
}

/** A registered pack: its module (compiled on first use) and assets, by key (its ids). */
export interface PackDecoder {
  key: string;
  manifest: PackManifest;
  /** Priors every instance starts with (level 1's, if the pack has level 1). */
  priors: Record<number, Uint8Array>;
  /** The bundle and the priors of levels 2 and 3 (null: the pack has neither). */
  assets: ModelAssets | null;
  /** The compiled module, once packReady() or packEngineSync() compiled it. */
  module: WebAssembly.Module | null;
  wasm: Uint8Array;
  compiling: Promise<WebAssembly.Module> | null;
  /** The Engine of this thread (runner.ts), created on first use. */
  engine: Engine | null;
}

/** Packs by `level:id`; packs by key. */
const byId = new Map<string, PackDecoder>();
const byKey = new Map<string, PackDecoder>();

const bytesOf = (b: Uint8Array | ArrayBuffer) => (b instanceof Uint8Array ? b : new Uint8Array(b));

/** Checks a pack's manifest and files and splits its model file into its parts. */
function unpackPack(pack: DecoderPack, from: string): PackDecoder {
  const manifest: PackManifest = typeof pack.manifest === 'string' ? JSON.parse(pack.manifest) : pack.manifest;
  const bad = (what: string) => new TypeError(`decoder pack ${from}: ${what}`);
  if (manifest?.kolmoDecoderPack !== PACK_VERSION) throw bad(`pack version ${manifest?.kolmoDecoderPack}, not ${PACK_VERSION}`);
  const { model: layout, levels } = manifest;
  const file = bytesOf(pack.model);
  if (file.length !== layout.bytes || crc32(file) !== layout.crc32) {
    throw new KolmoModelMismatchError(`decoder pack ${from}: the model file is not the one its manifest names`);
  }
  const part = (r: [number, number] | null | undefined) => {
    if (!r || !(r[0] >= 0 && r[1] >= 0 && r[0] + r[1] <= file.length)) throw bad('a missing or bad part of the model file');
    return file.subarray(r[0], r[0] + r[1]);
  };
  const priors: Record<number, Uint8Array> = {};
  const later: Record<number, Uint8Array> = {};
  const keys = Object.keys(levels ?? {});
  if (keys.length === 0) throw bad('no level');
  for (const l of keys) {
    if (!(+l >= 1 && +l <= MAX_LEVEL) || !/^[0-9a-f]{8}$/.test(levels[l])) throw bad(`level ${l}, model id ${levels[l]}`);
    (l === '1' ? priors : later)[+l] = part(layout.priors[l]);
  }
  const assets = keys.some((l) => l !== '1') ? { bundle: part(layout.bundle), priors: later } : null;
  return { key: keys.map((l) => `${l}:${levels[l]}`).join('+'), manifest, priors, assets, module: null, wasm: bytesOf(pack.wasm), compiling: null, engine: null };
}

/** Registers a decoder pack (kolmo-pack.json, kolmo.wasm, kolmo-model.bin) for its ids; returns them as `level:id`. This build's own ids stay first. */
export function registerDecoder(pack: DecoderPack): string[] {
  return addPack(unpackPack(pack, '(given files)'));
}

function addPack(d: PackDecoder): string[] {
  const ids = Object.entries(d.manifest.levels).map(([l, id]) => `${l}:${id}`);
  for (const id of ids) byId.set(id, d);
  byKey.set(d.key, d);
  return ids;
}

/** The name of the npm package that holds the decoder of a model id. */
export function packPackageName(idHex: string): string {
  return `kolmo-format-${idHex}`;
}

/**
 * Node and Bun: the installed package kolmo-format-<id> that decodes (level, id), read and
 * registered now; null when none is installed (or this runtime has no file system).
 */
function installedPack(level: number, idHex: string): PackDecoder | null {
  const g = globalThis as any;
  const mod = g.process?.getBuiltinModule?.('node:module');
  const fs = g.process?.getBuiltinModule?.('node:fs');
  const path = g.process?.getBuiltinModule?.('node:path');
  if (!mod || !fs || !path) return null;
  const name = packPackageName(idHex);
  const bases = [selfUrl(), `${g.process.cwd()}/`].filter((b): b is string => b !== null);
  for (const base of bases) {
    let manifestPath: string;
    try {
      manifestPath = mod.createRequire(base).resolve(`${name}/${PACK_FILES.manifest}`);
    } catch {
      continue; // not installed where this base looks
    }
    const dir = path.dirname(manifestPath);
    const read = (f: string) => new Uint8Array(fs.readFileSync(path.join(dir, f)));
    const d = unpackPack({ manifest: fs.readFileSync(manifestPath, 'utf8'), wasm: read(PACK_FILES.wasm), model: read(PACK_FILES.model) }, dir);
    if (d.manifest.levels[level] !== idHex) throw new KolmoModelMismatchError(`decoder pack ${dir}: no level ${level} model id ${idHex}`);
    addPack(d);
    return d;
  }
  return null;
}

/**
 * Which decoder codes a member with this header: undefined for this build's own, else the key of
 * the pack (registered, or installed and registered now). Throws KolmoModelMismatchError when
 * there is none, naming the package to install. offset: the member's stream offset, for the message.
 */
export function decoderFor(header: Header, offset = 0): string | undefined {
  const ours = levelIdsHex[header.level];
  const hex = modelIdHex(header.modelId);
  if (hex === ours) return undefined;
  const found = byId.get(`${header.level}:${hex}`) ?? installedPack(header.level, hex);
  if (found) return found.key;
  const has = ours ? `model id ${ours}` : 'no model (a level-1-only build)';
  throw new KolmoModelMismatchError(
    `the stream was made with model id ${hex} in the header (bytes ${offset + 3}-${offset + 6}, level ${header.level}); this build's level ${header.level} has ${has}, and no decoder pack has it: npm install ${packPackageName(hex)} (browsers: registerDecoder())`,
  );
}

/** Whether a (level, id) decodes here: this build's, a registered pack, or an installed one (Node). */
export function hasDecoder(level: number, idHex: string): boolean {
  return levelIdsHex[level] === idHex || byId.has(`${level}:${idHex}`) || installedPack(level, idHex) !== null;
}

/** A registered pack by key (the jobs carry it). */
export function packByKey(key: string): PackDecoder {
  return byKey.get(key)!; // decoderFor() registered it
}

/** Compiles a pack's module asynchronously (required on a browser's main thread for all but tiny modules). */
export function packReady(key: string): Promise<WebAssembly.Module> {
  const d = packByKey(key);
  if (d.module) return Promise.resolve(d.module);
  d.compiling ??= WebAssembly.compile(d.wasm as BufferSource).then((m) => (d.module = m));
  return d.compiling;
}

/** The Engine of this thread for a pack (compiling its module synchronously if need be). */
export function packEngineSync(key: string): Engine {
  const d = packByKey(key);
  d.module ??= new WebAssembly.Module(d.wasm as BufferSource);
  d.engine ??= new Engine(d.module, () => d.assets, d.priors);
  return d.engine;
}
