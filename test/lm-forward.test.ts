// LM forward pass: a float64 JS reference LSTM on random KLM1 models, scalar == SIMD
// frequencies (f32 and int8 weights), hostile model files, and parity with PyTorch
// fixtures when present. The f32 path is checked tightly against the references; the
// int8 path (what the codec runs) is checked bit-exact against its scalar kernels and
// within a stated loss against the references.
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { compileLm, instantiateLm, type LmExports } from "./helpers/lm-wasm.js";
import { rng } from "./helpers/rng.js";
import { runFreqProbe } from "./helpers/freq-probe.js";
import { lmName } from "../src/generated/model.js";

type Ex = LmExports;

let binary: Uint8Array;
beforeAll(async () => {
  binary = await compileLm();
}, 60000);

async function instance(): Promise<Ex> {
  return instantiateLm(binary);
}

interface Model { L: number; E: number; H: number; emb: Float32Array; wih: Float32Array[]; whh: Float32Array[]; b: Float32Array[]; wout: Float32Array; bout: Float32Array }

/** Random model with PyTorch-like init; outScale sharpens the output distribution. */
function randomModel(L: number, E: number, H: number, seed: number, outScale = 4): Model {
  const r = rng(seed);
  const u = (n: number, a: number) => { const x = new Float32Array(n); for (let i = 0; i < n; i++) x[i] = (r() * 2 - 1) * a; return x; };
  const k = 1 / Math.sqrt(H);
  const m: Model = { L, E, H, emb: u(256 * E, 1.7), wih: [], whh: [], b: [], wout: u(256 * H, k * outScale), bout: u(256, k) };
  for (let l = 0; l < L; l++) {
    m.wih.push(u(4 * H * (l == 0 ? E : H), k * 2));
    m.whh.push(u(4 * H * H, k * 2));
    m.b.push(u(4 * H, k * 2));
  }
  return m;
}

function klm1(m: Model, header: Partial<Record<"magic" | "version" | "arch" | "L" | "E" | "H" | "vocab" | "reserved", number>> = {}): Uint8Array {
  const parts = [m.emb];
  for (let l = 0; l < m.L; l++) parts.push(m.wih[l], m.whh[l], m.b[l]);
  parts.push(m.wout, m.bout);
  const n = parts.reduce((a, p) => a + p.length, 0);
  const buf = new Uint8Array(32 + 4 * n);
  const dv = new DataView(buf.buffer);
  const h = { magic: 0x314d4c4b, version: 1, arch: 1, L: m.L, E: m.E, H: m.H, vocab: 256, reserved: 0, ...header };
  [h.magic, h.version, h.arch, h.L, h.E, h.H, h.vocab, h.reserved].forEach((v, i) => dv.setUint32(4 * i, v >>> 0, true));
  let off = 32;
  for (const p of parts) { buf.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), off); off += p.byteLength; }
  return buf;
}

/** float64 reference: −log2 p(byte) for every byte of data (state zero, byte 0 first). */
function referenceBits(m: Model, data: Uint8Array): number[] {
  const { L, E, H } = m;
  const h = Array.from({ length: L }, () => new Float64Array(H));
  const c = Array.from({ length: L }, () => new Float64Array(H));
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  let logp = new Float64Array(256);
  const feed = (byte: number) => {
    let x: ArrayLike<number> = m.emb.subarray(byte * E, byte * E + E);
    for (let l = 0; l < L; l++) {
      const inL = l == 0 ? E : H;
      const g = new Float64Array(4 * H);
      for (let r = 0; r < 4 * H; r++) {
        let s = m.b[l][r];
        for (let k = 0; k < inL; k++) s += m.wih[l][r * inL + k] * x[k];
        for (let k = 0; k < H; k++) s += m.whh[l][r * H + k] * h[l][k];
        g[r] = s;
      }
      for (let j = 0; j < H; j++) {
        const i = sig(g[j]), f = sig(g[H + j]), gg = Math.tanh(g[2 * H + j]), o = sig(g[3 * H + j]);
        c[l][j] = f * c[l][j] + i * gg;
        h[l][j] = o * Math.tanh(c[l][j]);
      }
      x = h[l];
    }
    const z = new Float64Array(256);
    let mx = -Infinity;
    for (let v = 0; v < 256; v++) {
      let s = m.bout[v];
      for (let k = 0; k < H; k++) s += m.wout[v * H + k] * x[k];
      z[v] = s; mx = Math.max(mx, s);
    }
    let S = 0;
    for (let v = 0; v < 256; v++) S += Math.exp(z[v] - mx);
    for (let v = 0; v < 256; v++) logp[v] = (z[v] - mx - Math.log(S)) / Math.LN2;
  };
  feed(0);
  const bits: number[] = [];
  for (const b of data) { bits.push(-logp[b]); feed(b); }
  return bits;
}

