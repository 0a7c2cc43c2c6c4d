// Streaming: the WHATWG TransformStreams and the Node Duplex versions produce exactly the
// bytes of compress(), whatever the chunking, respect backpressure, and cancel on abort.
import fc from 'fast-check';
import fs from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  compress,
  compressSync,
  createCompressNodeStream,
  createCompressStream,
  createDecompressNodeStream,
  createDecompressStream,
  decompress,
  decompressSync,
  info,
  KolmoAbortError,
  KolmoChecksumError,
  KolmoFormatError,
} from '../src/index.js';
import { resolveFrameSize } from '../src/options.js';
import { streamLimits } from '../src/stream.js';
import { concatBytes, lcgBytes, LEVELS, PARAGRAPH, pipeChunks } from './helpers/util.js';

const enc = new TextEncoder();

const inputArb = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 900 }),
  fc.integer({ min: 0, max: 1200 }).map((n) => enc.encode(PARAGRAPH.repeat(4)).subarray(0, n)),
  fc.tuple(fc.integer(), fc.integer({ min: 0, max: 900 })).map(([s, n]) => lcgBytes(s, n)),
);
const chunkSizesArb = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 12 });

function collectNode(chunks: Uint8Array[]): Writable {
  return new Writable({
    write(chunk, _enc, cb) {
      chunks.push(new Uint8Array(chunk));
      cb();
    },
  });
}

for (const level of LEVELS) {
  describe(`WHATWG streams, level ${level}`, () => {
    it('compress stream == compressSync for any chunking; decompress stream inverts it', async () => {
      await fc.assert(
        fc.asyncProperty(inputArb, chunkSizesArb, fc.constantFrom(64, 100, 4096), fc.constantFrom(1, 2), async (input, sizes, frameSize, threads) => {
          const expected = compressSync(input, { level, frameSize });
          const c = await pipeChunks(input, sizes, createCompressStream({ level, frameSize, threads }));
          expect(c).toEqual(expected);
          const d = await pipeChunks(c, [...sizes].reverse(), createDecompressStream({ threads }));
          expect(d).toEqual(input);
        }),
        { numRuns: level === 1 ? 25 : 5, seed: 1234 },
      );
    });

    it('input lengths at frame boundaries, in frame-sized and odd chunks, match compressSync', async () => {
      const base = enc.encode(PARAGRAPH.repeat(2));
      for (const n of [63, 64, 65, 128, 129, 192]) {
        const input = base.subarray(0, n);
        const expected = compressSync(input, { level, frameSize: 64 });
        for (const sizes of [[64], [n], [1], [63, 2]]) {
          const c = await pipeChunks(input, sizes, createCompressStream({ level, frameSize: 64, threads: 1 }));
          expect(c, `n=${n} chunks=${sizes}`).toEqual(expected);
        }
      }
    });

    it('decompress stream fed one byte at a time', async () => {
      const input = enc.encode(PARAGRAPH.repeat(2));
      for (const frameSize of [64, 4096]) {
        const c = compressSync(input, { level, frameSize });
        expect(await pipeChunks(c, [1], createDecompressStream({ threads: 1 }))).toEqual(input);
      }
    });

    it('empty input and empty chunks', async () => {
      const expected = compressSync(new Uint8Array(0), { level });
      const ts = createCompressStream({ level, threads: 1 });
      const w = ts.writable.getWriter();
      const out = (async () => {
        const parts: Uint8Array[] = [];
        for await (const p of ts.readable as unknown as AsyncIterable<Uint8Array>) parts.push(p);
        return concatBytes(...parts);
      })();
      await w.write(new Uint8Array(0));
      await w.write(new Uint8Array(0));
      await w.close();
      const c = await out;
      expect(c).toEqual(expected);
      expect(await pipeChunks(c, [1], createDecompressStream())).toEqual(new Uint8Array(0));
    });
  });
}

