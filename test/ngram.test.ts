// The corpus n-gram (assembly/ngram/ngram.ts): its f32 kernel against a JS reference that
// performs the same f32 operations (Math.fround) on small hand-made KNG1 files, hostile
// files, the model bundle, and parity of the shipped model with train/ngram.py's float64
// reference (test/fixtures/ngram-parity.json).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { devInstance } from './helpers/dev-wasm.js';
import { ngramName } from '../src/generated/model.js';
import { runFreqProbe } from './helpers/freq-probe.js';
import { rng } from './helpers/rng.js';

type Ex = Record<string, any> & { memory: WebAssembly.Memory };

function instance(): Ex {
  return devInstance() as Ex;
}

function copyIn(ex: Ex, bytes: Uint8Array): number {
  const p = ex.allocBytes(Math.max(1, bytes.length));
  new Uint8Array(ex.memory.buffer, p, bytes.length).set(bytes);
  return p;
}

// --- a KNG1 writer and the kernel's arithmetic in JS (train/ngram.py documents the format) ---

/** The context hash (64-bit, wrapping) of train/ngram.py and ngram.ts. */
function ctxHash(key: bigint): bigint {
  const M = (1n << 64n) - 1n;
  let h = (key * 0x9e3779b97f4a7c15n) & M;
  h ^= h >> 32n;
  h = (h * 0xd6e8feb86659fd93n) & M;
  h ^= h >> 29n;
  return h;
}

interface Ctx { order: number; bytes: number[]; lambda: number; pairs: [number, number][] } // bytes oldest first; codes

function contextKey(bytes: number[]): bigint {
  let k = BigInt(bytes.length) << 56n;
  for (let j = 1; j <= bytes.length; j++) k |= BigInt(bytes[bytes.length - j]) << BigInt(8 * (j - 1));
  return k;
}

function writeModel(orders: number, p0: number[], contexts: Ctx[], slots: number): Uint8Array {
  const check = new Uint16Array(slots), info = new Uint32Array(slots);
  const blob: number[] = [];
  for (const c of contexts) {
    const h = ctxHash(contextKey(c.bytes));
    let s = Number(((h >> 32n) * BigInt(slots)) >> 32n);
    while (check[s] !== 0) s = s + 1 < slots ? s + 1 : 0;
    check[s] = Number(h & 0xffffn) | 1;
    info[s] = (blob.length | (c.pairs.length << 24)) >>> 0;
    blob.push(c.lambda);
    for (const [b, q] of c.pairs) blob.push(b, q);
  }
  // KNG1 version 2: 6-byte slots (u16 check, u32 info), see train/ngram.py
  const out = new Uint8Array(276 + 6 * slots + blob.length);
  const dv = new DataView(out.buffer);
  [0x31474e4b, 2, orders, slots, blob.length].forEach((v, i) => dv.setUint32(4 * i, v, true));
  out.set(p0, 20);
  for (let s = 0; s < slots; s++) {
    dv.setUint16(276 + 6 * s, check[s], true);
    dv.setUint32(278 + 6 * s, info[s], true);
  }
  out.set(blob, 276 + 6 * slots);
  return out;
}

const f = Math.fround;
const DEQUANT: number[] = (() => {
  const t: number[] = [];
  let q = 1.0;
  for (let v = 0; v < 256; v++) { t.push(f(q)); q *= 0.9576032806985737; }
  return t;
})();

/** The frequencies ngram.ts computes after `history` (CRs already skipped), in f32 as it does. */
function referenceFreqs(orders: number, p0: number[], contexts: Ctx[], history: number[]): number[] {
  const d = p0.map((c) => DEQUANT[c]);
  for (let o = 1; o <= Math.min(orders, history.length); o++) {
    const want = history.slice(history.length - o);
    const c = contexts.find((x) => x.order === o && x.bytes.every((b, i) => b === want[i]));
    if (!c) break;
    const lam = DEQUANT[c.lambda];
    for (let i = 0; i < 256; i++) d[i] = f(d[i] * lam);
    for (const [b, q] of c.pairs) d[b] = f(d[b] + DEQUANT[q]);
  }
  // four lane sums in index order, then (0 + 1) + (2 + 3), as sumSimd
  const lanes = [0, 0, 0, 0];
  for (let i = 0; i < 256; i++) lanes[i % 4] = f(lanes[i % 4] + d[i]);
  const sum = f(f(lanes[0] + lanes[1]) + f(lanes[2] + lanes[3]));
  const scale = f(268435456 / sum);
  return d.map((x) => Math.max(1, Math.trunc(f(x * scale))));
}

function wasmRun(ex: Ex, data: Uint8Array): Uint32Array {
  return runFreqProbe(ex, ex.allocBytes, ex.ngramRunFreqs, data);
}

