// Frame filters (assembly/filter/): the encoder's choice by content, and that every filter
// undoes exactly what it did, also on frames cut inside a sample or an instruction.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressSync, decompressSync } from '../src/index.js';
import { devInstance } from './helpers/dev-wasm.js';

type FilterExports = {
  memory: WebAssembly.Memory;
  setup(maxFrame: number): number;
  inputPtr(): number;
  filterChosen(n: number): number;
  filterRun(code: number, n: number, encode: number): void;
};

const FILTER_X86 = 1;
const FILTER_PCM16 = 2;
const pcmCode = (channels: number, order: number, offset: number) =>
  FILTER_PCM16 | ((channels - 1) << 2) | ((order - 1) << 3) | (offset << 4);

function instance(): FilterExports {
  const x = devInstance() as unknown as FilterExports;
  expect(x.setup(1 << 20)).toBe(0);
  return x;
}

function load(x: FilterExports, data: Uint8Array): void {
  new Uint8Array(x.memory.buffer, x.inputPtr(), data.length).set(data);
}

function read(x: FilterExports, n: number): Uint8Array {
  return new Uint8Array(x.memory.buffer, x.inputPtr(), n).slice();
}

/** 16-bit PCM: a decaying chord with a little deterministic noise, `header` bytes of text before it. */
function pcm(samples: number, channels: number, header: number): Uint8Array {
  const out = new Uint8Array(header + samples * channels * 2);
  out.fill(0x52, 0, header);
  const view = new DataView(out.buffer);
  let noise = 12345;
  for (let i = 0; i < samples; i++) {
    for (let c = 0; c < channels; c++) {
      noise = (noise * 1103515245 + 12345) >>> 0;
      const t = i / 22050;
      const v = 9000 * Math.exp(-t * 2) * (Math.sin(2 * Math.PI * 440 * t + c) + 0.5 * Math.sin(2 * Math.PI * 660 * t));
      view.setInt16(header + (i * channels + c) * 2, Math.round(v) + ((noise >>> 16) % 16) - 8, true);
    }
  }
  return out;
}

/** x86-like code: calls (E8) to a few targets among other bytes. */
function code(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = 7;
  const targets = [0x1000, 0x2400, 0x8800, 0x10200];
  for (let i = 0; i + 5 <= n; ) {
    s = (s * 1103515245 + 12345) >>> 0;
    if (s % 8 === 0) {
      const rel = targets[(s >>> 8) % targets.length] - (i + 5);
      out[i] = 0xe8;
      new DataView(out.buffer).setInt32(i + 1, rel, true);
      i += 5;
    } else out[i++] = (s >>> 16) & 0x3f;
  }
  return out;
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
    const text = new TextEncoder().encode('The quick brown fox jumps over the lazy dog. è é ü '.repeat(400));
    load(x, text);
    expect(x.filterChosen(text.length)).toBe(0);
  });

  it('every filter is undone exactly, on any bytes and any length', () => {
    const x = instance();
    const codes = [FILTER_X86];
    for (const ch of [1, 2]) for (const order of [1, 2]) for (let off = 0; off < 4; off++) codes.push(pcmCode(ch, order, off));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...codes), fc.boolean(), (bytes, filter, e8) => {
        // many opcodes, so x86 sees displacements of every kind, also cut by the end
        if (e8) for (let i = 0; i < bytes.length; i += 7) bytes[i] = 0xe8;
        load(x, bytes);
        x.filterRun(filter, bytes.length, 1);
        x.filterRun(filter, bytes.length, 0);
        expect(Buffer.from(read(x, bytes.length)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('the x86 filter makes repeated calls to one target byte-identical', () => {
    const x = instance();
    const c = code(4000);
    load(x, c);
    x.filterRun(FILTER_X86, c.length, 1);
    const out = read(x, c.length);
    const targets = new Set<number>();
    for (let i = 0; i + 5 <= c.length; ) {
      if (c[i] === 0xe8) {
        targets.add(new DataView(out.buffer).getInt32(i + 1, true));
        i += 5;
      } else i++;
    }
    expect([...targets].sort((a, b) => a - b)).toEqual([0x1000, 0x2400, 0x8800, 0x10200]);
  });

  it('filtered frames round-trip and code smaller than unfiltered ones would', () => {
    for (const data of [pcm(30000, 2, 44), pcm(30001, 1, 7), code(60001)]) {
      for (const level of [1, 2]) {
        const z = compressSync(data, { level });
        expect(Buffer.from(decompressSync(z)).equals(Buffer.from(data))).toBe(true);
      }
    }
    // The PCM filter's worth: a chord with 4 bits of noise per sample codes to under half
    // its size.
    const wav = pcm(30000, 2, 44);
    expect(compressSync(wav, { level: 1 }).length).toBeLessThan(wav.length * 0.5);
  });
});
