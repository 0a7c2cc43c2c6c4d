// Frame filters (assembly/filter/): the encoder's choice by content, and that every filter
// undoes exactly what it did, also on frames cut inside a sample or an instruction.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressSync, decompressSync } from '../src/index.js';
import { devCodecInstance } from './helpers/dev-wasm.js';
// @ts-expect-error: a JS module without types
import { modelBundle } from '../scripts/model.mjs';
import { arm64Code, goldenInputs, image, pcmSamples as pcm, x86Code as code, x86Code64, PARAGRAPH } from './helpers/vectors.mjs';

type FilterExports = {
  memory: WebAssembly.Memory;
  setup(maxFrame: number): number;
  inputPtr(): number;
  filterChosen(n: number): number;
  filterRun(code: number, n: number, encode: number): void;
  encodeFrame(level: number, n: number): number;
  setAblation(bits: number): void;
  imageLayoutField(which: number): number;
  frameFilter(): number;
};

const ABLATE_FILTERS = 32768; // assembly/predictor.ts

const FILTER_X86 = 1;
const FILTER_PCM16 = 2;
const FILTER_IMAGE = 3;
const FILTER_ARM64 = 4;
const FILTER_BINARY = 8;
const ABLATE_LM = 1; // assembly/predictor.ts
const pcmCode = (channels: number, order: number, offset: number) =>
  FILTER_PCM16 | ((channels - 1) << 2) | ((order - 1) << 3) | (offset << 4);

function instance(): FilterExports {
  return devCodecInstance() as unknown as FilterExports;
}

function load(x: FilterExports, data: Uint8Array): void {
  new Uint8Array(x.memory.buffer, x.inputPtr(), data.length).set(data);
}

function read(x: FilterExports, n: number): Uint8Array {
  return new Uint8Array(x.memory.buffer, x.inputPtr(), n).slice();
}

/** Payload bytes of data coded as one frame at level with the ablation bits set (then cleared). */
function payload(x: FilterExports, data: Uint8Array, level: number, bits: number): number {
  x.setAblation(bits);
  load(x, data);
  const n = x.encodeFrame(level, data.length);
  x.setAblation(0);
  return n;
}

