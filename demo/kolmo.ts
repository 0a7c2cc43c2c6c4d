// The one place the demo loads kolmo: in the kolmo worker (worker.ts), which makes every
// kolmo call of the page. A dynamic import of kolmo's chunk (the WebAssembly module is
// embedded), then loadModels(), which fetches the model file of levels 2 and 3
// (generated/kolmo-model.bin beside the chunk, copied there by build.mjs): the synchronous
// measure() needs it loaded; the async calls would fetch it by themselves.
import type * as Kolmo from '../src/index.js';

export type { Kolmo };

let loading: Promise<typeof Kolmo> | null = null;

export function loadKolmo(): Promise<typeof Kolmo> {
  loading ??= import('../src/index.js').then(async (k) => {
    if (k.modelName) await k.loadModels();
    return k;
  });
  return loading;
}

/** The levels this build can code (1 only without the model bundle), best last. */
export function levels(k: typeof Kolmo): number[] {
  return Object.keys(k.levelIdsHex).map(Number).sort((a, b) => a - b);
}
