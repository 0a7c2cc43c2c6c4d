// exp, sigmoid and tanh for the LM, in f32 with exact IEEE operations only.
//
// Every function exists twice: a SIMD version over f32x4 and a scalar version that
// performs the very same IEEE operations in the very same order on one lane, so the
// two give bit-identical results (the scalar one is the reference the tests compare
// against). No JS Math, no host imports, no fused multiply-add, no relaxed SIMD:
// the results are the same on every engine.
//
// exp(x): x is clamped to [EXP_LO, EXP_HI] = [-87, 88] (so every result is a
// finite normal float), n = nearest(x·log2 e), r = x − n·C1 − n·C2 (Cody–Waite; n·C1
// is exact), exp(r) by the Cephes degree-7 minimax polynomial 1 + r + r²·P(r)
// (Horner, no FMA), times 2^n built from the exponent bits.
//
// Measured maximum error against float64 (test/lm-activations.test.ts, dense grid):
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

// ---------------------------------------------------------------- scalar reference

/** exp(x) for f32 (scalar reference; bit-identical to exp4 on each lane). */
// @ts-ignore: decorator
@inline export function expS(x: f32): f32 {
  x = min<f32>(max<f32>(x, EXP_LO), EXP_HI);
  const n = nearest<f32>(x * LOG2E);
  const r = (x - n * C1) - n * C2;
  let p = P0;
  p = p * r + P1;
  p = p * r + P2;
  p = p * r + P3;
  p = p * r + P4;
  p = p * r + P5;
  const e = (p * (r * r) + r) + <f32>1.0;
  const scale = reinterpret<f32>((<i32>n + 127) << 23);
  return e * scale;
}

/** 1 / (1 + exp(−x)) (scalar reference). */
// @ts-ignore: decorator
@inline export function sigmoidS(x: f32): f32 {
  return <f32>1.0 / (<f32>1.0 + expS(-x));
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
  x = f32x4.min(f32x4.max(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)));
  let p = f32x4.splat(P0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  const e = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const scale = i32x4.shl(i32x4.add(ni, i32x4.splat(127)), 23);
  return f32x4.mul(e, scale);
}

/** sigmoid on four lanes (same operations as sigmoidS). */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

/** tanh on four lanes (same operations as tanhS). */
// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const e = exp4(f32x4.mul(x, f32x4.splat(-2.0)));
  return f32x4.sub(f32x4.div(f32x4.splat(2.0), f32x4.add(f32x4.splat(1.0), e)), f32x4.splat(1.0));
}

// Error bounds asserted by the tests (see the measured values above).
export const EXP_REL_ERR: f64 = 1.5e-7;
export const SIGMOID_ABS_ERR: f64 = 1.5e-7;
export const TANH_ABS_ERR: f64 = 2.5e-7;
