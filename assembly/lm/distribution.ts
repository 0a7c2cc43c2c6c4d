// Softmax over the 256 logits → integer byte frequencies → binary frequency tree.
//
// Frequency scale: with e[i] = exp(z[i] − max z) and S = Σ e[i] (fixed summation
// order, below), freq[i] = max(1, trunc(e[i] · (2^28 / S))). So every freq ≥ 1 and
// the total is 2^28 within rounding (|total − 2^28| < 2^28 · 2^-12, so always < 2^29).
//
// The tree (u32[512]): node[256 + b] = freq[b]; node[k] = node[2k] + node[2k+1] for
// k = 255 … 1, so node[c0] for a partial byte c0 (leading 1 bit, then the known bits
// MSB first) is the total frequency of the bytes with that prefix, and node[1] is the
// total. Integer sums are exact in any order.
//
// The maximum uses pseudo-max (a < b ? b : a, f32x4.pmax) over 16 partial maxima
// (i ≡ j mod 16), combined like the sums below.
// Summation order of S: 16 partial sums, partial j accumulates e[i] for i ≡ j (mod 16)
// in ascending i; then the four f32x4 accumulators A0..A3 (A_q holds partials 4q..4q+3)
// are combined as v = (A0 + A1) + (A2 + A3) and S = (v0 + v1) + (v2 + v3).

import { exp4, expS } from "./activations";

// @ts-ignore: decorator
@inline const FREQ_SCALE: f32 = 268435456.0; // 2^28

/**
 * SIMD softmax of logits[256] (16-byte aligned) into the leaves of tree (node[256..511]).
 * The exponentials e[256] are written right after the logits (logits + 1024), which are
 * left unchanged.
 */
