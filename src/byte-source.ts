// Random-access input for parsers that read at offsets (member.ts), and the drivers that
// answer their reads from a byte array (synchronously) or from a ByteSource (a Blob, a file,
// a byte array; asynchronously).
//
// A parser is a generator that yields Reads and receives the bytes: it never does I/O itself,
// so the same code, and the same checks, locate a stream's parts whether the whole stream is in
// memory (scanStream), only the slices a byte range needs are read (range.ts), or the bytes
// arrive in chunks (the stream decoder: parseWith over its queue).

/** `length` bytes at stream offset `offset` (offset >= 0). */
export interface Read {
  offset: number;
  length: number;
}

/**
 * A parse that asks for bytes. Each answer holds the bytes at [offset, offset + length) that
 * exist: fewer (maybe none) where the input ends first. An answer may be a view of the
 * caller's buffer (parseSync, bytesSource).
 */
export type Reads<T> = Generator<Read, T, Uint8Array>;

/** Input read at offsets. read() returns min(length, size − offset) bytes (none past the end). */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

function clamp(size: number, r: Read): [number, number] {
  const start = Math.min(Math.max(0, r.offset), size);
  return [start, Math.min(size, start + Math.max(0, r.length))];
}

/** Runs a parse whose reads `answer` gives at once (the bytes present at each Read). */
export function parseWith<T>(parse: Reads<T>, answer: (r: Read) => Uint8Array): T {
  let step = parse.next();
  while (!step.done) step = parse.next(answer(step.value));
  return step.value;
}

/** Runs a parse over bytes in memory (answers are views of buf). */
export function parseSync<T>(parse: Reads<T>, buf: Uint8Array): T {
  return parseWith(parse, (r) => {
    const [a, b] = clamp(buf.length, r);
    return buf.subarray(a, b);
  });
}

/** Runs a parse over a ByteSource, one read at a time. */
export async function parseAsync<T>(parse: Reads<T>, source: ByteSource): Promise<T> {
  let step = parse.next();
  while (!step.done) {
    const [a, b] = clamp(source.size, step.value);
    const bytes = b > a ? await source.read(a, b - a) : new Uint8Array(0);
    step = parse.next(bytes);
  }
  return step.value;
}

/** A ByteSource over bytes in memory (reads are views, no copy). */
export function bytesSource(buf: Uint8Array): ByteSource {
  return {
    size: buf.length,
    read: async (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)),
  };
}

/** A ByteSource over a Blob or File: each read is one blob.slice(), so only those bytes are loaded. */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    async read(offset, length) {
      const end = Math.min(blob.size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    },
  };
}
