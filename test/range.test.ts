// decompressRange(): bytes [start, end) of the content, decoding only the frames that overlap
// the range and, for a Blob, reading only the slices it needs; across concatenated members too.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compressSync,
  decompressRange,
  decompressSync,
  info,
  KolmoAbortError,
  KolmoChecksumError,
  KolmoFormatError,
  type StreamInfo,
} from '../src/index.js';
import { MAX_END_PREFIX_LENGTH, MAX_FRAME_HEAD_LENGTH, MAX_HEADER_LENGTH } from '../src/format.js';
import { cliTestDir, runKolmo } from './helpers/cli.js';
import { buildMembers, memberSpecs } from './helpers/members.js';
import { concatBytes, HAS_MODEL, isTypedDecodeError, lcgBytes, PARAGRAPH } from './helpers/util.js';

const enc = new TextEncoder();

function blobOf(parts: Uint8Array[]): Blob {
  return new Blob(parts as Uint8Array<ArrayBuffer>[]);
}

/** A Blob whose slice() calls are recorded as [start, end) pairs. */
function recordingBlob(bytes: Uint8Array): { blob: Blob; reads: [number, number][] } {
  const blob = blobOf([bytes]);
  const reads: [number, number][] = [];
  const slice = blob.slice.bind(blob);
  blob.slice = (start?: number, end?: number, type?: string) => {
    reads.push([start ?? 0, end ?? blob.size]);
    return slice(start, end, type);
  };
  return { blob, reads };
}

/** Frames of a stream's info with their content offsets. */
function framesWithContentOffsets(i: StreamInfo): { offset: number; compressedLength: number; rawStart: number; rawLength: number }[] {
  let raw = 0;
  return i.frames.map((f) => {
    const r = { offset: f.offset, compressedLength: f.compressedLength, rawStart: raw, rawLength: f.rawLength };
    raw += f.rawLength;
    return r;
  });
}

async function outcome(p: Promise<Uint8Array>): Promise<{ ok: true; data: Uint8Array } | { ok: false; error: Error }> {
  return p.then((data) => ({ ok: true as const, data }), (error) => ({ ok: false as const, error: error as Error }));
}

describe('decompressRange returns the slice of the full decode', () => {
  it('random members and ranges: bytes, ArrayBuffer and Blob agree with decompressSync().slice()', async () => {
    await fc.assert(
      fc.asyncProperty(memberSpecs, fc.nat(), fc.nat(), fc.constantFrom('bytes', 'buffer', 'blob'), async (specs, a, b, how) => {
        const { stream, content } = buildMembers(specs);
        const n = content.length;
        const start = a % (n + 1);
        const end = start + (b % (n - start + 20)); // past the end too: cut to the content
        const input = how === 'bytes' ? stream : how === 'buffer' ? stream.slice().buffer : blobOf([stream]);
        const got = await decompressRange(input, { start, end, threads: 1 });
        expect(got).toEqual(content.slice(start, end));
        // Without end: to the end of the content.
        expect(await decompressRange(input, { start, threads: 1 })).toEqual(content.slice(start));
      }),
      { numRuns: 60 },
    );
  });

  it('with worker threads, and whole frames, members and the empty range at every boundary', async () => {
    const { stream, content, streams } = buildMembers([
      { data: enc.encode(PARAGRAPH.repeat(2)), level: 1, frameSize: 128 },
      { data: lcgBytes(5, 200), level: 1, frameSize: 1 << 20 },
      { data: new Uint8Array(0), level: 1, frameSize: 64 },
      { data: enc.encode(PARAGRAPH), level: 1, frameSize: 100 },
    ]);
    const frames = framesWithContentOffsets(info(stream));
    const cuts = new Set([0, content.length, ...frames.flatMap((f) => [f.rawStart, f.rawStart + f.rawLength])]);
    for (const c of cuts) {
      expect(await decompressRange(stream, { start: c, end: c })).toEqual(new Uint8Array(0));
      expect(await decompressRange(stream, { start: c, threads: 2 })).toEqual(content.slice(c));
    }
    for (const f of frames) {
      expect(await decompressRange(stream, { start: f.rawStart, end: f.rawStart + f.rawLength, threads: 2 })).toEqual(content.slice(f.rawStart, f.rawStart + f.rawLength));
    }
    expect(streams.length).toBe(4);
  });

  it.skipIf(!HAS_MODEL)('a level-2 member between level-1 ones', async () => {
    const { stream, content } = buildMembers([
      { data: enc.encode(PARAGRAPH), level: 1, frameSize: 100 },
      { data: enc.encode(PARAGRAPH.repeat(2)), level: 2, frameSize: 150 },
      { data: enc.encode(PARAGRAPH.slice(0, 90)), level: 1, frameSize: 1 << 20 },
    ]);
    for (const [s, e] of [[300, 700], [PARAGRAPH.length + 10, PARAGRAPH.length + 20], [0, content.length]]) {
      expect(await decompressRange(blobOf([stream]), { start: s, end: e, threads: 1 })).toEqual(content.slice(s, e));
    }
  });
});

