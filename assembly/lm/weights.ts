// KLM1 model file: header validation and repacking of the weights.
//
// File (little-endian), produced by train/export.py:
//   offset 0: "KLM1"; u32 version = 1; u32 arch = 1 (LSTM); u32 layers L; u32 embed E;
//             u32 hidden H; u32 vocab = 256; u32 flags                  (32-byte header)
//   flags: bit 0 = residual: the logits are added to ln of the corpus n-gram's distribution
//   before the softmax (residual.ts; level 3 only); the other bits are 0.
//   float32 row-major tensors: embedding [256][E];
//   for l in 0..L−1: W_ih [4H][in_l] (in_0 = E, else H), W_hh [4H][H], bias [4H] (= b_ih + b_hh);
//   W_out [256][H], b_out [256]
// The file length must equal the size implied by the header exactly. Every size is
// checked against the length before anything is allocated.
//
// In-memory model (all allocated with allocPermanent, 64-byte aligned):
//   Hp = H rounded up to a multiple of 4 (padded hidden units have zero weights and
//   stay exactly 0), G = 4·Hp gate rows (gate q of unit j at row q·Hp + j; a multiple of 16).
//   emb0   [256][G]  layer-0 input part, precomputed: bias_0 + W_ih_0 · embedding[b]
//                    (scalar, k ascending from the bias) — the embedding never appears at run time
//   w[0]   packed [G][Hp]    W_hh_0
//   w[l]   packed [G][2·Hp]  [W_ih_l | W_hh_l] over the input [h_{l−1}; h_l]
//   bias[l] [G] (l ≥ 1)
//   wOut   packed [256][Hp], bOut [256]
//   state: h [L][Hp], c [L][Hp], gates [G], logits [256] + exp [256], tree u32[512]
//   quantized copies (kernels-int8.ts, what the codec runs; int8 values stored as int16):
//   wq[l] + scale[l] for w[l],
//   wOutQ + scaleOut for wOut, and hq i16 [L][Hp] (h with 14 fractional bits)

import { allocPermanent } from "../memory";
import { packColumns, packedBytes } from "./kernels";
import { packedInt8Bytes, quantizeRows } from "./kernels-int8";

// Error codes returned by lmLoad (0 = success).
export const LM_OK: i32 = 0;
/** Shorter than the 32-byte header or than the size the header implies (or ptr + len lies outside memory). */
export const LM_ERR_TRUNCATED: i32 = -1;
/** The first 4 bytes are not "KLM1". */
export const LM_ERR_MAGIC: i32 = -2;
/** Unknown format version (only 1). */
export const LM_ERR_VERSION: i32 = -3;
/** Unknown architecture (only 1 = LSTM). */
export const LM_ERR_ARCH: i32 = -4;
/** Shape out of range: L ∉ [1, 16], E ∉ [1, 4096], H ∉ [1, 4096], vocab ≠ 256 or an unknown flag bit. */
export const LM_ERR_SHAPE: i32 = -5;
/** Longer than the size the header implies (trailing bytes). */
export const LM_ERR_TRAILING: i32 = -6;
/** A weight is NaN, infinite or has magnitude > 65536. */
export const LM_ERR_WEIGHT: i32 = -7;
/** Linear memory could not grow enough for the packed model. */
export const LM_ERR_MEMORY: i32 = -8;
/** A model is already loaded in this instance. */
export const LM_ERR_LOADED: i32 = -9;

export const MAX_LAYERS: u32 = 16;
export const MAX_DIM: u32 = 4096;
const FLAG_RESIDUAL: u32 = 1;
const MAX_WEIGHT_BITS: u32 = 0x47800000; // |w| ≤ 65536.0 (also rejects NaN / ±Inf)

// The loaded model (module globals: no managed objects, the runtime is "stub").
export let mLoaded: bool = false;
/** The model is residual over the corpus n-gram (flag bit 0). */
export let mResidual: bool = false;
export let mL: i32 = 0;
export let mE: i32 = 0;
export let mH: i32 = 0;
export let mHp: i32 = 0;
export let mG: i32 = 0;
export let mEmb0: usize = 0;
export let mW: usize = 0; // usize[L]: packed weights per layer
export let mBias: usize = 0; // usize[L]: bias per layer (entry 0 unused)
export let mWOut: usize = 0;
export let mBOut: usize = 0;
export let mH0: usize = 0; // h state [L][Hp]
export let mC0: usize = 0; // c state [L][Hp]
export let mGates: usize = 0;
export let mLogits: usize = 0;
export let mTree: usize = 0;
export let mWq: usize = 0; // usize[L]: quantized packed weights per layer (int8 values, int16 storage)
export let mScale: usize = 0; // usize[L]: f32 row scales per layer
export let mWOutQ: usize = 0;
export let mScaleOut: usize = 0;
export let mHq: usize = 0; // i16 h state [L][Hp]

