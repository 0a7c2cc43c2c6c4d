// exp, sigmoid and tanh for the LM, in f32 with exact IEEE operations only.
//
// Every function exists twice: a SIMD version over f32x4 and a scalar version that
// performs the very same IEEE operations in the very same order on one lane, so the
// two give bit-identical results (the scalar one is the reference the tests compare
// against). No JS Math, no host imports, no fused multiply-add, no relaxed SIMD:
// the results are the same on every engine.
//
// exp(x): x is clamped to [EXP_LO, EXP_HI] = [-87, 88] (so every result is a finite
// normal float; the clamp uses pseudo-min/max, plain minps/maxps on x64); n = x·log2 e
// rounded to an integer (ties to even) by adding and subtracting 1.5·2^23;
// r = x − n·C1 − n·C2 (Cody–Waite; n·C1 is exact); exp(r) by the Cephes minimax
// polynomial 1 + r + r²·P(r), P of degree 5 (Horner, no FMA); times 2^n built from
// the exponent bits.
//
// Measured maximum error against float64 (test/lm-kernels.test.ts, dense grid):
//   exp      relative error 7.9e-8 on [-87, 88]        documented bound 1.5e-7
//   sigmoid  absolute error 8.9e-8 on [-40, 40]        documented bound 1.5e-7
//   tanh     absolute error 1.8e-7 on [-40, 40]        documented bound 2.5e-7
//            (2/(1 + exp(−2x)) − 1 form: absolute, not relative, accuracy near 0)
// Outside [-40, 40] sigmoid and tanh saturate exactly (0/1, ±1) up to the clamp.
// The documented bounds asserted by the tests are EXP_REL_ERR, SIGMOID_ABS_ERR, TANH_ABS_ERR.

// @ts-ignore: decorator
@inline export const EXP_LO: f32 = -87.0;
// @ts-ignore: decorator
@inline export const EXP_HI: f32 = 88.0;

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// 1.5·2^23: adding it rounds |v| < 2^22 to an integer; the integer is then the low
// mantissa bits of the sum (bits = 0x4B400000 + n), and ((bits + 127) << 23) = bits of 2^n.
// @ts-ignore: decorator
@inline const MAGIC: f32 = 12582912.0;
// @ts-ignore: decorator
@inline const C1: f32 = 0.693359375; // 9 significant bits: n·C1 is exact
// @ts-ignore: decorator
@inline const C2: f32 = -2.12194440e-4;
// Cephes expf polynomial.
// @ts-ignore: decorator
@inline const P0: f32 = 1.9875691500e-4;
// @ts-ignore: decorator
@inline const P1: f32 = 1.3981999507e-3;
// @ts-ignore: decorator
@inline const P2: f32 = 8.3334519073e-3;
// @ts-ignore: decorator
@inline const P3: f32 = 4.1665795894e-2;
// @ts-ignore: decorator
@inline const P4: f32 = 1.6666665459e-1;
// @ts-ignore: decorator
@inline const P5: f32 = 5.0000001201e-1;

// Splatted constants in static memory: V8 (x64) materialises every v128.const with 3
// instructions at each use, while a load from a fixed address is one.
const KV = memory.data<f32>([
  EXP_LO, EXP_LO, EXP_LO, EXP_LO, // 0
  EXP_HI, EXP_HI, EXP_HI, EXP_HI, // 16
  LOG2E, LOG2E, LOG2E, LOG2E, // 32
  C1, C1, C1, C1, // 48
  C2, C2, C2, C2, // 64
  P0, P0, P0, P0, // 80
  P1, P1, P1, P1, // 96
  P2, P2, P2, P2, // 112
  P3, P3, P3, P3, // 128
  P4, P4, P4, P4, // 144
  P5, P5, P5, P5, // 160
  1.0, 1.0, 1.0, 1.0, // 176
  2.0, 2.0, 2.0, 2.0, // 192
  -1.0, -1.0, -1.0, -1.0, // 208
  -2.0, -2.0, -2.0, -2.0, // 224
  MAGIC, MAGIC, MAGIC, MAGIC, // 240
], 16);
const KI = memory.data<i32>([127, 127, 127, 127], 16);

// ---------------------------------------------------------------- scalar reference

/**
 * exp(x) for f32 (scalar reference; bit-identical to exp4 on each lane). The clamp is
 * written as the SIMD pseudo-min/max (f32x4.pmax / pmin): (x < lo ? lo : x), (hi < x ? hi : x).
 */
// @ts-ignore: decorator
@inline export function expS(x: f32): f32 {
  x = x < EXP_LO ? EXP_LO : x;
  x = EXP_HI < x ? EXP_HI : x;
  const t = x * LOG2E + MAGIC; // rounds x·log2 e to an integer (ties to even)
  const n = t - MAGIC; // exact
  const r = (x - n * C1) - n * C2;
  let p = P0;
  p = p * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  const e = (p * (r * r) + r) + <f32>1.0;
  const scale = reinterpret<f32>((reinterpret<i32>(t) + 127) << 23); // 2^n
  return e * scale;
}

/** 1 / (1 + exp(−x)) (scalar reference; −x computed as x·(−1), which is exact). */
// @ts-ignore: decorator
@inline export function sigmoidS(x: f32): f32 {
  return <f32>1.0 / (<f32>1.0 + expS(x * <f32>-1.0));
}

/** tanh(x) = 2 / (1 + exp(−2x)) − 1 (scalar reference). */
// @ts-ignore: decorator
@inline export function tanhS(x: f32): f32 {
  return <f32>2.0 / (<f32>1.0 + expS(x * <f32>-2.0)) - <f32>1.0;
}

// ---------------------------------------------------------------- SIMD (f32x4)

/** exp on four lanes (same operations as expS). */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  x = f32x4.pmax(x, v128.load(KV, 0));
  x = f32x4.pmin(x, v128.load(KV, 16));
  const t = f32x4.add(f32x4.mul(x, v128.load(KV, 32)), v128.load(KV, 240));
  const n = f32x4.sub(t, v128.load(KV, 240));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, v128.load(KV, 48))), f32x4.mul(n, v128.load(KV, 64)));
  let p = v128.load(KV, 80);
  p = f32x4.add(f32x4.mul(p, r), v128.load(KV, 96));
  p = f32x4.add(f32x4.mul(p, r), v128.load(KV, 112));
  p = f32x4.add(f32x4.mul(p, r), v128.load(KV, 128));
  p = f32x4.add(f32x4.mul(p, r), v128.load(KV, 144));
  p = f32x4.add(f32x4.mul(p, r), v128.load(KV, 160));
  const e = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), v128.load(KV, 176));
  const scale = i32x4.shl(i32x4.add(t, v128.load(KI)), 23);
  return f32x4.mul(e, scale);
}

/** sigmoid on four lanes (same operations as sigmoidS). */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const one = v128.load(KV, 176);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.mul(x, v128.load(KV, 208)))));
}

/** tanh on four lanes (same operations as tanhS). */
// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const e = exp4(f32x4.mul(x, v128.load(KV, 224)));
  const one = v128.load(KV, 176);
  return f32x4.sub(f32x4.div(v128.load(KV, 192), f32x4.add(one, e)), one);
}

// Error bounds asserted by the tests (see the measured values above).
export const EXP_REL_ERR: f64 = 1.5e-7;
export const SIGMOID_ABS_ERR: f64 = 1.5e-7;
export const TANH_ABS_ERR: f64 = 2.5e-7;