async function loaded(file: Uint8Array): Promise<Ex> {
  const ex = await instance();
  const p = ex.lmTestAlloc(file.length);
  new Uint8Array(ex.memory.buffer, p, file.length).set(file);
  const rc = ex.lmLoad(p, file.length);
  expect(rc).toBe(0);
  expect(ex.lmLoaded()).toBeTruthy();
  return ex;
}

/** [freq of the byte, total] per byte → −log2 p, via lmRunFreqs. */
function wasmFreqs(ex: Ex, data: Uint8Array): Uint32Array {
  return runFreqProbe(ex, ex.lmTestAlloc, ex.lmRunFreqs, data);
}
const bitsOf = (fr: Uint32Array) => Array.from({ length: fr.length / 2 }, (_, i) => Math.log2(fr[2 * i + 1] / fr[2 * i]));

const TEXT = new TextEncoder().encode(
  'export function compress(data, opts = {}) {\n  // "Hello, world!" — the quick brown fox jumps over the lazy dog.\n' +
  '  return { level: opts.level ?? 6, bytes: data.length, ratio: 0.42 };\n}\n{"name":"kolmo","version":"0.1.0"}\n',
);

describe("forward pass vs float64 reference", () => {
  for (const [L, E, H, seed, sharp] of [[1, 16, 24, 1, 4], [2, 64, 128, 2, 4], [2, 64, 128, 6, 40], [2, 8, 13, 3, 10], [3, 32, 40, 4, 25]]) {
    it(`L=${L} E=${E} H=${H} out-scale ${sharp}: per-byte bits match, scalar == SIMD`, async () => {
      const m = randomModel(L, E, H, seed, sharp);
      const file = klm1(m);
      const ex = await loaded(file);
      const data = TEXT.subarray(0, 300);
      ex.lmSetFloat(1);
      const simd = wasmFreqs(ex, data);
      ex.lmSetScalar(1);
      const scal = wasmFreqs(ex, data);
      ex.lmSetScalar(0);
      expect(simd).toEqual(scal); // bit-identical frequencies
      const got = bitsOf(simd), want = referenceBits(m, data);
      let worst = 0, tot = 0, totRef = 0;
      for (let i = 0; i < data.length; i++) {
        // f32 + polynomial error, plus the quantization of freq = trunc(p·2^28) (≥ 1)
        if (simd[2 * i] === 1) { expect(want[i]).toBeGreaterThan(got[i] - 1.01); continue; } // p < 2^-27: trunc(p·2^28) ≤ 1
        const tol = 1e-3 + Math.log2(1 + 1 / (simd[2 * i] - 1 || 1));
        expect(Math.abs(got[i] - want[i])).toBeLessThan(tol);
        if (simd[2 * i] >= 4096) worst = Math.max(worst, Math.abs(got[i] - want[i]));
        tot += got[i]; totRef += want[i];
      }
      expect(Math.abs(tot - totRef) / totRef).toBeLessThan(1e-3);
      console.log(`L=${L} E=${E} H=${H}: ${(tot / data.length).toFixed(4)} bits/byte, worst per-byte |Δ| ${worst.toExponential(2)} bits (freq ≥ 4096)`);
      // int8 weights: scalar == SIMD bit for bit; total within 1 % of the float64 reference
      ex.lmSetFloat(0);
      const q = wasmFreqs(ex, data);
      ex.lmSetScalar(1);
      expect(wasmFreqs(ex, data)).toEqual(q);
      ex.lmSetScalar(0);
      const qTot = bitsOf(q).reduce((a, v) => a + v, 0);
      console.log(`  int8: ${(qTot / data.length).toFixed(4)} bits/byte (${(100 * (qTot - totRef) / totRef).toFixed(3)} % vs float64)`);
      expect(Math.abs(qTot - totRef) / totRef).toBeLessThan(0.01);
      // lmBitP agrees with the frequencies: product of the 8 bit probabilities ≈ p(byte)
      ex.lmBegin();
      const fp = ex.lmFreqPtr();
      for (const b of data.subarray(0, 50)) {
        const fr = new Uint32Array(ex.memory.buffer, fp, 256);
        const total = fr.reduce((a, v) => a + v, 0);
        expect(total).toBe(ex.lmFreqTotal());
        let c0 = 1, lp = 0, tol = 1e-9;
        for (let k = 7; k >= 0; k--) {
          const bit = (b >> k) & 1, p1 = ex.lmBitP(c0) / 65536;
          expect(p1).toBeGreaterThan(0); expect(p1).toBeLessThan(1);
          const pb = bit ? p1 : 1 - p1;
          lp += Math.log2(pb);
          tol += Math.log2(1 + 1.01 / (65536 * pb)); // 16-bit truncation of each bit probability
          c0 = (c0 << 1) | bit;
        }
        expect(Math.abs(-lp - Math.log2(total / fr[b]))).toBeLessThan(tol);
        ex.lmFeed(b);
      }
    }, 60000);
  }

  it("lmBegin restarts from the same state; a second load is refused", async () => {
    const m = randomModel(2, 16, 32, 9);
    const ex = await loaded(klm1(m));
    const a = wasmFreqs(ex, TEXT.subarray(0, 100));
    const b = wasmFreqs(ex, TEXT.subarray(0, 100));
    expect(a).toEqual(b);
    // lmLogitsPtr: the raw logits of the current distribution
    ex.lmBegin(); ex.lmFeed(72);
    const z = Array.from(new Float32Array(ex.memory.buffer, ex.lmLogitsPtr(), 256));
    const fr = new Uint32Array(ex.memory.buffer, ex.lmFreqPtr(), 256);
    const mx = Math.max(...z), S = z.reduce((s, v) => s + Math.exp(v - mx), 0);
    for (let i = 0; i < 256; i++) expect(Math.abs(fr[i] / ex.lmFreqTotal() - Math.exp(z[i] - mx) / S)).toBeLessThan(1e-6);
    const file = klm1(m);
    const p = ex.lmTestAlloc(file.length);
    new Uint8Array(ex.memory.buffer, p, file.length).set(file);
    expect(ex.lmLoad(p, file.length)).toBe(-9);
  });
});