/** A random model over a small alphabet, with every order-1..3 context of `text` listed. */
function randomModel(seed: number, text: number[]): { orders: number; p0: number[]; contexts: Ctx[]; file: Uint8Array } {
  const r = rng(seed);
  const orders = 3;
  const p0 = Array.from({ length: 256 }, () => Math.floor(r() * 256));
  const contexts: Ctx[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < text.length; i++) {
    for (let o = 1; o <= orders && o <= i; o++) {
      const bytes = text.slice(i - o, i);
      const k = bytes.join(',');
      if (seen.has(k) || r() < 0.2) continue; // some contexts missing: the walk stops there
      seen.add(k);
      const pairs: [number, number][] = [];
      const n = Math.floor(r() * 6);
      for (let j = 0; j < n; j++) pairs.push([text[Math.floor(r() * text.length)], Math.floor(r() * 200)]);
      contexts.push({ order: o, bytes, lambda: Math.floor(r() * 120), pairs });
    }
  }
  // the kernel stops at the first order not found: drop contexts whose shorter suffix is missing
  const kept = contexts.filter((c) => c.bytes.every((_, i) => i === 0 || seen.has(c.bytes.slice(i).join(','))));
  const file = writeModel(orders, p0, kept, Math.ceil(kept.length / 0.8) + 2);
  return { orders, p0, contexts: kept, file };
}

describe('n-gram kernel', () => {
  it('SIMD and scalar kernels both equal the f32 JS reference on random models (CR skipped in contexts)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = rng(100 + seed);
      const alphabet = [13, 10, 32, 97, 98, 99, 100];
      const text = Array.from({ length: 300 }, () => alphabet[Math.floor(r() * alphabet.length)]);
      const m = randomModel(seed, text.filter((c) => c !== 13));
      const ex = instance();
      expect(ex.ngramLoad(copyIn(ex, m.file), m.file.length)).toBe(0);
      ex.ngramSetScalar(seed & 1);
      const got = wasmRun(ex, new Uint8Array(text));
      const history: number[] = [];
      let listed = 0;
      for (let i = 0; i < text.length; i++) {
        const want = referenceFreqs(m.orders, m.p0, m.contexts, history);
        expect(got[2 * i]).toBe(want[text[i]]);
        expect(got[2 * i + 1]).toBe(want.reduce((a, b) => a + b, 0));
        if (history.length > 0 && m.contexts.some((c) => c.order === 1 && c.bytes[0] === history[history.length - 1])) listed++;
        if (text[i] !== 13) history.push(text[i]);
      }
      expect(listed).toBeGreaterThan(50); // the contexts were really used
    }
  });
});

