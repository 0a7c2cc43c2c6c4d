// Damage: every single-bit flip and every truncation of small level-1 streams must give a
// typed error (or, where a bit is not significant to the decoder, the identical data) —
// never different data, never a hang. Hostile headers fail fast, before allocating.
// "Fast" is a bound on work, not on time, so a slow machine cannot fail these tests: the frames
// the decoder is given and the bytes it produces (decodeWork), and the memory allocated. A hang
// is caught by vitest's per-test timeout.
import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/crc32.js';
import { decodeWork } from '../src/engine.js';
import { MAGIC1, versionBits } from '../src/format.js';
import { levelId } from '../src/assets.js';
import {
  compressSync,
  createDecompressStream,
  decompress,
  decompressSync,
  FORMAT_VERSION,
  info,
  KolmoChecksumError,
  KolmoFormatError,
  KolmoModelMismatchError,
  levelIdsHex,
  MAX_FRAME_SIZE,
} from '../src/index.js';
import { concatBytes, HAS_MODEL, isTypedDecodeError, lcgBytes, PARAGRAPH, pipeChunks, u32le, varint } from './helpers/util.js';

const enc = new TextEncoder();

/** Runs f; returns the frames it gave the decoder and the bytes the decoder produced. */
function work<T>(f: () => T): { result: T; frames: number; bytes: number } {
  const frames = decodeWork.frames;
  const bytes = decodeWork.bytes;
  const result = f();
  return { result, frames: decodeWork.frames - frames, bytes: decodeWork.bytes - bytes };
}

type Outcome = { kind: 'ok'; data: Uint8Array } | { kind: 'error'; error: unknown };

function attempt(f: () => Uint8Array): Outcome {
  try {
    return { kind: 'ok', data: f() };
  } catch (error) {
    return { kind: 'error', error };
  }
}

