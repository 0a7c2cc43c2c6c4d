import { allocArena } from "../memory";
import { squash } from "./squash";

// Online logistic mixer (a one-layer network trained on every coded bit).
//
// Inputs x[i] are log-odds in 1/256 units (|x| <= 2047), held as f32. Weights
// are f32. Output p = squash(sum w[i]*x[i]), 12-bit. After the bit y is known:
// w[i] += x[i] * (y - p) * rate, the gradient of coding cost in the logistic
// domain. A small context selects which weight set is used, so different
// situations (bit position, match state) learn their own trust in each input.
//
// The dot product and the update run as f32x4 SIMD. They are exact IEEE single
// operations (WebAssembly has no fused multiply-add outside relaxed SIMD, which
// this module never uses) in a fixed order: four lane sums, then
// (lane0 + lane1) + (lane2 + lane3). mixerDotScalar performs the same
// operations one by one and is tested to give identical bits.
//
// A mixer is a 32-byte record: +0 weights (f32[sets * MIXER_INPUTS])
// +4 selected set's weights  +8 last output p12 (i32)  +12 learning rate (f32)
// +16 update counts (u16[sets])  +20 selected set's count  +24 boost on (u32)  +28 width
// (vectors of four inputs, i32)
//
// With the boost on, a weight set's n-th update uses rate × (1 + BOOST_AK / (BOOST_K + n)):
// 8× at its first update, 2× after 768, 1.1× after ~9,000; n saturates at 65,535. A set
// that is seldom selected (a rare context) keeps learning fast while common ones settle.

export const MIXER_INPUTS = 36; // nine vectors of four
// A mixer's width: how many vectors of four inputs, from the first, it reads and trains
// (3, 7, 8 or 9), for predictors whose later inputs are always 0; the weights past the width
// are left as they are. Mixers take the width set by mixerSetWidth when they are created, unless
// mixerCreate names one; mixerInputs converts that many vectors.
export const MAX_VECTORS = 9;
let vectors = MAX_VECTORS;

/** The width (vectors of four inputs: 7, 8 or 9) of the mixers created from now on, and of mixerInputs. */
export function mixerSetWidth(n: i32): void {
  vectors = validWidth(n) && n >= 7 ? n : MAX_VECTORS;
}

/** The widths the kernels implement: 3 (a final mixer's few inputs), 7, 8 and 9. */
function validWidth(n: i32): bool {
  return n == 3 || (n >= 7 && n <= MAX_VECTORS);
}

const M_WEIGHTS = 0;
const M_SELECTED = 4;
const M_P = 8;
const M_RATE = 12;
const M_COUNTS = 16;
const M_SEL_COUNT = 20;
const M_BOOST = 24;
const M_VECTORS = 28;
const BOOST_AK: f32 = 896.0; // A·K with A = 7: the boost is 1 + 7 at n = 0
const BOOST_K: f32 = 128.0;

/**
 * rate: learning rate per (12-bit error x input) unit; initialWeight as a real number; width:
 * vectors of four inputs it mixes (3, 7, 8 or 9; 0: mixerSetWidth's). Every set has MIXER_INPUTS weights.
 */
export function mixerCreate(sets: i32, initialWeight: f32, rate: f32, width: i32 = 0): usize {
  const rec = allocArena(32, 16);
  const w = allocArena(<usize>sets * MIXER_INPUTS * 4);
  const counts = allocArena(<usize>sets * 2);
  if (rec == 0 || w == 0 || counts == 0) return 0; // the arena's memory is zeroed: counts start at 0
  store<u32>(rec + M_COUNTS, <u32>counts);
  store<u32>(rec + M_SEL_COUNT, <u32>counts);
  store<u32>(rec + M_BOOST, 0);
  store<i32>(rec + M_VECTORS, validWidth(width) ? width : vectors);
  const n = sets * MIXER_INPUTS;
  for (let i = 0; i < n; i++) store<f32>(w + (<usize>i << 2), initialWeight);
  store<u32>(rec + M_WEIGHTS, <u32>w);
  store<u32>(rec + M_SELECTED, <u32>w);
  store<i32>(rec + M_P, 2048);
  store<f32>(rec + M_RATE, rate);
  return rec;
}

