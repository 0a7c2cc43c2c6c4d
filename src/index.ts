import { assembleStream, checkModels, concat, decodeJobs, planCompression, scanStream } from './container.js';
import {
  resolveFrameSize,
  resolveLevel,
  resolveThreads,
  toBytes,
  type CompressOptions,
  type CompressSyncOptions,
  type DecompressOptions,
} from './options.js';
import { runJobs, runJobSync } from './runner.js';

export { KolmoError, KolmoFormatError, KolmoChecksumError, KolmoModelMismatchError, KolmoModelNotLoadedError, KolmoAbortError, KolmoMemoryError } from './errors.js';
export { info, type StreamInfo, type MemberInfo, type FrameInfo } from './info.js';
export { decompressRange, type RangeOptions } from './range.js';
export { sample, sampleBytes, measure, MAX_SAMPLE_BYTES, type SampleOptions, type Measurement } from './sample.js';
export { createCompressStream, createDecompressStream } from './stream.js';
export { createCompressNodeStream, createDecompressNodeStream } from './node-stream.js';
export { DEFAULT_LEVEL, BEST_LEVEL, LEVEL_FAST, LEVEL_NGRAM, LEVEL_LM, LEVEL_NAMES } from './options.js';
export type { CompressOptions, CompressSyncOptions, CompressStreamOptions, DecompressOptions, Progress } from './options.js';
export { DEFAULT_FRAME_SIZE, MAX_FRAME_SIZE, FORMAT_VERSION } from './format.js';
export { defaultFrameSize, RATIO_FRAME_SIZE } from './options.js';
export { modelName, bundleIdHex, levelIdsHex, loadModels, type ModelFileSource } from './assets.js';
export { registerDecoder, type DecoderPack, type PackManifest } from './decoders.js';

/** Compresses data into a .kz stream. */
export async function compress(data: Uint8Array | ArrayBuffer | string, opts: CompressOptions = {}): Promise<Uint8Array> {
  const bytes = toBytes(data);
  const level = resolveLevel(opts.level);
  const plan = planCompression(bytes, level, resolveFrameSize(opts.frameSize, level, bytes.length));
  const records = await runJobs(plan.jobs, resolveThreads(opts.threads, plan.jobs.length), bytes.length, opts);
  return assembleStream(plan, records, bytes.length);
}

/** Decompresses a .kz stream (one member, or several concatenated: their contents, concatenated). */
export async function decompress(data: Uint8Array | ArrayBuffer, opts: DecompressOptions = {}): Promise<Uint8Array> {
  const bytes = toBytes(data);
  const layout = scanStream(bytes);
  checkModels(layout);
  const jobs = decodeJobs(layout);
  const parts = await runJobs(jobs, resolveThreads(opts.threads, jobs.length), bytes.length, opts);
  return concat(parts);
}

/** Compresses on the calling thread. */
export function compressSync(data: Uint8Array | ArrayBuffer | string, opts: CompressSyncOptions = {}): Uint8Array {
  const bytes = toBytes(data);
  const level = resolveLevel(opts.level);
  const plan = planCompression(bytes, level, resolveFrameSize(opts.frameSize, level, bytes.length));
  return assembleStream(plan, plan.jobs.map(runJobSync), bytes.length);
}

/** Decompresses on the calling thread (members concatenated, as decompress()). */
export function decompressSync(data: Uint8Array | ArrayBuffer): Uint8Array {
  const layout = scanStream(toBytes(data));
  checkModels(layout);
  return concat(decodeJobs(layout).map(runJobSync));
}
