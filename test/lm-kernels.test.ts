// LM kernels: SIMD vs scalar reference (bit-identical) and activation error bounds.
import { beforeAll, describe, expect, it } from "vitest";
import { compileLm, instantiateLm, type LmExports as Ex } from "./helpers/lm-wasm.js";
import { rng } from "./helpers/rng.js";

async function buildLm(): Promise<Ex> {
  return instantiateLm(await compileLm());
}

let ex: Ex;
beforeAll(async () => { ex = await buildLm(); }, 60000);

const f32 = (ptr: number, n: number) => new Float32Array(ex.memory.buffer, ptr, n);
const u32 = (ptr: number, n: number) => new Uint32Array(ex.memory.buffer, ptr, n);

describe("activations", () => {
  // Documented bounds (assembly/lm/activations.ts).
  const EXP_REL = 1.5e-7, SIG_ABS = 1.5e-7, TANH_ABS = 2.5e-7;

  function run(kind: number, xs: Float32Array, scalar: number): Float32Array {
    const n = xs.length;
    const inp = ex.lmTestAlloc(n * 4), out = ex.lmTestAlloc(n * 4);
    f32(inp, n).set(xs);
    ex.lmTestActivation(kind, inp, n, out, scalar);
    return f32(out, n).slice();
  }

  function grid(lo: number, hi: number, n: number): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + ((hi - lo) * i) / (n - 1);
    return a;
  }

  it("SIMD and scalar give bit-identical results", () => {
    const r = rng(1);
    const xs = new Float32Array(40000);
    for (let i = 0; i < xs.length; i++) xs[i] = (r() - 0.5) * (i < 20000 ? 40 : 250);
    for (let kind = 0; kind < 3; kind++) {
      const a = run(kind, xs, 0), b = run(kind, xs, 1);
      expect(new Uint32Array(a.buffer)).toEqual(new Uint32Array(b.buffer));
    }
  });

  // ln of residual.ts (a residual LM adds ln of the n-gram's distribution to its logits).
  function lnInputs(): Float32Array {
    const r = rng(3);
    const xs = new Float32Array(40000);
    // positive values over 2^-130 .. 2^10 (denormals included), plus 0, 1, and the clamp edge
    for (let i = 0; i < xs.length; i++) xs[i] = Math.pow(2, -130 + 140 * r()) * (1 + r());
    xs.set([0, 1, 2, Math.SQRT2, 7.888609052210118e-31, 1e-38, 1.5, 0.75], 0);
    return xs;
  }

  it("ln: SIMD and scalar give bit-identical results, including 0 and denormals", () => {
    const xs = lnInputs();
    expect(new Uint32Array(run(3, xs, 0).buffer)).toEqual(new Uint32Array(run(3, xs, 1).buffer));
  });

  it("ln is within 2.5e-7 · max(1, |ln x|) of Math.log above 2^-100 and clamps below it", () => {
    const xs = lnInputs();
    const ys = run(3, xs, 0);
    const floor = Math.log(Math.pow(2, -100));
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const t = xs[i] >= Math.pow(2, -100) ? Math.log(xs[i]) : floor;
      worst = Math.max(worst, Math.abs(ys[i] - t) / Math.max(1, Math.abs(t)));
    }
    expect(worst).toBeLessThan(2.5e-7);
    expect(worst).toBeGreaterThan(0); // the test sees real f32 rounding, not a copy of Math.log
  });

  it("exp relative error is within the documented bound on [-87, 88]", () => {
    const xs = grid(-87, 88, 200000);
    const ys = run(0, xs, 0);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) {
      const t = Math.exp(xs[i]);
      worst = Math.max(worst, Math.abs(ys[i] - t) / t);
    }
    console.log(`exp max relative error ${worst.toExponential(3)}`);
    expect(worst).toBeLessThan(EXP_REL);
    // saturation outside the range: finite, monotone clamps
    const ext = run(0, new Float32Array([-1000, -100, 100, 1000]), 0);
    for (const v of ext) expect(Number.isFinite(v) && v > 0).toBe(true);
  });

  it("sigmoid and tanh absolute error are within the documented bounds", () => {
    const xs = grid(-40, 40, 200001);
    const s = run(1, xs, 0), t = run(2, xs, 0);
    let ws = 0, wt = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      ws = Math.max(ws, Math.abs(s[i] - 1 / (1 + Math.exp(-x))));
      wt = Math.max(wt, Math.abs(t[i] - Math.tanh(x)));
    }
    console.log(`sigmoid max abs error ${ws.toExponential(3)}, tanh max abs error ${wt.toExponential(3)}`);
    expect(ws).toBeLessThan(SIG_ABS);
    expect(wt).toBeLessThan(TANH_ABS);
    const ext = run(2, new Float32Array([-1e30, -50, 50, 1e30]), 0);
    expect(Array.from(ext)).toEqual([-1, -1, 1, 1]);
  });
});