describe('equal frames by default', () => {
  it('the default frame size cuts a known length into equal frames of at most the level\'s default', () => {
    const MiB = 1024 * 1024;
    expect(resolveFrameSize(undefined, 1)).toBe(MiB);
    expect(resolveFrameSize(undefined, 1, 0)).toBe(MiB);
    expect(resolveFrameSize(undefined, 1, MiB)).toBe(MiB);
    expect(resolveFrameSize(undefined, 1, MiB + 1)).toBe(MiB / 2 + 1);
    expect(resolveFrameSize(undefined, 1, 3_487_272)).toBe(871_818); // four frames, not 3 x 1 MiB + 0.33
    expect(resolveFrameSize(300, 1, 3_487_272)).toBe(300); // the caller's frame size is kept
    // levels 2 and 3: one frame up to 16 MiB, then equal frames of at most 16 MiB
    expect(resolveFrameSize(undefined, 2)).toBe(16 * MiB);
    expect(resolveFrameSize(undefined, 3, 3_487_272)).toBe(16 * MiB);
    expect(resolveFrameSize(undefined, 2, 16 * MiB + 2)).toBe(8 * MiB + 1);
    expect(() => resolveFrameSize(undefined, 1, -1)).toThrow(RangeError);
  });

  it('a stream told the input size writes the bytes of compressSync (two frames of 1 MiB / 2 + 50)', async () => {
    // Level 1 only: level 2 would take a minute on 1 MiB.
    const input = lcgBytes(7, 1024 * 1024 + 100).map((b) => 97 + (b & 7));
    const expected = compressSync(input, { level: 1 });
    const i = info(expected);
    expect(i.frames.map((f) => f.rawLength)).toEqual([524_338, 524_338]);
    const c = await pipeChunks(input, [65_536], createCompressStream({ level: 1, threads: 1, inputSize: input.length }));
    expect(c).toEqual(expected);
  });
});

describe('the writer may reuse its buffer once write() resolves', () => {
  for (const threads of [1, 2]) {
    it(`compress stream, threads ${threads}: output is the bytes as written, not as later overwritten`, async () => {
      const ts = createCompressStream({ level: 1, frameSize: 64, threads });
      const w = ts.writable.getWriter();
      const out = readAllParts(ts.readable);
      const buf = Buffer.alloc(300); // a Node Buffer, as fs streams hand out
      const expected: number[] = [];
      for (let round = 0; round < 4; round++) {
        buf.fill(0x41 + round);
        expected.push(...buf);
        await w.write(buf);
      }
      await w.close();
      const c = await out;
      expect(decompressSync(c)).toEqual(Uint8Array.from(expected));
      expect(c).toEqual(compressSync(Uint8Array.from(expected), { level: 1, frameSize: 64 }));
    });

    it(`decompress stream, threads ${threads}: reusing the input buffer does not damage the frames`, async () => {
      const input = enc.encode(PARAGRAPH.repeat(2));
      const c = compressSync(input, { level: 1, frameSize: 64 });
      const ts = createDecompressStream({ threads });
      const w = ts.writable.getWriter();
      const out = readAllParts(ts.readable);
      const buf = new Uint8Array(50);
      for (let o = 0; o < c.length; o += 50) {
        const n = Math.min(50, c.length - o);
        buf.set(c.subarray(o, o + n));
        await w.write(buf.subarray(0, n));
        buf.fill(0xff); // scribble over it once write() has resolved
      }
      await w.close();
      expect(await out).toEqual(input);
    });
  }
});

async function readAllParts(rs: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const r = rs.getReader();
  for (;;) {
    const { done, value } = await r.read();
    if (done) return concatBytes(...parts);
    parts.push(value);
  }
}