/** Turns the per-set rate boost (above) on or off. */
export function mixerSetBoost(m: usize, on: bool): void {
  if (on && !boostTableReady) boostTableInit();
  store<u32>(m + M_BOOST, on ? 1 : 0);
}

/** How many updates weight set `set` has had (saturating at 65,535; tests). */
export function mixerUpdates(m: usize, set: i32): u32 {
  return <u32>load<u16>(<usize>load<u32>(m + M_COUNTS) + (<usize>set << 1));
}

/** Weight array of a mixer, for loading a learned prior. */
export function mixerWeights(m: usize): usize {
  return <usize>load<u32>(m + M_WEIGHTS);
}

/** Converts the first 4 × width (28, 32 or 36) i32 inputs at xi to f32 at xf (once per bit, shared by all mixers). */
// @ts-ignore: decorator
@inline export function mixerInputs(xi: usize, xf: usize): void {
  v128.store(xf, f32x4.convert_i32x4_s(v128.load(xi)));
  v128.store(xf + 16, f32x4.convert_i32x4_s(v128.load(xi + 16)));
  v128.store(xf + 32, f32x4.convert_i32x4_s(v128.load(xi + 32)));
  v128.store(xf + 48, f32x4.convert_i32x4_s(v128.load(xi + 48)));
  v128.store(xf + 64, f32x4.convert_i32x4_s(v128.load(xi + 64)));
  v128.store(xf + 80, f32x4.convert_i32x4_s(v128.load(xi + 80)));
  v128.store(xf + 96, f32x4.convert_i32x4_s(v128.load(xi + 96)));
  if (vectors > 7) v128.store(xf + 112, f32x4.convert_i32x4_s(v128.load(xi + 112)));
  if (vectors > 8) v128.store(xf + 128, f32x4.convert_i32x4_s(v128.load(xi + 128)));
}

// @ts-ignore: decorator
@inline function finish(m: usize, sum: f32): i32 {
  let d = sum;
  if (d > 2047.0) d = 2047.0;
  if (d < -2047.0) d = -2047.0;
  const dot = <i32>d; // truncation toward zero, after clamping (never traps)
  store<i32>(m + M_P, squash(dot));
  return dot;
}

/** Returns the mixed log-odds for f32 inputs xf under weight set `set`. SIMD. */
// @ts-ignore: decorator
@inline export function mixerDot(m: usize, xf: usize, set: i32): i32 {
  const w = <usize>load<u32>(m + M_WEIGHTS) + <usize>(set * MIXER_INPUTS * 4);
  store<u32>(m + M_SELECTED, <u32>w);
  store<u32>(m + M_SEL_COUNT, load<u32>(m + M_COUNTS) + (<u32>set << 1));
  const n = load<i32>(m + M_VECTORS);
  let acc = f32x4.mul(v128.load(w), v128.load(xf));
  acc = f32x4.add(acc, f32x4.mul(v128.load(w + 16), v128.load(xf + 16)));
  acc = f32x4.add(acc, f32x4.mul(v128.load(w + 32), v128.load(xf + 32)));
  if (n > 3) {
    acc = f32x4.add(acc, f32x4.mul(v128.load(w + 48), v128.load(xf + 48)));
    acc = f32x4.add(acc, f32x4.mul(v128.load(w + 64), v128.load(xf + 64)));
    acc = f32x4.add(acc, f32x4.mul(v128.load(w + 80), v128.load(xf + 80)));
    acc = f32x4.add(acc, f32x4.mul(v128.load(w + 96), v128.load(xf + 96)));
    if (n > 7) acc = f32x4.add(acc, f32x4.mul(v128.load(w + 112), v128.load(xf + 112)));
    if (n > 8) acc = f32x4.add(acc, f32x4.mul(v128.load(w + 128), v128.load(xf + 128)));
  }
  const sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) +
    (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  return finish(m, sum);
}

