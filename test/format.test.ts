// The .kz container at the byte level: varints, header and frame layout, end record, info().
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../src/crc32.js';
import { encodeFrameHead, encodeHeader, MAGIC1, parseFrameHead, parseHeader, readVarint, versionBits, versionMagic as versionMagicOf, writeVarint, type Header } from '../src/format.js';
import { compressSync, FORMAT_VERSION, info, KolmoFormatError, LEVEL_FAST, levelIdsHex, MAX_FRAME_SIZE } from '../src/index.js';
import { lcgBytes, LEVELS, PARAGRAPH, u32le, varint } from './helpers/util.js';
import { levelId } from '../src/assets.js';

const enc = new TextEncoder();
/** This build's level-1 model id, as header bytes. */
const L1_ID = [...levelId(1)!];

function write(v: number): number[] {
  const out: number[] = [];
  writeVarint(out, v);
  return out;
}

describe('varints (unsigned LEB128, at most 8 bytes)', () => {
  it('known encodings at the 7-bit boundaries', () => {
    expect(write(0)).toEqual([0]);
    expect(write(1)).toEqual([1]);
    expect(write(127)).toEqual([0x7f]);
    expect(write(128)).toEqual([0x80, 0x01]);
    expect(write(300)).toEqual([0xac, 0x02]);
    expect(write(16383)).toEqual([0xff, 0x7f]);
    expect(write(16384)).toEqual([0x80, 0x80, 0x01]);
    expect(write(2 ** 32 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(write(2 ** 32)).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
    expect(write(2 ** 53 - 1)).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(write(2 ** 53 - 1)).toEqual(varint(2n ** 53n - 1n));
  });

  it('round-trips every safe integer, with the minimal length', () => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeNat(), fc.nat(300), fc.integer({ min: 2 ** 31, max: 2 ** 33 })), fc.nat(5), (v, pad) => {
        const bytes = write(v);
        expect(bytes.length).toBe(Math.max(1, Math.ceil(v.toString(2).length / 7)));
        const buf = Uint8Array.from([...new Array(pad).fill(0xaa), ...bytes, 0xbb]);
        expect(readVarint(buf, pad, 'test')).toEqual([v, pad + bytes.length]);
      }),
      { numRuns: 300 },
    );
  });

  it('writeVarint refuses what it cannot write exactly', () => {
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN, Infinity]) expect(() => write(bad)).toThrow(RangeError);
  });

  it('readVarint: null when the bytes end first; over-long and 9-byte varints are errors naming the byte', () => {
    expect(readVarint(Uint8Array.of(), 0, 'x')).toBeNull();
    expect(readVarint(Uint8Array.of(0x80), 0, 'x')).toBeNull();
    expect(readVarint(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0, 'x')).toBeNull();
    expect(() => readVarint(Uint8Array.of(9, 0x80, 0x00), 1, 'thing')).toThrow(KolmoFormatError);
    expect(() => readVarint(Uint8Array.of(9, 0x80, 0x00), 1, 'thing')).toThrow('thing: over-long varint at byte 1');
    expect(() => readVarint(Uint8Array.of(0x81, 0x80, 0x00), 0, 'x', 100)).toThrow('over-long varint at byte 100');
    const nine = Uint8Array.from([...new Array(8).fill(0x80), 0x01]);
    expect(() => readVarint(nine, 0, 'x')).toThrow('x: varint longer than 8 bytes at byte 0');
    // The largest 8-byte varint still reads (it is not a safe integer; callers bound it).
    expect(readVarint(Uint8Array.from([...new Array(7).fill(0xff), 0x7f]), 0, 'x')?.[1]).toBe(8);
    // 0 is not over-long on its own.
    expect(readVarint(Uint8Array.of(0), 0, 'x')).toEqual([0, 1]);
  });
});