describe("matvec", () => {
  for (const [rows, K] of [[8, 3], [16, 5], [32, 1], [48, 9], [64, 17], [256, 128], [512, 192], [100, 37], [768, 384]]) {
    it(`SIMD == scalar bit for bit, rows=${rows} K=${K}`, () => {
      const r = rng(rows * 1000 + K);
      const pr = Math.ceil(rows / 8) * 8;
      const w = ex.lmTestAlloc(rows * K * 4), init = ex.lmTestAlloc(pr * 4), x = ex.lmTestAlloc(K * 4);
      const o1 = ex.lmTestAlloc(pr * 4), o2 = ex.lmTestAlloc(pr * 4);
      const W = f32(w, rows * K);
      for (let i = 0; i < W.length; i++) W[i] = (r() - 0.5) * 0.5;
      const I = f32(init, pr);
      for (let i = 0; i < rows; i++) I[i] = r() - 0.5;
      const X = f32(x, K);
      for (let i = 0; i < K; i++) X[i] = r() * 2 - 1;
      expect(ex.lmTestMatvec(w, init, x, K, rows, o1, 0)).toBe(pr);
      expect(ex.lmTestMatvec(w, init, x, K, rows, o2, 1)).toBe(pr);
      expect(u32(o1, pr)).toEqual(u32(o2, pr));
      // and it is the matrix product (f64 check); views again: memory may have grown
      const O = f32(o1, pr), W2 = f32(w, rows * K), I2 = f32(init, pr), X2 = f32(x, K);
      for (let i = 0; i < rows; i++) {
        let s = I2[i];
        for (let k = 0; k < K; k++) s += W2[i * K + k] * X2[k];
        expect(Math.abs(O[i] - s)).toBeLessThan(1e-4);
      }
      for (let i = rows; i < pr; i++) expect(O[i]).toBe(0);
    });
  }
});

describe("int8 matvec", () => {
  const i16 = (ptr: number, n: number) => new Int16Array(ex.memory.buffer, ptr, n);
  // K even (the int8 layout works on pairs of columns); rows hit every block shape (24 / 16 / 8 tails).
  for (const [rows, K] of [[8, 2], [16, 6], [24, 10], [40, 34], [100, 38], [256, 128], [512, 128], [512, 256]]) {
    it(`SIMD == scalar bit for bit, close to the f64 product, rows=${rows} K=${K}`, () => {
      const r = rng(rows * 7919 + K);
      const pr = Math.ceil(rows / 8) * 8;
      const w = ex.lmTestAlloc(rows * K * 4), init = ex.lmTestAlloc(pr * 4), x = ex.lmTestAlloc(K * 4);
      const xq1 = ex.lmTestAlloc(K * 2), xq2 = ex.lmTestAlloc(K * 2);
      const s1 = ex.lmTestAlloc(pr * 4), s2 = ex.lmTestAlloc(pr * 4);
      const o1 = ex.lmTestAlloc(pr * 4), o2 = ex.lmTestAlloc(pr * 4);
      const W = f32(w, rows * K);
      for (let i = 0; i < W.length; i++) W[i] = (r() - 0.5) * (i % 97 == 0 ? 3 : 0.5);
      if (rows >= 16) for (let k = 0; k < K; k++) W[5 * K + k] = 0; // an all-zero row: scale 0
      const I = f32(init, pr);
      for (let i = 0; i < rows; i++) I[i] = r() - 0.5;
      const X = f32(x, K);
      for (let i = 0; i < K; i++) X[i] = i == 0 ? 1 : i == 1 ? -1 : r() * 2 - 1; // includes the ends of [-1, 1]
      expect(ex.lmTestMatvecInt8(w, init, x, xq1, K, rows, s1, o1, 0)).toBe(pr);
      expect(ex.lmTestMatvecInt8(w, init, x, xq2, K, rows, s2, o2, 1)).toBe(pr);
      expect(i16(xq1, K)).toEqual(i16(xq2, K));
      expect(u32(o1, pr)).toEqual(u32(o2, pr));
      const XQ = i16(xq1, K), X2 = f32(x, K);
      for (let k = 0; k < K; k++) expect(XQ[k]).toBe(Math.round(X2[k] * 16384)); // no ties here
      // quantization error: |Δ| ≤ Σ_k (|w|·|Δx| + |Δw|·|x|) with |Δw| ≤ scale/2, |Δx| ≤ 2^-15
      const O = f32(o1, pr), W2 = f32(w, rows * K), I2 = f32(init, pr);
      for (let i = 0; i < rows; i++) {
        let s = I2[i], bound = 1e-5, m = 0;
        for (let k = 0; k < K; k++) m = Math.max(m, Math.abs(W2[i * K + k]));
        for (let k = 0; k < K; k++) {
          s += W2[i * K + k] * X2[k];
          bound += Math.abs(W2[i * K + k]) * 2 ** -15 + (m / 127 / 2) * (Math.abs(X2[k]) + 2 ** -15);
        }
        expect(Math.abs(O[i] - s)).toBeLessThan(bound);
      }
      for (let i = rows; i < pr; i++) expect(O[i]).toBe(0);
    });
  }
});

