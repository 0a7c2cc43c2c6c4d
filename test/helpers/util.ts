// Small helpers shared by the tests.
import {
  KolmoChecksumError,
  KolmoFormatError,
  KolmoModelMismatchError,
  modelName,
} from '../../src/index.js';

export { lcgBytes, PARAGRAPH, jsonDocument } from './vectors.mjs';

/** Levels this build can code: level 1 always, levels 2 and 3 only when the model bundle is embedded. */
export const LEVELS: number[] = modelName ? [1, 2, 3] : [1];
export const HAS_MODEL = modelName !== null;
export const NO_MODEL_REASON = 'levels 2 and 3 skipped: this build embeds no model bundle (modelName is null: the model file named in scripts/model.mjs was absent at build time)';

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Reads a web ReadableStream to one array. */
export async function readAll(rs: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const reader = rs.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return concatBytes(...parts);
}

/** Cuts data into chunks of the given sizes (cycled), then pipes through a TransformStream. */
export async function pipeChunks(
  data: Uint8Array,
  sizes: number[],
  ts: TransformStream<Uint8Array, Uint8Array>,
): Promise<Uint8Array> {
  const writer = ts.writable.getWriter();
  const result = readAll(ts.readable);
  result.catch(() => {});
  try {
    let off = 0;
    let k = 0;
    while (off < data.length) {
      const n = Math.max(1, sizes.length ? sizes[k++ % sizes.length] : data.length);
      await writer.write(data.slice(off, off + n));
      off += n;
    }
    await writer.close();
  } catch (e) {
    // The writable errors when the transform throws; report the readable's error (the same one).
    await result;
    throw e;
  }
  return result;
}

export function isTypedDecodeError(e: unknown): boolean {
  return e instanceof KolmoFormatError || e instanceof KolmoChecksumError || e instanceof KolmoModelMismatchError;
}

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Unsigned LEB128, as the container writes it (for building hostile streams by hand). */
export function varint(v: number | bigint): number[] {
  let x = BigInt(v);
  const out: number[] = [];
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
  return out;
}

export function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}