describe('WHATWG stream errors', () => {
  it('rejects chunks that are not Uint8Array with TypeError', async () => {
    const ts = createCompressStream({ level: 1 });
    const w = ts.writable.getWriter();
    ts.readable.getReader().read().catch(() => {});
    await expect(w.write('text' as unknown as Uint8Array)).rejects.toBeInstanceOf(TypeError);
  });

  it('decompress stream: garbage, truncation, trailing bytes, bad CRC are typed errors', async () => {
    const input = enc.encode(PARAGRAPH.repeat(2));
    const multi = compressSync(input, { level: 1, frameSize: 128 });
    const single = compressSync(input, { level: 1 });
    await expect(pipeChunks(enc.encode('not kolmo at all'), [5], createDecompressStream())).rejects.toThrow(/bad magic at byte 0/);
    for (const c of [single, multi]) {
      const cut = c.subarray(0, c.length - 3);
      const err = await pipeChunks(cut, [50], createDecompressStream({ threads: 1 })).catch((e) => e);
      expect(err).toBeInstanceOf(KolmoFormatError);
      expect(err.message).toMatch(/truncated/);
      const extra = concatBytes(c, Uint8Array.of(0));
      const err2 = await pipeChunks(extra, [50], createDecompressStream({ threads: 1 })).catch((e) => e);
      expect(err2).toBeInstanceOf(KolmoFormatError);
      expect(err2.message).toMatch(new RegExp(`after the end of the stream at byte ${c.length}`));
    }
    // One flipped bit in the CRC of frame 1: the frame is decoded (in a worker) and then refused.
    for (const threads of [1, 2]) {
      const streamErr = await pipeChunks(corruptFrameCrc(multi, 1), [33], createDecompressStream({ threads })).catch((e) => e);
      expect(streamErr).toBeInstanceOf(KolmoChecksumError);
      expect(streamErr.message).toMatch(new RegExp(`frame 1 at byte ${walkFrames(multi).offsets[1]}: CRC-32 mismatch`));
    }
  });

  it('error messages from the stream decoder name the real stream offset', async () => {
    const input = enc.encode(PARAGRAPH.repeat(2));
    const c = compressSync(input, { level: 1, frameSize: 128 });
    // Make frame 2's raw length larger than the frame size: find frame 2's offset via info-like walk.
    const { offsets } = walkFrames(c);
    const bad = c.slice();
    // raw length 128 is encoded as 0x80 0x01; make it 129 (0x81 0x01).
    expect([bad[offsets[2]], bad[offsets[2] + 1]]).toEqual([0x80, 0x01]);
    bad[offsets[2]] = 0x81;
    const whole = (() => { try { decompressSync(bad); } catch (e) { return e as Error; } })();
    expect(whole).toBeInstanceOf(KolmoFormatError);
    expect(whole!.message).toContain(`frame 2 at byte ${offsets[2]}`);
    const streamed = await pipeChunks(bad, [17], createDecompressStream({ threads: 1 })).catch((e) => e);
    expect(streamed).toBeInstanceOf(KolmoFormatError);
    expect(streamed.message).toContain(`frame 2 at byte ${offsets[2]}`);
  });
});

/** Offsets of the frame records of a multi-frame level-1 stream (header: magic, descriptor, model id, frame size, lanes). */
function walkFrames(c: Uint8Array): { offsets: number[] } {
  let pos = 7; // after K, the version letter, the descriptor and the model id
  const rd = () => {
    let v = 0;
    let s = 1;
    for (;;) {
      const b = c[pos++];
      v += (b & 0x7f) * s;
      if (!(b & 0x80)) return v;
      s *= 128;
    }
  };
  rd();
  rd();
  const offsets: number[] = [];
  for (;;) {
    const start = pos;
    const raw = rd();
    if (raw === 0) break;
    const payload = rd();
    pos += 4 + (payload === 0 ? raw : payload);
    offsets.push(start);
  }
  return { offsets };
}

function corruptFrameCrc(c: Uint8Array, frame: number): Uint8Array {
  const { offsets } = walkFrames(c);
  const bad = c.slice();
  let pos = offsets[frame];
  while (bad[pos] & 0x80) pos++;
  pos++;
  while (bad[pos] & 0x80) pos++;
  pos++;
  bad[pos] ^= 0x01; // first CRC byte
  return bad;
}