describe('hostile n-gram files', () => {
  const m = randomModel(7, Array.from('the cat sat on the mat', (c) => c.charCodeAt(0)));
  const load = (bytes: Uint8Array) => {
    const ex = instance();
    return { ex, rc: ex.ngramLoad(copyIn(ex, bytes), bytes.length) as number };
  };

  it('refuses a cut file, a wrong magic or version, a bad layout, and no empty slot', () => {
    expect(load(m.file).rc).toBe(0);
    expect(load(m.file.subarray(0, 100)).rc).toBe(-101);
    expect(load(m.file.subarray(0, m.file.length - 1)).rc).toBe(-101);
    const bad = (at: number, v: number) => { const x = m.file.slice(); new DataView(x.buffer).setUint32(at, v, true); return x; };
    expect(load(bad(0, 0x31474e4c)).rc).toBe(-102);
    expect(load(bad(4, 1)).rc).toBe(-103); // version 1 (8-byte slots) is no longer read
    expect(load(bad(4, 3)).rc).toBe(-103);
    expect(load(bad(8, 0)).rc).toBe(-104);
    expect(load(bad(8, 8)).rc).toBe(-104);
    expect(load(bad(12, 1)).rc).toBe(-104);
    expect(load(bad(12, 2 ** 24 + 1)).rc).toBe(-104); // more slots than the reader allows
    // a context pointing past the blob
    const x = m.file.slice();
    const dv = new DataView(x.buffer);
    let s = 0;
    while (dv.getUint16(276 + 6 * s, true) === 0) s++;
    dv.setUint32(278 + 6 * s, (dv.getUint32(16, true) - 1) | (5 << 24), true);
    expect(load(x).rc).toBe(-104);
    // every slot taken: a probe for a missing context would never end
    const full = writeModel(1, m.p0, [{ order: 1, bytes: [97], lambda: 3, pairs: [] }, { order: 1, bytes: [98], lambda: 3, pairs: [] }], 2);
    expect(load(full).rc).toBe(-104);
  });

  it('never traps on damaged files; an accepted one gives valid frequencies', () => {
    let accepted = 0;
    // cut: null keeps the whole (damaged) file, so that some runs get past the load
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(m.file.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), fc.option(fc.nat(m.file.length + 40), { freq: 1 }), (flips, cut) => {
      const x = m.file.slice();
      for (const [at, v] of flips) x[at] = v;
      const { ex, rc } = load(cut === null ? x : x.subarray(0, Math.min(cut, x.length)));
      if (rc !== 0) return;
      accepted++;
      const fr = wasmRun(ex, new TextEncoder().encode('the cat sat\r\non the mat'));
      for (let i = 0; i < fr.length; i += 2) {
        expect(fr[i]).toBeGreaterThanOrEqual(1);
        expect(fr[i + 1]).toBeGreaterThanOrEqual(fr[i]);
        expect(fr[i + 1]).toBeLessThan(2 ** 29);
      }
    }), { numRuns: 200 });
    expect(accepted).toBeGreaterThan(10); // the frequency checks above really ran
  });

  it('near-zero sums (tiny p0, lambda 2^-16 at every order, nothing listed) still give frequencies in range', () => {
    const a = 97;
    const contexts: Ctx[] = [1, 2, 3, 4, 5, 6].map((o) => ({ order: o, bytes: new Array(o).fill(a), lambda: 255, pairs: [] }));
    const file = writeModel(6, new Array(256).fill(255), contexts, 16);
    for (const scalar of [0, 1]) {
      const { ex, rc } = load(file);
      expect(rc).toBe(0);
      ex.ngramSetScalar(scalar);
      const fr = wasmRun(ex, new Uint8Array(12).fill(a)); // the sum reaches 2^-8 · 2^-96 here
      for (let i = 0; i < fr.length; i += 2) {
        expect(fr[i]).toBeGreaterThanOrEqual(1);
        expect(fr[i + 1]).toBeGreaterThanOrEqual(256);
        expect(fr[i + 1]).toBeLessThan(2 ** 29);
      }
    }
  });

  it('modelLoad checks the bundle lengths before either part, and reports a bad n-gram after a good LM', () => {
    const ex = instance();
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, 100, true); // LM length beyond the bundle
    expect(ex.modelLoad(copyIn(ex, b), b.length)).toBe(-200);
    expect(ex.modelLoad(copyIn(ex, b), 3)).toBe(-200);
    const lm = new Uint8Array(readFileSync('test/fixtures/lm-tiny.bin'));
    const bundle = new Uint8Array(4 + lm.length + 100);
    new DataView(bundle.buffer).setUint32(0, lm.length, true);
    bundle.set(lm, 4);
    const ex2 = instance();
    expect(ex2.modelLoad(copyIn(ex2, bundle), bundle.length)).toBe(-101); // the n-gram part is too short
    expect(ex2.lmLoaded()).toBe(1); // the LM part did load
  });
});

const PARITY = 'test/fixtures/ngram-parity.json';
describe('parity with train/ngram.py', () => {
  const bin = ngramName ? `models/${ngramName}.bin` : '';
  it.skipIf(!ngramName || !existsSync(PARITY))('the shipped model: per-byte log2 p within 0.01 bits plus the rounding of its integer frequency, total within 0.1 %', () => {
    const fx = JSON.parse(readFileSync(PARITY, 'utf8'));
    expect(fx.model).toBe(`${ngramName}.bin`); // the fixture belongs to the shipped model
    const file = new Uint8Array(readFileSync(bin));
    const ex = instance();
    expect(ex.ngramLoad(copyIn(ex, file), file.length)).toBe(0);
    const data = new Uint8Array(Buffer.from(fx.text_base64, 'base64'));
    const fr = wasmRun(ex, data);
    ex.ngramSetScalar(1);
    expect(wasmRun(ex, data)).toEqual(fr); // the scalar reference kernels: the same frequencies
    ex.ngramSetScalar(0);
    let tot = 0, ref = 0, worst = 0, floored = 0;
    for (let i = 0; i < data.length; i++) {
      const got = Math.log2(fr[2 * i] / fr[2 * i + 1]);
      const d = Math.abs(got - fx.log2p[i]);
      if (fr[2 * i] > 1) worst = Math.max(worst, d);
      else floored++;
      // below 2^-28 the frequency floors at 1: the codec's cost is then capped, never higher
      if (fr[2 * i] === 1) expect(-fx.log2p[i]).toBeGreaterThan(-got - 1.01);
      else expect(d).toBeLessThan(0.01 + Math.log2(1 + 1 / (fr[2 * i] - 1)));
      if (fr[2 * i] > 1) { // totals over the bytes above the floor
        tot -= got;
        ref -= fx.log2p[i];
      }
    }
    console.log(`${bin}: ${tot.toFixed(3)} bits vs float64 ${ref.toFixed(3)} (bytes above the frequency floor), worst per-byte |Δ| ${worst.toExponential(2)} bits over ${data.length} bytes (${floored} at the frequency floor)`);
    expect(floored).toBeLessThan(data.length / 50);
    expect(Math.abs(tot - ref) / ref).toBeLessThan(1e-3);
  });
});