/** Scalar reference of mixerDot: the same operations in the same order. */
export function mixerDotScalar(m: usize, xf: usize, set: i32): i32 {
  const w = <usize>load<u32>(m + M_WEIGHTS) + <usize>(set * MIXER_INPUTS * 4);
  store<u32>(m + M_SELECTED, <u32>w);
  store<u32>(m + M_SEL_COUNT, load<u32>(m + M_COUNTS) + (<u32>set << 1));
  let a0: f32 = 0, a1: f32 = 0, a2: f32 = 0, a3: f32 = 0;
  const n = load<i32>(m + M_VECTORS) << 2;
  for (let k = 0; k < n; k += 4) {
    const o = <usize>k << 2;
    const p0 = load<f32>(w + o) * load<f32>(xf + o);
    const p1 = load<f32>(w + o + 4) * load<f32>(xf + o + 4);
    const p2 = load<f32>(w + o + 8) * load<f32>(xf + o + 8);
    const p3 = load<f32>(w + o + 12) * load<f32>(xf + o + 12);
    if (k == 0) {
      a0 = p0; a1 = p1; a2 = p2; a3 = p3;
    } else {
      a0 += p0; a1 += p1; a2 += p2; a3 += p3;
    }
  }
  return finish(m, (a0 + a1) + (a2 + a3));
}

/** The learning rate for the selected set's update (with the boost: counts the update). */
// @ts-ignore: decorator
@inline function rateOfSelected(m: usize): f32 {
  const rate = load<f32>(m + M_RATE);
  if (load<u32>(m + M_BOOST) == 0) return rate;
  const c = <usize>load<u32>(m + M_SEL_COUNT);
  const n = <u32>load<u16>(c);
  if (n < 65535) store<u16>(c, <u16>(n + 1));
  if (n < BOOST_TABLE) return rate * load<f32>(boostTable + (<usize>n << 2));
  return rate * boostFactor(n);
}

/** The boost's factor for a set's n-th update: 1 + BOOST_AK / (BOOST_K + n), in f32. */
// @ts-ignore: decorator
@inline function boostFactor(n: u32): f32 {
  return <f32>1.0 + BOOST_AK / (BOOST_K + <f32>n);
}

// boostFactor(n) for n < BOOST_TABLE, computed once (the same f32 values: a lookup instead of a division).
const BOOST_TABLE: u32 = 4096;
const boostTable = memory.data(BOOST_TABLE * 4, 16);
let boostTableReady = false;

function boostTableInit(): void {
  for (let n: u32 = 0; n < BOOST_TABLE; n++) store<f32>(boostTable + (<usize>n << 2), boostFactor(n));
  boostTableReady = true;
}

/** Trains the selected weight set on the coded bit. SIMD. */
// @ts-ignore: decorator
@inline export function mixerUpdate(m: usize, xf: usize, bit: i32): void {
  const w = <usize>load<u32>(m + M_SELECTED);
  const err = <f32>((bit << 12) - load<i32>(m + M_P)) * rateOfSelected(m);
  const e = f32x4.splat(err);
  const n = load<i32>(m + M_VECTORS);
  v128.store(w, f32x4.add(v128.load(w), f32x4.mul(v128.load(xf), e)));
  v128.store(w + 16, f32x4.add(v128.load(w + 16), f32x4.mul(v128.load(xf + 16), e)));
  v128.store(w + 32, f32x4.add(v128.load(w + 32), f32x4.mul(v128.load(xf + 32), e)));
  if (n > 3) {
    v128.store(w + 48, f32x4.add(v128.load(w + 48), f32x4.mul(v128.load(xf + 48), e)));
    v128.store(w + 64, f32x4.add(v128.load(w + 64), f32x4.mul(v128.load(xf + 64), e)));
    v128.store(w + 80, f32x4.add(v128.load(w + 80), f32x4.mul(v128.load(xf + 80), e)));
    v128.store(w + 96, f32x4.add(v128.load(w + 96), f32x4.mul(v128.load(xf + 96), e)));
    if (n > 7) v128.store(w + 112, f32x4.add(v128.load(w + 112), f32x4.mul(v128.load(xf + 112), e)));
    if (n > 8) v128.store(w + 128, f32x4.add(v128.load(w + 128), f32x4.mul(v128.load(xf + 128), e)));
  }
}

/** Scalar reference of mixerUpdate. */
export function mixerUpdateScalar(m: usize, xf: usize, bit: i32): void {
  const w = <usize>load<u32>(m + M_SELECTED);
  const err = <f32>((bit << 12) - load<i32>(m + M_P)) * rateOfSelected(m);
  const n = load<i32>(m + M_VECTORS) << 2;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(w + o, load<f32>(w + o) + load<f32>(xf + o) * err);
  }
}