describe('Node Duplex streams', () => {
  it('pipeline(Readable, compress, decompress, Writable) round-trips and matches compressSync', async () => {
    const input = concatBytes(enc.encode(PARAGRAPH.repeat(20)), lcgBytes(5, 3000));
    const expected = compressSync(input, { level: 1, frameSize: 1024 });
    const chunks: Uint8Array[] = [];
    const src = Readable.from((function* () {
      for (let o = 0; o < input.length; o += 777) yield Buffer.from(input.subarray(o, o + 777));
    })());
    await pipeline(src, createCompressNodeStream({ level: 1, frameSize: 1024, threads: 2 }), collectNode(chunks));
    const c = concatBytes(...chunks);
    expect(c).toEqual(expected);
    const out: Uint8Array[] = [];
    await pipeline(Readable.from([Buffer.from(c)]), createDecompressNodeStream({ threads: 2 }), collectNode(out));
    expect(concatBytes(...out)).toEqual(input);
    expect(decompressSync(c)).toEqual(input);
  });

  it('a corrupted stream rejects the pipeline with the typed error', async () => {
    const input = enc.encode(PARAGRAPH.repeat(3));
    const bad = corruptFrameCrc(compressSync(input, { level: 1, frameSize: 256 }), 0);
    const err = await pipeline(Readable.from([Buffer.from(bad)]), createDecompressNodeStream({ threads: 1 }), collectNode([])).catch((e) => e);
    expect(err).toBeInstanceOf(KolmoChecksumError);
    expect(err.message).toMatch(/frame 0 at byte \d+: CRC-32 mismatch/);
  });

  it('backpressure: with a slow reader, the compressor does not run far ahead of it', async () => {
    // Noise keeps compressed records about as large as frames, so Node's 16 KiB stream
    // buffers hold only a few frames; the input (60 frames) is much more than they hold.
    const frameSize = 2048;
    const input = lcgBytes(77, 60 * frameSize);
    const nFrames = input.length / frameSize;
    let produced = 0; // bytes the source has handed on
    let consumed = 0; // chunks the slow sink has accepted
    let maxAhead = 0;
    const src = new Readable({
      highWaterMark: frameSize,
      read() {
        if (produced >= input.length) return void this.push(null);
        this.push(Buffer.from(input.subarray(produced, produced + frameSize)));
        produced += frameSize;
      },
    });
    const parts: Uint8Array[] = [];
    const sink = new Writable({
      highWaterMark: 1,
      write(chunk, _e, cb) {
        parts.push(new Uint8Array(chunk));
        consumed++;
        maxAhead = Math.max(maxAhead, produced / frameSize - consumed);
        setTimeout(cb, 3);
      },
    });
    await pipeline(src, createCompressNodeStream({ level: 1, frameSize, threads: 1 }), sink);
    expect(decompressSync(concatBytes(...parts))).toEqual(input);
    // Without backpressure the source is drained long before the sink has taken a handful
    // (maxAhead close to nFrames); with it, only the buffers' worth of frames run ahead.
    expect(maxAhead).toBeGreaterThan(0);
    expect(maxAhead).toBeLessThan(nFrames / 2); // measured: ~17 of 60 (two 16 KiB buffers + frames in flight)
  });
});

const hasProcTasks = fs.existsSync('/proc/self/task');
const threadCount = () => fs.readdirSync('/proc/self/task').length;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function settlesTo(baseline: number): Promise<number> {
  // Terminated worker threads exit asynchronously: poll for up to 3 s.
  for (let i = 0; i < 60 && threadCount() > baseline; i++) await sleep(50);
  return threadCount();
}

/** The thread count once it has stopped changing (threads of earlier tests may still be exiting). */
async function stableCount(): Promise<number> {
  let prev = threadCount();
  for (let i = 0; i < 40; i++) {
    await sleep(50);
    const now = threadCount();
    if (now === prev) return now;
    prev = now;
  }
  return prev;
}

describe.skipIf(!hasProcTasks)('worker threads are released (Linux /proc/self/task)', () => {
  it('cancelling the reader of a compress stream stops its workers', async () => {
    const baseline = await stableCount();
    const ts = createCompressStream({ level: 1, frameSize: 64, threads: 2 });
    const w = ts.writable.getWriter();
    const r = ts.readable.getReader();
    const first = r.read();
    await w.write(enc.encode(PARAGRAPH));
    await first;
    expect(threadCount()).toBeGreaterThanOrEqual(baseline + 2);
    await r.cancel(new Error('consumer gone'));
    await w.abort(new Error('consumer gone')).catch(() => {});
    expect(await settlesTo(baseline)).toBe(baseline);
  });

  it('aborting the writer of a decompress stream stops its workers', async () => {
    const baseline = await stableCount();
    const c = compressSync(PARAGRAPH.repeat(2), { level: 1, frameSize: 64 });
    const ts = createDecompressStream({ threads: 2 });
    const w = ts.writable.getWriter();
    const r = ts.readable.getReader();
    const first = r.read();
    await w.write(c.subarray(0, 300)); // several whole frames: enough for the first output
    await first;
    expect(threadCount()).toBeGreaterThanOrEqual(baseline + 2);
    await w.abort(new Error('producer gone'));
    await r.cancel().catch(() => {});
    expect(await settlesTo(baseline)).toBe(baseline);
  });

  for (const kind of ['compress', 'decompress'] as const) {
    it(`a ${kind} stream that fails (a chunk that is not a Uint8Array) stops its workers`, async () => {
      const baseline = await stableCount();
      const ts = kind === 'compress'
        ? createCompressStream({ level: 1, frameSize: 64, threads: 2 })
        : createDecompressStream({ threads: 2 });
      const w = ts.writable.getWriter();
      const reading = (async () => { const r = ts.readable.getReader(); for (;;) if ((await r.read()).done) return; })();
      reading.catch(() => {});
      const first = kind === 'compress' ? enc.encode(PARAGRAPH) : compressSync(PARAGRAPH.repeat(2), { level: 1, frameSize: 64 }).subarray(0, 200);
      await w.write(first);
      expect(threadCount()).toBeGreaterThanOrEqual(baseline + 2);
      await expect(w.write('oops' as unknown as Uint8Array)).rejects.toBeInstanceOf(TypeError);
      expect(await settlesTo(baseline)).toBe(baseline);
    });
  }
});

