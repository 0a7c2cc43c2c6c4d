import { ByteQueue } from './byte-queue.js';
import { parseWith } from './byte-source.js';
import { checkModel, decodeJob, streamHeader } from './container.js';
import { crc32 } from './crc32.js';
import { KolmoAbortError } from './errors.js';
import { encodeEnd, type Header } from './format.js';
import { StreamParser } from './member.js';
import { resolveFrameSize, resolveLevel, resolveThreads, type CompressStreamOptions, type DecompressOptions } from './options.js';
import type { FrameJob, FrameRunner } from './protocol.js';
import { createRunner } from './runner.js';

// WHATWG TransformStreams (like CompressionStream). Memory stays bounded by
// frame size x jobs in flight, whatever the input size: a frame is handed to the
// runner as soon as it is complete, and at most 2 x parallelism frames are in flight
// before the stream stops pulling input (backpressure). The decompress stream also starts
// no new frame while 8 MiB of output waits for its reader, since one written chunk can
// hold many frames (streamLimits below).
// The workers come from the process-wide pool (pool.ts): a compress stream piped into
// a decompress stream in one process shares them.
// The compressed bytes equal compress() with the same options.

/** Transformer with the cancel() hook (Streams spec 2023; TypeScript's DOM lib lacks it). */
type CancellableTransformer = Transformer<Uint8Array, Uint8Array> & { cancel?(reason: unknown): void | Promise<void> };

/**
 * Keeps finished frames in order, limits how many are in flight, and (when `out` is set)
 * starts no new frame while the output queue is at its high-water mark.
 */
class OrderedJobs {
  private runner: FrameRunner | null = null;
  private queue: Promise<Uint8Array>[] = [];
  private jobs: FrameJob[] = [];
  private closed = false;
  private waiters: (() => void)[] = [];
  /** The controller whose queue is watched for backpressure (set in start()). */
  out: TransformStreamDefaultController<Uint8Array> | null = null;

  constructor(
    private readonly threads: number,
    private readonly signal: AbortSignal | undefined,
    private readonly onResult: (r: Uint8Array, job: FrameJob) => void,
  ) {}

  private check(): void {
    if (this.signal?.aborted) throw new KolmoAbortError('operation aborted');
    if (this.closed) throw new KolmoAbortError('stream closed');
  }

  /** Resolves once the output queue (when watched) is below its high-water mark. */
  private async room(): Promise<void> {
    if (!this.out) return;
    while ((this.out.desiredSize ?? 1) <= 0) {
      await new Promise<void>((r) => this.waiters.push(r));
      this.check();
    }
  }

  /** The reader took a chunk (or the stream ended): re-check room(). */
  wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async submit(job: FrameJob): Promise<void> {
    this.check();
    await this.room();
    if (!this.runner) {
      const runner = await createRunner(this.threads, this.signal);
      if (this.closed) runner.close(); // closed while the runner was being made
      else this.runner = runner;
      this.check();
    }
    const p = this.runner!.run(job);
    p.catch(() => {});
    this.queue.push(p);
    this.jobs.push(job);
    await this.drain(2 * this.runner!.parallelism - 1);
  }

  /** Waits until at most `keep` jobs are in flight, emitting results in order. */
  async drain(keep = 0): Promise<void> {
    while (this.queue.length > keep) {
      const r = await this.queue.shift()!;
      this.check();
      await this.room();
      this.onResult(r, this.jobs.shift()!);
    }
  }

  /** Gives the workers back (stopping any job still running: only on failure or cancel). */
  close(): void {
    this.closed = true;
    this.runner?.close();
    this.runner = null;
    this.queue = [];
    this.jobs = [];
    this.wake();
  }
}

/**
 * Chromium (156 here) never calls a transformer's cancel() (the Streams spec
 * added it in 2023), so cancelling the readable side or aborting the writable side of an
 * idle stream left its worker pool running: leaked Web Workers. Route both through
 * onCancel here too, keeping the TransformStream object (pipeThrough and Duplex.fromWeb
 * read its readable and writable properties).
 */
function closeOnCancel(ts: TransformStream<Uint8Array, Uint8Array>, jobs: OrderedJobs): TransformStream<Uint8Array, Uint8Array> {
  const onCancel = () => jobs.close();
  const reader = ts.readable.getReader();
  const writer = ts.writable.getWriter();
  const readable = new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        const r = await reader.read();
        if (r.done) c.close();
        else c.enqueue(r.value);
        jobs.wake(); // the inner queue shrank: a transform waiting for room may go on
      },
      cancel(reason) {
        onCancel();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) => writer.write(chunk),
    close: () => writer.close(),
    abort(reason) {
      onCancel();
      return writer.abort(reason);
    },
  });
  return Object.defineProperties(ts, { readable: { value: readable }, writable: { value: writable } });
}

