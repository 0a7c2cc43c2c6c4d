// A residual LM's product with the corpus n-gram (level 3).
//
// A residual model (KLM1 flag bit 0, weights.ts) was trained to predict
//   p(b) ∝ exp(z(b)) · d(b)
// where z are its logits and d the n-gram's distribution for the same next byte
// (train/train.py --residual-ngram): it learns what the n-gram does not know. So before the
// softmax its logits get ln d added: z(b) += ln max(d(b), 2^-100). d need not be normalised
// (a constant shift of every logit does not change the softmax).
//
// ln x for a positive normal f32 x: x = m · 2^e with m in [1, 2); m > √2 is halved (e + 1),
// so m ∈ (0.707, 1.415] and s = (m − 1) / (m + 1) ∈ (−0.172, 0.172]; then
// ln m = 2s · (1 + s²/3 + s⁴/5 + s⁶/7 + s⁸/9) (series error < 1e-8) and ln x = e · ln 2 + ln m.
// Only IEEE f32 operations, in a fixed order: the SIMD kernel computes each lane exactly as the
// scalar reference does (tested equal).

// @ts-ignore: decorator
@inline const LN_LO: f32 = 7.888609052210118e-31; // 2^-100: d below it (never in practice) counts as 2^-100
// @ts-ignore: decorator
@inline const SQRT2: f32 = 1.4142135623730951;
// @ts-ignore: decorator
@inline const LN2: f32 = 0.6931471805599453;
// @ts-ignore: decorator
@inline const C3: f32 = 0.3333333333333333;
// @ts-ignore: decorator
@inline const C5: f32 = 0.2;
// @ts-ignore: decorator
@inline const C7: f32 = 0.14285714285714285;
// @ts-ignore: decorator
@inline const C9: f32 = 0.1111111111111111;

/** ln x (scalar reference of ln4; x is clamped to ≥ 2^-100 first, as f32x4.pmax does). */
// @ts-ignore: decorator
@inline export function lnS(x: f32): f32 {
  x = x < LN_LO ? LN_LO : x;
  const bits = reinterpret<i32>(x);
  let e = (bits >> 23) - 127;
  let m = reinterpret<f32>((bits & 0x7fffff) | 0x3f800000);
  if (m > SQRT2) {
    m = m * <f32>0.5;
    e = e + 1;
  }
  const s = (m - <f32>1.0) / (m + <f32>1.0);
  const z = s * s;
  let p = C9;
  p = p * z + C7;
  p = p * z + C5;
  p = p * z + C3;
  p = p * z + <f32>1.0;
  return <f32>e * LN2 + (s + s) * p;
}

/** ln on four lanes (same operations as lnS). */
// @ts-ignore: decorator
@inline export function ln4(x: v128): v128 {
  x = f32x4.pmax(x, f32x4.splat(LN_LO));
  let e = i32x4.sub(i32x4.shr_s(x, 23), i32x4.splat(127));
  let m = v128.or(v128.and(x, i32x4.splat(0x7fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, f32x4.splat(SQRT2)); // all ones where m > √2
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, big);
  e = i32x4.sub(e, big); // + 1 where big (its lanes are −1)
  const one = f32x4.splat(1.0);
  const s = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const z = f32x4.mul(s, s);
  let p = f32x4.splat(C9);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(C7));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(C5));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(C3));
  p = f32x4.add(f32x4.mul(p, z), one);
  return f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(e), f32x4.splat(LN2)), f32x4.mul(f32x4.add(s, s), p));
}

/** logits[i] += ln d[i] for the 256 bytes (both f32[256], 16-byte aligned). */
export function addLnSimd(logits: usize, d: usize): void {
  for (let i: usize = 0; i < 1024; i += 16) {
    v128.store(logits + i, f32x4.add(v128.load(logits + i), ln4(v128.load(d + i))));
  }
}

/** Scalar reference of addLnSimd: bit-identical. */
export function addLnScalar(logits: usize, d: usize): void {
  for (let i: usize = 0; i < 1024; i += 4) {
    store<f32>(logits + i, load<f32>(logits + i) + lnS(load<f32>(d + i)));
  }
}
