import { DEFAULT_FRAME_SIZE, MAX_FRAME_SIZE } from './format.js';
import { modelFile } from './generated/model.js';

/**
 * An option value the library refuses (level 3, topP 2). A RangeError, so callers that test
 * for one still work; the CLI tells it from other RangeErrors to word it as a usage error.
 */
export class OptionRangeError extends RangeError {}

/** Level 1: context models only (fastest). */
export const LEVEL_FAST = 1;
/** Level 2: context models + the corpus n-gram and more mixers (needs the model bundle). */
export const LEVEL_NGRAM = 2;
/** Level 3: level 2 + the neural language model on frames of text (needs the model bundle; the best ratio, the slowest). */
export const LEVEL_LM = 3;
/** The default level for compression: 2 when this build ships the model bundle (level 3 costs more time than the 1.5x it would need to be the default; docs/benchmarks.md). */
const hasModelBundle = modelFile !== null; // this build includes levels 2 and 3

export const DEFAULT_LEVEL = hasModelBundle ? LEVEL_NGRAM : LEVEL_FAST;
/** The default level of the sampler and measure(): the best one this build has. */
export const BEST_LEVEL = hasModelBundle ? LEVEL_LM : LEVEL_FAST;
/** One line per level, for --help and info. */
export const LEVEL_NAMES: Record<number, string> = {
  1: 'context mixing (fastest)',
  2: 'context mixing + corpus n-gram',
  3: 'context mixing + corpus n-gram + neural LM (best ratio, slowest)',
};

export interface Progress {
  /** Input bytes processed so far. */
  bytesIn: number;
  /** Output bytes produced so far. */
  bytesOut: number;
  /** Total input bytes, when known (streams: when given inputSize). */
  totalIn?: number;
}

/** What compressSync() honours. */
export interface CompressSyncOptions {
  /** 1 = context mixing, 2 = + corpus n-gram (the default when the model ships), 3 = + neural LM. */
  level?: number;
  /**
   * Frame size in bytes (at most 64 MiB). Frames are coded independently, each on one
   * worker. By default frames are at most `defaultFrameSize(level)`: 1 MiB at level 1
   * (speed: the cores share a file), 16 MiB at levels 2 and 3 (ratio: a file up to 16 MiB is
   * one frame); an input whose length is known is cut into equal frames (3.3 MB at level 1
   * into four of 0.83 MB rather than three of 1 MiB and a short one), so that workers
   * finish together.
   */
  frameSize?: number;
}

/** What compress() honours. */
export interface CompressOptions extends CompressSyncOptions {
  /** Worker threads (default: the machine's cores; 1 = this thread). Output never depends on it. */
  threads?: number;
  /** Cancels the call: it rejects with KolmoAbortError. */
  signal?: AbortSignal;
  /** Called as frames complete. */
  onProgress?: (p: Progress) => void;
}

/** What the compressing streams (createCompressStream, createCompressNodeStream) honour. */
export interface CompressStreamOptions extends CompressOptions {
  /**
   * The input's total length, when known in advance (the CLI passes the file's size). It lets
   * a stream cut equal frames as compress() does and report totalIn in onProgress; a stream of
   * another length is still coded correctly. Equal frames cost some ratio when the last frame
   * would have been short (each frame learns from scratch; docs/benchmarks.md).
   */
  inputSize?: number;
}

/** What decompress() and the decompressing streams honour (decompressSync takes none). */
export interface DecompressOptions {
  /** Worker threads (default: the machine's cores; 1 = this thread). */
  threads?: number;
  /** Cancels the call or the stream with KolmoAbortError. */
  signal?: AbortSignal;
  /** Called as frames complete. */
  onProgress?: (p: Progress) => void;
}

export function resolveLevel(level: number | undefined, fallback: number = DEFAULT_LEVEL): number {
  const l = level ?? fallback;
  if (l !== LEVEL_FAST && l !== LEVEL_NGRAM && l !== LEVEL_LM) throw new OptionRangeError(`level must be 1, 2 or 3, got ${String(level)}`);
  if (l >= LEVEL_NGRAM && !hasModelBundle) throw new OptionRangeError(`level ${l} needs the model bundle, which this build does not include`);
  return l;
}

/** Frames of the ratio levels (2, 3) by default: a file up to this size is coded as one frame. */
export const RATIO_FRAME_SIZE = 16 * 1024 * 1024;

/**
 * The largest frame a level cuts by default: DEFAULT_FRAME_SIZE (1 MiB) at level 1, so that
 * the cores share a file; RATIO_FRAME_SIZE (16 MiB) at levels 2 and 3, because each frame starts
 * from nothing (docs/benchmarks.md, "Frame size").
 */
export function defaultFrameSize(level: number): number {
  return level >= LEVEL_NGRAM ? RATIO_FRAME_SIZE : DEFAULT_FRAME_SIZE;
}

/**
 * The frame size to code with: the caller's, else the level's default cut into equal frames
 * when the input's length is known (n = ceil(length / default) frames of ceil(length / n) bytes).
 */
export function resolveFrameSize(frameSize: number | undefined, level: number, inputLength?: number): number {
  if (inputLength !== undefined && (!Number.isSafeInteger(inputLength) || inputLength < 0)) {
    throw new OptionRangeError(`inputSize must be a non-negative integer, got ${String(inputLength)}`);
  }
  if (frameSize === undefined) return balancedFrameSize(defaultFrameSize(level), inputLength);
  if (!Number.isInteger(frameSize) || frameSize < 1 || frameSize > MAX_FRAME_SIZE) {
    throw new OptionRangeError(`frameSize must be an integer in 1..${MAX_FRAME_SIZE}, got ${String(frameSize)}`);
  }
  return frameSize;
}

function balancedFrameSize(largest: number, inputLength: number | undefined): number {
  if (inputLength === undefined || inputLength <= largest) return largest;
  const frames = Math.ceil(inputLength / largest);
  return Math.ceil(inputLength / frames);
}

/** Default worker count: the machine's cores (at least 1). */
export function defaultThreads(): number {
  const g = globalThis as any;
  const nav = g.navigator?.hardwareConcurrency;
  if (typeof nav === 'number' && nav > 0) return nav;
  const os = g.process?.getBuiltinModule?.('node:os');
  if (os?.availableParallelism) return os.availableParallelism();
  return 2;
}

export function resolveThreads(threads: number | undefined, jobs: number): number {
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new OptionRangeError(`threads must be a positive integer, got ${String(threads)}`);
  }
  return Math.max(1, Math.min(threads ?? defaultThreads(), jobs));
}

export function toBytes(data: Uint8Array | ArrayBuffer | string): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // Any view (a Node Buffer too) becomes a plain Uint8Array over the same bytes,
  // so slice() always copies.
  if (ArrayBuffer.isView(data)) {
    const v = data as ArrayBufferView;
    return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }
  throw new TypeError('data must be a Uint8Array, an ArrayBuffer or a string');
}