/** Applies filter to bytes in the input buffer, undoes it, and expects the bytes back. */
function expectUndone(x: FilterExports, filter: number, bytes: Uint8Array): void {
  load(x, bytes);
  x.filterRun(filter, bytes.length, 1);
  x.filterRun(filter, bytes.length, 0);
  expect(Buffer.from(read(x, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
}

describe('frame filters', () => {
  it('choose PCM with the right channels and offset, x86 for code, none for text', () => {
    const x = instance();
    for (const [channels, header] of [[1, 0], [1, 1], [2, 0], [2, 3], [2, 44]]) {
      const data = pcm(20000, channels, header);
      load(x, data);
      const code = x.filterChosen(data.length);
      expect(code & 3, `channels ${channels}, header ${header}`).toBe(FILTER_PCM16);
      expect(((code >> 2) & 1) + 1).toBe(channels);
      // an offset of one sample later is as good (stereo: the channels swap places)
      expect(((code >> 4) & 3) % 2).toBe(header % 2);
    }
    const c = code(50000);
    load(x, c);
    expect(x.filterChosen(c.length)).toBe(FILTER_X86);
    const arm = arm64Code(50000);
    load(x, arm);
    expect(x.filterChosen(arm.length)).toBe(FILTER_ARM64);
    // random bytes have as many BL opcodes as ARM64 code, but no RETs
    let s = 3;
    const noise = Uint8Array.from({ length: 50000 }, () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24);
    load(x, noise);
    expect(x.filterChosen(noise.length)).toBe(FILTER_BINARY);
    // the golden vectors that pin the filters' bytes do use them
    const golden = goldenInputs();
    load(x, golden['pcm16-stereo'].bytes);
    expect(x.filterChosen(golden['pcm16-stereo'].bytes.length) & 3).toBe(FILTER_PCM16);
    load(x, golden['x86-calls'].bytes);
    expect(x.filterChosen(golden['x86-calls'].bytes.length)).toBe(FILTER_X86);
    load(x, golden['arm64-calls'].bytes);
    expect(x.filterChosen(golden['arm64-calls'].bytes.length)).toBe(FILTER_ARM64);
    load(x, golden['bmp-24bit'].bytes);
    expect(x.filterChosen(golden['bmp-24bit'].bytes.length)).toBe(FILTER_IMAGE | 8);
    const text = new TextEncoder().encode('The quick brown fox jumps over the lazy dog. è é ü '.repeat(400));
    load(x, text);
    expect(x.filterChosen(text.length)).toBe(0);
  });

  it('find the layout of BMP and PNM images, and refuse headers they cannot use', () => {
    const x = instance();
    for (const [kind, width, height, px, stride, offset] of [
      ['bmp', 45, 40, 3, 136, 54], // rows padded to 4 bytes
      ['bmp', 64, 64, 1, 64, 1078], // after a 256-colour palette
      ['bmp', 50, 30, 4, 200, 54],
      ['pnm', 60, 50, 1, 60, 26], // after a comment line
      ['pnm', 60, 50, 3, 180, 26],
    ] as const) {
      const data = image(kind, width, height, px);
      load(x, data);
      const chosen = x.filterChosen(data.length);
      expect(chosen, `${kind} ${px}`).toBe(FILTER_IMAGE | ((px - 1) << 2));
      expect([x.imageLayoutField(0), x.imageLayoutField(1), x.imageLayoutField(2)]).toEqual([stride, offset, px]);
    }
    const notImage = (data: Uint8Array, why: string) => {
      load(x, data);
      expect(x.filterChosen(data.length) & 3, why).not.toBe(FILTER_IMAGE);
    };
    const bmp = image('bmp', 45, 40, 3);
    const rle = bmp.slice();
    rle[30] = 1; // BI_RLE8
    notImage(rle, 'compressed BMP');
    notImage(bmp.subarray(0, 54 + 136), 'BMP with less than two rows in the frame');
    const wide = bmp.slice();
    new DataView(wide.buffer).setInt32(18, -45, true);
    notImage(wide, 'BMP of negative width');
    notImage(new TextEncoder().encode(`P6\n60 50\n65535\n${'x'.repeat(18000)}`), 'PPM of 16-bit samples');
    notImage(new TextEncoder().encode(`P5 60 50 255${'x'.repeat(3000)}`), 'PGM without the whitespace that ends its header');
  });

  it('binary frames are named so, and level 3 codes them without the language model', () => {
    const x = instance();
    const chosen = (data: Uint8Array) => {
      load(x, data);
      return x.filterChosen(data.length);
    };
    const enc = new TextEncoder();
    // a terminal session: text with escape sequences (ESC bytes), still text
    const session = enc.encode('\x1b[1m$ ls -l\x1b[0m\ntotal 8\n-rw-r--r-- 1 user 42 notes.txt\n\x1b[32mok\x1b[0m\n'.repeat(300));
    const utf8 = enc.encode('日本語のテキストと中文文本。'.repeat(400));
    // pseudo-random picks from an alphabet: text with 1 byte in 12 a control byte; records of
    // control bytes (1 in 6) and high bytes
    let s = 17;
    const pick = (alphabet: number[]) => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return alphabet[(s >>> 16) % alphabet.length];
    };
    const letters = [...'etaoinshrdlu c.'].map((c) => c.charCodeAt(0));
    const table = Uint8Array.from({ length: 20000 }, (_, i) => (i % 12 === 5 ? 2 : pick(letters)));
    const records = Uint8Array.from({ length: 20000 }, (_, i) => (i % 6 === 0 ? 1 + (i % 5) : pick([200, 201, 202, 230, 65, 66])));
    expect([chosen(session), chosen(utf8), chosen(table), chosen(records)]).toEqual([0, 0, 0, FILTER_BINARY]);
    // Level 3 needs the models.
    const bundle: Uint8Array = modelBundle();
    const at = (x as unknown as { allocBytes(n: number): number }).allocBytes(bundle.length);
    new Uint8Array(x.memory.buffer, at, bundle.length).set(bundle);
    expect((x as unknown as { modelLoad(p: number, n: number): number }).modelLoad(at, bundle.length)).toBe(0);
    // Without the LM either way: the same bytes as with the LM ablated.
    const binary = payload(x, records, 3, 0);
    expect(binary).toBeGreaterThan(0);
    expect(binary).toBe(payload(x, records, 3, ABLATE_LM));
    // A text frame does use it.
    const text = enc.encode(PARAGRAPH.repeat(8));
    expect(payload(x, text, 3, 0)).toBeGreaterThan(0);
    expect(payload(x, text, 3, 0)).not.toBe(payload(x, text, 3, ABLATE_LM));
  });

  it('a PCM guess stands only if a sample codes smaller with it', () => {
    // Runs of zeros and of random bytes, like a palette image's rows, look like PCM to the
    // byte statistics (filterChoose) but code larger as residuals: the encoder keeps them as they are.
    let s = 5;
    const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16;
    const runs = new Uint8Array(40000);
    for (let i = 0; i < runs.length; ) {
      const len = 1 + (r() % 40);
      runs.fill(r() % 3 === 0 ? r() % 256 : 0, i, i + len);
      i += len;
    }
    const x = instance();
    load(x, runs);
    expect(x.filterChosen(runs.length) & 3).toBe(FILTER_PCM16);
    payload(x, runs, 1, 0);
    expect(x.frameFilter()).toBe(FILTER_BINARY); // not PCM (the runs are binary data)
  });

  it('every filter is undone exactly, on any bytes and any length', () => {
    const x = instance();
    const codes = [FILTER_X86, FILTER_ARM64, FILTER_IMAGE, FILTER_IMAGE | 8];
    for (const ch of [1, 2]) for (const order of [1, 2]) for (let off = 0; off < 4; off++) codes.push(pcmCode(ch, order, off));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...codes), fc.boolean(), (bytes, filter, ops) => {
        // many opcodes, so x86 sees displacements of every kind, also cut by the end, and
        // ARM64 BLs and ADRPs (top byte 0x94..0x97, 0x90..0xF0) with any offset
        if (ops && filter === FILTER_X86) for (let i = 0; i < bytes.length; i += 7) bytes[i] = 0xe8;
        if (ops && filter === FILTER_ARM64) {
          for (let i = 3; i < bytes.length; i += 4) bytes[i] = i % 8 === 3 ? (bytes[i] & 0x60) | 0x90 : (bytes[i] & 3) | 0x94;
        }
        expectUndone(x, filter, bytes);
      }),
      { numRuns: 400 },
    );
  });

  it('the x86 filter makes repeated calls, jumps and RIP-relative references to one target byte-identical', () => {
    const x = instance();
    const { bytes: c, targets } = x86Code64(4000);
    load(x, c);
    x.filterRun(FILTER_X86, c.length, 1);
    const out = new DataView(read(x, c.length).buffer);
    // The operands, found by the same walk as x86Code64's (every instruction is one of its five).
    const seen = new Set<number>();
    for (let i = 0; i + 10 <= c.length; ) {
      const at = c[i] === 0xe8 ? 1 : c[i] === 0x0f ? 2 : c[i] === 0x48 ? 3 : c[i] === 0xc7 ? 2 : -1;
      if (at > 0) seen.add(out.getInt32(i + at, false)); // stored big-endian
      i += c[i] === 0xe8 ? 5 : c[i] === 0x0f ? 6 : c[i] === 0x48 ? 7 : c[i] === 0xc7 ? 10 : c[i] === 0x89 ? 2 : 1;
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([...targets].sort((a, b) => a - b));
  });

  // An x86-64 ELF image over `bytes` (at least 232 long): the header; program headers at 64:
  // PT_GNU_EH_FRAME at t.hdr, an .eh_frame_hdr (version 1, 0x1B, 0x03, 0x3B) whose
  // eh_frame_ptr is t.ehPtr and count t.count; PT_DYNAMIC at t.dyn naming RELA tables at
  // t.rela (t.relaSize bytes) and t.plt (t.pltSize); one PT_LOAD of the whole image at
  // 0x400000. Fields that fall outside the bytes are left out.
  type ElfShape = { hdr: number; ehPtr: number; count: number; dyn: number; rela: number; relaSize: number; plt: number; pltSize: number };
  const elf = (bytes: Uint8Array, t: ElfShape) => {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const fits = (at: number, size: number) => at >= 0 && at + size <= bytes.length;
    v.setUint32(0, 0x464c457f, true);
    bytes[4] = 2;
    bytes[5] = 1;
    v.setUint16(18, 0x3e, true);
    v.setBigUint64(32, 64n, true);
    v.setUint16(54, 56, true);
    v.setUint16(56, 3, true);
    const ph = (k: number, type: number, offset: number, vaddr: number, size: number) => {
      bytes.fill(0, 64 + 56 * k, 120 + 56 * k);
      v.setUint32(64 + 56 * k, type, true);
      v.setBigUint64(72 + 56 * k, BigInt(offset), true);
      v.setBigUint64(80 + 56 * k, BigInt(vaddr), true);
      v.setBigUint64(96 + 56 * k, BigInt(size), true);
    };
    ph(0, 0x6474e550, t.hdr, 0x400000 + t.hdr, 12);
    ph(1, 2, t.dyn, 0x400000 + t.dyn, 112);
    ph(2, 1, 0, 0x400000, bytes.length);
    if (fits(t.hdr, 12)) {
      bytes.set([1, 0x1b, 0x03, 0x3b], t.hdr);
      v.setInt32(t.hdr + 4, t.ehPtr, true);
      v.setUint32(t.hdr + 8, t.count, true);
    }
    const tags = [[7, 0x400000 + t.rela], [8, t.relaSize], [9, 24], [23, 0x400000 + t.plt], [2, t.pltSize], [20, 7], [0, 0]];
    tags.forEach(([tag, value], k) => {
      if (fits(t.dyn + 16 * k, 16)) {
        v.setBigUint64(t.dyn + 16 * k, BigInt(tag), true);
        v.setBigUint64(t.dyn + 16 * k + 8, BigInt(value), true);
      }
    });
  };

  it('the x86 filter undoes itself on code, RIP-relative operands, ELF tables and cut ends', () => {
    const x = instance();
    const { bytes: base } = x86Code64(3000);
    const shape = fc.record({
      hdr: fc.integer({ min: 200, max: 800 }),
      ehPtr: fc.integer({ min: -300, max: 400 }),
      count: fc.nat(80),
      dyn: fc.integer({ min: 200, max: 900 }),
      rela: fc.integer({ min: 0, max: 1200 }),
      relaSize: fc.oneof(fc.nat(20).map((k) => 24 * k), fc.nat(600)),
      plt: fc.integer({ min: 0, max: 1200 }),
      pltSize: fc.oneof(fc.nat(20).map((k) => 24 * k), fc.nat(600)),
    });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 1200 }), fc.nat(2000), fc.integer({ min: 0, max: 3 }), shape, (noise, cut, kind, t) => {
        // kind 0: random bytes with many RIP-relative and call patterns; 1: parseable code
        // cut anywhere; 2, 3: an ELF image (random or code after the headers) whose tables
        // may overlap anything, with .eh_frame entries of random lengths.
        let bytes: Uint8Array;
        if (kind === 1) bytes = base.slice(0, Math.min(cut, base.length));
        else {
          bytes = noise.slice();
          for (let i = 0; i + 3 <= bytes.length; i += 5 + (bytes[i] & 7)) {
            const pattern = [[0x48, 0x8b, 0x05], [0x48, 0x8d, 0x3d], [0xe8], [0x0f, 0x85], [0xc7, 0x05], [0x66, 0x81, 0x3d]][bytes[i] % 6];
            bytes.set(pattern.slice(0, bytes.length - i), i);
          }
          if (kind === 3) bytes = Uint8Array.from([...bytes, ...base.subarray(0, cut % 1500)]);
          if (kind >= 2 && bytes.length >= 232) {
            const v = new DataView(bytes.buffer);
            // .eh_frame entries: lengths 12..43 mostly, CIE ids (0) now and then
            for (let at = t.hdr + 4 + t.ehPtr; at >= 232 && at + 8 <= bytes.length; ) {
              const len = 12 + (bytes[at] % 32);
              v.setUint32(at, bytes[at + 1] % 9 === 0 ? bytes[at + 2] : len, true);
              if (bytes[at + 3] % 5 === 0) v.setUint32(at + 4, 0, true);
              at += 4 + len;
            }
            elf(bytes, t);
          }
        }
        expectUndone(x, FILTER_X86, bytes);
      }),
      { numRuns: 800 },
    );
  });

  it('the x86 filter makes ELF unwind and relocation tables absolute or delta-coded', () => {
    const x = instance();
    const bytes = new Uint8Array(2000);
    // .eh_frame at 1000: a CIE (20 bytes), then FDEs of 20 bytes for functions 0x100 apart,
    // each 0xF0 long; the RELA tables at 400 (8 entries) and 700 (4), words 8 apart.
    const t = { hdr: 300, ehPtr: 1000 - 304, count: 0, dyn: 1500, rela: 400, relaSize: 192, plt: 700, pltSize: 96 };
    const v = new DataView(bytes.buffer);
    v.setUint32(1000, 16, true);
    for (let k = 0, at = 1020; k < 10; k++, at += 20) {
      v.setUint32(at, 16, true);
      v.setUint32(at + 4, at + 4 - 1000, true); // back to the CIE
      v.setInt32(at + 8, 0x100 * k - (at + 8), true); // PC-relative function start
      v.setUint32(at + 12, 0xf0, true);
    }
    for (let k = 0; k < 8; k++) v.setBigUint64(400 + 24 * k, BigInt(0x600000 + 8 * k), true);
    for (let k = 0; k < 4; k++) v.setBigUint64(700 + 24 * k, BigInt(0x601000 + 8 * k), true);
    elf(bytes, t);
    load(x, bytes);
    x.filterRun(FILTER_X86, bytes.length, 1);
    const out = new DataView(read(x, bytes.length).buffer);
    for (let k = 0, at = 1020; k < 10; k++, at += 20) {
      expect(out.getUint32(at + 4, true)).toBe(1000); // the CIE's place
      expect(out.getUint32(at + 8, false)).toBe(k === 0 ? 0 : 0x10); // the gap after the last range
    }
    for (let k = 1; k < 8; k++) expect(out.getBigUint64(400 + 24 * k, false)).toBe(8n);
    for (let k = 1; k < 4; k++) expect(out.getBigUint64(700 + 24 * k, false)).toBe(8n);
    x.filterRun(FILTER_X86, bytes.length, 0);
    expect(Buffer.from(read(x, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('filtered frames round-trip and code smaller than unfiltered ones would', () => {
    for (const data of [pcm(30000, 2, 44), pcm(30001, 1, 7), code(60001), arm64Code(40000), arm64Code(40000).subarray(0, 39999), image('bmp', 45, 40, 3), image('pnm', 60, 50, 1)]) {
      for (const level of [1, 2]) {
        const z = compressSync(data, { level });
        expect(Buffer.from(decompressSync(z)).equals(Buffer.from(data))).toBe(true);
      }
    }
    // An image cut into frames: the first is an image frame, the others are not.
    const picture = image('bmp', 64, 64, 1);
    const cut = compressSync(picture, { level: 1, frameSize: 2000 });
    expect(Buffer.from(decompressSync(cut)).equals(Buffer.from(picture))).toBe(true);
    // The same frames through the dev module's encoder, with the filters and without
    // (ABLATE_FILTERS): payload bytes at level 1.
    const x = instance();
    const level1 = (data: Uint8Array, bits: number) => {
      const n = payload(x, data, 1, bits);
      expect(n).toBeGreaterThan(0);
      return n;
    };
    for (const [name, data, most] of [
      ['stereo PCM', pcm(30000, 2, 44), 0.7],
      ['mono PCM', pcm(30001, 1, 7), 0.7],
      ['x86-64 code', x86Code64(60001).bytes, 0.85],
      ['ARM64 calls', arm64Code(60000), 0.9],
      ['24-bit BMP', image('bmp', 45, 40, 3), 0.95],
      ['8-bit PGM', image('pnm', 120, 100, 1), 0.98],
    ] as const) {
      const filtered = level1(data, 0);
      const plain = level1(data, ABLATE_FILTERS);
      expect(filtered, `${name}: ${filtered} bytes filtered, ${plain} without`).toBeLessThan(plain * most);
    }
    // Text gets no filter: the same bytes either way.
    const text = new TextEncoder().encode(PARAGRAPH.repeat(20));
    expect(level1(text, 0)).toBe(level1(text, ABLATE_FILTERS));
  });
});
