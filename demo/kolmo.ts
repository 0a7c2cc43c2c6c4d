// The one place the demo loads kolmo: in the kolmo worker (worker.ts), which makes every
// kolmo call of the page. The package embeds its WebAssembly module and model bundle, so
// loading it is a dynamic import of its chunk (~13 MB, most of it the model). A kolmo that
// loads its model separately would be awaited here.
import type * as Kolmo from '../src/index.js';

export type { Kolmo };

let loading: Promise<typeof Kolmo> | null = null;

export function loadKolmo(): Promise<typeof Kolmo> {
  loading ??= import('../src/index.js');
  return loading;
}

/** The levels this build can code (1 only without the model bundle), best last. */
export function levels(k: typeof Kolmo): number[] {
  return Object.keys(k.levelIdsHex).map(Number).sort((a, b) => a - b);
}
