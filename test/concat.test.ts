// Concatenated streams (members), as gzip, xz and zstd allow: the concatenation of valid
// streams is a valid stream whose content is the concatenation of theirs. A member starts only
// where one ended and the next bytes are 'K' and a capital letter; anything else is an error
// naming its offset.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compressSync,
  createDecompressNodeStream,
  createDecompressStream,
  decompress,
  decompressSync,
  info,
  KolmoFormatError,
  KolmoModelMismatchError,
  levelIdsHex,
} from '../src/index.js';
import { concatBytes, lcgBytes, PARAGRAPH, pipeChunks } from './helpers/util.js';
import { cliTestDir, runKolmo } from './helpers/cli.js';
import { buildMembers, memberSpec, memberSpecs } from './helpers/members.js';

const enc = new TextEncoder();

describe('concatenated members decode to the concatenation of their contents', () => {
  it('decompressSync, decompress (1 and 2 threads), info', async () => {
    await fc.assert(
      fc.asyncProperty(memberSpecs, fc.constantFrom(1, 2), async (specs, threads) => {
        const { streams, stream, content } = buildMembers(specs);
        expect(decompressSync(stream)).toEqual(content);
        expect(await decompress(stream, { threads })).toEqual(content);
        const i = info(stream);
        expect(i.members.length).toBe(specs.length);
        expect(i.rawLength).toBe(content.length);
        expect(i.compressedLength).toBe(stream.length);
        let offset = 0;
        i.members.forEach((m, k) => {
          const one = info(streams[k]);
          expect(m.offset).toBe(offset);
          expect(m.level).toBe(specs[k].level);
          expect(m.modelId).toBe(levelIdsHex[specs[k].level]);
          expect(m.rawLength).toBe(specs[k].data.length);
          expect(m.compressedLength).toBe(streams[k].length);
          expect(m.multiFrame).toBe(specs[k].data.length > specs[k].frameSize);
          // The member's frames are the lone stream's, moved by the member's offset.
          expect(m.frames).toEqual(one.frames.map((f) => ({ ...f, offset: f.offset + offset })));
          offset += streams[k].length;
        });
        expect(i.frames).toEqual(i.members.flatMap((m) => m.frames));
        // The top-level description is the first member's.
        expect([i.level, i.modelId, i.multiFrame, i.frameSize]).toEqual([i.members[0].level, i.members[0].modelId, i.members[0].multiFrame, i.members[0].frameSize]);
      }),
      { numRuns: 40 },
    );
  });

  it('the web stream decoder, in random chunks', async () => {
    await fc.assert(
      fc.asyncProperty(memberSpecs, fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 6 }), async (specs, sizes) => {
        const { stream, content } = buildMembers(specs);
        expect(await pipeChunks(stream, sizes, createDecompressStream({ threads: 1 }))).toEqual(content);
      }),
      { numRuns: 40 },
    );
  });

  it('the Node stream decoder', async () => {
    const { stream, content } = buildMembers([
      { data: enc.encode(PARAGRAPH), level: 1, frameSize: 100 },
      { data: new Uint8Array(0), level: 1, frameSize: 100 },
      { data: lcgBytes(4, 90), level: 1, frameSize: 1 << 20 },
    ]);
    const d = createDecompressNodeStream({ threads: 2 });
    const out: Buffer[] = [];
    d.on('data', (c: Buffer) => out.push(c));
    const ended = new Promise((resolve, reject) => {
      d.on('end', resolve);
      d.on('error', reject);
    });
    for (let o = 0; o < stream.length; o += 37) d.write(stream.subarray(o, o + 37));
    d.end();
    await ended;
    expect(new Uint8Array(Buffer.concat(out))).toEqual(content);
  });

  it('every member has its model id checked, and the error names its offset', async () => {
    const a = compressSync(enc.encode(PARAGRAPH), { level: 1 });
    const b = compressSync(enc.encode('second member'), { level: 1 }); // single frame: no CRC covers its header
    b.set([0xde, 0xad, 0xbe, 0xef], 3);
    const both = concatBytes(a, b);
    const re = new RegExp(`model id deadbeef in the header \\(bytes ${a.length + 3}-${a.length + 6}, level 1\\)`);
    expect(() => decompressSync(both)).toThrow(KolmoModelMismatchError);
    expect(() => decompressSync(both)).toThrow(re);
    await expect(decompress(both, { threads: 2 })).rejects.toThrow(re);
    const s = await pipeChunks(both, [11], createDecompressStream({ threads: 1 })).catch((e) => e);
    expect(s).toBeInstanceOf(KolmoModelMismatchError);
    expect(s.message).toMatch(re);
    expect(info(both).members[1].modelId).toBe('deadbeef'); // info only describes
  });

  it('an empty input is not a stream; an empty member is one', async () => {
    expect(() => decompressSync(new Uint8Array(0))).toThrow(KolmoFormatError);
    expect(() => info(new Uint8Array(0))).toThrow(/truncated stream: it ends inside the header at byte 0/);
    await expect(pipeChunks(new Uint8Array(0), [1], createDecompressStream())).rejects.toThrow(KolmoFormatError);
    const empty = compressSync(new Uint8Array(0), { level: 1 });
    expect(decompressSync(concatBytes(empty, empty, empty))).toEqual(new Uint8Array(0));
    expect(info(concatBytes(empty, empty)).members.map((m) => m.offset)).toEqual([0, empty.length]);
  });
});

/** The error fn throws; fails with `otherwise` when it returns. */
function thrownBy(fn: () => unknown, otherwise: string): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error(otherwise);
}

