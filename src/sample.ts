import { KolmoAbortError } from './errors.js';
import { BEST_LEVEL, OptionRangeError, resolveLevel, toBytes } from './options.js';
import { localEngineSync } from './runner.js';
import { embeddedPriors, modelAssetsSync, modelsFor, wasmModule } from './assets.js';
import { Engine } from './engine.js';

// The model as a writer (sample) and as a lens (measure). Both run on the calling
// thread with the same predictor the codec uses.

export interface SampleOptions {
  /** Text or bytes fed through the model first, as if coded (the context models adapt to it). */
  prompt?: string | Uint8Array;
  /** Bytes to generate (default 256; prompt + maxBytes at most MAX_SAMPLE_BYTES, 64 MiB: the match model keeps them all). */
  maxBytes?: number;
  /** Softmax temperature over the byte distribution (default 0.8; 0 = greedy). */
  temperature?: number;
  /** Keep only the k most probable bytes (default 0 = off; 1 = greedy). */
  topK?: number;
  /** Keep the smallest set of bytes whose probability reaches p (default 1 = off). */
  topP?: number;
  /**
   * Tail cut (default 1/16): parts of the byte tree that the model reaches with probability
   * below minP are not evaluated and their bytes are never drawn (the most probable byte is
   * always kept). Like min-p sampling; it is also what makes sampling fast. 0 = the exact
   * distribution (every node evaluated, ~10× slower).
   */
  minP?: number;
  /** PCG32 seed, an integer in 0 … 2^64 − 1 (number or bigint, default 0): the same arguments give the same bytes everywhere. */
  seed?: number | bigint;
  /** Level of the predictor (default: the best level this build has, BEST_LEVEL). */
  level?: number;
  signal?: AbortSignal;
}

/** Default tail cut of the sampler (see SampleOptions.minP). */
export const DEFAULT_MIN_P = 1 / 16;

const CHUNK = 256; // bytes generated per step before yielding to the event loop

/** Most bytes (prompt + generated) one sampling session holds. */
export const MAX_SAMPLE_BYTES = 64 * 1024 * 1024;
const MAX_SEED = (1n << 64n) - 1n;

function checkSeed(seed: number | bigint | undefined): bigint {
  if (seed === undefined) return 0n;
  const ok = typeof seed === 'bigint' ? seed >= 0n && seed <= MAX_SEED : Number.isSafeInteger(seed) && seed >= 0;
  if (!ok) throw new OptionRangeError(`seed must be an integer in 0 … 2^64 − 1 (a bigint above 2^53), got ${String(seed)}`);
  return BigInt(seed);
}

function checkSampleOptions(o: SampleOptions) {
  const maxBytes = o.maxBytes ?? 256;
  const temperature = o.temperature ?? 0.8;
  const topK = o.topK ?? 0;
  const topP = o.topP ?? 1;
  const minP = o.minP ?? DEFAULT_MIN_P;
  if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new OptionRangeError(`maxBytes must be a non-negative integer`);
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new OptionRangeError('temperature must be a finite number >= 0');
  if (!Number.isInteger(topK) || topK < 0 || topK > 256) throw new OptionRangeError('topK must be an integer in 0..256');
  if (!(topP > 0 && topP <= 1)) throw new OptionRangeError('topP must be in (0, 1]');
  if (!(minP >= 0 && minP <= 0.5)) throw new OptionRangeError('minP must be in [0, 0.5]');
  const seed = checkSeed(o.seed);
  return { maxBytes, temperature, topK, topP, minP, seed, level: resolveLevel(o.level, BEST_LEVEL) };
}

/** Generates bytes from the model; yields chunks as they are made. */
export async function* sampleBytes(opts: SampleOptions = {}): AsyncGenerator<Uint8Array> {
  const o = checkSampleOptions(opts);
  const prompt = opts.prompt === undefined ? new Uint8Array(0) : toBytes(opts.prompt);
  if (prompt.length + o.maxBytes > MAX_SAMPLE_BYTES) {
    throw new OptionRangeError(`prompt + maxBytes must be at most ${MAX_SAMPLE_BYTES} bytes (64 MiB), got ${prompt.length + o.maxBytes}`);
  }
  // An engine of its own: the session lives across awaits, and other calls on this thread
  // (compressSync, measure, another sample) must not reset its predictor meanwhile. One idle
  // engine is kept for the next session (instantiating and loading the model costs ~10 ms).
  const module = await wasmModule();
  await modelsFor(o.level);
  const engine = idleSamplerEngine ?? new Engine(module, modelAssetsSync, embeddedPriors());
  idleSamplerEngine = null;
  let failed = false; // an engine kept for the next session must not have failed mid-call
  try {
    engine.samplerStart(o.level, prompt.length + o.maxBytes, o.seed);
    engine.samplerFeed(prompt);
    let left = o.maxBytes;
    while (left > 0) {
      if (opts.signal?.aborted) throw new KolmoAbortError('sampling aborted');
      const chunk = engine.samplerGenerate(Math.min(CHUNK, left), o.temperature, o.topK, o.topP, o.minP);
      if (chunk.length === 0) break;
      left -= chunk.length;
      yield chunk; // the consumer may stop here (return()): the engine is sound
    }
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    if (!failed && prompt.length + o.maxBytes <= KEEP_IDLE_BYTES) idleSamplerEngine = engine;
  }
}

/** A finished session's engine is kept for the next one only up to this size (its memory stays held). */
const KEEP_IDLE_BYTES = 1 << 20;

/** A sampling engine not in use (see sampleBytes). */
let idleSamplerEngine: Engine | null = null;

/** Generates text; chunks never split a multi-byte UTF-8 character. */
export async function* sample(opts: SampleOptions = {}): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for await (const bytes of sampleBytes(opts)) {
    const text = decoder.decode(bytes, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

export interface Measurement {
  /** Mean bits per byte over the input (NaN when empty). */
  bitsPerByte: number;
  /** Bits each byte position cost. */
  bits: Float32Array;
  totalBits: number;
}

/**
 * What each byte costs under the model: surprisal, -log2 p, per byte position. The whole
 * input is one frame, held with its f32 result in WebAssembly memory (about 8 bytes per
 * input byte, within the module's 1 GiB): measure inputs over ~100 MB in slices.
 */
export function measure(data: Uint8Array | ArrayBuffer | string, opts: { level?: number } = {}): Measurement {
  const bytes = toBytes(data);
  const bits = bytes.length === 0 ? new Float32Array(0) : localEngineSync().measure(resolveLevel(opts.level, BEST_LEVEL), bytes);
  let total = 0;
  for (const b of bits) total += b;
  return { bitsPerByte: bytes.length ? total / bytes.length : NaN, bits, totalBits: total };
}