describe("softmax and bit tree", () => {
  it("SIMD == scalar bit for bit, tree sums, freq >= 1", () => {
    const r = rng(7);
    for (let trial = 0; trial < 50; trial++) {
      const lg = ex.lmTestAlloc(2048), lg2 = ex.lmTestAlloc(2048);
      const t1 = ex.lmTestAlloc(2048), t2 = ex.lmTestAlloc(2048);
      const L = f32(lg, 256);
      const spread = [0.1, 3, 10, 40, 200][trial % 5];
      for (let i = 0; i < 256; i++) L[i] = (r() - 0.5) * spread + 5;
      f32(lg2, 256).set(L);
      const ref = Array.from(L);
      ex.lmTestSoftmax(lg, t1, 0);
      ex.lmTestSoftmax(lg2, t2, 1);
      const a = u32(t1, 512), b = u32(t2, 512);
      expect(a).toEqual(b);
      for (let k = 1; k < 256; k++) expect(a[k]).toBe(a[2 * k] + a[2 * k + 1]);
      for (let i = 0; i < 256; i++) expect(a[256 + i]).toBeGreaterThanOrEqual(1);
      expect(Math.abs(a[1] - 2 ** 28)).toBeLessThan(2 ** 16);
      // close to the exact softmax
      const m = Math.max(...ref);
      let S = 0;
      for (const z of ref) S += Math.exp(z - m);
      for (let i = 0; i < 256; i++) {
        const p = Math.exp(ref[i] - m) / S;
        expect(Math.abs(a[256 + i] / a[1] - p)).toBeLessThan(1e-6 * p + 2 ** -27);
      }
    }
  });
  it("edge cases: equal logits, signed zeros, extreme spreads", () => {
    const cases: number[][] = [
      new Array(256).fill(0),
      Array.from({ length: 256 }, (_, i) => (i & 1 ? -0 : 0)),
      Array.from({ length: 256 }, (_, i) => (i == 77 ? 1e4 : -1e4)),
      Array.from({ length: 256 }, (_, i) => (i % 3 == 0 ? 3.5 : -0)),
      Array.from({ length: 256 }, (_, i) => -1e30 + i),
    ];
    for (const c of cases) {
      const lg = ex.lmTestAlloc(2048), lg2 = ex.lmTestAlloc(2048);
      const t1 = ex.lmTestAlloc(2048), t2 = ex.lmTestAlloc(2048);
      f32(lg, 256).set(c);
      f32(lg2, 256).set(c);
      ex.lmTestSoftmax(lg, t1, 0);
      ex.lmTestSoftmax(lg2, t2, 1);
      const a = u32(t1, 512);
      expect(a).toEqual(u32(t2, 512));
      for (let i = 0; i < 256; i++) expect(a[256 + i]).toBeGreaterThanOrEqual(1);
      expect(a[1]).toBeLessThan(2 ** 29);
    }
    ex.lmTestSoftmax((() => { const p = ex.lmTestAlloc(2048); f32(p, 256).fill(0); return p; })(), ex.lmTestAlloc(2048), 0);
  });
});
