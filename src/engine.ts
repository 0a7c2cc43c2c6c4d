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
  lmLoad(ptr: number, len: number): number;
  loadPrior(level: number, ptr: number, len: number): number;
  measureFrame(level: number, src: number, n: number, dst: number): number;
  samplerStart(level: number, maxBytes: number, seedHi: number, seedLo: number): number;
  samplerHistoryPtr(): number;
  samplerFeed(n: number): number;
  samplerGenerate(n: number, temperature: number, topK: number, topP: number, minP: number): number;
  samplerLength(): number;
}

const imports = {
  env: {
    abort(): never {
      throw new Error('kolmo: internal error in the WebAssembly module');
    },
  },
};

export class Engine {
  private readonly x: Exports;
  private capacity = 0;
  private modelLoaded = false;

  constructor(
    module: WebAssembly.Module,
    private readonly model: Uint8Array | null,
    priors: Record<number, Uint8Array> = {},
  ) {
    this.x = new WebAssembly.Instance(module, imports).exports as unknown as Exports;
    for (const [level, blob] of Object.entries(priors)) {
      const rc = this.x.loadPrior(Number(level), this.copyIn(blob), blob.length);
      if (rc !== 0) throw new KolmoModelMismatchError(`the level ${level} prior does not fit this build (code ${rc}); rebuild it with scripts/make-prior.mjs`);
    }
  }

  /** Copies bytes into long-lived WebAssembly memory; returns their address. */
  private copyIn(bytes: Uint8Array): number {
    const ptr = this.x.allocBytes(bytes.length);
    if (ptr === 0) throw new KolmoMemoryError('out of memory');
    new Uint8Array(this.x.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  private ensureModel(level: number): void {
    if (level < 2 || this.modelLoaded) return;
    if (!this.model) throw new KolmoModelMismatchError(`level ${level} needs the language model, which this build does not include`);
    const rc = this.x.lmLoad(this.copyIn(this.model), this.model.length);
    if (rc !== 0) throw new KolmoModelMismatchError(`the language model failed to load (code ${rc})`);
    this.modelLoaded = true;
  }

  private ensureCapacity(n: number): void {
    if (n <= this.capacity) return;
    // Round up so a stream of slightly different frame sizes does not reallocate.
    const want = Math.max(n, 4096);
    if (this.x.setup(want) !== 0) throw new KolmoMemoryError(`out of memory for a frame of ${n} bytes`);
    this.capacity = want;
  }

  /** Compresses one frame. Returns the payload, or null when storing it raw is smaller. */
  compressFrame(level: number, raw: Uint8Array): Uint8Array | null {
    if (raw.length === 0) return null;
    this.ensureModel(level);
    this.ensureCapacity(raw.length);
    new Uint8Array(this.x.memory.buffer, this.x.inputPtr(), raw.length).set(raw);
    const len = this.x.encodeFrame(level, raw.length);
    if (len === -1) return null;
    if (len < 0) throw new KolmoMemoryError(`out of memory compressing a frame of ${raw.length} bytes`);
    return new Uint8Array(this.x.memory.buffer, this.x.outputPtr(), len).slice();
  }

  /**
   * Decompresses one frame's payload into rawLength bytes (checked by the caller's
   * CRC). Returns null when the payload ends too early to hold them (damaged).
   */
  decompressFrame(level: number, payload: Uint8Array, rawLength: number): Uint8Array | null {
    this.ensureModel(level);
    this.ensureCapacity(Math.max(rawLength, payload.length));
    new Uint8Array(this.x.memory.buffer, this.x.inputPtr(), payload.length).set(payload);
    const rc = this.x.decodeFrame(level, payload.length, rawLength);
    if (rc === -3) return null;
    if (rc !== 0) throw new KolmoMemoryError(`out of memory decompressing a frame of ${rawLength} bytes`);
    return new Uint8Array(this.x.memory.buffer, this.x.outputPtr(), rawLength).slice();
  }

  /** Bits each byte costs under the level's model (f32 per byte). */
  measure(level: number, data: Uint8Array): Float32Array {
    this.ensureModel(level);
    this.ensureCapacity(Math.max(data.length * 4, 1));
    new Uint8Array(this.x.memory.buffer, this.x.inputPtr(), data.length).set(data);
    if (this.x.measureFrame(level, this.x.inputPtr(), data.length, this.x.outputPtr()) !== 0) {
      throw new KolmoMemoryError(`out of memory measuring ${data.length} bytes`);
    }
    return new Float32Array(this.x.memory.buffer, this.x.outputPtr(), data.length).slice();
  }

  /** Starts a sampling session with room for prompt + output of maxBytes; seed is a u64. */
  samplerStart(level: number, maxBytes: number, seed: bigint): void {
    this.ensureModel(level);
    const hi = Number((seed >> 32n) & 0xffffffffn);
    const lo = Number(seed & 0xffffffffn);
    if (this.x.samplerStart(level, maxBytes, hi, lo) !== 0) throw new KolmoMemoryError('out of memory starting the sampler');
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