describe('header', () => {
  const ID = [9, 8, 7, 6];
  const base: Omit<Header, 'version'> = { level: 1, multiFrame: false, modelId: Uint8Array.from(ID), frameSize: 0, lanes: 1 };

  it('single-frame is 7 bytes: K, the version letter, descriptor, the 4-byte model id (every level)', () => {
    expect(Array.from(encodeHeader(base))).toEqual([0x4b, MAGIC1, versionBits(FORMAT_VERSION) | 1, ...ID]);
    const l3 = encodeHeader({ ...base, level: 3, modelId: Uint8Array.of(1, 2, 3, 4) });
    expect(Array.from(l3)).toEqual([0x4b, MAGIC1, versionBits(FORMAT_VERSION) | 3, 1, 2, 3, 4]);
    expect(parseHeader(l3)![0].modelId).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(() => encodeHeader({ ...base, modelId: Uint8Array.of(1, 2, 3) })).toThrow(/model id/);
  });

  it('multi-frame adds the frame-size and lane-count varints', () => {
    const m = encodeHeader({ ...base, multiFrame: true, frameSize: 300, lanes: 1 });
    expect(Array.from(m)).toEqual([0x4b, MAGIC1, versionBits(FORMAT_VERSION) | 0x10 | 1, ...ID, 0xac, 0x02, 1]);
    const [h, n] = parseHeader(m)!;
    expect(n).toBe(10);
    expect(h).toEqual({ version: FORMAT_VERSION, level: 1, multiFrame: true, modelId: Uint8Array.from(ID), frameSize: 300, lanes: 1 });
  });

  it("every level's model id differs, and this build writes it", () => {
    const ids = LEVELS.map((l) => levelIdsHex[l]);
    expect(new Set(ids).size).toBe(LEVELS.length);
    for (const l of LEVELS) expect(info(compressSync('x', { level: l })).modelId).toBe(levelIdsHex[l]);
  });

  it('parseHeader: null while incomplete, errors as soon as a byte is wrong', () => {
    const m = encodeHeader({ ...base, multiFrame: true, frameSize: 300, lanes: 1 });
    for (let n = 0; n < m.length; n++) expect(parseHeader(m.subarray(0, n)), `prefix ${n}`).toBeNull();
    expect(() => parseHeader(Uint8Array.of(0x4c))).toThrow('bad magic at byte 0');
    expect(() => parseHeader(Uint8Array.of(0x4b, 0x00))).toThrow('bad magic at byte 1');
    expect(() => parseHeader(Uint8Array.of(0x4b, 0x5b))).toThrow('bad magic at byte 1'); // not a capital letter
    // The version is 8 · ('Z' − byte 1) + the descriptor's bits 7..5.
    expect(() => parseHeader(Uint8Array.of(0x4b, 0x5a, (7 << 5) | 1))).toThrow('unsupported format version 7 in the header, bytes 1-2 (written by an older kolmo');
    expect(() => parseHeader(Uint8Array.of(0x4b, 0x5a, 1))).toThrow('unsupported format version 0 in the header, bytes 1-2');
    expect(() => parseHeader(Uint8Array.of(0x4b, 0x41, (3 << 5) | 1))).toThrow('unsupported format version 203 in the header, bytes 1-2 (written by a newer kolmo');
    expect(() => parseHeader(Uint8Array.of(0x4b, versionMagicOf(FORMAT_VERSION + 1), versionBits(FORMAT_VERSION + 1) | 1))).toThrow(`unsupported format version ${FORMAT_VERSION + 1} in the header, bytes 1-2 (written by a newer kolmo`);
  });

  it('frame heads: lengths checked against the header', () => {
    const single = parseHeader(encodeHeader(base))![0];
    const multi = parseHeader(encodeHeader({ ...base, multiFrame: true, frameSize: 100, lanes: 1 }))![0];
    const fh = encodeFrameHead(100, 50, 0xdeadbeef);
    expect(Array.from(fh)).toEqual([100, 50, ...u32le(0xdeadbeef)]);
    expect(parseFrameHead(fh, 0, multi, 0)).toEqual({ rawLength: 100, payloadLength: 50, crc: 0xdeadbeef, headLength: 6 });
    for (let n = 0; n < fh.length; n++) expect(parseFrameHead(fh.subarray(0, n), 0, multi, 0)).toBeNull();
    expect(() => parseFrameHead(encodeFrameHead(101, 0, 0), 0, multi, 4, 1000)).toThrow(
      'frame 4 at byte 1000: raw length 101 exceeds the frame size 100',
    );
    expect(parseFrameHead(Uint8Array.of(0), 0, multi, 3)).toEqual({ rawLength: 0, payloadLength: 0, crc: 0, headLength: 1 });
    expect(parseFrameHead(encodeFrameHead(0, 0, 0), 0, single, 0)?.rawLength).toBe(0);
    expect(() => parseFrameHead(encodeFrameHead(MAX_FRAME_SIZE + 1, 0, 0), 0, single, 0)).toThrow(/exceeds the limit/);
  });
});

/** [payload length, head length] of the single frame of a single-frame stream with a header of h bytes. */
function singleFrame(c: Uint8Array, h: number): { raw: number; payload: number; headLength: number } {
  const [raw, p1] = readVarint(c, h, 'raw')!;
  const [payload, p2] = readVarint(c, p1, 'payload')!;
  return { raw, payload, headLength: p2 + 4 - h };
}

