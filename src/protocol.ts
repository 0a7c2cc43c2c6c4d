import type { ModelAssets } from './engine.js';
import type { FrameHead } from './format.js';

// Frame jobs, what runs them (runner.ts, pool.ts), and the messages between the pool (main
// thread) and its workers.

export type WorkerRequest =
  // priors: those every instance starts with (level 1's)
  | { type: 'init'; module: WebAssembly.Module; priors: Record<number, Uint8Array> }
  // the model bundle and the level-2/3 priors, sent before a worker's first level-2 job
  // (level 1 never needs their 10 MB)
  | { type: 'model'; model: ModelAssets | null }
  // a decoder pack (decoders.ts), sent before a worker's first frame of that pack
  | { type: 'pack'; key: string; module: WebAssembly.Module; priors: Record<number, Uint8Array>; model: ModelAssets | null }
  | { type: 'encode'; id: number; level: number; raw: Uint8Array }
  | { type: 'decode'; id: number; level: number; head: FrameHead; body: Uint8Array; index: number; offset: number; pack?: string };

export type WorkerReply =
  | { id: number; ok: true; data: Uint8Array }
  | { id: number; ok: false; name: string; message: string };

export type FrameJob =
  | { type: 'encode'; level: number; raw: Uint8Array }
  // pack: the key of the decoder pack that decodes it (decoders.ts); absent: this build's own
  | { type: 'decode'; level: number; head: FrameHead; body: Uint8Array; index: number; offset: number; pack?: string };

/** Codes frame jobs: on this thread, or on a pool of workers (runner.ts). */
export interface FrameRunner {
  run(job: FrameJob): Promise<Uint8Array>;
  /** How many jobs it makes sense to keep in flight. */
  readonly parallelism: number;
  close(): void;
}