describe('after a member, only another whole member may follow', () => {
  /** The error of each decoder for bytes that must not decode. */
  async function errors(bytes: Uint8Array, chunk: number): Promise<Error[]> {
    const sync = thrownBy(() => decompressSync(bytes), 'decompressSync decoded damaged bytes');
    const infoErr = thrownBy(() => info(bytes), 'info accepted damaged bytes');
    const asyncErr = await decompress(bytes, { threads: 1 }).then(() => new Error('decompress decoded damaged bytes'), (e) => e as Error);
    const streamErr = await pipeChunks(bytes, [chunk], createDecompressStream({ threads: 1 })).then(() => new Error('the stream decoded damaged bytes'), (e) => e as Error);
    return [sync, infoErr, asyncErr, streamErr];
  }

  it('garbage that does not start a header: "unexpected bytes" at the end of the last whole member', async () => {
    const garbage = fc.uint8Array({ minLength: 1, maxLength: 30 }).filter((g) => g[0] !== 0x4b || (g.length > 1 && !(g[1] >= 0x41 && g[1] <= 0x5a)));
    await fc.assert(
      fc.asyncProperty(memberSpecs, garbage, fc.integer({ min: 1, max: 64 }), async (specs, tail, chunk) => {
        const { stream } = buildMembers(specs);
        for (const e of await errors(concatBytes(stream, tail), chunk)) {
          expect(e).toBeInstanceOf(KolmoFormatError);
          expect(e.message).toMatch(new RegExp(`unexpected bytes after the end of the stream at byte ${stream.length}$`));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a truncated or damaged member after whole ones: its error, at an offset inside it', async () => {
    await fc.assert(
      fc.asyncProperty(memberSpecs, memberSpec, fc.nat(), fc.integer({ min: 1, max: 64 }), async (specs, last, cut, chunk) => {
        const { stream } = buildMembers(specs);
        const next = compressSync(last.data, { level: last.level, frameSize: last.frameSize });
        const n = 2 + (cut % (next.length - 2)); // 2 .. length − 1: keeps 'K' and the letter, so a member starts
        for (const e of await errors(concatBytes(stream, next.subarray(0, n)), chunk)) {
          expect(e).toBeInstanceOf(KolmoFormatError);
          expect(e.message).toMatch(/truncated stream/);
          const at = [...e.message.matchAll(/byte (\d+)/g)].map((m) => Number(m[1]));
          expect(at.length, e.message).toBeGreaterThan(0);
          for (const b of at) expect(b, e.message).toBeGreaterThanOrEqual(stream.length);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a second header of another format version is refused, naming its bytes', async () => {
    const a = compressSync(enc.encode(PARAGRAPH), { level: 1 });
    const old = Uint8Array.of(0x4b, 0x5a, (7 << 5) | 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    for (const e of await errors(concatBytes(a, old), 5)) {
      expect(e).toBeInstanceOf(KolmoFormatError);
      expect(e.message).toMatch(new RegExp(`unsupported format version 7 in the header, bytes ${a.length + 1}-${a.length + 2}`));
    }
  });
});

describe('kolmo decompress of concatenated files', () => {
  const tmp = cliTestDir('kolmo-concat-');

  it('a FILE and standard input (cat a.kz b.kz | kolmo d) decode to the concatenation', () => {
    fc.assert(
      fc.property(memberSpecs, (specs) => {
        const { stream, content } = buildMembers(specs);
        const file = path.join(tmp(), 'ab.kz');
        fs.writeFileSync(file, stream);
        const f = runKolmo(['decompress', '-c', file]);
        expect(f.code, f.stderr).toBe(0);
        expect(f.stdout).toEqual(content);
        const s = runKolmo(['decompress', '--threads', '2'], { input: stream });
        expect(s.code, s.stderr).toBe(0);
        expect(s.stdout).toEqual(content);
      }),
      { numRuns: 6 },
    );
  });

  it('trailing garbage: exit 1 with the offset; info lists the members', () => {
    const a = compressSync(enc.encode(PARAGRAPH), { level: 1 });
    const b = compressSync(enc.encode(PARAGRAPH.repeat(2)), { level: 1, frameSize: 300 });
    const file = path.join(tmp(), 'g.kz');
    fs.writeFileSync(file, concatBytes(a, b, Uint8Array.of(1, 2, 3)));
    const g = runKolmo(['decompress', '-c', file]);
    expect(g.code).toBe(1);
    expect(g.stderr).toMatch(new RegExp(`unexpected bytes after the end of the stream at byte ${a.length + b.length}\\n$`));
    fs.writeFileSync(file, concatBytes(a, b));
    const i = runKolmo(['info', file]);
    expect(i.code, i.stderr).toBe(0);
    expect(i.out).toMatch(/^format:\s+version \d+, 2 members \(concatenated streams\), 4 frames$/m);
    expect(i.out).toMatch(new RegExp(`^raw bytes:\\s+${PARAGRAPH.length * 3}$`, 'm'));
    expect(i.out).toMatch(new RegExp(`^member 0:\\s+at byte 0, level 1, model id ${levelIdsHex[1]} \\(this build\\), single frame, ${PARAGRAPH.length} raw bytes in ${a.length}$`, 'm'));
    expect(i.out).toMatch(new RegExp(`^member 1:\\s+at byte ${a.length}, level 1, .*, 3 frames of 300 bytes, ${PARAGRAPH.length * 2} raw bytes in ${b.length}$`, 'm'));
    // One member: the output as before (no member lines).
    fs.writeFileSync(file, a);
    const one = runKolmo(['info', file]);
    expect(one.out).not.toMatch(/member/);
    expect(one.out).toMatch(/^level:\s+1: /m);
  });
});
