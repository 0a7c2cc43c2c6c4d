import { wasmBase64 } from './generated/wasm.js';
import { levelIdsHex, modelBase64, bundleIdHex, modelName, priorBase64 } from './generated/model.js';

// The embedded WebAssembly module and language model (see scripts/embed.mjs).

export function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let moduleCache: WebAssembly.Module | null = null;
let modulePromise: Promise<WebAssembly.Module> | null = null;
let modelCache: Uint8Array | null = null;

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

/** The shipped model's weights, or null when this build has none. */
export function modelBytes(): Uint8Array | null {
  if (!modelBase64) return null;
  if (!modelCache) modelCache = base64ToBytes(modelBase64);
  return modelCache;
}

let priorCache: Record<number, Uint8Array> | null = null;

/** Learned starting states per level (see assembly/prior.ts). */
export function priors(): Record<number, Uint8Array> {
  if (!priorCache) {
    priorCache = {};
    for (const [level, b64] of Object.entries(priorBase64)) priorCache[Number(level)] = base64ToBytes(b64);
  }
  return priorCache;
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
