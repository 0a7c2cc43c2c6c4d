import { assembleStream, checkModel, concat, decodeJobs, planCompression, scanStream } from './container.js';
import { KolmoAbortError } from './errors.js';
import type { FrameJob } from './protocol.js';
import {
  resolveFrameSize,
  resolveLevel,
  resolveThreads,
  toBytes,
  type CompressOptions,
  type CompressSyncOptions,
  type DecompressOptions,
} from './options.js';
import { createRunner, runJobSync } from './runner.js';

export { KolmoError, KolmoFormatError, KolmoChecksumError, KolmoModelMismatchError, KolmoAbortError, KolmoMemoryError } from './errors.js';
export { info, type StreamInfo } from './info.js';
export { sample, sampleBytes, measure, MAX_SAMPLE_BYTES, type SampleOptions, type Measurement } from './sample.js';
export { createCompressStream, createDecompressStream } from './stream.js';
export { createCompressNodeStream, createDecompressNodeStream } from './node-stream.js';
export { DEFAULT_LEVEL, BEST_LEVEL, LEVEL_FAST, LEVEL_NGRAM, LEVEL_LM, LEVEL_NAMES } from './options.js';
export type { CompressOptions, CompressSyncOptions, CompressStreamOptions, DecompressOptions, Progress } from './options.js';
export { DEFAULT_FRAME_SIZE, MAX_FRAME_SIZE, FORMAT_VERSION } from './format.js';
export { modelName, bundleIdHex, levelIdsHex } from './assets.js';

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new KolmoAbortError('operation aborted');
}

/** Runs frame jobs (in parallel when threads > 1); results come back in job order. */
async function runJobs(
  jobs: FrameJob[],
  threads: number,
  totalIn: number,
  opts: { signal?: AbortSignal; onProgress?: CompressOptions['onProgress'] },
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

/** Compresses data into a .kz stream. */
export async function compress(data: Uint8Array | ArrayBuffer | string, opts: CompressOptions = {}): Promise<Uint8Array> {
  const bytes = toBytes(data);
  const plan = planCompression(bytes, resolveLevel(opts.level), resolveFrameSize(opts.frameSize, bytes.length));
  const records = await runJobs(plan.jobs, resolveThreads(opts.threads, plan.jobs.length), bytes.length, opts);
  return assembleStream(plan, records, bytes.length);
}

/** Decompresses a .kz stream. */
export async function decompress(data: Uint8Array | ArrayBuffer, opts: DecompressOptions = {}): Promise<Uint8Array> {
  const bytes = toBytes(data);
  const layout = scanStream(bytes);
  checkModel(layout.header);
  const jobs = decodeJobs(layout);
  const parts = await runJobs(jobs, resolveThreads(opts.threads, jobs.length), bytes.length, opts);
  return concat(parts);
}

/** Compresses on the calling thread. */
export function compressSync(data: Uint8Array | ArrayBuffer | string, opts: CompressSyncOptions = {}): Uint8Array {
  const bytes = toBytes(data);
  const plan = planCompression(bytes, resolveLevel(opts.level), resolveFrameSize(opts.frameSize, bytes.length));
  return assembleStream(plan, plan.jobs.map(runJobSync), bytes.length);
}

/** Decompresses on the calling thread. */
export function decompressSync(data: Uint8Array | ArrayBuffer): Uint8Array {
  const layout = scanStream(toBytes(data));
  checkModel(layout.header);
  return concat(decodeJobs(layout).map(runJobSync));
}
