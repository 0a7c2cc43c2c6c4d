import { KolmoMemoryError, KolmoModelMismatchError } from './errors.js';

// One instance of the kolmo WebAssembly module and the calls into it.
// An Engine is single-threaded; the worker pool gives each worker its own.

interface Exports {
  memory: WebAssembly.Memory;
  setup(maxFrame: number): number;
  inputPtr(): number;
  outputPtr(): number;
  memoryBytes(): number;
  allocBytes(n: number): number;
  encodeFrame(level: number, n: number): number;
  decodeFrame(level: number, payloadLength: number, n: number): number;
  decodedBytes(): number;
  modelLoad(ptr: number, len: number): number;
  loadPrior(level: number, ptr: number, len: number): number;
  measureFrame(level: number, src: number, n: number, dst: number): number;
  samplerStart(level: number, maxBytes: number, seedHi: number, seedLo: number): number;
  samplerHistoryPtr(): number;
  samplerFeed(n: number): number;
  samplerGenerate(n: number, temperature: number, topK: number, topP: number, minP: number): number;
  samplerLength(): number;
  // Return codes, exported as globals (assembly/codec.ts, lm/weights.ts, ngram/ngram.ts).
  ERR_NOT_SMALLER: WebAssembly.Global;
  ERR_PAYLOAD_EXHAUSTED: WebAssembly.Global;
  ERR_BAD_FILTER: WebAssembly.Global;
  ERR_OUT_OF_MEMORY: WebAssembly.Global;
  LM_ERR_MEMORY: WebAssembly.Global;
  NG_ERR_MEMORY: WebAssembly.Global;
}

/** Largest buffer an engine sets up (two of them, plus tables, in the module's 1 GiB). */
const MAX_BUFFER = 320 * 1024 * 1024;

const imports = {
  env: {
    abort(): never {
      throw new Error('kolmo: internal error in the WebAssembly module');
    },
  },
};

/** What levels 2 and 3 need beyond level 1: the model bundle (assembly/model.ts) and their priors. */
export interface ModelAssets {
  bundle: Uint8Array;
  priors: Record<number, Uint8Array>;
}

/** Gives the model assets (null: this build has none); called when a level-2 job first needs them. */
export type ModelSource = () => ModelAssets | null;

/**
 * What the decoders of this thread (every Engine in it) have done: frames given to the
 * WebAssembly decoder, and the bytes it produced, failed frames included. Tests bound these
 * instead of the time a damaged stream takes.
 */
export const decodeWork = { frames: 0, bytes: 0 };

export class Engine {
  private x!: Exports;
  private capacity = 0; // frame buffers set up in this instance (bytes)
  private samplerCapacity = 0; // sampler history allocated in this instance (bytes)
  private modelLoaded = false;

  constructor(
    private readonly module: WebAssembly.Module,
    /** The model bundle and priors of levels 2 and 3, asked for when a level-2 job first needs them. */
    private readonly model: ModelSource,
    /** Priors loaded into every instance when it starts (level 1's). */
    private readonly priors: Record<number, Uint8Array> = {},
  ) {
    this.fresh();
  }

  /**
   * Replaces the instance with a new one. The module's allocator never frees and its memory
   * never shrinks, so buffers for a bigger frame (or sampling session) are set up in a fresh
   * instance, and so is everything after an out-of-memory: the memory an engine holds stays
   * bounded by the largest single job, and one failure does not break the calls after it.
   */
  private fresh(): void {
    this.x = new WebAssembly.Instance(this.module, imports).exports as unknown as Exports;
    this.capacity = 0;
    this.samplerCapacity = 0;
    this.modelLoaded = false;
    this.loadPriors(this.priors);
  }

  private loadPriors(priors: Record<number, Uint8Array>): void {
    for (const [level, blob] of Object.entries(priors)) {
      const rc = this.x.loadPrior(Number(level), this.copyIn(blob), blob.length);
      if (rc === this.x.ERR_OUT_OF_MEMORY.value) throw new KolmoMemoryError(`out of memory loading the level ${level} prior`);
      if (rc !== 0) throw new KolmoModelMismatchError(`the level ${level} prior does not fit this build (code ${rc}); rebuild it with scripts/make-prior.mjs`);
    }
  }

  /** A fresh instance unless this one has allocated no buffers yet (growing means starting over). */
  private freshIfUsed(): void {
    if (this.capacity > 0 || this.samplerCapacity > 0) this.fresh();
  }