describe('stream layout', () => {
  for (const level of LEVELS) {
    it(`single-frame overhead ≤ 16 bytes for a 1000-byte input (level ${level})`, () => {
      const input = enc.encode(PARAGRAPH.repeat(3).slice(0, 1000));
      const c = compressSync(input, { level });
      const headerLength = 7;
      const f = singleFrame(c, headerLength);
      expect(f.raw).toBe(1000);
      expect(f.payload).toBeGreaterThan(0);
      expect(f.payload).toBeLessThan(1000);
      expect(c.length).toBe(headerLength + f.headLength + f.payload); // nothing after the frame
      expect(c.length - f.payload).toBeLessThanOrEqual(16);
      // 7 (header) + 2 (raw length 1000) + payload-length varint + 4 (CRC).
      expect(c.length - f.payload).toBe(7 + 2 + write(f.payload).length + 4);
      // The CRC is the CRC-32 of the raw bytes, little-endian.
      const p = headerLength + f.headLength - 4;
      expect(c[p] | (c[p + 1] << 8) | (c[p + 2] << 16) | (c[p + 3] << 24)).toBe(crc32(input) | 0);
    });
  }

  it('incompressible input is stored: payload length 0 and the raw bytes follow', () => {
    const input = lcgBytes(11, 200);
    const c = compressSync(input, { level: LEVEL_FAST });
    expect(Array.from(c.subarray(0, 9))).toEqual([0x4b, MAGIC1, versionBits(FORMAT_VERSION) | 1, ...L1_ID, 0xc8, 0x01]);
    expect(c[9]).toBe(0);
    expect(c.subarray(14)).toEqual(input);
    expect(c.length).toBe(214);
    expect(info(c).frames[0].stored).toBe(true);
  });

  it('empty input: header (with the model id) + raw length 0 + payload length 0 + CRC 0 = 13 bytes', () => {
    expect(Array.from(compressSync(new Uint8Array(0), { level: 1 }))).toEqual([0x4b, MAGIC1, versionBits(FORMAT_VERSION) | 1, ...L1_ID, 0, 0, 0, 0, 0, 0]);
  });

  it('multi-frame: header, frame records, end record (marker, total, count, sizes, end length, CRC of header + record)', () => {
    const input = enc.encode(PARAGRAPH.repeat(2)); // 752 bytes, 3 frames of 300
    const c = compressSync(input, { level: 1, frameSize: 300 });
    const i = info(c);
    expect(Array.from(c.subarray(0, 10))).toEqual([0x4b, MAGIC1, versionBits(FORMAT_VERSION) | 0x10 | 1, ...L1_ID, 0xac, 0x02, 1]);
    expect(i.frames.map((f) => f.rawLength)).toEqual([300, 300, input.length - 600]);
    expect(i.frames[0].offset).toBe(10);
    for (let k = 1; k < i.frames.length; k++) expect(i.frames[k].offset).toBe(i.frames[k - 1].offset + i.frames[k - 1].compressedLength);
    const endAt = i.frames.at(-1)!.offset + i.frames.at(-1)!.compressedLength;
    const expectedEnd = [0, ...varint(input.length), ...varint(3), ...i.frames.flatMap((f) => varint(f.compressedLength))];
    expectedEnd.push(...u32le(expectedEnd.length + 4));
    expectedEnd.push(...u32le(crc32(Uint8Array.from(expectedEnd), crc32(c.subarray(0, 10)))));
    expect(Array.from(c.subarray(endAt))).toEqual(expectedEnd);
  });
});

describe('info()', () => {
  it('single frame', () => {
    const input = enc.encode(PARAGRAPH);
    const c = compressSync(input, { level: 1 });
    const i = info(c);
    const frames = [{ index: 0, offset: 7, rawLength: input.length, compressedLength: c.length - 7, stored: false }];
    expect(i).toEqual({
      formatVersion: FORMAT_VERSION,
      level: 1,
      modelId: levelIdsHex[1],
      multiFrame: false,
      frameSize: null,
      frames,
      rawLength: input.length,
      compressedLength: c.length,
      bitsPerByte: (c.length * 8) / input.length,
      members: [{ offset: 0, level: 1, modelId: levelIdsHex[1], multiFrame: false, frameSize: null, frames, rawLength: input.length, compressedLength: c.length }],
    });
    expect(info(c.slice().buffer)).toEqual(i);
  });

  it('multi-frame with a stored frame; empty input has NaN bits per byte', () => {
    const input = new Uint8Array([...enc.encode(PARAGRAPH.slice(0, 256)), ...lcgBytes(2, 128), ...lcgBytes(3, 4)]);
    const c = compressSync(input, { level: 1, frameSize: 128 });
    const i = info(c);
    expect(i.multiFrame).toBe(true);
    expect(i.frameSize).toBe(128);
    expect(i.frames.map((f) => f.index)).toEqual([0, 1, 2, 3]);
    expect(i.frames.map((f) => f.stored)).toEqual([false, false, true, true]); // 4 random bytes do not shrink
    expect(i.frames[2].compressedLength).toBe(128 + 2 + 1 + 4);
    expect(i.rawLength).toBe(input.length);
    expect(i.compressedLength).toBe(c.length);
    const endRecord = 1 + varint(input.length).length + 1 + i.frames.reduce((n, f) => n + varint(f.compressedLength).length, 0) + 4 + 4;
    expect(c.length - i.frames.reduce((n, f) => n + f.compressedLength, 0)).toBe(10 + endRecord); // header (K, the version letter, descriptor, model id, frame size 128 = 2 bytes, lanes) + end record
    const e = info(compressSync(new Uint8Array(0), { level: 1 }));
    expect(e.rawLength).toBe(0);
    expect(e.bitsPerByte).toBeNaN();
    expect(() => info(new Uint8Array(0))).toThrow(KolmoFormatError);
  });
});
