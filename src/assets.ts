import { wasmBase64 } from './generated/wasm.js';
import { levelIdsHex, bundleIdHex, modelName, modelFile, level1PriorBase64 } from './generated/model.js';
import { crc32 } from './crc32.js';
import type { ModelAssets } from './engine.js';
import { KolmoModelMismatchError, KolmoModelNotLoadedError } from './errors.js';

// What the engines need, and where it comes from (see scripts/embed.mjs):
// - the release WebAssembly module and the level-1 prior: embedded in this module (base64);
// - the model file of levels 2 and 3 (the model bundle, the level-2 and level-3 priors, ~10 MB):
//   generated/kolmo-model.bin beside this module, one copy for ESM and CJS. Node (and Bun)
//   read it from disk when a level-2 job first needs it, synchronously if need be; elsewhere
//   loadModels() fetches it, which the async calls do by themselves. Its length and CRC-32 are
//   checked against this build's, so a file from another build never codes a stream.

/** true in the CommonJS build (tsup.config.ts defines it per format); undeclared in the source. */
declare const KOLMO_CJS: boolean | undefined;
declare const __filename: string;

export function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let moduleCache: WebAssembly.Module | null = null;
let modulePromise: Promise<WebAssembly.Module> | null = null;

/** Compiles the module synchronously (fine in Node and in workers). */
export function wasmModuleSync(): WebAssembly.Module {
  if (!moduleCache) moduleCache = new WebAssembly.Module(base64ToBytes(wasmBase64) as BufferSource);
  return moduleCache;
}

/** Compiles the module asynchronously (required on a browser's main thread). */
export function wasmModule(): Promise<WebAssembly.Module> {
  if (moduleCache) return Promise.resolve(moduleCache);
  if (!modulePromise) {
    modulePromise = WebAssembly.compile(base64ToBytes(wasmBase64) as BufferSource).then((m) => (moduleCache = m));
  }
  return modulePromise;
}

let embeddedCache: Record<number, Uint8Array> | null = null;

/** The priors embedded in the JavaScript (level 1's); every engine loads them when it starts. */
export function embeddedPriors(): Record<number, Uint8Array> {
  if (!embeddedCache) embeddedCache = { 1: base64ToBytes(level1PriorBase64) };
  return embeddedCache;
}

/** Whether this build has levels 2 and 3 (it ships the model file). */
export const hasModelBundle = modelFile !== null;

/** What loadModels() accepts: the model file's URL, or its bytes. */
export type ModelFileSource = string | URL | ArrayBuffer | Uint8Array;

let models: ModelAssets | null = null;
let loading: Promise<ModelAssets> | null = null;

/** Splits the model file into its parts after checking it is this build's. */
function unpack(file: Uint8Array, from: string): ModelAssets {
  const layout = modelFile!;
  if (file.length !== layout.bytes || crc32(file) !== layout.crc32) {
    throw new KolmoModelMismatchError(
      `the model file ${from} is not the one this build of kolmo was made with (${file.length} bytes; expected ${layout.bytes} bytes, CRC-32 ${layout.crc32.toString(16)})`,
    );
  }
  const part = ([offset, length]: [number, number]) => file.subarray(offset, offset + length);
  const priors: Record<number, Uint8Array> = {};
  for (const [level, range] of Object.entries(layout.priors)) priors[Number(level)] = part(range);
  return { bundle: part(layout.bundle), priors };
}

/** Where the model file is: beside this module. Throws when this module has no location (an IIFE bundle). */
function modelFileUrl(): URL {
  try {
    // CommonJS (dist/index.cjs, dist/cli.cjs): this file's path. ESM: written out in full, so
    // that bundlers (Vite, webpack, Rollup) see the asset and emit it with the bundle.
    if (typeof KOLMO_CJS !== 'undefined' && KOLMO_CJS) {
      return new URL('./generated/kolmo-model.bin', (globalThis as any).process.getBuiltinModule('node:url').pathToFileURL(__filename));
    }
    return new URL('./generated/kolmo-model.bin', import.meta.url);
  } catch {
    throw new KolmoModelNotLoadedError(
      'cannot tell where the model file is from this bundle: pass its URL or bytes to loadModels() (node_modules/kolmo/dist/generated/kolmo-model.bin)',
    );
  }
}