describe("hostile model files", () => {
  const m = randomModel(1, 8, 16, 5);
  const good = klm1(m);
  async function rc(bytes: Uint8Array): Promise<{ rc: number; grew: number; ex: Ex }> {
    const ex = await instance();
    const p = ex.lmTestAlloc(Math.max(1, bytes.length));
    new Uint8Array(ex.memory.buffer, p, bytes.length).set(bytes);
    const before = ex.memory.buffer.byteLength;
    const r = ex.lmLoad(p, bytes.length);
    return { rc: r, grew: ex.memory.buffer.byteLength - before, ex };
  }
  const cases: [string, () => Uint8Array, number][] = [
    ["empty", () => new Uint8Array(0), -1],
    ["header only", () => good.subarray(0, 32), -1],
    ["truncated by one byte", () => good.subarray(0, good.length - 1), -1],
    ["one trailing byte", () => { const x = new Uint8Array(good.length + 1); x.set(good); return x; }, -6],
    ["wrong magic", () => { const x = good.slice(); x[0] = 0x4a; return x; }, -2],
    ["version 2", () => klm1(m, { version: 2 }), -3],
    ["arch 2", () => klm1(m, { arch: 2 }), -4],
    ["L = 2^31", () => klm1(m, { L: 2 ** 31 }), -5],
    ["L = 0", () => klm1(m, { L: 0 }), -5],
    ["H = 2^32-1", () => klm1(m, { H: 2 ** 32 - 1 }), -5],
    ["E = 65536", () => klm1(m, { E: 65536 }), -5],
    ["vocab 255", () => klm1(m, { vocab: 255 }), -5],
    ["unknown flag bit 1", () => klm1(m, { reserved: 2 }), -5],
    ["largest legal shape, tiny file", () => klm1(m, { L: 16, E: 4096, H: 4096 }), -1],
    ["NaN weight", () => { const x = good.slice(); new DataView(x.buffer).setFloat32(100, NaN, true); return x; }, -7],
    ["Inf weight", () => { const x = good.slice(); new DataView(x.buffer).setFloat32(x.length - 4, -Infinity, true); return x; }, -7],
    ["huge weight", () => { const x = good.slice(); new DataView(x.buffer).setFloat32(36, 1e6, true); return x; }, -7],
  ];
  for (const [name, make, code] of cases) {
    it(`${name} → ${code}, nothing allocated`, async () => {
      const { rc: r, grew, ex } = await rc(make());
      expect(r).toBe(code);
      expect(grew).toBe(0);
      expect(ex.lmLoaded()).toBeFalsy();
      // the API stays harmless without a model
      ex.lmBegin(); ex.lmFeed(65);
      expect(ex.lmBitP(1)).toBe(32768);
      expect(ex.lmFreqPtr()).toBe(0);
    });
  }
  it("a range outside linear memory → -1, no trap", async () => {
    const ex = await instance();
    expect(ex.lmLoad(ex.memory.buffer.byteLength - 16, 1000)).toBe(-1);
    expect(ex.lmLoad(0xfffffff0, 64)).toBe(-1);
  });
  it("random header fields never crash and never allocate on failure", async () => {
    const r = rng(11);
    for (let t = 0; t < 200; t++) {
      const x = good.slice();
      const dv = new DataView(x.buffer);
      const f = 3 + Math.floor(r() * 3);
      dv.setUint32(4 * f, Math.floor(r() * 2 ** 32), true);
      const res = await rc(x.subarray(0, Math.floor(r() * x.length * 1.2)));
      if (res.rc !== 0) expect(res.grew).toBe(0);
    }
  });
});

