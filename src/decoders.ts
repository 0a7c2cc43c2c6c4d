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

/** A pack's kolmo-pack.json. */
export interface PackManifest {
  kolmoDecoderPack: number;
  /** The container version of the release that made it (informative: this build parses the container). */
  formatVersion: number;
  /** PREDICTOR_VERSION of its module. */
  predictorVersion: number;
  /** The model id (8 hex digits) of each level it decodes. */
  levels: Record<string, string>;
  /**
   * The model file: its length and CRC-32, [offset, length] of the model bundle (null when no
   * level needs it: level 1 alone) and of each level's prior. The layout of the package's
   * generated/kolmo-model.bin, with the level-1 prior as a part of its own.
   */
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

function badPack(what: string): TypeError {
  return new TypeError(`registerDecoder(): ${what}`);
}

/** Checks a pack's manifest and files and splits its model file into its parts. */
function unpackPack(pack: DecoderPack, from: string): PackDecoder {
  const manifest: PackManifest = typeof pack.manifest === 'string' ? JSON.parse(pack.manifest) : pack.manifest;
  if (manifest?.kolmoDecoderPack !== PACK_VERSION) {
    throw badPack(`${from}: pack version ${String(manifest?.kolmoDecoderPack)}; this build reads version ${PACK_VERSION}`);
  }
  const levels = Object.entries(manifest.levels ?? {});
  if (levels.length === 0) throw badPack(`${from}: the manifest names no level`);
  const file = bytesOf(pack.model);
  const layout = manifest.model;
  if (file.length !== layout.bytes || crc32(file) !== layout.crc32) {
    throw new KolmoModelMismatchError(`the decoder pack ${from}: its model file is not the one its manifest describes (${file.length} bytes; expected ${layout.bytes} bytes, CRC-32 ${layout.crc32.toString(16)})`);
  }
  const part = ([offset, length]: [number, number]) => {
    if (!(offset >= 0 && length >= 0 && offset + length <= file.length)) throw badPack(`${from}: a part [${offset}, ${length}] lies outside the model file`);
    return file.subarray(offset, offset + length);
  };
  const priors: Record<number, Uint8Array> = {};
  const later: Record<number, Uint8Array> = {};
  for (const [l, id] of levels) {
    const level = Number(l);
    if (!(level >= 1 && level <= MAX_LEVEL) || !/^[0-9a-f]{8}$/.test(id)) throw badPack(`${from}: level ${l} with model id ${id}`);
    const range = layout.priors[l];
    if (!range) throw badPack(`${from}: no prior for level ${l}`);
    if (level >= 2 && !layout.bundle) throw badPack(`${from}: level ${l} needs the model bundle`);
    (level === 1 ? priors : later)[level] = part(range);
  }
  const assets = layout.bundle ? { bundle: part(layout.bundle), priors: later } : null;
  const key = levels.map(([l, id]) => `${l}:${id}`).join('+');
  return { key, manifest, priors, assets, module: null, wasm: bytesOf(pack.wasm), compiling: null, engine: null };
}

/**
 * Registers the decoder of the model ids a pack holds (its kolmo-pack.json, kolmo.wasm and
 * kolmo-model.bin): streams with those ids then decode with it. This build's own ids are never
 * replaced. Returns the ids it registered, as `level:id`.
 */
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
    if (d.manifest.levels[level] !== idHex) {
      throw new KolmoModelMismatchError(`the decoder pack ${dir} (${name}) does not hold level ${level} model id ${idHex}`);
    }
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
  const bytes = `bytes ${offset + 3}-${offset + 6}`;
  const install = `no decoder for it is registered or installed: npm install ${packPackageName(hex)} (in a browser, pass that package's files to registerDecoder())`;
  if (!ours) {
    throw new KolmoModelMismatchError(`the stream is level ${header.level} with model id ${hex} in the header (${bytes}), and this build has no model bundle (it codes level 1 only); ${install}`);
  }
  throw new KolmoModelMismatchError(`the stream was made with model id ${hex} in the header (${bytes}, level ${header.level}); this build's level ${header.level} has model id ${ours}, and ${install}`);
}

/** Whether a (level, id) decodes here: this build's, a registered pack, or an installed one (Node). */
export function hasDecoder(level: number, idHex: string): boolean {
  return levelIdsHex[level] === idHex || byId.has(`${level}:${idHex}`) || installedPack(level, idHex) !== null;
}

/** A registered pack by key (the jobs carry it). */
export function packByKey(key: string): PackDecoder {
  const d = byKey.get(key);
  if (!d) throw new Error(`kolmo: no decoder pack ${key} is registered`); // decoderFor() made the key
  return d;
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

/** Forgets every registered pack (tests). */
export function forgetDecoders(): void {
  byId.clear();
  byKey.clear();
}
