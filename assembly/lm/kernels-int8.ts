// Integer matrix × vector kernels for the LM: int8 weights × int16 activations → i32,
// with i32x4.dot_i16x8_s (plain SIMD128, never relaxed SIMD).
//
// Quantization (done once, at load time, from the packed f32 weights; see quantizeRows):
//   per output row r: m_r = max_k |W[r][k]|, q[r][k] = round(W[r][k] · 127 / m_r) ∈ [−127, 127]
//   (all f32 operations, round = nearest-even), and the row scale rs[r] = m_r / 127 / 2^14.
//   Activations (h, in [−1, 1]) are quantized to int16 with 14 fractional bits (quantizeVector).
//   Then  out[r] = init[r] + f32(Σ_k q[r][k] · xq[k]) · rs[r]   (convert, multiply, add).
//   |Σ| ≤ K · 127 · 2^14 < 2^31 for K ≤ 1024, so the i32 sum never wraps for the models we ship
//   (and integer sums are exact in any order, which is what makes the SIMD and scalar kernels
//   bit-identical without a prescribed order).
//
// Packed layout ("blocks of 24 rows, k-pair-major"): rows are padded to a multiple of 8 (Rp)
// and grouped like the f32 kernels (kernels.ts): nFull blocks of 24 rows, then one tail
// block of 8 or 16 rows. K is even. The quantized values (int8 range) are stored widened to
// int16, so that one plain v128.load gives the i16x8 that dot_i16x8_s takes: on this machine
// that ran 1.3–1.5× faster than sign-extending 8 int8 per load (v128.load8x8_s), at twice
// the bytes (448 KB for the 2×128 model, still well inside L2). For block b (R_b rows) and
// pair p = (2j, 2j+1), the block's values for that pair are R_b · 2 int16, in groups of 4 rows:
//   W[r][2j], W[r][2j+1], W[r+1][2j], W[r+1][2j+1], W[r+2][2j], …, W[r+3][2j+1]
// so a group (16 bytes) multiplied by the splatted pair (xq[2j], xq[2j+1]) gives
// lane i = W[r+i][2j]·x[2j] + W[r+i][2j+1]·x[2j+1].
//
// int16 storage is faster than int8 here (no widening per multiply); the figures are in
// assembly/lm/README.md.

import { paddedRows, packedAt } from "./kernels";

/** Fractional bits of the int16 activations. */
export const ACT_BITS: i32 = 14;
// @ts-ignore: decorator
@inline const ACT_SCALE: f32 = 16384.0; // 2^ACT_BITS
// @ts-ignore: decorator
@inline const INV_ACT_SCALE: f32 = 1.0 / 16384.0;

/** Bytes of a packed quantized matrix (int16 storage) with `rows` rows and K (even) columns. */
export function packedInt8Bytes(rows: i32, K: i32): u64 {
  return <u64>paddedRows(rows) * <u64>K * 2;
}

/** Byte offset of the group holding W[r][2j] (r a multiple of 4) in the packed layout (int16 values). */
function int8GroupOffset(r: i32, j: i32, K: i32, Rp: i32): usize {
  const nFull = Rp / 24;
  const b = r / 24;
  const rowsB = b < nFull ? 24 : Rp - nFull * 24;
  const row0 = b < nFull ? b * 24 : nFull * 24;
  return (<usize>row0 * <usize>K + <usize>j * <usize>(rowsB * 2) + <usize>((r - row0) * 2)) << 1;
}

/**
 * Quantizes the packed f32 matrix src (Rp = paddedRows(rows) rows, K columns, kernels.ts
 * layout) into dst (packedInt8Bytes) and the row scales scale (f32[Rp]). Padding rows
 * (all zero) get q = 0 and scale 0.
 */
export function quantizeRows(dst: usize, scale: usize, src: usize, K: i32, rows: i32): void {
  const Rp = paddedRows(rows);
  for (let r = 0; r < Rp; r++) {
    let m: f32 = 0;
    for (let k = 0; k < K; k++) {
      const a = Mathf.abs(packedAt(src, r, k, K, Rp));
      if (a > m) m = a;
    }
    const inv: f32 = m > 0 ? <f32>127.0 / m : 0;
    store<f32>(scale + (<usize>r << 2), (m / <f32>127.0) * INV_ACT_SCALE);
    const g = r & ~3;
    const lane = r - g;
    for (let j = 0; j < K / 2; j++) {
      const base = dst + int8GroupOffset(g, j, K, Rp) + <usize>(lane * 4);
      for (let t = 0; t < 2; t++) {
        let q = <i32>nearest<f32>(packedAt(src, r, 2 * j + t, K, Rp) * inv);
        if (q > 127) q = 127;
        if (q < -127) q = -127;
        store<i16>(base + <usize>(t * 2), <i16>q);
      }
    }
  }
}

/**
 * xq[i] = clamp(round(x[i] · 2^14), −32768, 32767) for n floats. SIMD, 8 at a time;
 * the remainder goes through the scalar rule.
 */