describe('AbortSignal', () => {
  it('an already-aborted signal fails the stream with KolmoAbortError', async () => {
    for (const threads of [1, 2]) {
      const err = await pipeChunks(enc.encode(PARAGRAPH), [100], createCompressStream({ level: 1, threads, signal: AbortSignal.abort() })).catch((e) => e);
      expect(err).toBeInstanceOf(KolmoAbortError);
      const c = compressSync(PARAGRAPH, { level: 1, frameSize: 64 });
      const err2 = await pipeChunks(c, [100], createDecompressStream({ threads, signal: AbortSignal.abort() })).catch((e) => e);
      expect(err2).toBeInstanceOf(KolmoAbortError);
    }
  });

  it('aborting mid-stream fails it with KolmoAbortError (compress and decompress, 1 and 2 threads)', async () => {
    const input = enc.encode(PARAGRAPH.repeat(8));
    for (const threads of [1, 2]) {
      const ac = new AbortController();
      const err = await pipeChunks(input, [64], createCompressStream({
        level: 1, frameSize: 64, threads, signal: ac.signal,
        onProgress: (p) => { if (p.bytesIn >= 128) ac.abort(); },
      })).catch((e) => e);
      expect(err).toBeInstanceOf(KolmoAbortError);
      const ac2 = new AbortController();
      const c = compressSync(input, { level: 1, frameSize: 64 });
      const err2 = await pipeChunks(c, [40], createDecompressStream({
        threads, signal: ac2.signal,
        onProgress: (p) => { if (p.bytesOut >= 128) ac2.abort(); },
      })).catch((e) => e);
      expect(err2).toBeInstanceOf(KolmoAbortError);
    }
  });

  it('compress()/decompress(): already aborted, or aborted mid-way, reject with KolmoAbortError', async () => {
    const input = enc.encode(PARAGRAPH.repeat(8));
    const c = compressSync(input, { level: 1, frameSize: 64 });
    for (const threads of [1, 2]) {
      await expect(compress(input, { level: 1, threads, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(KolmoAbortError);
      await expect(decompress(c, { threads, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(KolmoAbortError);
      const ac = new AbortController();
      let calls = 0;
      const err = await compress(input, { level: 1, frameSize: 64, threads, signal: ac.signal, onProgress: () => {
        calls++;
        ac.abort();
      } }).catch((e) => e);
      expect(err, `threads ${threads}`).toBeInstanceOf(KolmoAbortError);
      expect(calls).toBe(1);
      const ac2 = new AbortController();
      const err2 = await decompress(c, { threads, signal: ac2.signal, onProgress: () => ac2.abort() }).catch((e) => e);
      expect(err2, `threads ${threads}`).toBeInstanceOf(KolmoAbortError);
    }
  });

  it('abort through a Node pipeline rejects with KolmoAbortError', async () => {
    const ac = new AbortController();
    const input = enc.encode(PARAGRAPH.repeat(8));
    const err = await pipeline(
      Readable.from([Buffer.from(input)]),
      createCompressNodeStream({ level: 1, frameSize: 64, threads: 2, signal: ac.signal, onProgress: () => ac.abort() }),
      collectNode([]),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(KolmoAbortError);
  });
});

describe.skipIf(!hasProcTasks)('one worker pool per process, shared by all calls and streams', () => {
  /** Runs fn while sampling the thread count every 5 ms; returns the most threads seen above baseline. */
  async function peakThreads<T>(fn: () => Promise<T>): Promise<{ result: T; extra: number; baseline: number }> {
    const baseline = await stableCount();
    let peak = baseline;
    const timer = setInterval(() => { peak = Math.max(peak, threadCount()); }, 5);
    try {
      const result = await fn();
      peak = Math.max(peak, threadCount());
      return { result, extra: peak - baseline, baseline };
    } finally {
      clearInterval(timer);
    }
  }

  it('a compress stream piped into a decompress stream (threads 2 each) uses 2 workers in all, and gives them back', async () => {
    const input = concatBytes(enc.encode(PARAGRAPH.repeat(30)), lcgBytes(9, 6000));
    const out: Uint8Array[] = [];
    const { extra, baseline } = await peakThreads(() => pipeline(
      Readable.from((function* () { for (let o = 0; o < input.length; o += 1000) yield Buffer.from(input.subarray(o, o + 1000)); })()),
      createCompressNodeStream({ level: 1, frameSize: 1024, threads: 2 }),
      createDecompressNodeStream({ threads: 2 }),
      collectNode(out),
    ));
    expect(concatBytes(...out)).toEqual(input);
    expect(extra).toBeGreaterThanOrEqual(1);
    expect(extra, 'two pools of 2 would be 4').toBeLessThanOrEqual(2);
    expect(await settlesTo(baseline)).toBe(baseline);
  });

  it('concurrent compress()/decompress() calls share the workers; a lease for 3 lets the pool grow to 3', async () => {
    const a = concatBytes(enc.encode(PARAGRAPH.repeat(20)), lcgBytes(3, 4000));
    const b = lcgBytes(4, 9000);
    const cb = compressSync(b, { level: 1, frameSize: 512 });
    const two = await peakThreads(() => Promise.all([
      compress(a, { level: 1, frameSize: 512, threads: 2 }),
      decompress(cb, { threads: 2 }),
      compress(b, { level: 1, frameSize: 512, threads: 2 }),
    ]));
    expect(two.result[0]).toEqual(compressSync(a, { level: 1, frameSize: 512 }));
    expect(two.result[1]).toEqual(b);
    expect(two.result[2]).toEqual(cb);
    expect(two.extra).toBeLessThanOrEqual(2);
    expect(await settlesTo(two.baseline)).toBe(two.baseline);
    const three = await peakThreads(() => Promise.all([
      compress(a, { level: 1, frameSize: 512, threads: 3 }),
      decompress(cb, { threads: 2 }),
    ]));
    expect(three.result[0]).toEqual(compressSync(a, { level: 1, frameSize: 512 }));
    expect(three.result[1]).toEqual(b);
    expect(three.extra).toBeLessThanOrEqual(3);
    expect(await settlesTo(three.baseline)).toBe(three.baseline);
  });

  it('aborting one call stops its work without disturbing another call on the same workers', async () => {
    const a = concatBytes(enc.encode(PARAGRAPH.repeat(20)), lcgBytes(5, 4000));
    const b = lcgBytes(6, 8000);
    const baseline = await stableCount();
    const ac = new AbortController();
    const [ra, rb] = await Promise.allSettled([
      compress(a, { level: 1, frameSize: 512, threads: 2, signal: ac.signal, onProgress: () => ac.abort() }),
      compress(b, { level: 1, frameSize: 512, threads: 2 }),
    ]);
    expect(ra.status === 'rejected' && ra.reason).toBeInstanceOf(KolmoAbortError);
    expect(rb.status === 'fulfilled' && rb.value).toEqual(compressSync(b, { level: 1, frameSize: 512 }));
    expect(await settlesTo(baseline)).toBe(baseline);
  });
});

describe('decompress stream backpressure', () => {
  it('a compressed chunk holding many frames is not decoded far ahead of a slow reader', async () => {
    const frameSize = 4096;
    const input = new Uint8Array(32 * frameSize); // zeros: ~50-byte records, so one small chunk holds every frame
    const c = compressSync(input, { level: 1, frameSize });
    expect(c.length).toBeLessThan(16 * 1024);
    const saved = streamLimits.decodeOutputBudget;
    streamLimits.decodeOutputBudget = 4 * frameSize;
    try {
      for (const threads of [1, 2]) {
        let emitted = 0;
        let read = 0;
        let maxAhead = 0;
        const ts = createDecompressStream({ threads, onProgress: (p) => { emitted = p.bytesOut; maxAhead = Math.max(maxAhead, emitted - read); } });
        const w = ts.writable.getWriter();
        const writing = w.write(c).then(() => w.close());
        const r = ts.readable.getReader();
        const parts: Uint8Array[] = [];
        for (;;) {
          const { done, value } = await r.read();
          if (done) break;
          parts.push(value);
          read += value.length;
          await sleep(15);
        }
        await writing;
        expect(concatBytes(...parts)).toEqual(input);
        // Without the budget the decoder runs through all 32 frames while the reader sleeps.
        expect(maxAhead, `threads ${threads}`).toBeLessThanOrEqual(4 * frameSize + frameSize);
      }
    } finally {
      streamLimits.decodeOutputBudget = saved;
    }
  });
});