/** This module's location (a file: URL string in Node), or null where it has none (an IIFE bundle). */
export function selfUrl(): string | null {
  try {
    if (typeof KOLMO_CJS !== 'undefined' && KOLMO_CJS) return (globalThis as any).process.getBuiltinModule('node:url').pathToFileURL(__filename).href;
    return import.meta.url ?? null;
  } catch {
    return null;
  }
}

/** node:fs when this runtime has one and the model file is on disk (Node, Bun); else null. */
function diskFs(url: URL): any {
  if (url.protocol !== 'file:') return null;
  return (globalThis as any).process?.getBuiltinModule?.('node:fs') ?? null;
}

/**
 * The model file's parts for a level-2 or level-3 job on this thread, or null when this build
 * has none. Node and Bun read the file now; elsewhere it must have been loaded (loadModels()).
 */
export function modelAssetsSync(): ModelAssets | null {
  if (!modelFile) return null;
  if (models) return models;
  const url = modelFileUrl();
  const fs = diskFs(url);
  if (!fs) {
    throw new KolmoModelNotLoadedError(
      'levels 2 and 3 need the model file, which is not loaded: await loadModels() before a synchronous call at those levels (compress(), decompress(), the streams and sample() load it by themselves)',
    );
  }
  return (models = readModelFile(url, fs));
}

function readModelFile(url: URL, fs: any): ModelAssets {
  let file: Uint8Array;
  try {
    const b = fs.readFileSync(url);
    file = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new KolmoModelNotLoadedError(`cannot read the model file ${url.href}: ${(e as Error).message}`);
  }
  return unpack(file, url.href);
}

async function fetchModelFile(source: ModelFileSource | undefined): Promise<ModelAssets> {
  if (source instanceof ArrayBuffer) return unpack(new Uint8Array(source), '(given bytes)');
  if (source instanceof Uint8Array) return unpack(source, '(given bytes)');
  let url: URL;
  try {
    url = source === undefined ? modelFileUrl() : new URL(source, (globalThis as any).location?.href);
  } catch (e) {
    if (e instanceof KolmoModelNotLoadedError) throw e;
    throw new KolmoModelNotLoadedError(`loadModels(): ${String(source)} is not a URL`);
  }
  const fs = diskFs(url);
  if (fs) return readModelFile(url, fs);
  let file: Uint8Array;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    file = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new KolmoModelNotLoadedError(`cannot fetch the model file ${url.href}: ${(e as Error).message}`);
  }
  return unpack(file, url.href);
}

/**
 * Loads the model file of levels 2 and 3 (once; later calls resolve at once). Without an
 * argument it is found beside the package's module (bundlers that understand
 * `new URL(file, import.meta.url)` emit it); pass its URL or bytes when yours does not.
 * Only synchronous calls at levels 2 and 3 outside Node need it first; the async calls load
 * it themselves. Does nothing in a level-1-only build.
 */
export function loadModels(source?: ModelFileSource): Promise<void> {
  if (!modelFile || models) return Promise.resolve();
  if (!loading) {
    loading = fetchModelFile(source).then(
      (m) => (models = m),
      (e) => {
        loading = null; // a later call may try again (another URL, the network back)
        throw e;
      },
    );
  }
  return loading.then(() => {});
}

/** Loads the model file when a job at `level` needs it (the async paths, before they code). */
export function modelsFor(level: number): Promise<void> | undefined {
  return level >= 2 && modelFile && !models ? loadModels() : undefined;
}

/**
 * The 4-byte model id that this build writes into (and expects in) a level's streams: it covers
 * the predictor version, the model bundle (levels 2, 3) and the level's prior (scripts/embed.mjs).
 * null for a level this build cannot code.
 */
export function levelId(level: number): Uint8Array | null {
  const hex = levelIdsHex[level];
  if (!hex) return null;
  const id = new Uint8Array(4);
  for (let i = 0; i < 4; i++) id[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return id;
}

export { modelName, bundleIdHex, levelIdsHex };