/**
 * Validates and unpacks a KLM1 file into the module globals; returns 0 or an LM_ERR_* code.
 * All checks up to LM_ERR_WEIGHT happen before anything is allocated; on LM_ERR_MEMORY
 * the allocations made so far are not reclaimed (the allocator never frees).
 */
export function loadModel(ptr: usize, len: i32): i32 {
  if (mLoaded) return LM_ERR_LOADED;
  if (len < 32) return LM_ERR_TRUNCATED;
  // the bytes must lie inside linear memory (else reading them would trap)
  if (<u64>ptr + <u64>len > (<u64>memory.size() << 16)) return LM_ERR_TRUNCATED;
  if (load<u32>(ptr) != 0x314d4c4b) return LM_ERR_MAGIC; // "KLM1"
  if (load<u32>(ptr, 4) != 1) return LM_ERR_VERSION;
  if (load<u32>(ptr, 8) != 1) return LM_ERR_ARCH;
  const uL = load<u32>(ptr, 12);
  const uE = load<u32>(ptr, 16);
  const uH = load<u32>(ptr, 20);
  if (uL < 1 || uL > MAX_LAYERS || uE < 1 || uE > MAX_DIM || uH < 1 || uH > MAX_DIM) return LM_ERR_SHAPE;
  if (load<u32>(ptr, 24) != 256 || (load<u32>(ptr, 28) & ~FLAG_RESIDUAL) != 0) return LM_ERR_SHAPE;
  const L = <i32>uL, E = <i32>uE, H = <i32>uH;

  // Expected number of floats (u64: no overflow for the ranges above).
  const G64 = <u64>4 * <u64>H;
  let floats: u64 = <u64>256 * <u64>E;
  for (let l = 0; l < L; l++) {
    const inL: u64 = l == 0 ? <u64>E : <u64>H;
    floats += G64 * inL + G64 * <u64>H + G64;
  }
  floats += <u64>256 * <u64>H + 256;
  const expected: u64 = 32 + floats * 4;
  if (<u64>len < expected) return LM_ERR_TRUNCATED;
  if (<u64>len > expected) return LM_ERR_TRAILING;

  // Every weight finite and |w| ≤ 65536 (bounds all activations: no Inf/NaN at run time).
  const n = <usize>floats;
  for (let i: usize = 0; i < n; i++) {
    if ((load<u32>(ptr + 32 + (i << 2)) & 0x7fffffff) > MAX_WEIGHT_BITS) return LM_ERR_WEIGHT;
  }

  const Hp = (H + 3) & ~3;
  const G = 4 * Hp;
  // Memory needed (bytes), checked before allocating anything.
  let need: u64 = <u64>256 * <u64>G * 4; // emb0
  need += packedBytes(G, Hp); // w[0]
  for (let l = 1; l < L; l++) need += packedBytes(G, 2 * Hp) + <u64>G * 4;
  need += packedBytes(256, Hp) + 1024;
  need += <u64>L * <u64>Hp * 8 + <u64>G * 4 + 2048 + 2048 + <u64>L * 8;
  need += packedInt8Bytes(G, Hp) + <u64>G * 4 + packedInt8Bytes(256, Hp) + 1024 + <u64>L * <u64>Hp * 2 + <u64>L * 8;
  for (let l = 1; l < L; l++) need += packedInt8Bytes(G, 2 * Hp) + <u64>G * 4;
  need += 64 * 24; // alignment slack
  if (need > 0x3fffffff) return LM_ERR_MEMORY;

  const w = allocPermanent(<usize>L * 4, 16);
  const bias = allocPermanent(<usize>L * 4, 16);
  const emb0 = allocPermanent(<usize>256 * <usize>G * 4, 64);
  if (w == 0 || bias == 0 || emb0 == 0) return LM_ERR_MEMORY;
  for (let l = 0; l < L; l++) {
    const K = l == 0 ? Hp : 2 * Hp;
    const wl = allocPermanent(<usize>packedBytes(G, K), 64);
    if (wl == 0) return LM_ERR_MEMORY;
    store<usize>(w + (<usize>l << 2), wl);
    if (l > 0) {
      const bl = allocPermanent(<usize>G * 4, 64);
      if (bl == 0) return LM_ERR_MEMORY;
      store<usize>(bias + (<usize>l << 2), bl);
    }
  }
  const wOut = allocPermanent(<usize>packedBytes(256, Hp), 64);
  const bOut = allocPermanent(1024, 64);
  const h = allocPermanent(<usize>L * <usize>Hp * 4, 64);
  const c = allocPermanent(<usize>L * <usize>Hp * 4, 64);
  const gates = allocPermanent(<usize>G * 4, 64);
  const logits = allocPermanent(2048, 64); // logits[256], then exp values[256]
  const tree = allocPermanent(2048, 64);
  if (wOut == 0 || bOut == 0 || h == 0 || c == 0 || gates == 0 || logits == 0 || tree == 0) return LM_ERR_MEMORY;
  const wq = allocPermanent(<usize>L * 4, 16);
  const scale = allocPermanent(<usize>L * 4, 16);
  const wOutQ = allocPermanent(<usize>packedInt8Bytes(256, Hp), 64);
  const scaleOut = allocPermanent(1024, 64);
  const hq = allocPermanent(<usize>L * <usize>Hp * 2, 64);
  if (wq == 0 || scale == 0 || wOutQ == 0 || scaleOut == 0 || hq == 0) return LM_ERR_MEMORY;
  for (let l = 0; l < L; l++) {
    const K = l == 0 ? Hp : 2 * Hp;
    const q = allocPermanent(<usize>packedInt8Bytes(G, K), 64);
    const sc = allocPermanent(<usize>G * 4, 64);
    if (q == 0 || sc == 0) return LM_ERR_MEMORY;
    store<usize>(wq + (<usize>l << 2), q);
    store<usize>(scale + (<usize>l << 2), sc);
  }

  // Walk the tensors in file order.
  let p = ptr + 32;
  const embedding = p;
  p += <usize>256 * <usize>E * 4;
  for (let l = 0; l < L; l++) {
    const inL = l == 0 ? E : H;
    const wih = p;
    p += <usize>(4 * H) * <usize>inL * 4;
    const whh = p;
    p += <usize>(4 * H) * <usize>H * 4;
    const b = p;
    p += <usize>(4 * H) * 4;
    const wl = load<usize>(w + (<usize>l << 2));
    if (l == 0) {
      packColumns(wl, Hp, whh, 4 * H, H, 0, H, 0, H, Hp);
      // emb0[x][q·Hp + j] = b[q·H + j] + Σ_k W_ih[q·H + j][k] · embedding[x][k], k ascending
      for (let x = 0; x < 256; x++) {
        const ex = embedding + <usize>x * <usize>E * 4;
        const dst = emb0 + <usize>x * <usize>G * 4;
        for (let r = 0; r < 4 * H; r++) {
          let s = load<f32>(b + (<usize>r << 2));
          const wr = wih + <usize>r * <usize>E * 4;
          for (let k = 0; k < E; k++) {
            s = s + load<f32>(wr + (<usize>k << 2)) * load<f32>(ex + (<usize>k << 2));
          }
          const pr = (r / H) * Hp + (r % H);
          store<f32>(dst + (<usize>pr << 2), s);
        }
      }
    } else {
      packColumns(wl, 2 * Hp, wih, 4 * H, H, 0, H, 0, H, Hp);
      packColumns(wl, 2 * Hp, whh, 4 * H, H, 0, H, Hp, H, Hp);
      const bl = load<usize>(bias + (<usize>l << 2));
      for (let r = 0; r < 4 * H; r++) {
        const pr = (r / H) * Hp + (r % H);
        store<f32>(bl + (<usize>pr << 2), load<f32>(b + (<usize>r << 2)));
      }
    }
  }
  packColumns(wOut, Hp, p, 256, H, 0, H, 0, 256, 256);
  p += <usize>256 * <usize>H * 4;
  memory.copy(bOut, p, 1024);
  for (let l = 0; l < L; l++) {
    quantizeRows(load<usize>(wq + (<usize>l << 2)), load<usize>(scale + (<usize>l << 2)),
      load<usize>(w + (<usize>l << 2)), l == 0 ? Hp : 2 * Hp, G);
  }
  quantizeRows(wOutQ, scaleOut, wOut, Hp, 256);

  mL = L; mE = E; mH = H; mHp = Hp; mG = G;
  mEmb0 = emb0; mW = w; mBias = bias; mWOut = wOut; mBOut = bOut;
  mH0 = h; mC0 = c; mGates = gates; mLogits = logits; mTree = tree;
  mWq = wq; mScale = scale; mWOutQ = wOutQ; mScaleOut = scaleOut; mHq = hq;
  mResidual = (load<u32>(ptr, 28) & FLAG_RESIDUAL) != 0;
  mLoaded = true;
  return LM_OK;
}