export function softmaxSimd(logits: usize, tree: usize): void {
  const eb = logits + 1024;
  // max
  let m0 = v128.load(logits, 0);
  let m1 = v128.load(logits, 16);
  let m2 = v128.load(logits, 32);
  let m3 = v128.load(logits, 48);
  for (let i: usize = 64; i < 1024; i += 64) {
    m0 = f32x4.pmax(m0, v128.load(logits + i, 0));
    m1 = f32x4.pmax(m1, v128.load(logits + i, 16));
    m2 = f32x4.pmax(m2, v128.load(logits + i, 32));
    m3 = f32x4.pmax(m3, v128.load(logits + i, 48));
  }
  const mv = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
  const m = pmax(
    pmax(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
    pmax(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
  );
  const ms = f32x4.splat(m);
  // exp and sums
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  for (let i: usize = 0; i < 1024; i += 64) {
    const e0 = exp4(f32x4.sub(v128.load(logits + i, 0), ms));
    const e1 = exp4(f32x4.sub(v128.load(logits + i, 16), ms));
    const e2 = exp4(f32x4.sub(v128.load(logits + i, 32), ms));
    const e3 = exp4(f32x4.sub(v128.load(logits + i, 48), ms));
    v128.store(eb + i, e0, 0);
    v128.store(eb + i, e1, 16);
    v128.store(eb + i, e2, 32);
    v128.store(eb + i, e3, 48);
    a0 = f32x4.add(a0, e0);
    a1 = f32x4.add(a1, e1);
    a2 = f32x4.add(a2, e2);
    a3 = f32x4.add(a3, e3);
  }
  const v = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  const S = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) +
    (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  const sc = f32x4.splat(FREQ_SCALE / S);
  const one = i32x4.splat(1);
  const leaves = tree + 1024;
  for (let i: usize = 0; i < 1024; i += 16) {
    const f = i32x4.trunc_sat_f32x4_s(f32x4.mul(v128.load(eb + i), sc));
    v128.store(leaves + i, i32x4.max_s(f, one));
  }
}

// Scratch for the scalar reference's 16 partial maxima / sums.
const partials = memory.data(64, 16);

/** Scalar pseudo-maximum, as f32x4.pmax: a < b ? b : a. */
// @ts-ignore: decorator
@inline function pmax(a: f32, b: f32): f32 {
  return a < b ? b : a;
}

/** Scalar reference of softmaxSimd: same operations, same order, bit-identical. */
export function softmaxScalar(logits: usize, tree: usize): void {
  // max: 16 partial pseudo-maxima (i ≡ j mod 16), combined as in the SIMD kernel
  memory.copy(partials, logits, 64);
  for (let i = 16; i < 256; i++) {
    const q = partials + (<usize>(i & 15) << 2);
    store<f32>(q, pmax(load<f32>(q), load<f32>(logits + (<usize>i << 2))));
  }
  const w0 = pmax(pmax(load<f32>(partials, 0), load<f32>(partials, 16)), pmax(load<f32>(partials, 32), load<f32>(partials, 48)));
  const w1 = pmax(pmax(load<f32>(partials, 4), load<f32>(partials, 20)), pmax(load<f32>(partials, 36), load<f32>(partials, 52)));
  const w2 = pmax(pmax(load<f32>(partials, 8), load<f32>(partials, 24)), pmax(load<f32>(partials, 40), load<f32>(partials, 56)));
  const w3 = pmax(pmax(load<f32>(partials, 12), load<f32>(partials, 28)), pmax(load<f32>(partials, 44), load<f32>(partials, 60)));
  const m = pmax(pmax(w0, w1), pmax(w2, w3));
  for (let j = 0; j < 16; j++) store<f32>(partials + (<usize>j << 2), 0);
  for (let i = 0; i < 256; i++) {
    const e = expS(load<f32>(logits + (<usize>i << 2)) - m);
    store<f32>(logits + 1024 + (<usize>i << 2), e);
    const q = partials + (<usize>(i & 15) << 2);
    store<f32>(q, load<f32>(q) + e);
  }
  // v_l = (A0_l + A1_l) + (A2_l + A3_l), where A_q lane l = partial 4q + l
  const v0 = (load<f32>(partials, 0) + load<f32>(partials, 16)) + (load<f32>(partials, 32) + load<f32>(partials, 48));
  const v1 = (load<f32>(partials, 4) + load<f32>(partials, 20)) + (load<f32>(partials, 36) + load<f32>(partials, 52));
  const v2 = (load<f32>(partials, 8) + load<f32>(partials, 24)) + (load<f32>(partials, 40) + load<f32>(partials, 56));
  const v3 = (load<f32>(partials, 12) + load<f32>(partials, 28)) + (load<f32>(partials, 44) + load<f32>(partials, 60));
  const S = (v0 + v1) + (v2 + v3);
  const sc = FREQ_SCALE / S;
  const leaves = tree + 1024;
  for (let i = 0; i < 256; i++) {
    const f = <i32>(load<f32>(logits + 1024 + (<usize>i << 2)) * sc);
    store<u32>(leaves + (<usize>i << 2), f < 1 ? 1 : f);
  }
}

/** Fills the inner nodes node[1..255] from the leaves node[256..511]. */
export function buildTree(tree: usize): void {
  // Levels with at least 4 nodes: pairwise sums with i32x4 shuffles.
  for (let n: usize = 128; n >= 4; n >>= 1) {
    const src = tree + (n << 3); // node[2n]
    const dst = tree + (n << 2); // node[n]
    for (let i: usize = 0; i < n; i += 4) {
      const a = v128.load(src + (i << 3));
      const b = v128.load(src + (i << 3), 16);
      const even = i32x4.shuffle(a, b, 0, 2, 4, 6);
      const odd = i32x4.shuffle(a, b, 1, 3, 5, 7);
      v128.store(dst + (i << 2), i32x4.add(even, odd));
    }
  }
  store<u32>(tree, load<u32>(tree, 16) + load<u32>(tree, 20), 8); // node[2] = node[4] + node[5]
  store<u32>(tree, load<u32>(tree, 24) + load<u32>(tree, 28), 12); // node[3] = node[6] + node[7]
  store<u32>(tree, load<u32>(tree, 8) + load<u32>(tree, 12), 4); // node[1] = node[2] + node[3]
}

/**
 * P(next bit = 1 | prefix c0) as a 16-bit integer in [1, 65535], from the tree alone:
 * node[2·c0+1] · 65536 / node[c0] (u64, truncating), clamped.
 */
// @ts-ignore: decorator
@inline export function treeBitP(tree: usize, c0: i32): i32 {
  const k = <usize>(c0 & 255);
  const n = load<u32>(tree + (k << 2));
  if (n == 0) return 32768;
  const n1 = load<u32>(tree + (k << 3), 4);
  const p = <i32>((<u64>n1 << 16) / <u64>n);
  return p < 1 ? 1 : (p > 65535 ? 65535 : p);
}