export function createCompressStream(opts: CompressStreamOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  const level = resolveLevel(opts.level);
  const frameSize = resolveFrameSize(opts.frameSize, level, opts.inputSize);
  const threads = resolveThreads(opts.threads, Infinity);
  const pending = new ByteQueue();
  let header: Uint8Array | null = null; // written once we know single- or multi-frame
  const recordSizes: number[] = [];
  let total = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let out!: TransformStreamDefaultController<Uint8Array>;
  const jobs = new OrderedJobs(threads, opts.signal, (r, job) => {
    recordSizes.push(r.length);
    out.enqueue(r);
    bytesIn += job.type === 'encode' ? job.raw.length : 0;
    bytesOut += r.length;
    opts.onProgress?.(opts.inputSize === undefined ? { bytesIn, bytesOut } : { bytesIn, bytesOut, totalIn: opts.inputSize });
  });
  const makeHeader = (multiFrame: boolean) => streamHeader(level, multiFrame, frameSize);

  const ts = new TransformStream<Uint8Array, Uint8Array>(<CancellableTransformer>{
    start(controller) {
      out = controller;
    },
    async transform(chunk) {
      try {
        if (!(chunk instanceof Uint8Array)) throw new TypeError('compress stream chunks must be Uint8Array');
        // Copy: the writer may reuse its buffer once write() resolves, while frames (and the
        // partial frame left over) still refer to these bytes. (Not chunk.slice(): a Node
        // Buffer's slice() is a view.)
        pending.push(new Uint8Array(chunk));
        // More than one frame of input: this is a multi-frame stream.
        while (pending.length > frameSize) {
          if (!header) {
            header = makeHeader(true);
            out.enqueue(header);
            bytesOut += header.length;
          }
          const raw = pending.take(frameSize);
          total += raw.length;
          await jobs.submit({ type: 'encode', level, raw });
        }
      } catch (e) {
        jobs.close();
        throw e;
      }
    },
    // The reader cancelled or the writer aborted: stop the workers (they would otherwise
    // live on, and keep a Node process from exiting).
    cancel() {
      jobs.close();
    },
    async flush() {
      try {
        const raw = pending.take(pending.length);
        if (!header) {
          // Everything fit in one frame: the same single-frame stream compress() writes.
          header = makeHeader(false);
          out.enqueue(header);
          await jobs.submit({ type: 'encode', level, raw });
          await jobs.drain();
          return;
        }
        if (raw.length > 0) {
          total += raw.length;
          await jobs.submit({ type: 'encode', level, raw });
        }
        await jobs.drain();
        out.enqueue(encodeEnd(header, total, recordSizes, crc32));
      } finally {
        jobs.close();
      }
    },
  });
  return closeOnCancel(ts, jobs);
}

/**
 * Decoded bytes the decompress stream may hold for its reader (its readable side's
 * high-water mark). One compressed chunk can hold many highly compressible frames (a
 * 1 MiB frame of zeros codes to about 100 bytes, so 64 KiB of input is ~600 MiB of
 * output); past this budget the stream starts no new frame until the reader takes some.
 * Compressing needs no such budget: its output is never much larger than the chunk written.
 */
export const streamLimits = { decodeOutputBudget: 8 << 20 }; // internal (not exported by index.ts); tests lower it

export function createDecompressStream(opts: DecompressOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  const threads = resolveThreads(opts.threads, Infinity);
  const input = new ByteQueue(); // the bytes from parser.offset on
  // The stream's parts, checked as in scanStream (member.ts): a stream is one member or several.
  const parser = new StreamParser();
  let header: Header | null = null; // of the member being parsed
  let bytesIn = 0;
  let bytesOut = 0;
  let out!: TransformStreamDefaultController<Uint8Array>;
  const jobs = new OrderedJobs(threads, opts.signal, (r, job) => {
    out.enqueue(r);
    bytesOut += r.length;
    if (job.type === 'decode') bytesIn += job.head.headLength + job.body.length;
    opts.onProgress?.({ bytesIn, bytesOut });
  });

  /** Parses and hands on every part the input holds; ended: no more input comes (flush). */
  async function parse(ended: boolean): Promise<void> {
    for (;;) {
      const base = parser.offset;
      const part = parseWith(parser.next(input.length, ended), (r) => input.peek(r.offset - base + r.length).subarray(r.offset - base));
      if (!part || part.kind === 'done') return;
      if (part.kind === 'header') {
        checkModel(part.header, part.offset);
        header = part.header;
      }
      if (part.kind !== 'frame') {
        input.skip(part.length);
        continue;
      }
      const { frame } = part;
      input.skip(frame.head.headLength);
      const body = input.take(frame.recordLength - frame.head.headLength);
      await jobs.submit(decodeJob(header!, frame, frame.head, body));
    }
  }

  const ts = new TransformStream<Uint8Array, Uint8Array>(<CancellableTransformer>{
    start(controller) {
      out = controller;
      jobs.out = controller;
    },
    async transform(chunk) {
      try {
        if (!(chunk instanceof Uint8Array)) throw new TypeError('decompress stream chunks must be Uint8Array');
        input.push(new Uint8Array(chunk)); // copied, as in the compress stream
        await parse(false);
      } catch (e) {
        jobs.close();
        throw e;
      }
    },
    async flush() {
      try {
        await parse(true); // throws where the input ends inside a member
        await jobs.drain();
      } finally {
        jobs.close();
      }
    },
    cancel() {
      jobs.close();
    },
  }, undefined, { highWaterMark: streamLimits.decodeOutputBudget, size: (c) => c.byteLength });
  return closeOnCancel(ts, jobs);
}