  /** Copies bytes into long-lived WebAssembly memory; returns their address. */
  private copyIn(bytes: Uint8Array): number {
    const ptr = this.x.allocBytes(bytes.length);
    if (ptr === 0) throw new KolmoMemoryError('out of memory');
    new Uint8Array(this.x.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  /**
   * Buffers of n bytes each (in a fresh instance if these are too small), then the model if
   * the level needs it. what names the job in an out-of-memory message.
   */
  private prepare(level: number, n: number, what: string): void {
    // Two buffers of n bytes must fit the module's memory (1 GiB) beside the tables.
    if (n > MAX_BUFFER) throw new KolmoMemoryError(`out of memory for ${what}: it needs two buffers of ${n} bytes`);
    for (let attempt = 0; ; attempt++) {
      if (n > this.capacity) {
        this.freshIfUsed();
        // Small frames round up to a power of two, so that slowly growing inputs do not start a
        // new instance each time; from 1 MiB on (the default frame) the size is exact.
        const want = n >= 1 << 20 ? n : Math.max(4096, 2 ** Math.ceil(Math.log2(n)));
        if (this.x.setup(want) !== 0) throw this.outOfMemory(`out of memory for ${what}`);
        this.capacity = want;
      }
      try {
        this.ensureModel(level);
        return;
      } catch (e) {
        // The model did not fit beside what this instance holds: once more in a fresh one
        // (and a fresh one is left behind either way).
        if (!(e instanceof KolmoMemoryError)) throw e;
        this.fresh();
        if (attempt > 0) throw e;
      }
    }
  }

  private ensureModel(level: number): void {
    if (level < 2 || this.modelLoaded) return;
    const model = this.model();
    if (!model) throw new KolmoModelMismatchError(`level ${level} needs the model bundle, which this build does not include`);
    const rc = this.x.modelLoad(this.copyIn(model.bundle), model.bundle.length);
    if (rc === this.x.LM_ERR_MEMORY.value || rc === this.x.NG_ERR_MEMORY.value) throw new KolmoMemoryError('out of memory loading the model bundle');
    if (rc !== 0) throw new KolmoModelMismatchError(`the model bundle failed to load (code ${rc})`);
    this.loadPriors(model.priors);
    this.modelLoaded = true;
  }

  /** An out-of-memory inside a call: start the next call from a fresh instance, then report it. */
  private outOfMemory(message: string): KolmoMemoryError {
    this.fresh();
    return new KolmoMemoryError(message);
  }

  /** Compresses one frame. Returns the payload, or null when storing it raw is smaller. */
  compressFrame(level: number, raw: Uint8Array): Uint8Array | null {
    if (raw.length === 0) return null;
    this.prepare(level, raw.length, `a frame of ${raw.length} bytes`);
    new Uint8Array(this.x.memory.buffer, this.x.inputPtr(), raw.length).set(raw);
    const len = this.x.encodeFrame(level, raw.length);
    if (len === this.x.ERR_NOT_SMALLER.value) return null;
    if (len < 0) throw this.outOfMemory(`out of memory compressing a frame of ${raw.length} bytes`);
    return new Uint8Array(this.x.memory.buffer, this.x.outputPtr(), len).slice();
  }

  /**
   * Decompresses one frame's payload into rawLength bytes (checked by the caller's
   * CRC). Returns 'short' when the payload ends too early to hold them, 'filter' when it
   * names no known filter (damaged, both).
   */
  decompressFrame(level: number, payload: Uint8Array, rawLength: number): Uint8Array | 'short' | 'filter' {
    this.prepare(level, Math.max(rawLength, payload.length), `a frame of ${rawLength} bytes`);
    new Uint8Array(this.x.memory.buffer, this.x.inputPtr(), payload.length).set(payload);
    const rc = this.x.decodeFrame(level, payload.length, rawLength);
    decodeWork.frames++;
    decodeWork.bytes += this.x.decodedBytes();
    if (rc === this.x.ERR_PAYLOAD_EXHAUSTED.value) return 'short';
    if (rc === this.x.ERR_BAD_FILTER.value) return 'filter';
    if (rc !== 0) throw this.outOfMemory(`out of memory decompressing a frame of ${rawLength} bytes`);
    return new Uint8Array(this.x.memory.buffer, this.x.outputPtr(), rawLength).slice();
  }

  /** Bits each byte costs under the level's model (f32 per byte). */
  measure(level: number, data: Uint8Array): Float32Array {
    // The input, then an f32 per byte in the output buffer: 4 bytes per input byte.
    this.prepare(level, Math.max(data.length * 4, 1), `measuring ${data.length} bytes`);
    new Uint8Array(this.x.memory.buffer, this.x.inputPtr(), data.length).set(data);
    if (this.x.measureFrame(level, this.x.inputPtr(), data.length, this.x.outputPtr()) !== 0) {
      throw this.outOfMemory(`out of memory measuring ${data.length} bytes`);
    }
    return new Float32Array(this.x.memory.buffer, this.x.outputPtr(), data.length).slice();
  }

  /** Starts a sampling session with room for prompt + output of maxBytes; seed is a u64. */
  samplerStart(level: number, maxBytes: number, seed: bigint): void {
    if (maxBytes > this.samplerCapacity) this.freshIfUsed();
    this.ensureModel(level);
    const hi = Number((seed >> 32n) & 0xffffffffn);
    const lo = Number(seed & 0xffffffffn);
    if (this.x.samplerStart(level, maxBytes, hi, lo) !== 0) throw this.outOfMemory('out of memory starting the sampler');
    this.samplerCapacity = Math.max(this.samplerCapacity, maxBytes);
  }

  /** Feeds prompt bytes through the model as if they were coded. */
  samplerFeed(bytes: Uint8Array): void {
    const at = this.x.samplerHistoryPtr() + this.x.samplerLength();
    new Uint8Array(this.x.memory.buffer, at, bytes.length).set(bytes);
    if (this.x.samplerFeed(bytes.length) !== 0) throw new RangeError('prompt longer than the sampling session');
  }

  /** Generates up to n bytes. */
  samplerGenerate(n: number, temperature: number, topK: number, topP: number, minP: number): Uint8Array {
    const start = this.x.samplerLength();
    const k = this.x.samplerGenerate(n, temperature, topK, topP, minP);
    return new Uint8Array(this.x.memory.buffer, this.x.samplerHistoryPtr() + start, k).slice();
  }

  /** Bytes of WebAssembly linear memory this engine holds. */
  memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }
}