// PyTorch parity fixtures (produced by train/export.py): {"text_base64", "log2p", "bits_total"}.
const FIXTURES: [string, string][] = [
  ["test/fixtures/lm-tiny.bin", "test/fixtures/lm-tiny-parity.json"],
  // the shipped model (scripts/model.mjs names it; absent from builds without a model)
  ...(lmName ? [[`models/${lmName}.bin`, "test/fixtures/lm-parity.json"] as [string, string]] : []),
];
describe("parity with PyTorch", () => {
  for (const [bin, json] of FIXTURES) {
    const present = existsSync(bin) && existsSync(json);
    it.skipIf(!present)(`${bin}: per-byte log2 p within 0.01 bits (+ quantization), total within 0.1 %`, async () => {
      const ex = await loaded(new Uint8Array(readFileSync(bin)));
      const fx = JSON.parse(readFileSync(json, "utf8"));
      const data = new Uint8Array(Buffer.from(fx.text_base64, "base64"));
      const want: number[] = fx.log2p;
      expect(want.length).toBe(data.length);
      ex.lmSetFloat(1);
      const fr = wasmFreqs(ex, data);
      let worst = 0, tot = 0;
      for (let i = 0; i < data.length; i++) {
        const got = Math.log2(fr[2 * i] / fr[2 * i + 1]); // log2 p (≤ 0)
        const d = Math.abs(got - want[i]);
        worst = Math.max(worst, d);
        if (fr[2 * i] === 1) expect(-want[i]).toBeGreaterThan(-got - 1.01); // p < 2^-27: trunc(p·2^28) ≤ 1
        else expect(d).toBeLessThan(0.01 + Math.log2(1 + 1 / (fr[2 * i] - 1 || 1)));
        tot -= got;
      }
      const ref = fx.bits_total ?? -want.reduce((a, v) => a + v, 0);
      console.log(`${bin}: ${tot.toFixed(3)} bits vs PyTorch ${Number(ref).toFixed(3)} (relative ${((tot - ref) / ref).toExponential(2)}), worst per-byte |Δ| ${worst.toExponential(2)} bits over ${data.length} bytes`);
      expect(Math.abs(tot - ref) / ref).toBeLessThan(1e-3);
      // the int8 weights the codec runs: within 0.5 % of PyTorch's float32 total
      ex.lmSetFloat(0);
      const q = wasmFreqs(ex, data);
      const qTot = bitsOf(q).reduce((a, v) => a + v, 0);
      console.log(`${bin} int8: ${qTot.toFixed(3)} bits (relative ${((qTot - ref) / ref).toExponential(2)})`);
      expect(Math.abs(qTot - ref) / ref).toBeLessThan(5e-3);
    }, 120000);
  }
});