export function quantizeVectorSimd(x: usize, xq: usize, n: i32): void {
  const s = f32x4.splat(ACT_SCALE);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + (<usize>i << 2)), s)));
    const b = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(x + (<usize>i << 2), 16), s)));
    v128.store(xq + (<usize>i << 1), i16x8.narrow_i32x4_s(a, b));
  }
  for (; i < n; i++) store<i16>(xq + (<usize>i << 1), quantizeOne(load<f32>(x + (<usize>i << 2))));
}

/** Scalar reference of quantizeVectorSimd (bit-identical). */
export function quantizeVectorScalar(x: usize, xq: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i16>(xq + (<usize>i << 1), quantizeOne(load<f32>(x + (<usize>i << 2))));
}

// @ts-ignore: decorator
@inline function quantizeOne(v: f32): i16 {
  // what trunc_sat + the saturating narrow give in the SIMD path: NaN → 0, saturate to i16
  const r = nearest<f32>(v * ACT_SCALE);
  if (r != r) return 0;
  if (r > 32767) return 32767;
  if (r < -32768) return -32768;
  return <i16><i32>r;
}

// out[4 rows at off] = init + f32(acc) · scale (convert, multiply, add: as the scalar kernel).
// @ts-ignore: decorator
@inline function finish(acc: v128, init: usize, scale: usize, out: usize, off: usize): void {
  v128.store(out + off, f32x4.add(v128.load(init + off), f32x4.mul(f32x4.convert_i32x4_s(acc), v128.load(scale + off))));
}

/**
 * out[0 .. Rp) = init + (W·xq) · scale, SIMD. init, scale and out hold paddedRows(rows) floats
 * (16-byte aligned); xq holds K int16 (K even). `out` may equal `init`.
 */
export function matvecInt8Simd(w: usize, scale: usize, init: usize, xq: usize, K: i32, rows: i32, out: usize): void {
  const Rp = paddedRows(rows);
  const nFull = Rp / 24;
  const xEnd = xq + (<usize>K << 1);
  for (let b = 0; b < nFull; b++) {
    let a0 = i32x4.splat(0);
    let a1 = i32x4.splat(0);
    let a2 = i32x4.splat(0);
    let a3 = i32x4.splat(0);
    let a4 = i32x4.splat(0);
    let a5 = i32x4.splat(0);
    let xp = xq;
    while (xp < xEnd) {
      const xs = v128.load32_splat(xp);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.load(w, 0), xs));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v128.load(w, 16), xs));
      a2 = i32x4.add(a2, i32x4.dot_i16x8_s(v128.load(w, 32), xs));
      a3 = i32x4.add(a3, i32x4.dot_i16x8_s(v128.load(w, 48), xs));
      a4 = i32x4.add(a4, i32x4.dot_i16x8_s(v128.load(w, 64), xs));
      a5 = i32x4.add(a5, i32x4.dot_i16x8_s(v128.load(w, 80), xs));
      w += 96;
      xp += 4;
    }
    const io = <usize>b * 96;
    finish(a0, init, scale, out, io);
    finish(a1, init, scale, out, io + 16);
    finish(a2, init, scale, out, io + 32);
    finish(a3, init, scale, out, io + 48);
    finish(a4, init, scale, out, io + 64);
    finish(a5, init, scale, out, io + 80);
  }
  // The tail block (8 or 16 rows), 8 rows (two accumulators) at a time: each k-pair record
  // of the block is tail · 2 int16 (tail · 4 bytes), and these 8 rows are its bytes
  // [g·4, g·4 + 32).
  const tail = Rp - nFull * 24;
  const stride = <usize>(tail * 4);
  for (let g = 0; g < tail; g += 8) {
    let a0 = i32x4.splat(0);
    let a1 = i32x4.splat(0);
    let wp = w + <usize>(g * 4);
    let xp = xq;
    while (xp < xEnd) {
      const xs = v128.load32_splat(xp);
      a0 = i32x4.add(a0, i32x4.dot_i16x8_s(v128.load(wp, 0), xs));
      a1 = i32x4.add(a1, i32x4.dot_i16x8_s(v128.load(wp, 16), xs));
      wp += stride;
      xp += 4;
    }
    const io = <usize>(nFull * 24 + g) << 2;
    finish(a0, init, scale, out, io);
    finish(a1, init, scale, out, io + 16);
  }
}

/** Scalar reference of matvecInt8Simd: the same integer sums and f32 operations, bit-identical. */
export function matvecInt8Scalar(w: usize, scale: usize, init: usize, xq: usize, K: i32, rows: i32, out: usize): void {
  const Rp = paddedRows(rows);
  for (let r = 0; r < Rp; r++) {
    const g = r & ~3;
    const lane = r - g;
    let acc: i32 = 0;
    for (let j = 0; j < K / 2; j++) {
      const p = w + int8GroupOffset(g, j, K, Rp) + <usize>(lane * 4);
      acc += <i32>load<i16>(p) * <i32>load<i16>(xq + (<usize>(2 * j) << 1)) +
        <i32>load<i16>(p + 2) * <i32>load<i16>(xq + (<usize>(2 * j + 1) << 1));
    }
    const o = <usize>r << 2;
    store<f32>(out + o, load<f32>(init + o) + <f32>acc * load<f32>(scale + o));
  }
}
