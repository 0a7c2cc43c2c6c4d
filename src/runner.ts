import { embeddedPriors, modelAssetsSync, modelsFor, wasmModule, wasmModuleSync } from './assets.js';
import { packEngineSync, packReady } from './decoders.js';
import { Engine } from './engine.js';
import { KolmoAbortError } from './errors.js';
import { decodeFrameBody, encodeFrameRecord } from './frame.js';
import type { FrameJob, FrameRunner } from './protocol.js';
import type { Progress } from './options.js';
import { leaseWorkers } from './pool.js';

// FrameRunners (protocol.ts): frames coded on this thread, or on a pool of workers. The bytes
// a job produces never depend on which runner ran it.

let localEngine: Engine | null = null;

/** The engine of the calling thread (created on first use). */
export function localEngineSync(): Engine {
  if (!localEngine) localEngine = new Engine(wasmModuleSync(), modelAssetsSync, embeddedPriors());
  return localEngine;
}

export function runJobSync(job: FrameJob): Uint8Array {
  const engine = job.type === 'decode' && job.pack ? packEngineSync(job.pack) : localEngineSync();
  return job.type === 'encode'
    ? encodeFrameRecord(engine, job.level, job.raw)
    : decodeFrameBody(engine, job.level, job.head, job.body, job.index, job.offset);
}

/** Runs jobs one at a time on this thread, yielding to the event loop between them. */
export async function createLocalRunner(): Promise<FrameRunner> {
  await wasmModule();
  return {
    parallelism: 1,
    async run(job) {
      await (job.type === 'decode' && job.pack ? packReady(job.pack) : modelsFor(job.level));
      await new Promise<void>((r) => setTimeout(r, 0));
      return runJobSync(job);
    },
    close() {},
  };
}

/**
 * A runner for `threads` jobs at a time: this thread when 1, else a lease on the
 * process-wide worker pool (shared by all calls and streams; see pool.ts). close() it when done.
 */
export async function createRunner(threads: number, signal?: AbortSignal): Promise<FrameRunner> {
  if (threads <= 1) return createLocalRunner();
  return leaseWorkers(threads, await wasmModule(), modelAssetsSync, embeddedPriors(), signal);
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new KolmoAbortError('operation aborted');
}

/**
 * Runs frame jobs (in parallel when threads > 1); results come back in job order. totalIn:
 * the input bytes the jobs cover, reported in onProgress.
 */
export async function runJobs(
  jobs: FrameJob[],
  threads: number,
  totalIn: number,
  opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void },
): Promise<Uint8Array[]> {
  throwIfAborted(opts.signal);
  const runner = await createRunner(threads, opts.signal);
  try {
    const promises = jobs.map((j) => runner.run(j));
    // Keep every promise observed so one failure does not leave others unhandled.
    promises.forEach((p) => p.catch(() => {}));
    const out: Uint8Array[] = [];
    let bytesIn = 0;
    let bytesOut = 0;
    for (let i = 0; i < jobs.length; i++) {
      const r = await promises[i];
      throwIfAborted(opts.signal);
      const j = jobs[i];
      bytesIn += j.type === 'encode' ? j.raw.length : j.head.headLength + j.body.length;
      bytesOut += r.length;
      out.push(r);
      opts.onProgress?.({ bytesIn, bytesOut, totalIn });
    }
    return out;
  } finally {
    runner.close();
  }
}