function describeErr(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}(${e.name}): ${e.message}` : String(e);
}

const singleInput = enc.encode(PARAGRAPH.slice(0, 180));
// Text frames, an incompressible (stored) frame in the middle, a short last frame.
const multiInput = concatBytes(enc.encode(PARAGRAPH.slice(0, 128)), lcgBytes(3, 64), enc.encode(PARAGRAPH.slice(128, 190)));
const cases = [
  { name: 'single-frame', input: singleInput, stream: compressSync(singleInput, { level: 1 }) },
  { name: 'multi-frame', input: multiInput, stream: compressSync(multiInput, { level: 1, frameSize: 64 }) },
];

describe('the fixtures are what the tests assume', () => {
  it('single-frame is one compressed frame; multi-frame has several, one of them stored', () => {
    const s = info(cases[0].stream);
    expect(s.multiFrame).toBe(false);
    expect(s.frames[0].stored).toBe(false);
    const m = info(cases[1].stream);
    expect(m.multiFrame).toBe(true);
    expect(m.frames.length).toBe(Math.ceil(multiInput.length / 64));
    expect(m.frames.some((f) => f.stored)).toBe(true);
    expect(m.frames.some((f) => !f.stored)).toBe(true);
  });
});

for (const { name, input, stream } of cases) {
  describe(`${name} stream (${stream.length} bytes)`, () => {
    it('every single-bit flip: typed error or identical data; info() agrees on structural damage', () => {
      let identical = 0;
      // Bytes where a flip may legitimately decode to the same data: the last two bytes of a
      // coded payload, whose low bits the arithmetic decoder may never need.
      const tails = new Set(info(stream).frames.filter((f) => !f.stored).flatMap((f) => [f.offset + f.compressedLength - 1, f.offset + f.compressedLength - 2]));
      const kinds = new Map<string, number>();
      const codedFrames = info(stream).frames.filter((f) => !f.stored).length;
      for (let bit = 0; bit < stream.length * 8; bit++) {
        const bad = stream.slice();
        bad[bit >> 3] ^= 1 << (bit & 7);
        const { result: r, frames, bytes } = work(() => attempt(() => decompressSync(bad)));
        const where = `bit ${bit & 7} of byte ${bit >> 3}`;
        // A flip may change a declared length; the decoder stops where the payload runs out
        // or at the declared length: each coded frame is decoded at most once, into little
        // more than the input, or at most what the damaged header declares.
        expect(frames, `${where}: frames decoded`).toBeLessThanOrEqual(codedFrames);
        let declared = 0;
        try {
          declared = info(bad).rawLength;
        } catch {
          // structural damage: nothing declared that the decoder may trust
        }
        expect(bytes, `${where}: bytes decoded`).toBeLessThanOrEqual(Math.max(2 * input.length, declared));
        if (r.kind === 'ok') {
          expect(r.data, `${where} decoded to different data`).toEqual(input);
          expect(tails.has(bit >> 3), `${where} is not at the end of a payload, yet the damage went unnoticed`).toBe(true);
          identical++;
        } else {
          expect(isTypedDecodeError(r.error), `${where}: untyped ${describeErr(r.error)}`).toBe(true);
          const e = r.error as Error;
          kinds.set(e.name, (kinds.get(e.name) ?? 0) + 1);
          expect(e.message, `${where}: message says where`).toMatch(/byte \d+|in the header/); // the header fields are at bytes 3..
        }
        // info() validates the structure only: it fails exactly when decoding fails on structure.
        const i = attempt(() => (info(bad), new Uint8Array(0)));
        const structural = r.kind === 'error' && r.error instanceof KolmoFormatError;
        if (i.kind === 'error') expect(i.error, `${where}: info`).toBeInstanceOf(KolmoFormatError);
        expect(i.kind === 'error', `${where}: info() and decompressSync() disagree about the structure`).toBe(structural);
      }
      // The CRC-32 and the structure checks must catch (nearly) everything: a flip that decodes
      // to the same data can only be a bit the arithmetic decoder never reads (end of payload).
      expect(identical, `${identical} flips decoded to identical data`).toBeLessThanOrEqual(8 * tails.size);
      expect(kinds.get('KolmoChecksumError') ?? 0).toBeGreaterThan(0);
      expect(kinds.get('KolmoFormatError') ?? 0).toBeGreaterThan(0);
    });

    it('bit flips through the worker pool and the stream decoder give typed errors too', async () => {
      // The pool is a few workers per call, so sample sparsely; the stream decoder more densely.
      for (let bit = 3; bit < stream.length * 8; bit += 13) {
        const viaPoolToo = bit % 97 === 3 || bit >> 3 === 2;
        const bad = stream.slice();
        bad[bit >> 3] ^= 1 << (bit & 7);
        const sync = attempt(() => decompressSync(bad));
        const viaPool = viaPoolToo
          ? await decompress(bad, { threads: 2 }).then((data) => ({ kind: 'ok', data }) as Outcome, (error) => ({ kind: 'error', error }) as Outcome)
          : sync;
        const viaStream = await pipeChunks(bad, [7, 50], createDecompressStream({ threads: 1 })).then(
          (data) => ({ kind: 'ok', data }) as Outcome,
          (error) => ({ kind: 'error', error }) as Outcome,
        );
        for (const [how, r] of [['pool', viaPool], ['stream', viaStream]] as const) {
          const where = `${how}, bit ${bit & 7} of byte ${bit >> 3}`;
          if (r.kind === 'ok') {
            expect(r.data, where).toEqual(input);
          } else {
            expect(isTypedDecodeError(r.error), `${where}: untyped ${describeErr(r.error)}`).toBe(true);
          }
          expect(r.kind, `${where} vs decompressSync`).toBe(sync.kind);
          // The pool validates the whole structure first, like decompressSync: the same error.
          // The stream decoder decodes frames as they arrive, so a frame's CRC error may come
          // before structural damage further on: any typed error will do there.
          if (how === 'pool' && r.kind === 'error' && sync.kind === 'error') {
            expect((r.error as Error).name, where).toBe((sync.error as Error).name);
            expect((r.error as Error).message, where).toBe((sync.error as Error).message);
          }
        }
      }
    });

    it('every truncation: KolmoFormatError that says truncated (decompressSync, info, stream)', async () => {
      for (let n = 0; n < stream.length; n++) {
        const cut = stream.subarray(0, n);
        const { result: r, frames } = work(() => attempt(() => decompressSync(cut)));
        // The structure is checked whole before any frame is decoded.
        expect(frames, `prefix of ${n} bytes: frames decoded`).toBe(0);
        expect(r.kind, `prefix of ${n} bytes decoded`).toBe('error');
        const e = (r as { error: Error }).error;
        expect(e, `prefix ${n}: ${describeErr(e)}`).toBeInstanceOf(KolmoFormatError);
        expect(e.message, `prefix ${n}`).toMatch(/truncated stream: it ends inside/);
        expect(() => info(cut), `info of prefix ${n}`).toThrow(KolmoFormatError);
        if (n % 5 === 0 || n > stream.length - 12) {
          const s = await pipeChunks(cut, [16], createDecompressStream({ threads: 1 })).catch((x) => x);
          expect(s, `stream prefix ${n}: ${describeErr(s)}`).toBeInstanceOf(KolmoFormatError);
          expect(s.message).toMatch(/truncated/);
        }
      }
    });

    it('garbage after a valid stream → KolmoFormatError naming the offset', async () => {
      // Bytes that do not start a member ('K' and a capital letter): trailing garbage.
      for (const tail of [Uint8Array.of(0), Uint8Array.of(0x4b), Uint8Array.of(0x4b, 0x7a, 1, 2, 3, 4, 5, 6)]) {
        const bad = concatBytes(stream, tail);
        const re = new RegExp(`${tail.length} unexpected bytes after the end of the stream at byte ${stream.length}`);
        expect(() => decompressSync(bad)).toThrow(re);
        expect(() => info(bad)).toThrow(re);
        await expect(decompress(bad, { threads: 2 })).rejects.toThrow(re);
        const s = await pipeChunks(bad, [stream.length, 1], createDecompressStream({ threads: 1 })).catch((x) => x);
        expect(s).toBeInstanceOf(KolmoFormatError);
        expect(s.message).toMatch(new RegExp(`after the end of the stream at byte ${stream.length}`));
      }
      // Bytes that start a member but are not a whole one: the member's own error, at its offset.
      for (const [tail, re] of [
        [Uint8Array.of(0x4b, 0x5a), new RegExp(`truncated stream: it ends inside the header at byte ${stream.length}`)],
        [Uint8Array.of(0x4b, 0x5a, 1, 2, 3, 4, 5, 6), new RegExp(`unsupported format version 0 in the header, bytes ${stream.length + 1}-${stream.length + 2}`)],
        [stream.subarray(0, stream.length - 1), /truncated stream: it ends inside/],
      ] as const) {
        const bad = concatBytes(stream, tail);
        expect(() => decompressSync(bad)).toThrow(re);
        expect(() => info(bad)).toThrow(re);
        const s = await pipeChunks(bad, [stream.length, 1], createDecompressStream({ threads: 1 })).catch((x) => x);
        expect(s).toBeInstanceOf(KolmoFormatError);
        expect(s.message).toMatch(re);
      }
      // A whole stream after it is a second member (test/concat.test.ts).
      expect(decompressSync(concatBytes(stream, stream))).toEqual(concatBytes(input, input));
    });
  });
}

// ---- hostile headers, built by hand ----

const K = 0x4b;
const Z = MAGIC1; // byte 1 of this version's streams
const V = versionBits(FORMAT_VERSION); // the version bits of the descriptor byte
const ID1 = [...levelId(1)!]; // this build's level-1 model id
const D1 = [V | 1, ...ID1]; // this version, single frame, level 1, its model id
const D1M = [V | 0x10 | 1, ...ID1]; // this version, multi-frame, level 1, its model id

function single(raw: number | bigint, payload: number | bigint, bodyBytes = 8): Uint8Array {
  return Uint8Array.from([K, Z, ...D1, ...varint(raw), ...varint(payload), ...u32le(0), ...new Array(bodyBytes).fill(0x55)]);
}

function endRecord(header: number[], total: number | bigint, sizes: (number | bigint)[], count = sizes.length as number | bigint): number[] {
  const body = [0, ...varint(total), ...varint(count), ...sizes.flatMap((s) => varint(s))];
  body.push(...u32le(body.length + 4));
  const crc = crc32(Uint8Array.from(body), crc32(Uint8Array.from(header)));
  return [...body, ...u32le(crc)];
}

/** Refused by the structure checks: no frame decoded, nothing near a claimed size allocated. */
function expectNoWork(f: () => unknown): unknown {
  const before = process.memoryUsage().arrayBuffers;
  const { result: err, frames } = work(() => {
    try {
      f();
      return null;
    } catch (e) {
      return e;
    }
  });
  expect(frames, 'frames decoded').toBe(0);
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(8 * 1024 * 1024);
  return err;
}

function expectFastFormatError(bytes: Uint8Array, re: RegExp): void {
  const err = expectNoWork(() => decompressSync(bytes));
  expect(err, describeErr(err)).toBeInstanceOf(KolmoFormatError);
  expect((err as Error).message).toMatch(re);
  expect(() => info(bytes)).toThrow(re);
}

describe('hostile headers fail fast with KolmoFormatError', () => {
  it('single-frame raw length near 2^32, 2^53, over the frame limit, and a 9-byte varint', () => {
    for (const raw of [2 ** 32, 2 ** 32 - 1, 2 ** 53 - 1, 2 ** 53, 2n ** 56n - 1n, MAX_FRAME_SIZE + 1]) {
      expectFastFormatError(single(raw, 5), new RegExp(`frame 0 at byte 7: raw length \\d+ exceeds the limit ${MAX_FRAME_SIZE}`));
    }
    expectFastFormatError(single(2n ** 56n, 5), /varint longer than 8 bytes at byte 7/);
    expectFastFormatError(single(2n ** 63n, 5), /varint longer than 8 bytes/);
  });

  it('payload length ≥ raw length, or near 2^32 / 2^53', () => {
    expectFastFormatError(single(100, 100), /payload length 100 is not smaller than the raw length 100/);
    expectFastFormatError(single(100, 101), /payload length 101 is not smaller/);
    expectFastFormatError(single(1, 1), /payload length 1 is not smaller/);
    expectFastFormatError(single(MAX_FRAME_SIZE, 2 ** 32), /not smaller than the raw length/);
    expectFastFormatError(single(MAX_FRAME_SIZE, 2 ** 53 - 1), /not smaller than the raw length/);
  });

  it('lengths larger than the bytes present: truncated, without allocating the claimed size', () => {
    expectFastFormatError(single(MAX_FRAME_SIZE, MAX_FRAME_SIZE - 1), /truncated stream: it ends inside frame 0 at byte 7/);
    // A stored frame (payload length 0) claiming 64 MiB of raw bytes.
    expectFastFormatError(single(MAX_FRAME_SIZE, 0), /truncated stream: it ends inside frame 0 at byte 7/);
  });

  it('over-long varints are refused', () => {
    expectFastFormatError(Uint8Array.from([K, Z, ...D1, 0x85, 0x00, 0x00, 0, 0, 0, 0, 1, 2, 3, 4, 5]), /over-long varint at byte 7/);
  });

  it('multi-frame header: frame size 0, > 64 MiB, near 2^32 and 2^53; bad lane counts', () => {
    for (const fs of [2 ** 32, 2 ** 53 - 1, MAX_FRAME_SIZE + 1]) {
      expectFastFormatError(Uint8Array.from([K, Z, ...D1M, ...varint(fs), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), /frame size \d+ in the header is outside/);
    }
    expectFastFormatError(Uint8Array.from([K, Z, ...D1M, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), /frame size 0 in the header is outside/);
    for (const lanes of [0, 2, 2 ** 32]) {
      expectFastFormatError(Uint8Array.from([K, Z, ...D1M, 64, ...varint(lanes), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), /lane count \d+ in the header is not supported/);
    }
  });

  it('multi-frame: a frame longer than the frame size', () => {
    expectFastFormatError(Uint8Array.from([K, Z, ...D1M, 64, 1, 65, 0, 0, 0, 0, 0, ...new Array(65).fill(1)]), /frame 0 at byte 9: raw length 65 exceeds the frame size 64/);
    expectFastFormatError(Uint8Array.from([K, Z, ...D1M, 64, 1, ...varint(2 ** 32), 0, 0, 0, 0, 0]), /frame 0 at byte 9: raw length \d+ exceeds the frame size 64/);
  });

  it('multi-frame: a short frame that is not the last one (whole-buffer and stream decoders)', async () => {
    const header = [K, Z, ...D1M, 64, 1];
    const raw = lcgBytes(9, 10);
    const frame = [...varint(10), 0, ...u32le(crc32(raw)), ...raw];
    const frame1 = frame.slice();
    const bytes = Uint8Array.from([...header, ...frame, ...frame1, ...endRecord(header, 20, [frame.length, frame.length])]);
    const re = new RegExp(`frame 0 at byte 9: raw length 10 is short of the frame size 64`);
    expectFastFormatError(bytes, re);
    const e = await pipeChunks(bytes, [3], createDecompressStream({ threads: 1 })).catch((x) => x);
    expect(e).toBeInstanceOf(KolmoFormatError);
    expect(e.message).toMatch(re);
  });

  it('end record: frame counts near 2^32 and 2^53 run out of bytes (no allocation); wrong totals are refused', () => {
    const header = [K, Z, ...D1M, 64, 1];
    const raw = lcgBytes(9, 10);
    const frame = [...varint(10), 0, ...u32le(crc32(raw)), ...raw]; // stored frame of 10 bytes
    for (const count of [2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
      const bytes = Uint8Array.from([...header, ...frame, ...endRecord(header, 10, [frame.length], count)]);
      expect(expectNoWork(() => decompressSync(bytes))).toBeInstanceOf(KolmoFormatError);
    }
    // The hand-built stream is valid as it stands...
    const good = Uint8Array.from([...header, ...frame, ...endRecord(header, 10, [frame.length])]);
    expect(decompressSync(good)).toEqual(raw);
    // ...and a total near 2^53, or a wrong index entry, with a correct CRC, is still refused.
    expectFastFormatError(Uint8Array.from([...header, ...frame, ...endRecord(header, 2 ** 53 - 1, [frame.length])]), /total length \d+ but the frames hold 10/);
    expectFastFormatError(Uint8Array.from([...header, ...frame, ...endRecord(header, 10, [frame.length + 1])]), /index entry 0 does not match frame 0/);
    expectFastFormatError(Uint8Array.from([...header, ...frame, ...endRecord(header, 10, [frame.length, 5])]), /index lists 2 frames, stream has 1/);
    // A damaged end record fails its CRC.
    const damaged = good.slice();
    damaged[damaged.length - 1] ^= 0x80;
    expectFastFormatError(damaged, /header\/index checksum mismatch/);
  });

  it('unknown version and level', () => {
    // Byte 1 holds the version's high bits ('Z' for 1..7), the descriptor its low three.
    expectFastFormatError(Uint8Array.from([K, 0x5a, (7 << 5) | 1, 0, 0, 0, 0, 0, 0]), /unsupported format version 7 in the header, bytes 1-2 \(written by an older kolmo/);
    expectFastFormatError(Uint8Array.from([K, 0x5a, (1 << 5) | 1, 0, 0, 0, 0, 0, 0]), /unsupported format version 1 in the header, bytes 1-2 \(written by an older kolmo/);
    expectFastFormatError(Uint8Array.from([K, Z - 1, V | 1, 0, 0, 0, 0, 0, 0]),
      new RegExp(`unsupported format version ${FORMAT_VERSION + 8} in the header, bytes 1-2 \\(written by a newer kolmo`));
    expectFastFormatError(Uint8Array.from([K, 0x7a, V | 1, 0, 0, 0, 0, 0, 0]), /bad magic at byte 1/);
    expectFastFormatError(Uint8Array.from([K, Z, V | 0, 0, 0, 0, 0, 0, 0]), /unknown level 0 at byte 2/);
    expectFastFormatError(Uint8Array.from([K, Z, V | 4, 0, 0, 0, 0, 0, 0]), /unknown level 4 at byte 2/);
  });

  for (const level of [1, 2, 3]) {
    it(`a level-${level} stream whose model id this build does not have → KolmoModelMismatchError`, async () => {
      const raw = enc.encode('hi there');
      const bytes = Uint8Array.from([K, Z, V | level, 0xde, 0xad, 0xbe, 0xef, ...varint(raw.length), 0, ...u32le(crc32(raw)), ...raw]);
      const re = HAS_MODEL || level === 1
        ? new RegExp(`made with model id deadbeef in the header \\(bytes 3-6, level ${level}\\); this build's level ${level} has model id ${levelIdsHex[level]}`)
        : new RegExp(`made with model id deadbeef in the header \\(bytes 3-6, level ${level}\\); this build's level ${level} has no model`);
      expect(() => decompressSync(bytes)).toThrow(KolmoModelMismatchError);
      expect(() => decompressSync(bytes)).toThrow(re);
      await expect(decompress(bytes, { threads: 2 })).rejects.toBeInstanceOf(KolmoModelMismatchError);
      await expect(pipeChunks(bytes, [3], createDecompressStream())).rejects.toBeInstanceOf(KolmoModelMismatchError);
      expect(info(bytes).modelId).toBe('deadbeef');
      // the same stream with this build's id decodes
      if (levelIdsHex[level]) {
        bytes.set(levelId(level)!, 3);
        expect(decompressSync(bytes)).toEqual(raw);
      }
    });
  }

  it('hostile headers through the stream decoder fail with KolmoFormatError too', async () => {
    for (const bytes of [single(2 ** 53, 5), single(100, 100), single(MAX_FRAME_SIZE, MAX_FRAME_SIZE - 1), Uint8Array.from([K, Z, ...D1M, ...varint(2 ** 32), 1])]) {
      const e = await pipeChunks(bytes, [4], createDecompressStream({ threads: 1 })).catch((x) => x);
      expect(e, describeErr(e)).toBeInstanceOf(KolmoFormatError);
    }
  });

  it('a damaged CRC of a stored frame → KolmoChecksumError', () => {
    const raw = lcgBytes(1, 20);
    const bytes = Uint8Array.from([K, Z, ...D1, ...varint(20), 0, ...u32le(crc32(raw) ^ 1), ...raw]);
    expect(() => decompressSync(bytes)).toThrow(KolmoChecksumError);
    expect(() => decompressSync(bytes)).toThrow(/frame 0 at byte 7: CRC-32 mismatch/);
  });
});
