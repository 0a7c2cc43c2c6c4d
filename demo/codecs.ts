// The codecs the compare table runs: kolmo's levels and the browser's own CompressionStream
// formats (gzip, deflate). Each codes a whole buffer, reports progress as the fraction of its
// input done, and stops with an AbortError when its signal fires.
import type { KolmoWorker } from './kolmo-worker.js';

export interface Codec {
  /** Row label. */
  name: string;
  /** File name extension of its output, for downloads. */
  extension: string;
  compress(data: Uint8Array, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Uint8Array>;
  decompress(packed: Uint8Array, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Uint8Array>;
}

/** kolmo at one level, in the kolmo worker, which spreads frames over its pool of Web Workers. */
export function kolmoCodec(worker: KolmoWorker, level: number): Codec {
  return {
    name: `kolmo level ${level}`,
    extension: 'kz',
    compress: (data, onProgress, signal) => worker.compress(data, level, onProgress, signal),
    decompress: (packed, onProgress, signal) => worker.decompress(packed, onProgress, signal),
  };
}

/** Input is written to a CompressionStream in chunks of this size (progress is per chunk). */
const NATIVE_CHUNK = 1 << 16;

/** The browser's CompressionStream / DecompressionStream in one format. */
export function nativeCodec(format: 'gzip' | 'deflate'): Codec {
  return {
    name: `CompressionStream ${format}`,
    extension: format === 'gzip' ? 'gz' : 'deflate',
    compress: (data, onProgress, signal) => pipe(data, new CompressionStream(format), onProgress, signal),
    decompress: (packed, onProgress, signal) => pipe(packed, new DecompressionStream(format), onProgress, signal),
  };
}

/** Writes data through a transform in chunks while reading its output; returns the output. */
async function pipe(
  data: Uint8Array,
  transform: { writable: WritableStream<BufferSource>; readable: ReadableStream<Uint8Array> },
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Uint8Array> {
  const output = collect(transform.readable);
  const writer = transform.writable.getWriter();
  try {
    for (let i = 0; i < data.length; i += NATIVE_CHUNK) {
      signal.throwIfAborted();
      await writer.write(data.subarray(i, i + NATIVE_CHUNK) as BufferSource);
      onProgress(Math.min(data.length, i + NATIVE_CHUNK) / data.length);
    }
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => {});
    await output.catch(() => {});
    throw e;
  }
  return output;
}

async function collect(readable: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(readable).arrayBuffer());
}