describe('only what the range needs is decoded and read', () => {
  // Text frames and incompressible (stored) ones, 256 bytes each.
  const input = concatBytes(enc.encode(PARAGRAPH.repeat(3).slice(0, 1024)), lcgBytes(7, 512), enc.encode(PARAGRAPH.slice(0, 300)));
  const frameSize = 256;
  const stream = compressSync(input, { level: 1, frameSize });
  const frames = framesWithContentOffsets(info(stream));

  /** The stream with frame k's body damaged (structure and CRC intact), so decoding frame k fails. */
  function damageFrame(bytes: Uint8Array, f: { offset: number; compressedLength: number }): Uint8Array {
    const bad = bytes.slice();
    const body = f.offset + MAX_FRAME_HEAD_LENGTH; // past any head
    for (let p = body; p < f.offset + f.compressedLength; p++) bad[p] ^= 0x5a;
    return bad;
  }

  it('a damaged frame outside the range is not decoded; inside it, it fails the range', async () => {
    expect(frames.length).toBe(8);
    for (const k of [0, 4, 5, 7]) {
      const bad = damageFrame(stream, frames[k]);
      expect(() => decompressSync(bad)).toThrow(KolmoChecksumError); // a full decode fails
      expect(info(bad).frames.length).toBe(8); // the structure is intact
      const f = frames[k];
      // Ranges from cuts every 128 bytes (frame boundaries among them) and next to frame k's
      // ends: a range fails exactly when it overlaps frame k.
      const fEnd = f.rawStart + f.rawLength;
      const cuts = [...new Set([...Array.from({ length: 15 }, (_, j) => j * 128), f.rawStart - 1, f.rawStart + 1, fEnd - 1, fEnd + 1, input.length])]
        .filter((c) => c >= 0 && c <= input.length)
        .sort((x, y) => x - y);
      for (const s of cuts) {
        for (const e of cuts.filter((c) => c >= s)) {
          const overlaps = s < e && s < f.rawStart + f.rawLength && e > f.rawStart;
          const r = await outcome(decompressRange(bad, { start: s, end: e, threads: 1 }));
          if (overlaps) {
            expect(r.ok, `[${s}, ${e}) overlaps frame ${k}`).toBe(false);
            expect((r as { error: Error }).error).toBeInstanceOf(KolmoChecksumError);
            expect((r as { error: Error }).error.message).toMatch(new RegExp(`^frame ${k} at byte ${f.offset}: `));
          } else {
            expect(r, `[${s}, ${e}) does not overlap frame ${k}`).toEqual({ ok: true, data: input.slice(s, e) });
          }
        }
      }
    }
  });

  it('a Blob is read in slices: the header, the end record (found from the end) and the needed frames only', async () => {
    expect(frames.some((f) => f.compressedLength > 100)).toBe(true);
    const endAt = frames.at(-1)!.offset + frames.at(-1)!.compressedLength;
    for (const [s, e] of [[300, 400], [0, 1], [700, 1500], [input.length - 1, input.length], [256, 256]]) {
      const { blob, reads } = recordingBlob(stream);
      expect(await decompressRange(blob, { start: s, end: e, threads: 1 })).toEqual(input.slice(s, e));
      const needed = frames.filter((f) => s < e && f.rawStart < e && f.rawStart + f.rawLength > s);
      const allowed: [number, number][] = [
        [0, MAX_HEADER_LENGTH], // the header
        [stream.length - 8, stream.length], // the end record's trailer: end length and CRC
        [endAt, endAt + MAX_END_PREFIX_LENGTH], // its marker, total and count, checked first
        [endAt, stream.length], // the end record
        ...needed.map((f) => [f.offset, f.offset + f.compressedLength] as [number, number]),
      ];
      for (const [a, b] of reads) {
        expect(allowed.some(([x, y]) => a === x && b === y), `read [${a}, ${b}) for [${s}, ${e})`).toBe(true);
      }
      for (const f of needed) expect(reads, `frame at ${f.offset}`).toContainEqual([f.offset, f.offset + f.compressedLength]);
      expect(reads.reduce((n, [a, b]) => n + b - a, 0)).toBeLessThanOrEqual(
        MAX_HEADER_LENGTH + 8 + MAX_END_PREFIX_LENGTH + (stream.length - endAt) + needed.reduce((n, f) => n + f.compressedLength, 0),
      );
    }
  });

  it('concatenated members in a Blob: only small reads enter a frame outside the range', async () => {
    // A member that another follows is walked from the front: header, frame heads, end record.
    // Reads that enter a frame outside the range are such heads and probes (at most the header
    // length), or start at an end record; no other read touches one.
    await fc.assert(
      fc.asyncProperty(memberSpecs, fc.nat(), fc.nat(), async (specs, a, b) => {
        const { stream: s, content } = buildMembers(specs);
        const i = info(s);
        const all = framesWithContentOffsets(i);
        // Stream offsets of the end records (compress() writes no multi-frame member without frames).
        const ends = new Set(i.members.filter((m) => m.multiFrame).map((m) => m.frames.at(-1)!.offset + m.frames.at(-1)!.compressedLength));
        const start = a % (content.length + 1);
        const end = start + (b % (content.length - start + 1));
        const { blob, reads } = recordingBlob(s);
        expect(await decompressRange(blob, { start, end, threads: 1 })).toEqual(content.slice(start, end));
        for (const f of all) {
          if (start < end && f.rawStart < end && f.rawStart + f.rawLength > start) continue;
          const [x, y] = [f.offset, f.offset + f.compressedLength];
          for (const [ra, rb] of reads) {
            const enters = ra < y && rb > x;
            if (enters) expect(rb - ra <= MAX_HEADER_LENGTH || ends.has(ra), `read [${ra}, ${rb}) enters the frame at ${f.offset}`).toBe(true);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('errors', () => {
  const input = enc.encode(PARAGRAPH.repeat(2));
  const stream = concatBytes(compressSync(input, { level: 1, frameSize: 200 }), compressSync(input.subarray(0, 100), { level: 1 }));
  const total = input.length + 100;

  it('a start beyond the content, a negative or fractional offset, or end < start: RangeError', async () => {
    await expect(decompressRange(stream, { start: total + 1 })).rejects.toThrow(new RangeError(`range start ${total + 1} is beyond the end of the content (${total} bytes)`));
    await expect(decompressRange(blobOf([stream]), { start: total + 1, end: total + 5 })).rejects.toBeInstanceOf(RangeError);
    expect(await decompressRange(stream, { start: total, end: total + 5 })).toEqual(new Uint8Array(0));
    for (const opts of [{ start: -1 }, { start: 1.5 }, { start: Number.NaN }, { start: 5, end: 4 }, { start: 0, end: Infinity }, { start: 2 ** 53 }]) {
      await expect(decompressRange(stream, opts), JSON.stringify(opts)).rejects.toBeInstanceOf(RangeError);
    }
  });

  it('empty input and garbage are KolmoFormatError, for bytes and for a Blob', async () => {
    for (const bad of [new Uint8Array(0), enc.encode('not kolmo'), concatBytes(stream, Uint8Array.of(1, 2, 3))]) {
      for (const input of [bad, blobOf([bad])]) {
        await expect(decompressRange(input, { start: 0 })).rejects.toBeInstanceOf(KolmoFormatError);
      }
    }
    await expect(decompressRange(concatBytes(stream, Uint8Array.of(1, 2, 3)), { start: 0 })).rejects.toThrow(`3 unexpected bytes after the end of the stream at byte ${stream.length}`);
  });

  it('every truncation: what decompressSync gives (to the end of the content)', async () => {
    for (let n = 0; n < stream.length; n++) {
      const cut = stream.subarray(0, n);
      let want: Uint8Array | Error;
      try {
        want = decompressSync(cut); // the first member alone is a stream
      } catch (e) {
        want = e as Error;
      }
      const got = await outcome(decompressRange(n % 2 ? cut : blobOf([cut]), { start: 0, threads: 1 }));
      if (want instanceof Error) {
        expect(got.ok, `prefix ${n}`).toBe(false);
        expect((got as { error: Error }).error, `prefix ${n}`).toBeInstanceOf(KolmoFormatError);
        expect((got as { error: Error }).error.message, `prefix ${n}`).toBe(want.message);
      } else {
        expect(got, `prefix ${n}`).toEqual({ ok: true, data: want });
      }
    }
  });

  it('bit flips: the whole range decodes exactly when decompressSync does, else a typed error', async () => {
    const small = concatBytes(compressSync(input.subarray(0, 150), { level: 1, frameSize: 64 }), compressSync(lcgBytes(2, 30), { level: 1 }));
    const content = concatBytes(input.subarray(0, 150), lcgBytes(2, 30));
    for (let bit = 0; bit < small.length * 8; bit += 3) {
      const bad = small.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      let sync: Uint8Array | Error;
      try {
        sync = decompressSync(bad);
      } catch (e) {
        sync = e as Error;
      }
      const r = await outcome(decompressRange(blobOf([bad]), { start: 0, threads: 1 }));
      const where = `bit ${bit & 7} of byte ${bit >> 3}`;
      if (sync instanceof Error) {
        expect(r.ok, `${where}: decompressSync failed (${sync.message}), the range did not`).toBe(false);
        expect(isTypedDecodeError((r as { error: Error }).error), `${where}: ${(r as { error: Error }).error}`).toBe(true);
      } else {
        expect(r, where).toEqual({ ok: true, data: sync });
        expect(sync).toEqual(content);
      }
    }
  });

  it('an aborted signal: KolmoAbortError', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(decompressRange(stream, { start: 0, signal: ac.signal })).rejects.toBeInstanceOf(KolmoAbortError);
  });
});

describe('kolmo decompress --range', () => {
  const tmp = cliTestDir('kolmo-range-');
  const kolmo = (args: string[], input?: Uint8Array) => runKolmo(args, { cwd: tmp(), input });

  it('FILE to standard output or -o, standard input, START: and :END', () => {
    const { stream, content } = buildMembers([
      { data: enc.encode(PARAGRAPH.repeat(3)), level: 1, frameSize: 256 },
      { data: lcgBytes(9, 300), level: 1, frameSize: 1 << 20 },
    ]);
    fs.writeFileSync(path.join(tmp(), 'r.kz'), stream);
    for (const [spec, s, e] of [['10:20', 10, 20], ['1000:1200', 1000, 1200], ['500:', 500, content.length], [':77', 0, 77], [':', 0, content.length]] as const) {
      const r = kolmo(['decompress', '--range', spec, 'r.kz']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, spec).toEqual(content.slice(s, e));
    }
    const o = kolmo(['d', '--range', '100:900', 'r.kz', '-o', 'part.bin']);
    expect(o.code, o.stderr).toBe(0);
    expect(new Uint8Array(fs.readFileSync(path.join(tmp(), 'part.bin')))).toEqual(content.slice(100, 900));
    expect(kolmo(['d', '--range', '1:2', 'r.kz', '-o', 'part.bin']).stderr).toMatch(/already exists/);
    const stdin = kolmo(['d', '--range', '900:1100', '--threads', '2'], stream);
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(stdin.stdout).toEqual(content.slice(900, 1100));
  });

  it('reads the file at offsets: a damaged frame outside the range does not matter', () => {
    const input = enc.encode(PARAGRAPH.repeat(4));
    const c = compressSync(input, { level: 1, frameSize: 256 });
    const f0 = info(c).frames[0];
    const bad = c.slice();
    for (let p = f0.offset + MAX_FRAME_HEAD_LENGTH; p < f0.offset + f0.compressedLength; p++) bad[p] ^= 0xff;
    fs.writeFileSync(path.join(tmp(), 'bad.kz'), bad);
    expect(kolmo(['d', '-c', 'bad.kz']).code).toBe(1);
    const r = kolmo(['d', '--range', '600:1000', 'bad.kz']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toEqual(input.slice(600, 1000));
    const hit = kolmo(['d', '--range', '100:300', 'bad.kz']);
    expect(hit.code).toBe(1);
    expect(hit.stderr).toMatch(new RegExp(`^kolmo: bad.kz: frame 0 at byte ${f0.offset}: `));
  });

  it('errors: a malformed range is a usage error; a start beyond the content one line; --range is for decompress', () => {
    fs.writeFileSync(path.join(tmp(), 'e.kz'), compressSync(enc.encode('twelve bytes'), { level: 1 }));
    for (const spec of ['12', 'a:b', '-1:5', '5-7']) {
      const r = kolmo(['d', '--range', spec, 'e.kz']);
      expect(r.code, spec).toBe(1);
      expect(r.stderr, spec).toMatch(/^kolmo: --range needs START:END/);
    }
    const beyond = kolmo(['d', '--range', '13:20', 'e.kz']);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toBe('kolmo: --range start 13 is beyond the end of the content (12 bytes)\n');
    const backwards = kolmo(['d', '--range', '5:4', 'e.kz']);
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toMatch(/^kolmo: --range end must be an integer >= start \(5\), got 4\n$/);
    const wrong = kolmo(['compress', '--range', '1:2', 'e.kz']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--range is an option of decompress/);
    expect(fs.readdirSync(tmp()).filter((f) => f.startsWith('e.'))).toEqual(['e.kz']);
  });
});
