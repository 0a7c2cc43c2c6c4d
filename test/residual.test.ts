// A residual LM (KLM1 flag bit 0) as level 3 runs it: its logits plus ln of the corpus
// n-gram's distribution, then the softmax (assembly/lm/residual.ts). Parity with
// train/reference.py --residual-ngram (float64, test/fixtures/lm-tiny-residual-parity.json:
// the tiny fixture LM over the shipped n-gram), and the flag gating the product.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { devInstance } from './helpers/dev-wasm.js';
import { ngramName } from '../src/generated/model.js';
import { runFreqProbe } from './helpers/freq-probe.js';

type Ex = Record<string, any> & { memory: WebAssembly.Memory };

const NGRAM = ngramName ? `models/${ngramName}.bin` : null;
const FIXTURE = 'test/fixtures/lm-tiny-residual-parity.json';
const present = NGRAM !== null && existsSync(NGRAM) && existsSync(FIXTURE);

/** A fresh instance with the bundle [u32 LM length | tiny LM (flag bit 0 = residual) | n-gram] loaded. */
function loaded(residual: boolean): Ex {
  const ex = devInstance() as Ex;
  const lm = new Uint8Array(readFileSync('test/fixtures/lm-tiny.bin'));
  new DataView(lm.buffer).setUint32(28, residual ? 1 : 0, true);
  const ng = new Uint8Array(readFileSync(NGRAM!));
  const bundle = new Uint8Array(4 + lm.length + ng.length);
  new DataView(bundle.buffer).setUint32(0, lm.length, true);
  bundle.set(lm, 4);
  bundle.set(ng, 4 + lm.length);
  const p = ex.allocBytes(bundle.length);
  new Uint8Array(ex.memory.buffer, p, bundle.length).set(bundle);
  expect(ex.modelLoad(p, bundle.length)).toBe(0);
  return ex;
}

/** Frequency of each byte of data and the total (pairs) under the probe (level 3's LM with the n-gram passed in). */
function freqs(ex: Ex, data: Uint8Array): Uint32Array {
  return runFreqProbe(ex, ex.allocBytes, ex.modelRunFreqs, data);
}

function log2p(ex: Ex, data: Uint8Array): number[] {
  const fr = freqs(ex, data);
  return Array.from(data, (_, i) => Math.log2(fr[2 * i] / fr[2 * i + 1]));
}

describe.skipIf(!present)('residual LM', () => {
  const fx = present ? JSON.parse(readFileSync(FIXTURE, 'utf8')) : null;
  const data = present ? new Uint8Array(Buffer.from(fx.text_base64, 'base64')) : new Uint8Array(0);

  it('f32 weights: per-byte log2 p within 0.01 bits (+ quantization) of the float64 reference, total within 0.1 %', () => {
    const ex = loaded(true);
    ex.lmSetFloat(1);
    const fr = freqs(ex, data);
    const got = Array.from(data, (_, i) => Math.log2(fr[2 * i] / fr[2 * i + 1]));
    const want: number[] = fx.log2p;
    expect(want.length).toBe(data.length);
    let worst = 0;
    let floored = 0;
    for (let i = 0; i < data.length; i++) {
      if (fr[2 * i] === 1) { // p < 2^-27: every byte keeps a frequency of at least 1 in 2^28
        expect(-want[i]).toBeGreaterThan(-got[i] - 1.01);
        floored++;
        continue;
      }
      // 0.01 bits, plus the truncation of a small frequency to an integer
      worst = Math.max(worst, Math.abs(got[i] - want[i]) - Math.log2(1 + 1 / (fr[2 * i] - 1 || 1)));
    }
    expect(floored).toBeLessThan(data.length / 50);
    expect(worst).toBeLessThan(0.01);
    // totals over the bytes above the floor
    const sum = (v: number[]) => -v.reduce((a, x, i) => a + (fr[2 * i] === 1 ? 0 : x), 0);
    expect(Math.abs(sum(got) - sum(want)) / sum(want)).toBeLessThan(1e-3);
    // the int8 weights the codec runs, against the f32 weights' total
    ex.lmSetFloat(0);
    const q = -log2p(ex, data).reduce((a, v) => a + v, 0);
    const f = -got.reduce((a, v) => a + v, 0);
    expect(Math.abs(q - f) / f).toBeLessThan(5e-3);
  });

  it('without the flag the same weights predict alone (the n-gram is not multiplied in)', () => {
    const alone = JSON.parse(readFileSync('test/fixtures/lm-tiny-parity.json', 'utf8'));
    const ex = loaded(false);
    ex.lmSetFloat(1);
    const tot = -log2p(ex, data).reduce((a, v) => a + v, 0);
    expect(Math.abs(tot - alone.bits_total) / alone.bits_total).toBeLessThan(1e-3);
    // and the product is far from the LM alone on this text, so the first test measures it
    expect(Math.abs(alone.bits_total - fx.bits_total) / fx.bits_total).toBeGreaterThan(0.1);
  });

  it('level 3 codes with the product: a round trip through the predictor, and other bytes than the same LM without the flag', () => {
    const text = new Uint8Array(Buffer.from(fx.text_base64, 'base64'));
    const payload = (residual: boolean): Uint8Array => {
      const ex = loaded(residual);
      expect(ex.setup(1 << 16)).toBe(0);
      new Uint8Array(ex.memory.buffer, ex.inputPtr(), text.length).set(text);
      const len = ex.encodeFrame(3, text.length);
      expect(len).toBeGreaterThan(0);
      const p = new Uint8Array(ex.memory.buffer, ex.outputPtr(), len).slice();
      new Uint8Array(ex.memory.buffer, ex.inputPtr(), len).set(p);
      expect(ex.decodeFrame(3, len, text.length)).toBe(0);
      expect(new Uint8Array(ex.memory.buffer, ex.outputPtr(), text.length)).toEqual(text);
      return p;
    };
    expect(payload(true)).not.toEqual(payload(false));
  });

  it('SIMD and scalar kernels give the same frequencies', () => {
    const ex = loaded(true);
    const a = log2p(ex, data);
    ex.lmSetScalar(1);
    const b = log2p(ex, data);
    expect(b).toEqual(a);
  });
});
